from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from debateprep.debates.models import Debate
from debateprep.drafting import exports
from debateprep.drafting.forms import AnswerForm, ExportForm, StatusForm
from debateprep.drafting.models import (
    Answer,
    Delegation,
    StaleEdit,
    Statement,
    StatementLocked,
)
from debateprep.lib.htmx import HtmxHttpRequest


def _statement_for(request: HtmxHttpRequest, slug: str, code: str) -> Statement:
    """The statement of one of the user's delegations for a debate open to it; 404 otherwise."""
    delegation = get_object_or_404(Delegation.objects.for_user(request.user), code=code)
    debate = get_object_or_404(Debate.objects.open_to(delegation), slug=slug)
    statement, _ = Statement.objects.get_or_create(debate=debate, delegation=delegation)
    statement.debate, statement.delegation = debate, delegation
    return statement


def _answer_for(request: HtmxHttpRequest, pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.for_user(request.user).select_related(
            "statement__debate", "statement__delegation", "question"
        ),
        pk=pk,
    )


def answer_form(answer: Answer, data=None) -> AnswerForm:
    form = AnswerForm(
        data,
        initial={"text": answer.text, "version": answer.version},
        auto_id=f"{answer.anchor}-%s",
    )
    if answer.question:
        form.fields["text"].widget.attrs["aria-describedby"] = f"{answer.anchor}-question"
    return form


def _statement_page(
    request: HtmxHttpRequest,
    statement: Statement,
    *,
    bound: AnswerForm | None = None,
    bound_answer: Answer | None = None,
    conflict: Answer | None = None,
    status: int = 200,
) -> HttpResponse:
    answers = statement.answers_in_order()
    rows = [
        (
            answer,
            bound if bound_answer and answer.pk == bound_answer.pk else answer_form(answer),
            conflict if bound_answer and answer.pk == bound_answer.pk else None,
        )
        for answer in answers
    ]
    role = statement.role_of(request.user)
    context = {
        "debate": statement.debate,
        "statement": statement,
        "rows": rows,
        "role": role,
        "status_choices": [
            (value, Statement.Status(value).label) for value in statement.allowed_statuses(role)
        ],
        "totals": statement.speaking_time(answers),
        "export_formats": exports.STATEMENT_FORMATS,
        "export_form": ExportForm(auto_id="export-%s", label_suffix=""),
    }
    return render(request, "drafting/statement.html", context, status=status)


@require_GET
def statement_page(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    return _statement_page(request, _statement_for(request, slug, code))


@require_POST
def statement_status(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    statement = _statement_for(request, slug, code)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            statement.set_status(form.cleaned_data["status"], by=request.user)
            messages.success(request, f"The statement is now {statement.get_status_display()}.")
            length = statement.speaking_time()
            if statement.is_locked and length.over_limit:
                messages.warning(
                    request, f"It runs {length.clock}, over the {length.limit_clock} limit."
                )
        except PermissionDenied as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Choose a status from the list.")
    return redirect(statement)


@require_POST
def answer_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    answer = _answer_for(request, pk)
    form = answer_form(answer, request.POST)
    conflict, status = None, 200
    resolve = ""
    if not form.is_valid():
        status = 422
    else:
        resolve = form.cleaned_data["resolve"]
        text = form.cleaned_data["text"]
        if resolve == AnswerForm.BOTH:
            text = f"{text.rstrip()}\n\n{answer.text.lstrip()}"
        try:
            if resolve != AnswerForm.THEIRS:
                answer.save_text(
                    text,
                    base_version=form.base_version,
                    by=request.user,
                    new_revision=bool(resolve),
                )
        except StaleEdit as stale:
            conflict, status = stale.current, 409
        except StatementLocked as locked:
            form.add_error(None, str(locked))
            status = 423
        except ValidationError as too_long:
            prefix = "Both texts together are too long. " if resolve == AnswerForm.BOTH else ""
            form.add_error("text", prefix + too_long.message)
            # Still unresolved: the panel with both texts stays.
            conflict = answer if resolve else None
            status = 422

    if not request.htmx:
        if status == 200:
            messages.success(request, f"Saved “{answer.heading}”.")
            return redirect(answer)
        return _statement_page(
            request,
            answer.statement,
            bound=form,
            bound_answer=answer,
            conflict=conflict,
            status=status,
        )

    context = {
        "answer": answer,
        "form": form if status != 200 else answer_form(answer),
        "conflict": conflict,
        "statement": answer.statement,
        "totals": answer.statement.speaking_time(),
    }
    if resolve in (AnswerForm.THEIRS, AnswerForm.BOTH) and status == 200:
        # The text in the box changes, so the whole answer is replaced, not only its status.
        response = render(request, "drafting/statement.html#answer-replaced", context)
        return reswap(retarget(response, f"#{answer.anchor}"), "outerHTML")
    return render(request, "drafting/statement.html#answer-saved", context, status=status)


@require_GET
def answer_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    answer = _answer_for(request, pk)
    revisions = answer.revisions.select_related("author")
    return render(
        request,
        "drafting/history.html",
        {"answer": answer, "revisions": revisions, "form": answer_form(answer)},
    )


@require_GET
def statement_export(request: HtmxHttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    if fmt not in exports.STATEMENT_FORMATS:
        raise Http404("No such export format.")
    statement = _statement_for(request, slug, code)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.problem, content_type="text/plain; charset=utf-8")
    return exports.statement_download(statement, fmt, form.options).response()


@require_GET
def statement_preview(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """The PDF's own page, on screen, with the same options."""
    statement = _statement_for(request, slug, code)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.problem, content_type="text/plain; charset=utf-8")
    document = exports.StatementDocument.of(statement, form.options)
    context = {"doc": document, "statement": statement, "screen": True}
    return render(request, exports.STATEMENT_HTML, context)
