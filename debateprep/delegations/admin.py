from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from debateprep.delegations import policy, services
from debateprep.delegations.models import Delegation, Invitation, Membership


class PolicyAdminMixin:
    """Admin permissions come from the policy module, not from database permissions, so that
    the admin and the site follow the same rules."""

    def has_module_permission(self, request) -> bool:
        return policy.can_admin(request.user, "view", self.model)

    def has_view_permission(self, request, obj=None) -> bool:
        return policy.can_admin(request.user, "view", self.model, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return policy.can_admin(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None) -> bool:
        return policy.can_admin(request.user, "change", self.model, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return policy.can_admin(request.user, "delete", self.model, obj)


class MembershipInline(PolicyAdminMixin, admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Delegation)
class DelegationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "iso2"]
    view_on_site = False
    list_filter = ["kind"]
    search_fields = ["name", "code", "iso2"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "delegation", "role"]
    list_filter = ["role", "delegation__kind"]
    search_fields = ["user__username", "user__email", "delegation__name"]
    autocomplete_fields = ["user", "delegation"]
    list_select_related = ["user", "delegation"]


class DelegationRoleInline(PolicyAdminMixin, admin.TabularInline):
    model = Membership
    autocomplete_fields = ["delegation"]
    extra = 1
    verbose_name = "delegation and role"
    verbose_name_plural = "delegations and roles"


class PeopleAdmin(PolicyAdminMixin, UserAdmin):
    """Editors manage delegates' accounts with their delegations and roles; staff status,
    groups and permissions, and staff accounts themselves, are for superusers."""

    inlines = [DelegationRoleInline]
    STAFF_ONLY_FIELDS = {"is_staff", "is_superuser", "groups", "user_permissions"}

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if policy.can_manage_staff(request.user) else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if policy.can_manage_staff(request.user):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.STAFF_ONLY_FIELDS],
                },
            )
            for name, options in fieldsets
        ]

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        if person is not None and not policy.can_set_password(request.user, person):
            raise PermissionDenied(
                f"{person} has logged in before: only they, or a superuser, set their password."
            )
        return super().user_change_password(request, id, form_url)

    def get_inlines(self, request, obj):
        return self.inlines if obj is None or policy.may_join_delegation(obj) else []


admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)


class LockoutAdmin(PolicyAdminMixin, AccessAttemptAdmin):
    """Editors lift a delegate's log-in pause by deleting its failed attempts."""


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)


@admin.register(Invitation)
class InvitationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Invitations are made by a delegation's leads on its members page, where the link is
    shown to them once; editors see them all here and revoke them."""

    list_display = ["email", "delegation", "role", "state", "invited_by", "created_at"]
    list_filter = [("delegation", admin.RelatedOnlyFieldListFilter), "role"]
    search_fields = ["email", "delegation__name", "delegation__code"]
    list_select_related = ["delegation", "invited_by"]
    date_hierarchy = "created_at"
    view_on_site = False
    actions = ["revoke"]

    def has_revoke_permission(self, request) -> bool:
        return policy.can_admin(request.user, "revoke", self.model)

    @admin.action(permissions=["revoke"], description="Revoke the selected invitations")
    def revoke(self, request, queryset) -> None:
        revoked = sum(
            services.revoke_invitation(invitation=invitation, by=request.user)
            for invitation in queryset
        )
        messages.success(request, f"{revoked} invitation(s) revoked.")

    @admin.display(description="state")
    def state(self, invitation: Invitation) -> str:
        return invitation.state
