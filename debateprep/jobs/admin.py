from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from debateprep.debates.admin import DebateAdmin
from debateprep.debates.models import Debate
from debateprep.delegations import policy
from debateprep.drafting import exports
from debateprep.jobs import views


def _compendium_action(fmt: str):
    """The compendium through a job, as on the debates page: the file at once when no worker is
    alive or it was built before, otherwise the job's page to follow it."""

    @admin.action(
        description=format_lazy(_("Export compendium ({format})"), format=fmt.upper()),
        permissions=["compendium"],
    )
    def export_compendium(modeladmin, request, queryset):
        if len(debates := list(queryset[:2])) != 1:
            modeladmin.message_user(
                request,
                "A compendium covers one debate: select exactly one and export again.",
                messages.ERROR,
            )
            return None
        return views.start_compendium(request, debates[0], fmt)

    # Django tells actions apart by their function's name.
    export_compendium.__name__ = f"export_compendium_{fmt}"
    return export_compendium


class DebateWithCompendiumAdmin(DebateAdmin):
    actions = [_compendium_action(fmt) for fmt in exports.COMPENDIUM_FORMATS]

    def has_compendium_permission(self, request) -> bool:
        return policy.can_read_compendium(request.user)


admin.site.unregister(Debate)
admin.site.register(Debate, DebateWithCompendiumAdmin)
