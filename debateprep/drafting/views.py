from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from debateprep.debates.models import Debate
from debateprep.delegations import policy
from debateprep.delegations.models import Delegation
from debateprep.drafting import exports
from debateprep.drafting.forms import AnswerForm, CompareForm, ExportForm, RestoreForm, StatusForm
from debateprep.drafting.history import History
from debateprep.drafting.models import Answer, Revision, StaleEdit, Statement, StatementLocked
from debateprep.lib.htmx import HtmxHttpRequest

NOT_YOURS = "No statement is open to you at this address."


@require_GET
def debate_list(request: HtmxHttpRequest) -> HttpResponse:
    """Each of the user's delegations with the debates open to it and its statement's status;
    for editors, every debate with its compendium."""
    user = request.user
    statuses = {
        (debate_id, delegation_id): Statement.Status(status).label
        for debate_id, delegation_id, status in Statement.objects.for_user(user).values_list(
            "debate_id", "delegation_id", "status"
        )
    }
    delegations = [
        (
            delegation,
            [
                (debate, statuses.get((debate.pk, delegation.pk), "Not started"))
                for debate in Debate.objects.filter(policy.open_to(delegation))
            ],
        )
        for delegation in Delegation.objects.filter(policy.member_delegations(user))
    ]
    editing = policy.can_read_compendium(user)
    context = {
        "delegations": delegations,
        "all_debates": Debate.objects.all() if editing else [],
        "compendium_formats": exports.COMPENDIUM_FORMATS if editing else {},
    }
    return render(request, "drafting/debate_list.html", context)


@require_GET
def compendium(request: HtmxHttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every delegation's answers to the debate's questions, for editors; nobody else learns
    that the address exists."""
    if not policy.can_read_compendium(request.user) or fmt not in exports.COMPENDIUM_FORMATS:
        raise Http404("No such compendium.")
    debate = get_object_or_404(Debate, slug=slug)
    return exports.compendium_download(debate, fmt).response()


def _statement_for(request: HtmxHttpRequest, slug: str, code: str) -> Statement:
    """The statement at this address, saved or not yet started; 404 outside the user's reach."""
    user = request.user
    delegations = Delegation.objects.filter(policy.delegations_in_reach(user))
    delegation = get_object_or_404(delegations, code=code)
    debates = Debate.objects.filter(policy.debates_in_reach(user, delegation))
    debate = get_object_or_404(debates, slug=slug)
    statement = Statement.objects.filter(debate=debate, delegation=delegation).first()
    statement = statement or Statement(debate=debate, delegation=delegation)
    statement.debate, statement.delegation = debate, delegation
    return statement


def _answer_for(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> Answer:
    statement = _statement_for(request, slug, code)
    try:
        answer = statement.answer_at(slot)
    except Answer.DoesNotExist:
        raise Http404(NOT_YOURS) from None
    answer.statement = statement
    return answer


def _writable(request: HtmxHttpRequest, statement: Statement) -> None:
    """Refuse a write by someone who may read the statement but not write it, such as an
    editor. Whether it is final is checked as the text is saved, under the statement's lock."""
    if not policy.may(request.user, policy.Capability.WRITE, statement.delegation_id):
        raise PermissionDenied("You may read this statement but not change it.")


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
            bound if bound_answer and answer.slot == bound_answer.slot else answer_form(answer),
            conflict if bound_answer and answer.slot == bound_answer.slot else None,
        )
        for answer in answers
    ]
    context = {
        "debate": statement.debate,
        "statement": statement,
        "rows": rows,
        "can_write": policy.can_write(request.user, statement),
        "status_choices": _status_choices(request, statement),
        "totals": statement.speaking_time(answers),
        "export_formats": exports.STATEMENT_FORMATS,
        "export_form": ExportForm(auto_id="export-%s", label_suffix=""),
    }
    return render(request, "drafting/statement.html", context, status=status)


def _status_choices(request: HtmxHttpRequest, statement: Statement) -> list[tuple[str, str]]:
    return [
        (value, Statement.Status(value).label) for value in statement.allowed_statuses(request.user)
    ]


@require_GET
def statement_page(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    return _statement_page(request, _statement_for(request, slug, code))


@require_POST
def statement_status(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    statement = _statement_for(request, slug, code)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status from the list.")
        return redirect(statement)
    if not statement.is_started:
        messages.error(request, "Nothing has been written in this statement yet.")
        return redirect(statement)
    statement.set_status(form.cleaned_data["status"], by=request.user)
    messages.success(request, f"The statement is now {statement.get_status_display()}.")
    length = statement.speaking_time()
    if statement.is_locked and length.over_limit:
        messages.warning(request, f"It runs {length.clock}, over the {length.limit_clock} limit.")
    return redirect(statement)


def _answer_reply(
    request: HtmxHttpRequest,
    answer: Answer,
    form: AnswerForm,
    *,
    status: int,
    conflict: Answer | None = None,
    replaced: bool = False,
    started: bool = False,
) -> HttpResponse:
    """The answer's new state: for htmx, its status line (or the whole answer when the text in
    the box changes); without JavaScript, the statement page."""
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
        "debate": answer.statement.debate,
        "statement": answer.statement,
        "can_write": policy.can_write(request.user, answer.statement),
        "totals": answer.statement.speaking_time(),
        "started": started,
        "status_choices": _status_choices(request, answer.statement) if started else [],
    }
    if replaced and status == 200:
        response = render(request, "drafting/statement.html#answer-replaced", context)
        return reswap(retarget(response, f"#{answer.anchor}"), "outerHTML")
    return render(request, "drafting/statement.html#answer-saved", context, status=status)


@require_POST
def answer_save(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    answer = _answer_for(request, slug, code, slot)
    _writable(request, answer.statement)
    form = answer_form(answer, request.POST)
    if not form.is_valid():
        return _answer_reply(request, answer, form, status=422)
    resolve = form.cleaned_data["resolve"]
    text = form.cleaned_data["text"]
    was_started = answer.statement.is_started
    if resolve == AnswerForm.BOTH:
        text = f"{text.rstrip()}\n\n{answer.text.lstrip()}"
    try:
        if resolve != AnswerForm.THEIRS:
            answer.save_text(
                text,
                base_version=form.base_version,
                by=request.user,
                kind=Revision.Kind.RESOLVE if resolve else Revision.Kind.EDIT,
            )
    except StaleEdit as stale:
        return _answer_reply(request, answer, form, status=409, conflict=stale.current)
    except StatementLocked as locked:
        form.add_error(None, str(locked))
        return _answer_reply(request, answer, form, status=423)
    except ValidationError as too_long:
        prefix = "Both texts together are too long. " if resolve == AnswerForm.BOTH else ""
        form.add_error("text", prefix + too_long.message)
        # Still unresolved: the panel with both texts stays.
        return _answer_reply(
            request, answer, form, status=422, conflict=answer if resolve else None
        )
    replaced = resolve in (AnswerForm.THEIRS, AnswerForm.BOTH)
    started = not was_started and answer.statement.is_started
    return _answer_reply(request, answer, form, status=200, replaced=replaced, started=started)


def _history_page(
    request: HtmxHttpRequest, answer: Answer, compare: CompareForm, status: int = 200
) -> HttpResponse:
    context = {
        "answer": answer,
        "debate": answer.statement.debate,
        "statement": answer.statement,
        "history": History.of(answer, **compare.options),
        "can_write": policy.can_write(request.user, answer.statement),
    }
    template = "drafting/history.html#history" if request.htmx else "drafting/history.html"
    return render(request, template, context, status=status)


@require_GET
def answer_history(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    answer = _answer_for(request, slug, code, slot)
    return _history_page(request, answer, CompareForm(request.GET))


@require_POST
def answer_restore(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    """An earlier version becomes the current text, as a new revision of its own."""
    answer = _answer_for(request, slug, code, slot)
    _writable(request, answer.statement)
    form = RestoreForm(request.POST, answer=answer)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", [])) or "Pick a version.")
        return _history_page(request, answer, CompareForm(), status=409)
    revision = form.cleaned_data["revision"]
    try:
        answer.save_text(
            revision.text,
            base_version=form.cleaned_data["base_version"],
            by=request.user,
            kind=revision.Kind.RESTORE,
            restored_from=revision.version,
        )
    except StaleEdit:
        messages.error(
            request,
            "Nothing was restored: this answer was saved again since you opened its history. "
            "Here is its history as it is now.",
        )
        answer.refresh_from_db()
        return _history_page(request, answer, CompareForm(), status=409)
    except StatementLocked as locked:
        messages.error(request, str(locked))
        return _history_page(request, answer, CompareForm(), status=423)
    if not request.htmx:
        messages.success(request, f"Restored version {revision.version} of “{answer.heading}”.")
    return _answer_reply(request, answer, answer_form(answer), status=200, replaced=True)


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
