from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from debateprep.delegations import audit, policy, services
from debateprep.delegations.models import AuditEntry, Delegation, Invitation, Membership


def form_changes(form, *, adding: bool = False) -> dict:
    """What an admin form changed, field by field, as [old, new] (old is None on an addition);
    related rows by name. Password fields are left out, hashes included."""
    return {
        name: [
            None if adding else _plain(form.fields[name], form[name].initial),
            _plain(form.fields[name], form.cleaned_data.get(name)),
        ]
        for name in form.changed_data
        if "password" not in name
    }


def _plain(field, value):
    if isinstance(field, forms.ModelMultipleChoiceField):
        return sorted(_named(field, item) for item in value or [])
    if isinstance(field, forms.ModelChoiceField):
        return None if value in (None, "") else _named(field, value)
    return value


def _named(field, value) -> str:
    """A related row by its name; a form's initial value may be only its key."""
    if not isinstance(value, Model):
        value = field.queryset.model._default_manager.filter(pk=value).first() or value
    return str(value)


class PolicyAdminMixin:
    """Admin permissions come from the policy module, not from database permissions, so that
    the admin and the site follow the same rules. Every addition, change and deletion made
    through it, inline rows included, is written to the audit log with what changed."""

    def save_model(self, request, obj, form, change) -> None:
        changes = form_changes(form, adding=not change)
        super().save_model(request, obj, form, change)
        # Saved as it was, e.g. to change one of its inline rows, which are recorded on their own.
        if change and not changes:
            return
        action = audit.Action.ADMIN_CHANGED if change else audit.Action.ADMIN_ADDED
        audit.record(request.user, action, obj, changes=changes)

    def save_formset(self, request, form, formset, change) -> None:
        deleted = [row.instance for row in formset.deleted_forms if row.instance.pk]
        for obj in deleted:
            audit.record(request.user, audit.Action.ADMIN_DELETED, obj)
        super().save_formset(request, form, formset, change)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            adding = row not in formset.initial_forms
            action = audit.Action.ADMIN_ADDED if adding else audit.Action.ADMIN_CHANGED
            changes = form_changes(row, adding=adding)
            audit.record(request.user, action, row.instance, changes=changes)

    def delete_model(self, request, obj) -> None:
        audit.record(request.user, audit.Action.ADMIN_DELETED, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit.record(request.user, audit.Action.ADMIN_DELETED, obj)
        super().delete_queryset(request, queryset)

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


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """Django's tabular inline heads its columns but labels none of its fields, so a screen
    reader names them all "edit text": each field is named by its column and its row."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for field in form.fields.values():
            widget = field.widget
            # A related field's widget comes wrapped with its add and change links.
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            if widget.is_hidden:
                continue
            widget.attrs["aria-label"] = f"{field.label}, {row}"
            if isinstance(widget, AutocompleteMixin):
                # Select2 names its box after the choice shown, and the title when none is.
                widget.attrs["title"] = widget.attrs["aria-label"]


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class MembershipInline(PolicyAdminMixin, LabelledTabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Delegation)
class DelegationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "iso2", "language"]
    view_on_site = False
    list_filter = ["kind", "language"]
    search_fields = ["name", "code", "iso2"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "delegation", "role"]
    list_filter = ["role", "delegation__kind"]
    search_fields = ["user__username", "user__email", "delegation__name"]
    autocomplete_fields = ["user", "delegation"]
    list_select_related = ["user", "delegation"]


class DelegationRoleInline(PolicyAdminMixin, LabelledTabularInline):
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
                gettext(
                    "%(person)s has logged in before: only they, or a superuser, set their "
                    "password."
                )
                % {"person": person}
            )
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # That it was set, and by whom; never the password.
            changes = {"password": "set"}
            audit.record(request.user, audit.Action.ADMIN_CHANGED, person, changes=changes)
        return response

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

    @admin.action(permissions=["revoke"], description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset) -> None:
        revoked = sum(
            services.revoke_invitation(invitation=invitation, by=request.user)
            for invitation in queryset
        )
        messages.success(
            request,
            ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", revoked)
            % {"count": revoked},
        )

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        return invitation.state


class BlankAsEmptyValuesFilter(admin.AllValuesFieldListFilter):
    """Entries about no debate are listed under the admin's sign for an empty value, as Django
    lists a missing one, rather than as a link without words."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            display = str(choice["display"])
            # " (3)" is a blank value with its count, when the filter shows counts.
            if display == "" or display.startswith(" ("):
                choice = {**choice, "display": self.empty_value_display + display}
            yield choice


@admin.register(AuditEntry)
class AuditEntryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The audit log, for editors to read; nobody writes it here, superusers included."""

    list_display = ["when", "actor_name", "action", "delegation", "debate", "target_repr"]
    list_display_links = ["when"]
    fields = [
        "when",
        "actor_name",
        "action",
        "delegation",
        "debate",
        "target_type",
        "target_id",
        "target_repr",
        "what_changed",
    ]
    readonly_fields = fields
    list_filter = [
        "action",
        ("delegation", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("debate", BlankAsEmptyValuesFilter),
    ]
    search_fields = ["actor_name", "target_repr", "debate", "delegation__name"]
    list_select_related = ["delegation"]
    date_hierarchy = "at"

    @admin.display(description=_("when"), ordering="at")
    def when(self, entry: AuditEntry) -> str:
        # To the second, in 24 hours: entries are told apart by their time.
        return date_format(localtime(entry.at), "j M Y H:i:s")
