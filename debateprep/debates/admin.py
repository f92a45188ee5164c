from dataclasses import replace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.forms import Textarea
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from debateprep.debates.extraction import extract_text
from debateprep.debates.forms import (
    ROW_FIELDS,
    LetterFieldsForm,
    LetterUploadForm,
    QuestionFormSet,
    merge_row,
    question_rows,
    renumbered,
    split_row,
)
from debateprep.debates.letter import (
    Letter,
    LetterError,
    parse_letter,
    question_warnings,
)
from debateprep.debates.loading import (
    LoadResult,
    Row,
    debate_loaded_from,
    load_letter,
    marked_source,
    parts,
    plan,
)
from debateprep.debates.models import RATE_FIELDS, Debate, Question, RelatedQuestion, Theme
from debateprep.debates.related import suggest_related
from debateprep.delegations import audit, policy
from debateprep.delegations.admin import LabelledTabularInline, PolicyAdminMixin

_LETTER_FIELDS = [
    "title",
    "organ",
    "meeting_kind",
    "meeting_date",
    "presidency",
    "sender",
    "letter_date",
    "distribution_date",
    "signatory",
    "symbol",
    "heading",
    "outcome",
]


class QuestionInlineForm(forms.ModelForm):
    def validate_constraints(self):
        """The inline holds every question of the debate and its formset checks that orders are
        unique among them; checking each row against the database instead would refuse a swap."""


class QuestionInline(PolicyAdminMixin, LabelledTabularInline):
    model = Question
    form = QuestionInlineForm
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 50})}}
    fields = ["order", "marker", "label", "text"]
    extra = 0


@admin.register(Debate)
class DebateAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "meeting_date", "presidency", "status", "invited_only"]
    list_filter = ["status", "invited_only", "presidency"]
    search_fields = ["title", "presidency", "letter_heading", "symbol", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["invited_delegations"]
    date_hierarchy = "meeting_date"
    inlines = [QuestionInline]
    readonly_fields = ["source_name", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "meeting_date",
                    "presidency",
                    "organ",
                    "meeting_kind",
                ]
            },
        ),
        (
            "Speaking time",
            {
                "fields": ["speaking_limit_seconds", *RATE_FIELDS.values()],
                "description": "Speaking time is estimated from each statement's length at the "
                "rate for its language: words a minute, or characters for Chinese.",
            },
        ),
        ("Who may prepare statements", {"fields": ["invited_only", "invited_delegations"]}),
        (
            "The letter",
            {
                "fields": [
                    "letter_heading",
                    "sender",
                    "symbol",
                    "letter_date",
                    "distribution_date",
                    "signatory",
                    "outcome",
                    "letter_text",
                    "source_name",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        load_letter = self.admin_site.admin_view(self.load_letter_view)
        publish = self.admin_site.admin_view(self.publish_view)
        return [
            path("load-letter/", load_letter, name="debates_debate_load_letter"),
            path(
                "<path:object_id>/publish/",
                publish,
                {"status": Debate.Status.PUBLISHED},
                name="debates_debate_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                publish,
                {"status": Debate.Status.DRAFT},
                name="debates_debate_unpublish",
            ),
            *super().get_urls(),
        ]

    def load_letter_view(self, request):
        """Upload or paste a letter, then check and correct what was parsed before the debate
        is created, as a draft; the preview posts back here with a `step`. A letter in which
        the parser finds no question is previewed too, for the editor to type them in."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("step") == "preview":
            return self._preview_step(request)
        form = LetterUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["letter"]
            source_name = upload.name if upload else "pasted text"
            raw = upload.read() if upload else form.cleaned_data["pasted"].encode()
            try:
                source = extract_text(raw, source_name)
                letter = parse_letter(source, require_questions=False)
            except LetterError as error:
                form.add_error(
                    None,
                    gettext("%(source)s: not loaded: %(error)s")
                    % {"source": source_name, "error": error},
                )
            else:
                target = debate_loaded_from(letter)
                return self._render_preview(
                    request, letter, *_drawn_for(letter, target, source, source_name)
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": gettext("Load a letter"),
        }
        return TemplateResponse(request, "admin/debates/debate/load_letter.html", context)

    def _preview_step(self, request):
        fields = LetterFieldsForm(request.POST)
        questions = QuestionFormSet(request.POST, prefix="questions")
        if not fields.is_valid() and ("source" in fields.errors or "source_name" in fields.errors):
            # Only a tampered or truncated post lacks the source: start again.
            messages.error(request, gettext("The letter's text was lost: upload it again."))
            return redirect(reverse("admin:debates_debate_load_letter"))
        source = fields.cleaned_data["source"]
        try:
            letter = parse_letter(source, require_questions=False)
        except LetterError as error:
            messages.error(request, str(error))
            return redirect(reverse("admin:debates_debate_load_letter"))
        target = fields.cleaned_data.get("debate") if fields.is_valid() else None
        prepared_for = fields.cleaned_data.get("prepared_for") if fields.is_valid() else None
        if fields.is_valid() and (target.pk if target else None) != prepared_for:
            messages.info(
                request,
                f"Shown now as it would load into “{target}”: check it, then update it."
                if target
                else "Shown now as a new debate: check it, then create it.",
            )
            return self._render_preview(
                request,
                letter,
                *_drawn_for(letter, target, source, fields.cleaned_data["source_name"]),
            )
        if not questions.is_valid():
            return self._render_preview(request, letter, fields, questions)
        rows = question_rows(questions)
        edit = next((name for name in ("split", "merge") if name in request.POST), None)
        if edit:
            number = (
                int(request.POST[edit])
                if request.POST[edit].isascii() and request.POST[edit].isdigit()
                else 0
            )
            if not 1 <= number <= len(rows):
                problem = "That question is no longer there."
            else:
                problem = (split_row if edit == "split" else merge_row)(rows, number)
            if problem:
                messages.warning(request, problem)
            questions = QuestionFormSet(initial=renumbered(rows), prefix="questions")
            return self._render_preview(request, letter, fields, questions)
        if not fields.is_valid():
            return self._render_preview(request, letter, fields, questions)
        force = "confirm" in request.POST
        # The parser's warnings are dropped: the editor has seen them.
        corrected = replace(
            letter, **{name: fields.cleaned_data[name] for name in _LETTER_FIELDS}, warnings=()
        )
        source_name = fields.cleaned_data["source_name"]
        try:
            with transaction.atomic():
                result = load_letter(
                    corrected,
                    source=source_name,
                    debate=target,
                    rows=[Row(**{key: row[key] for key in ROW_FIELDS}) for row in rows],
                    fields=True,
                    force=force,
                    publish=False,
                )
                if not result.error and result.outcome != "unchanged":
                    created = result.outcome == "created"
                    audit.record(
                        request.user,
                        audit.Action.ADMIN_ADDED if created else audit.Action.ADMIN_CHANGED,
                        result.debate,
                        changes={"letter loaded": source_name, "outcome": result.summary()},
                    )
        except ValidationError as error:
            result = LoadResult(source=source_name, error="; ".join(error.messages))
        if not result.error:
            # A note says what editors must still do, e.g. set the meeting date.
            level = messages.WARNING if result.notes else messages.SUCCESS
            messages.add_message(request, level, result.summary())
            return redirect(reverse("admin:debates_debate_change", args=[result.debate.pk]))
        if result.error_details and not force:
            return self._render_preview(request, letter, fields, questions, confirm=result)
        fields.add_error(None, result.summary().splitlines())
        return self._render_preview(request, letter, fields, questions)

    def _render_preview(self, request, letter, fields, questions, confirm=None):
        source = fields["source"].value() or ""
        page_breaks = {
            question.paragraph
            for question in letter.questions
            if f"question {question.number} spans a page break" in letter.warnings
        }
        prepared_for = fields["prepared_for"].value()
        existing = {}
        if prepared_for not in (None, ""):
            answered = Count("answers", filter=~Q(answers__text=""))
            existing = {
                question.pk: question
                for question in Question.objects.filter(debate_id=prepared_for).annotate(
                    answered=answered
                )
            }
        asked = {question.text for question in letter.questions}
        entries = [
            (
                form,
                number,
                question_warnings(
                    form["text"].value() or "",
                    page_break=(form["paragraph"].value() or "") in page_breaks,
                ),
                _row_notes(form, existing, asked) if existing else [],
            )
            for number, form in enumerate(questions.forms, start=1)
        ]
        paragraphs = [
            (number, form["paragraph"].value() or form["text"].value() or "")
            for form, number, _, _ in entries
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Check the letter before loading it",
            "updating": fields["debate"].value() not in (None, ""),
            "fields": fields,
            "questions": questions,
            "entries": entries,
            "letter_warnings": [w for w in letter.warnings if not w.startswith("question ")],
            "source_lines": marked_source(source, paragraphs),
            "confirm": confirm,
        }
        return TemplateResponse(request, "admin/debates/debate/letter_preview.html", context)

    def publish_view(self, request, object_id, status):
        """Publish a checked debate to delegations, or take it back, in one click from its
        page; the model's own rules decide, e.g. that a meeting date is set."""
        debate = self.get_object(request, unquote(object_id))
        if debate is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not policy.can_admin(request.user, "change", Debate, debate):
            raise PermissionDenied
        previous, debate.status = debate.status, status
        try:
            debate.full_clean()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            with transaction.atomic():
                debate.save(update_fields=["status", "updated_at"])
                audit.record(
                    request.user,
                    audit.Action.ADMIN_CHANGED,
                    debate,
                    changes={"status": [previous, status]},
                )
            published = status == Debate.Status.PUBLISHED
            messages.success(
                request,
                (
                    gettext("“%(debate)s” is published to delegations.")
                    if published
                    else gettext("“%(debate)s” is a draft again.")
                )
                % {"debate": debate},
            )
        return redirect(reverse("admin:debates_debate_change", args=[debate.pk]))

    def save_formset(self, request, form, formset, change):
        if formset.model is Question:
            _park_reordered_questions(formset)
        super().save_formset(request, form, formset, change)


def _park_reordered_questions(formset) -> None:
    """Move reordered questions above every order in use first: the formset saves rows one at a
    time, so swapping two questions would otherwise break the unique order per debate."""
    moved = [f.instance.pk for f in formset.initial_forms if "order" in f.changed_data]
    if not moved:
        return
    in_use = Question.objects.filter(debate=formset.instance).aggregate(top=Max("order"))["top"]
    wanted = [f.cleaned_data.get("order") or 0 for f in formset.forms if f.cleaned_data]
    ceiling = max([in_use or 0, *wanted])
    for offset, pk in enumerate(moved, start=1):
        Question.objects.filter(pk=pk).update(order=ceiling + offset)


def _row_notes(form, existing: dict[int, Question], asked: set[str]) -> list[str]:
    """What loading does to the debate's question in this row, for an editor updating it."""
    pk = form["question"].value()
    question = existing.get(int(pk)) if str(pk or "").isdigit() else None
    if question is None:
        return [gettext("New: the letter adds this question.")] if form["text"].value() else []
    notes = [gettext("The debate's question %(number)s.") % {"number": question.order}]
    wording = form["wording"].value() or ""
    if not wording:
        notes.append(gettext("Added by an editor, not from the letter."))
    elif not asked.intersection(parts(wording)):
        notes.append(gettext("Not in this letter: it stays unless you delete it here."))
    elif wording != question.letter_text:
        notes.append(
            gettext("The letter rewords it; delegations now read: “%(text)s”")
            % {"text": question.text}
        )
    if question.answered:
        notes.append(
            ngettext(
                "%(count)s delegation has answered it.",
                "%(count)s delegations have answered it.",
                question.answered,
            )
            % {"count": question.answered}
        )
    return notes


def _drawn_for(
    letter: Letter, target: Debate | None, source: str, source_name: str
) -> tuple[LetterFieldsForm, QuestionFormSet]:
    """The preview's forms for loading `letter` into `target` (None: a new debate): the
    debate's details as they are, and its questions as the load would leave them."""
    details = {name: getattr(letter, name) for name in _LETTER_FIELDS}
    if target is not None:
        details |= {name: getattr(target, _DEBATE_FIELD.get(name, name)) for name in _LETTER_FIELDS}
    fields = LetterFieldsForm(
        initial={
            "source": source,
            "source_name": source_name,
            "debate": target,
            "prepared_for": target.pk if target else None,
            **details,
        }
    )
    rows = [
        {"order": number, **{name: getattr(row, name) for name in ROW_FIELDS}}
        for number, row in enumerate(plan(letter, target), start=1)
    ]
    return fields, QuestionFormSet(initial=rows, prefix="questions")


# The letter's names for the debate's fields, where they differ.
_DEBATE_FIELD = {"heading": "letter_heading"}


@admin.register(Theme)
class ThemeAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "question_count"]
    search_fields = ["name", "description"]
    filter_horizontal = ["questions"]

    @admin.display(description=_("guiding questions"))
    def question_count(self, theme: Theme) -> int:
        return theme.questions.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("questions")


@admin.register(RelatedQuestion)
class RelatedQuestionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["question_in_debate", "related_in_debate", "likeness", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["question__debate", "related__debate", "decided_by"]
    readonly_fields = ["similarity", "decided_by", "decided_at"]
    actions = ["confirm", "dismiss", "suggest_again"]

    @admin.display(description=_("question"), ordering="question__debate")
    def question_in_debate(self, pair: RelatedQuestion) -> str:
        return f"{pair.question.debate.slug}: {pair.question}"

    @admin.display(description=_("related question"), ordering="related__debate")
    def related_in_debate(self, pair: RelatedQuestion) -> str:
        return f"{pair.related.debate.slug}: {pair.related}"

    @admin.display(description=_("similarity"), ordering="similarity")
    def likeness(self, pair: RelatedQuestion) -> str:
        return f"{pair.similarity:.0%}"

    def _decide(self, request, queryset, status: str) -> int:
        pairs = list(queryset.exclude(status=status))
        for pair in pairs:
            before = pair.status
            pair.decide(status, by=request.user)
            audit.record(
                request.user, audit.Action.ADMIN_CHANGED, pair, changes={"status": [before, status]}
            )
        return len(pairs)

    @admin.action(permissions=["change"], description=_("Confirm the selected pairs"))
    def confirm(self, request, queryset) -> None:
        count = self._decide(request, queryset, RelatedQuestion.Status.CONFIRMED)
        messages.success(
            request,
            ngettext("%(count)d pair confirmed.", "%(count)d pairs confirmed.", count)
            % {"count": count},
        )

    @admin.action(permissions=["change"], description=_("Dismiss the selected pairs"))
    def dismiss(self, request, queryset) -> None:
        count = self._decide(request, queryset, RelatedQuestion.Status.DISMISSED)
        messages.success(
            request,
            ngettext("%(count)d pair dismissed.", "%(count)d pairs dismissed.", count)
            % {"count": count},
        )

    @admin.action(
        permissions=["add"], description=_("Look again for related questions across all debates")
    )
    def suggest_again(self, request, queryset) -> None:
        count = suggest_related()
        messages.success(
            request,
            ngettext("%(count)d new suggestion.", "%(count)d new suggestions.", count)
            % {"count": count},
        )
