from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Max
from django.forms import Textarea
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from debateprep.debates.forms import LetterUploadForm
from debateprep.debates.loading import load_letter_bytes
from debateprep.debates.models import Debate, Question
from debateprep.delegations.admin import PolicyAdminMixin


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
    search_fields = ["title", "presidency", "letter_heading", "slug"]
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
        return [
            path("load-letter/", load_letter, name="debates_debate_load_letter"),
            *super().get_urls(),
        ]

    def load_letter_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LetterUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["letter"]
            result = load_letter_bytes(
                upload.read(),
                source=upload.name,
                force=form.cleaned_data["force"],
                publish=form.cleaned_data["publish"],
            )
            if not result.error:
                # A note says what editors must still do, e.g. set the meeting date.
                level = messages.WARNING if result.notes else messages.SUCCESS
                messages.add_message(request, level, result.summary())
                return redirect(reverse("admin:debates_debate_change", args=[result.debate.pk]))
            form.add_error("letter", result.summary().splitlines())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Load a letter",
        }
        return TemplateResponse(request, "admin/debates/debate/load_letter.html", context)

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
