from django.contrib import admin, messages
from django.db.models import Case, When
from django.utils.html import format_html

from debateprep.debates.admin import DebateAdmin
from debateprep.debates.models import Debate
from debateprep.delegations import audit, policy
from debateprep.delegations.admin import PolicyAdminMixin
from debateprep.drafting import exports
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

    @admin.display(description="On the site")
    def page(self, statement: Statement) -> str:
        return format_html('<a href="{}">Read it</a>', statement.get_absolute_url())


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


def _compendium_action(fmt: str):
    @admin.action(description=f"Export compendium ({fmt.upper()})", permissions=["compendium"])
    def export_compendium(modeladmin, request, queryset):
        if len(debates := list(queryset[:2])) != 1:
            modeladmin.message_user(
                request,
                "A compendium covers one debate: select exactly one and export again.",
                messages.ERROR,
            )
            return None
        audit.record(request.user, audit.Action.EXPORTED, debates[0], changes={"compendium": fmt})
        return exports.compendium_download(debates[0], fmt).response()

    # Django tells actions apart by their function's name.
    export_compendium.__name__ = f"export_compendium_{fmt}"
    return export_compendium


class DebateWithCompendiumAdmin(DebateAdmin):
    actions = [_compendium_action(fmt) for fmt in exports.COMPENDIUM_FORMATS]

    def has_compendium_permission(self, request) -> bool:
        return policy.can_read_compendium(request.user)


admin.site.unregister(Debate)
admin.site.register(Debate, DebateWithCompendiumAdmin)
