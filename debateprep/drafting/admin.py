from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Case, When

from debateprep.drafting.models import Answer, Delegation, Membership, Revision, Statement


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "iso2"]
    view_on_site = False
    list_filter = ["kind"]
    search_fields = ["name", "code", "iso2"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "delegation", "role"]
    list_filter = ["role", "delegation__kind"]
    search_fields = ["user__username", "user__email", "delegation__name"]
    autocomplete_fields = ["user", "delegation"]
    list_select_related = ["user", "delegation"]


class AnswerInline(admin.StackedInline):
    model = Answer
    fields = ["part", "question", "text", "version", "updated_at", "updated_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # Read as delivered: opening, the answers in question order, closing.
        part_rank = Case(
            When(part=Answer.Part.OPENING, then=0),
            When(part=Answer.Part.QUESTION, then=1),
            default=2,
        )
        return super().get_queryset(request).order_by(part_rank, "question__order")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["delegation", "debate", "status", "status_changed_at"]
    list_filter = ["status", "debate", "delegation__kind"]
    search_fields = ["delegation__name", "delegation__code", "debate__title", "answers__text"]
    list_select_related = ["delegation", "debate"]
    readonly_fields = [
        "debate",
        "delegation",
        "created_at",
        "status_changed_at",
        "status_changed_by",
    ]
    inlines = [AnswerInline]
    show_full_result_count = False
    # Statements are read by their delegation on the site; editors read them here.
    view_on_site = False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["answer", "version", "author", "updated_at"]
    list_select_related = ["answer__statement__delegation", "answer__question", "author"]
    search_fields = ["text", "answer__statement__delegation__name"]
    readonly_fields = ["answer", "author", "text", "version", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DelegationRoleInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["delegation"]
    extra = 1
    verbose_name = "delegation and role"
    verbose_name_plural = "delegations and roles"


class PeopleAdmin(UserAdmin):
    """Editors manage people, with their delegations and roles, but cannot grant themselves or
    anyone superpowers."""

    inlines = [DelegationRoleInline]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]


admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)
