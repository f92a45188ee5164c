from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.forms import Textarea
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from debateprep.debates.extraction import extract_text
from debateprep.debates.forms import (
    LetterFieldsForm,
    LetterUploadForm,
    QuestionFormSet,
    merge_row,
    question_rows,
    renumbered,
    split_row,
)
from debateprep.debates.letter import (
    GuidingQuestion,
    Letter,
    LetterError,
    parse_letter,
    question_warnings,
)
from debateprep.debates.loading import (
    LoadResult,
    corrected_letter,
    debate_loaded_from,
    load_letter,
    marked_source,
)
from debateprep.debates.models import Debate, Question
from debateprep.delegations import audit, policy
from debateprep.delegations.admin import PolicyAdminMixin

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


class QuestionInline(PolicyAdminMixin, admin.TabularInline):
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
        ("Speaking time", {"fields": ["words_per_minute", "speaking_limit_seconds"]}),
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
        is created, as a draft; the preview posts back here with a `step`."""
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
                letter = parse_letter(source)
            except LetterError as error:
                form.add_error(None, f"{source_name}: not loaded: {error}")
            else:
                fields = LetterFieldsForm(initial=_letter_fields(letter, source, source_name))
                questions = QuestionFormSet(
                    initial=[_question_row(question) for question in letter.questions],
                    prefix="questions",
                )
                return self._render_preview(request, letter, fields, questions)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Load a letter",
        }
        return TemplateResponse(request, "admin/debates/debate/load_letter.html", context)

    def _preview_step(self, request):
        fields = LetterFieldsForm(request.POST)
        questions = QuestionFormSet(request.POST, prefix="questions")
        if not fields.is_valid() and ("source" in fields.errors or "source_name" in fields.errors):
            # Only a tampered or truncated post lacks the source: start again.
            messages.error(request, "The letter's text was lost: upload it again.")
            return redirect(reverse("admin:debates_debate_load_letter"))
        source = fields.cleaned_data["source"]
        try:
            letter = parse_letter(source)
        except LetterError as error:
            messages.error(request, str(error))
            return redirect(reverse("admin:debates_debate_load_letter"))
        if not questions.is_valid():
            return self._render_preview(request, letter, fields, questions)
        rows = question_rows(questions)
        edit = next((name for name in ("split", "merge") if name in request.POST), None)
        if edit:
            number = int(request.POST[edit]) if request.POST[edit].isdigit() else 0
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
        corrected = corrected_letter(
            letter,
            fields={name: fields.cleaned_data[name] for name in _LETTER_FIELDS},
            questions=rows,
        )
        source_name = fields.cleaned_data["source_name"]
        try:
            with transaction.atomic():
                result = load_letter(
                    corrected,
                    source=source_name,
                    debate=fields.cleaned_data["debate"],
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
        entries = [
            (
                form,
                number,
                question_warnings(
                    form["text"].value() or "",
                    page_break=(form["paragraph"].value() or "") in page_breaks,
                ),
            )
            for number, form in enumerate(questions.forms, start=1)
        ]
        paragraphs = [
            (number, form["paragraph"].value() or form["text"].value() or "")
            for form, number, _ in entries
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
                f"“{debate}” is {'published to delegations' if published else 'a draft again'}.",
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


def _letter_fields(letter: Letter, source: str, source_name: str) -> dict:
    return {
        "source": source,
        "source_name": source_name,
        "debate": debate_loaded_from(letter),
        **{name: getattr(letter, name) for name in _LETTER_FIELDS},
    }


def _question_row(question: GuidingQuestion) -> dict:
    return {
        "order": question.number,
        "marker": question.marker,
        "label": question.label,
        "text": question.text,
        "paragraph": question.paragraph,
    }
