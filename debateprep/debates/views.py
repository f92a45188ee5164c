from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from debateprep.debates.models import Debate
from debateprep.delegations import policy
from debateprep.delegations.models import Delegation
from debateprep.lib.htmx import HtmxHttpRequest


@require_GET
def debate_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The debate as circulated; a delegate with one delegation goes straight to drafting."""
    debate = get_object_or_404(
        Debate.objects.filter(policy.debates_listed(request.user)), slug=slug
    )
    delegations = [
        delegation
        for delegation in Delegation.objects.filter(policy.member_delegations(request.user))
        if Debate.objects.filter(
            policy.debates_in_reach(request.user, delegation), pk=debate.pk
        ).exists()
    ]
    if len(delegations) == 1:
        return redirect("drafting:statement", debate.slug, delegations[0].code)
    return render(
        request,
        "debates/detail.html",
        {
            "debate": debate,
            "questions": debate.questions.all(),
            "delegations": delegations,
            "editing": policy.is_editor(request.user),
        },
    )
