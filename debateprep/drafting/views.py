from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from debateprep.debates.models import Debate
from debateprep.delegations import policy
from debateprep.delegations.models import Delegation
from debateprep.drafting import exports
from debateprep.drafting.activity import Activity
from debateprep.drafting.forms import (
    AnswerForm,
    CommentForm,
    CompareForm,
    DecisionForm,
    EarlierPositionForm,
    ExportForm,
    LanguageForm,
    NoPositionForm,
    OverviewFilterForm,
    PulseForm,
    ResolveForm,
    RestoreForm,
    StatusForm,
    SuggestionForm,
)
from debateprep.drafting.history import History
from debateprep.drafting.models import (
    Answer,
    NotReady,
    Presence,
    Revision,
    StaleEdit,
    Statement,
    StatementLocked,
    SuggestionClosed,
)
from debateprep.drafting.overview import CHART_HEIGHT, CHART_WIDTH, Overview
from debateprep.drafting.positions import earlier_position, note_earlier_positions
from debateprep.drafting.review import Review, count_open_items, note_review_base
from debateprep.lib.diff import word_diff
from debateprep.lib.htmx import HtmxHttpRequest
from debateprep.lib.languages import Unit

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
        "managed": set(
            Delegation.objects.filter(policy.managed_delegations(user)).values_list(
                "code", flat=True
            )
        ),
        "all_debates": Debate.objects.all() if editing else [],
        "compendium_formats": exports.COMPENDIUM_FORMATS if editing else {},
    }
    return render(request, "drafting/debate_list.html", context)


def _statement_for(request: HtmxHttpRequest, slug: str, code: str) -> Statement:
    """The statement at this address, saved or not yet started; 404 outside the user's reach."""
    user = request.user
    delegations = Delegation.objects.filter(policy.delegations_in_reach(user))
    delegation = get_object_or_404(delegations, code=code)
    debates = Debate.objects.filter(policy.debates_in_reach(user, delegation))
    debate = get_object_or_404(debates, slug=slug)
    return Statement.of(debate, delegation)


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
        raise PermissionDenied(_("You may read this statement but not change it."))


def answer_form(answer: Answer, data=None) -> AnswerForm:
    form = AnswerForm(
        data,
        initial={"text": answer.text, "version": answer.version},
        auto_id=f"{answer.anchor}-%s",
    )
    attrs = form.fields["text"].widget.attrs
    if answer.question_id:
        attrs["aria-describedby"] = f"{answer.anchor}-question"
    # The box is in the statement's language, and right to left for Arabic.
    attrs["lang"], attrs["dir"] = answer.statement.language, answer.statement.direction
    return form


def language_form(statement: Statement, data=None) -> LanguageForm:
    return LanguageForm(
        data, initial={"language": statement.language}, auto_id="statement-language-%s"
    )


def _statement_page(
    request: HtmxHttpRequest,
    statement: Statement,
    *,
    bound: AnswerForm | None = None,
    bound_answer: Answer | None = None,
    conflict: Answer | None = None,
    not_ready: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    answers = statement.answers_in_order()
    team = policy.can_see_team_work(request.user, statement)
    if team:
        count_open_items(answers)
    note_review_base(statement, answers)
    note_earlier_positions(request.user, statement, answers)
    status_choices = _status_choices(request, statement)
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
        "status_choices": status_choices,
        "can_approve": any(value == Statement.Status.FINAL for value, _ in status_choices),
        "totals": statement.speaking_time(answers),
        "export_formats": exports.STATEMENT_FORMATS,
        "export_form": ExportForm(auto_id="export-%s", label_suffix=""),
        "team": team,
        "trail": statement.status_changes.select_related("by")[:TRAIL_LENGTH]
        if statement.is_started
        else [],
        "not_ready": not_ready,
        "open_items": {
            "comments": sum(getattr(answer, "open_comments", 0) for answer in answers),
            "suggestions": sum(getattr(answer, "open_suggestions", 0) for answer in answers),
        },
        "override_form": StatusForm(initial={"status": Statement.Status.FINAL, "override": True}),
        "language_form": language_form(statement),
        "pulse_seconds": settings.PRESENCE_POLL_SECONDS,
    }
    return render(request, "drafting/statement.html", context, status=status)


TRAIL_LENGTH = 20


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
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(statement)
    if not statement.is_started:
        messages.error(request, _("Nothing has been written in this statement yet."))
        return redirect(statement)
    try:
        statement.set_status(
            form.cleaned_data["status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            override=form.cleaned_data["override"],
        )
    except NotReady as not_ready:
        return _statement_page(request, statement, not_ready=not_ready.problems, status=409)
    messages.success(
        request,
        _("The statement is now %(status)s.") % {"status": statement.get_status_display()},
    )
    return redirect(statement)


@require_POST
def statement_language(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """Write the statement in another language: its answers are counted again in that
    language's unit (words, or characters for Chinese), and its boxes and exports take the
    language and its direction. Nothing of the text changes."""
    statement = _statement_for(request, slug, code)
    _writable(request, statement)
    form = language_form(statement, request.POST)
    was_started, message, status = statement.is_started, "", 200
    if not form.is_valid():
        message, status = _("Choose one of the six languages."), 422
    else:
        try:
            if statement.set_language(form.cleaned_data["language"], by=request.user):
                language = statement.get_language_display()
                message = (
                    _("The statement is now in %(language)s: its length is counted in characters.")
                    if statement.language_facts.unit == Unit.CHARACTERS
                    else _("The statement is now in %(language)s: its length is counted in words.")
                ) % {"language": language}
        except StatementLocked as locked:
            message, status = str(locked), 423
    if not request.htmx:
        if message:
            (messages.success if status == 200 else messages.error)(request, message)
        return redirect(statement)
    answers = statement.answers_in_order()
    context = {
        "debate": statement.debate,
        "statement": statement,
        "answers": answers,
        "can_write": policy.can_write(request.user, statement),
        "language_form": form if status != 200 else language_form(statement),
        "language_message": message,
        "totals": statement.speaking_time(answers),
        "started": not was_started and statement.is_started,
        "team": policy.can_see_team_work(request.user, statement),
        "status_choices": _status_choices(request, statement),
    }
    return render(request, "drafting/statement.html#language-changed", context, status=status)


def _answer_reply(
    request: HtmxHttpRequest,
    answer: Answer,
    form: AnswerForm,
    *,
    status: int,
    conflict: Answer | None = None,
    replaced: bool = False,
    started: bool = False,
    open_review: bool = False,
) -> HttpResponse:
    """The answer's new state: for htmx, its status line (or the whole answer when the text in
    the box changes); without JavaScript, the statement page."""
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Saved “%(heading)s”.") % {"heading": answer.heading})
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
        # The box is drawn anew only when its text changes; otherwise the form as sent.
        "form": answer_form(answer) if replaced and status == 200 else form,
        "conflict": conflict,
        "debate": answer.statement.debate,
        "statement": answer.statement,
        "can_write": policy.can_write(request.user, answer.statement),
        "totals": answer.statement.speaking_time(),
        "started": started,
        "team": policy.can_see_team_work(request.user, answer.statement),
        "open_review": open_review,
        "status_choices": _status_choices(request, answer.statement) if started else [],
    }
    if replaced and status == 200:
        # The answer is drawn anew: with its counts, its review panel as it was, if open.
        answers = [answer]
        if context["team"]:
            count_open_items(answers)
        note_review_base(answer.statement, answers)
        note_earlier_positions(request.user, answer.statement, answers)
        if open_review:
            context |= _review_context(request, answer)
        response = render(request, "drafting/statement.html#answer-replaced", context)
        return reswap(retarget(response, f"#{answer.anchor}"), "outerHTML")
    return render(request, "drafting/statement.html#answer-saved", context, status=status)


@require_POST
def answer_save(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    # An autosave of a saved answer by one of its writers, the request that comes every few
    # seconds from everyone typing, is found and saved in one statement on PostgreSQL, and
    # found in one query elsewhere; any other request (a first save, a refusal, a conflict, a
    # save without JavaScript, which redraws the whole page) the usual way.
    answer = None
    if request.htmx:
        form = AnswerForm(request.POST)
        if form.is_valid() and not form.cleaned_data["resolve"]:
            text, base_version = form.cleaned_data["text"], form.base_version
            saved = Answer.objects.saved_at(request.user, slug, code, slot, text, base_version)
            if saved:
                return _answer_reply(request, saved, form, status=200)
        answer = Answer.objects.writable_at(request.user, slug, code, slot)
    if answer is None:
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
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _("Pick a version."))
        return _history_page(request, answer, CompareForm(), status=409)
    revision = form.cleaned_data["revision"]
    try:
        restored = answer.save_text(
            revision.text,
            base_version=form.cleaned_data["base_version"],
            by=request.user,
            kind=revision.Kind.RESTORE,
            restored_from=revision.version,
        )
    except StaleEdit:
        messages.error(
            request,
            _(
                "Nothing was restored: this answer was saved again since you opened its "
                "history. Here is its history as it is now."
            ),
        )
        answer.refresh_from_db()
        return _history_page(request, answer, CompareForm(), status=409)
    except StatementLocked as locked:
        messages.error(request, str(locked))
        return _history_page(request, answer, CompareForm(), status=423)
    if not restored:
        messages.info(
            request,
            _("Version %(version)s is the current text already.") % {"version": revision.version},
        )
        return _history_page(request, answer, CompareForm())
    if not request.htmx:
        messages.success(
            request,
            _("Restored version %(version)s of “%(heading)s”.")
            % {"version": revision.version, "heading": answer.heading},
        )
    return _answer_reply(request, answer, answer_form(answer), status=200, replaced=True)


@require_GET
def statement_preview(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """The PDF's own page, on screen, with the same options."""
    statement = _statement_for(request, slug, code)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.problem, content_type="text/plain; charset=utf-8")
    document = exports.statement_document(statement, form.options)
    context = {"doc": document, "statement": statement, "screen": True}
    return render(request, exports.STATEMENT_HTML, context)


# The team's work on a statement: comments, suggestions, "no position" marks, presence.


def _team_answer(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> Answer:
    """The answer, for its delegation's members only: an editor, who reads the statement, does
    not learn that its comments exist."""
    answer = _answer_for(request, slug, code, slot)
    if not policy.can_see_team_work(request.user, answer.statement):
        raise Http404(NOT_YOURS)
    return answer


def _review_panel(
    request: HtmxHttpRequest,
    answer: Answer,
    *,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
    suggestion_form: SuggestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _review_context(
        request, answer, comment_form=comment_form, suggestion_form=suggestion_form
    )
    context["reply_form"] = reply_form
    if request.htmx:
        return render(request, "drafting/review.html#review", context, status=status)
    return render(request, "drafting/review.html", context, status=status)


def _review_context(
    request: HtmxHttpRequest,
    answer: Answer,
    *,
    comment_form: CommentForm | None = None,
    suggestion_form: SuggestionForm | None = None,
) -> dict:
    statement = answer.statement
    suggestion_form = suggestion_form or SuggestionForm(
        answer=answer,
        initial={"text": answer.text, "base_version": answer.version},
        auto_id=f"{answer.anchor}-suggestion-%s",
    )
    # A suggested text is in the statement's language.
    attrs = suggestion_form.fields["text"].widget.attrs
    attrs["lang"], attrs["dir"] = statement.language, statement.direction
    return {
        "answer": answer,
        "debate": statement.debate,
        "statement": statement,
        "review": Review.of(answer),
        "can_write": policy.can_write(request.user, statement),
        "can_comment": policy.can_comment(request.user, statement),
        "comment_form": comment_form or CommentForm(auto_id=f"{answer.anchor}-comment-%s"),
        "suggestion_form": suggestion_form,
    }


def _after_team_change(request: HtmxHttpRequest, answer: Answer, done: str) -> HttpResponse:
    if request.htmx:
        return _review_panel(request, answer)
    messages.success(request, done)
    return redirect(reverse("drafting:answer-review", args=answer.url_args))


@require_GET
def answer_review(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    return _review_panel(request, _team_answer(request, slug, code, slot))


def _may_comment(request: HtmxHttpRequest, statement: Statement) -> None:
    """Refuse a member whose role does not comment; on a final statement the model refuses
    with a message."""
    if not policy.may(request.user, policy.Capability.COMMENT, statement.delegation_id):
        raise PermissionDenied(_("Your role in this delegation does not comment or suggest."))


def _refuse_locked(request: HtmxHttpRequest, answer: Answer, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return _review_panel(request, answer, status=423)


def _panel_instead(request: HtmxHttpRequest, answer: Answer, *, status: int) -> HttpResponse:
    """The review panel with why nothing was done, in its place, even for a form that meant to
    redraw the whole answer."""
    response = _review_panel(request, answer, status=status)
    if request.htmx:
        response = reswap(retarget(response, f"#{answer.anchor}-review"), "innerHTML")
    return response


@require_POST
def comment_add(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    answer = _team_answer(request, slug, code, slot)
    _may_comment(request, answer.statement)
    form = CommentForm(request.POST, auto_id=f"{answer.anchor}-comment-%s")
    if not form.is_valid():
        if form.cleaned_data.get("thread"):
            return _review_panel(request, answer, reply_form=form, status=422)
        return _review_panel(request, answer, comment_form=form, status=422)
    thread = None
    if form.cleaned_data["thread"]:
        if answer.pk:
            thread = answer.comments.filter(pk=form.cleaned_data["thread"], thread=None).first()
        if thread is None:
            raise Http404("No such comment.")
    try:
        answer.add_comment(
            form.cleaned_data["text"],
            by=request.user,
            quote=form.cleaned_data["quote"],
            thread=thread,
        )
    except StatementLocked as locked:
        return _refuse_locked(request, answer, locked)
    return _after_team_change(request, answer, _("Comment added."))


@require_POST
def comment_resolve(
    request: HtmxHttpRequest, slug: str, code: str, slot: str, pk: int
) -> HttpResponse:
    answer = _team_answer(request, slug, code, slot)
    _may_comment(request, answer.statement)
    comment = get_object_or_404(answer.comments, pk=pk, thread=None) if answer.pk else None
    if comment is None:
        raise Http404("No such comment.")
    form = ResolveForm(request.POST)
    form.is_valid()
    try:
        comment.set_resolved(form.cleaned_data.get("resolved", False), by=request.user)
    except StatementLocked as locked:
        return _refuse_locked(request, answer, locked)
    return _after_team_change(
        request, answer, _("Comment resolved.") if comment.is_resolved else _("Comment reopened.")
    )


@require_POST
def suggestion_add(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    answer = _team_answer(request, slug, code, slot)
    _may_comment(request, answer.statement)
    form = SuggestionForm(request.POST, answer=answer, auto_id=f"{answer.anchor}-suggestion-%s")
    if not form.is_valid():
        return _review_panel(request, answer, suggestion_form=form, status=422)
    try:
        answer.add_suggestion(
            form.cleaned_data["whole"],
            by=request.user,
            base_version=form.cleaned_data["base_version"],
            base_text=form.cleaned_data["seen_text"],
            quote=form.cleaned_data["quote"],
            note=form.cleaned_data["note"],
        )
    except StatementLocked as locked:
        return _refuse_locked(request, answer, locked)
    return _after_team_change(request, answer, _("Suggestion made."))


@require_POST
def suggestion_decide(
    request: HtmxHttpRequest, slug: str, code: str, slot: str, pk: int
) -> HttpResponse:
    """Accept or reject a suggestion; accepting changes the text, so it is a writer's."""
    answer = _team_answer(request, slug, code, slot)
    suggestion = get_object_or_404(answer.suggestions, pk=pk) if answer.pk else None
    if suggestion is None:
        raise Http404("No such suggestion.")
    _writable(request, answer.statement)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to reject the suggestion."))
        return _panel_instead(request, answer, status=422)
    accept = form.cleaned_data["decision"] == DecisionForm.ACCEPT
    try:
        suggestion.decide(accept, by=request.user)
    except (StatementLocked, SuggestionClosed) as refused:
        messages.error(request, str(refused))
        return _panel_instead(request, answer, status=409)
    if not accept:
        return _after_team_change(request, answer, _("Suggestion rejected."))
    # The text in the box changes: the whole answer is drawn again, its panel open.
    answer.refresh_from_db()
    if not request.htmx:
        messages.success(
            request, _("Suggestion accepted into “%(heading)s”.") % {"heading": answer.heading}
        )
        return redirect(answer)
    return _answer_reply(
        request, answer, answer_form(answer), status=200, replaced=True, open_review=True
    )


@require_POST
def answer_position(request: HtmxHttpRequest, slug: str, code: str, slot: str) -> HttpResponse:
    """Mark, or unmark, that the delegation takes no position on a guiding question."""
    answer = _answer_for(request, slug, code, slot)
    _writable(request, answer.statement)
    if answer.question is None:
        raise Http404("Only a guiding question can go without an answer.")
    form = NoPositionForm(request.POST)
    form.is_valid()
    try:
        answer.mark_no_position(form.cleaned_data.get("no_position", False))
    except StatementLocked as locked:
        messages.error(request, str(locked))
        return redirect(answer)
    if request.htmx:
        return _answer_reply(request, answer, answer_form(answer), status=200, replaced=True)
    return redirect(answer)


@require_POST
def statement_pulse(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """Who else has the statement open, who is typing where, and what the team did lately;
    each member's page asks every few seconds while it is visible, saying where they are."""
    statement = _statement_for(request, slug, code)
    if not policy.can_see_team_work(request.user, statement):
        raise Http404(NOT_YOURS)
    form = PulseForm(request.POST)
    form.is_valid()
    Presence.report(
        statement,
        request.user,
        slot=form.cleaned_data.get("slot", ""),
        typing=form.cleaned_data.get("typing", False),
    )
    answers = statement.answers_in_order()
    context = {
        "statement": statement,
        "debate": statement.debate,
        "answers": answers,
        "here": Presence.others(statement, request.user),
        "activity": Activity.of(statement) if statement.is_started else [],
    }
    return render(request, "drafting/statement.html#pulse-reply", context)


def _earlier(request: HtmxHttpRequest, answer: Answer, pk: int) -> Answer:
    position = earlier_position(request.user, answer, pk)
    if position is None:
        raise Http404(NOT_YOURS)
    return position


@require_GET
def earlier_position_compare(
    request: HtmxHttpRequest, slug: str, code: str, slot: str, pk: int
) -> HttpResponse:
    """An earlier position of the delegation beside the answer as saved, word by word."""
    answer = _answer_for(request, slug, code, slot)
    position = _earlier(request, answer, pk)
    context = {
        "answer": answer,
        "statement": answer.statement,
        "debate": answer.statement.debate,
        "position": position,
        "changes": word_diff(position.text, answer.text),
    }
    template = "drafting/earlier.html#comparison" if request.htmx else "drafting/earlier.html"
    return render(request, template, context)


@require_POST
def earlier_position_insert(
    request: HtmxHttpRequest, slug: str, code: str, slot: str
) -> HttpResponse:
    """An earlier position becomes the starting point: added after the text the page has (or
    in its place if there is none), as a new revision that says where it came from."""
    answer = _answer_for(request, slug, code, slot)
    _writable(request, answer.statement)
    form = EarlierPositionForm(request.POST, auto_id=f"{answer.anchor}-%s")
    if not form.is_valid():
        return _answer_reply(request, answer, answer_form(answer), status=422)
    position = _earlier(request, answer, form.cleaned_data["source"])
    # Without JavaScript the form carries no text: the saved text is what the page showed.
    typed = form.cleaned_data["text"] if "text" in request.POST else answer.text
    text = f"{typed.rstrip()}\n\n{position.text}" if typed.strip() else position.text
    # Refused, nothing is inserted and the page keeps what it has: the conflict panel, if any,
    # compares the text in the box with the one saved elsewhere, as for any save.
    try:
        answer.save_text(
            text,
            base_version=form.base_version,
            by=request.user,
            kind=Revision.Kind.EARLIER,
            copied_from=position,
        )
    except StaleEdit as stale:
        return _answer_reply(request, answer, form, status=409, conflict=stale.current)
    except StatementLocked as locked:
        form.add_error(None, str(locked))
        return _answer_reply(request, answer, form, status=423)
    except ValidationError as too_long:
        form.add_error("text", too_long.message)
        return _answer_reply(request, answer, form, status=422)
    return _answer_reply(request, answer, answer_form(answer), status=200, replaced=True)


@require_GET
def debate_overview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every delegation against every part of the statement, for editors; nobody else learns
    that the address exists."""
    if not policy.can_read_overview(request.user):
        raise Http404("No such overview.")
    debate = get_object_or_404(Debate, slug=slug)
    form = OverviewFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    overview = Overview.of(
        debate,
        kind=filters.get("kind", ""),
        state=filters.get("state", ""),
        invited=filters.get("invited", False),
    )
    chart = {"width": CHART_WIDTH, "height": CHART_HEIGHT}
    context = {"debate": debate, "overview": overview, "form": form, "chart": chart}
    return render(request, "drafting/overview.html", context)
