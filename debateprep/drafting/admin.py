from django.contrib import admin
from django.db.models import Case, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from debateprep.delegations.admin import PolicyAdminMixin
from debateprep.drafting.models import Answer, Revision, Statement


class AnswerInline(PolicyAdminMixin, admin.StackedInline):
    model = Answer
    fields = ["part", "question", "text", "version", "updated_at", "updated_by"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        # Read as delivered: opening, the answers in question order, closing.
        part_rank = Case(
            When(part=Answer.Part.OPENING, then=0),
            When(part=Answer.Part.QUESTION, then=1),
            default=2,
        )
        return super().get_queryset(request).order_by(part_rank, "question__order")


@admin.register(Statement)
class StatementAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone: text and status change on the statement's page, by its own
    delegation, under its rules."""

    list_display = ["delegation", "debate", "status", "status_changed_at", "page"]
    list_filter = ["status", "debate", "delegation__kind"]
    search_fields = ["delegation__name", "delegation__code", "debate__title", "answers__text"]
    list_select_related = ["delegation", "debate"]
    inlines = [AnswerInline]
    show_full_result_count = False

    @admin.display(description=_("On the site"))
    def page(self, statement: Statement) -> str:
        return format_html('<a href="{}">{}</a>', statement.get_absolute_url(), _("Read it"))


@admin.register(Revision)
class RevisionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["answer", "version", "kind", "author", "created_at"]
    list_select_related = [
        "answer__statement__delegation",
        "answer__statement__debate",
        "answer__question",
        "author",
    ]
    search_fields = ["text", "answer__statement__delegation__name"]
