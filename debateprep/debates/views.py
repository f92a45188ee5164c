from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from debateprep.debates.models import Debate
from debateprep.drafting import exports
from debateprep.drafting.models import Delegation, Statement
from debateprep.lib.htmx import HtmxHttpRequest


@require_GET
def debate_list(request: HtmxHttpRequest) -> HttpResponse:
    """Each of the user's delegations with the debates open to it and its statement's status."""
    statuses = {
        (debate_id, delegation_id): Statement.Status(status).label
        for debate_id, delegation_id, status in Statement.objects.for_user(
            request.user
        ).values_list("debate_id", "delegation_id", "status")
    }
    delegations = [
        (
            delegation,
            [
                (debate, statuses.get((debate.pk, delegation.pk), "Not started"))
                for debate in Debate.objects.open_to(delegation)
            ],
        )
        for delegation in Delegation.objects.for_user(request.user)
    ]
    editing = request.user.has_perm("drafting.view_statement")
    context = {
        "delegations": delegations,
        "all_debates": Debate.objects.all() if editing else [],
        "compendium_formats": exports.COMPENDIUM_FORMATS if editing else {},
    }
    return render(request, "debates/list.html", context)


@require_GET
def debate_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The debate as circulated; a delegate with one delegation goes straight to drafting."""
    debate = get_object_or_404(Debate, slug=slug)
    delegations = [
        delegation
        for delegation in Delegation.objects.for_user(request.user)
        if debate.is_open_to(delegation)
    ]
    if len(delegations) == 1:
        return redirect("drafting:statement", debate.slug, delegations[0].code)
    if not delegations and not request.user.has_perm("debates.view_debate"):
        raise Http404("No debate is open to you at this address.")
    return render(
        request,
        "debates/detail.html",
        {"debate": debate, "questions": debate.questions.all(), "delegations": delegations},
    )


@require_GET
def compendium(request: HtmxHttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every delegation's answers to the debate's questions, for editors; nobody else learns
    that the address exists."""
    if not request.user.has_perm("drafting.view_statement"):
        raise Http404("No debate is open to you at this address.")
    if fmt not in exports.COMPENDIUM_FORMATS:
        raise Http404("No such export format.")
    debate = get_object_or_404(Debate, slug=slug)
    return exports.compendium_download(debate, fmt).response()
