"""Who may do what to what: the one place that decides.

Views, the admin, exports and commands ask the functions below; every queryset that filters by
reach is built from the `Q` objects below.

- A **delegate** is an active account without staff status. They reach the statements of the
  delegations they belong to, for published debates open to that delegation. What they may do
  there is their role's: a reviewer reads, comments and suggests changes; a drafter also
  writes, accepts or rejects suggestions and sends the statement for review; a lead also makes
  it final or reopens it, and invites colleagues, changes their roles and removes them.
  Nobody changes a final statement, nor comments or suggests on it.
  Only a delegation's members see who its members are; its leads' invitations are links that
  make a delegate account, or bring an existing one, into the delegation with a role.
- An **editor** is an active staff account in the Editors group. They read every debate and
  every statement (with its history and exports), export compendiums, read the audit log, and
  manage debates, questions, delegations, delegates and their memberships in the admin, where
  they also revoke invitations (only a lead makes one: its link is shown to them alone). They
  never change a delegation's text or status, never see its comments or suggestions, and they
  cannot grant staff rights or act on other staff accounts.
- A **superuser** does what an editor does and manages staff accounts; a delegation's text and
  status are out of their reach too.
- Anyone else reaches nothing.

Debates and statements belong to higher apps; they are named here by their field names
(`debate__status`, `delegation`) so that this module imports nothing above it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, TextChoices

from debateprep.delegations.models import Delegation, Membership

EDITORS_GROUP = "Editors"
PUBLISHED = "published"  # debates.Debate.Status.PUBLISHED
NOTHING = Q(pk__in=[])


class Capability(TextChoices):
    """What a role lets a member do beyond reading, which the reach queries below decide."""

    COMMENT = "comment", "comment on the statement and suggest changes to it"
    WRITE = "write", "write the statement's text, decide on suggestions, send it for review"
    APPROVE = "approve", "make the statement final or reopen it"
    MANAGE = "manage", "invite colleagues to the delegation, change their roles, remove them"


ROLE_CAPABILITIES = {
    Membership.Role.REVIEWER: {Capability.COMMENT},
    Membership.Role.DRAFTER: {Capability.COMMENT, Capability.WRITE},
    Membership.Role.LEAD: {
        Capability.COMMENT,
        Capability.WRITE,
        Capability.APPROVE,
        Capability.MANAGE,
    },
}

# What editors do in the admin, by model. Statements, answers and revisions are read-only for
# everyone there: a delegation's text and status change only through the statement's own rules.
EDITOR_ADMIN_ACTIONS = {
    "debates.debate": {"view", "add", "change", "delete"},
    "debates.question": {"view", "add", "change", "delete"},
    "delegations.delegation": {"view", "add", "change"},
    "delegations.membership": {"view", "add", "change", "delete"},
    "auth.user": {"view", "add", "change"},
    # Deleting a person's failed log-ins lifts the pause on logging in.
    "axes.accessattempt": {"view", "delete"},
    "delegations.invitation": {"view", "revoke"},
    "delegations.auditentry": {"view"},
    "drafting.statement": {"view"},
    "drafting.answer": {"view"},
    "drafting.revision": {"view"},
    "debates.theme": {"view", "add", "change", "delete"},
    # Suggestions are confirmed or dismissed, never deleted: a dismissed pair stays dismissed.
    "debates.relatedquestion": {"view", "add", "change"},
}
DELEGATION_RECORDS = {"drafting.statement", "drafting.answer", "drafting.revision"}
# Read-only for superusers too: the audit log only grows.
READ_ONLY_RECORDS = DELEGATION_RECORDS | {"delegations.auditentry"}
# Only viewed and revoked in the admin: an invitation made there would have no one to show the
# link to, and one changed there would no longer be the one its link was sent for.
REVOCABLE_RECORDS = {"delegations.invitation"}


def is_delegate(user) -> bool:
    return user.is_authenticated and user.is_active and may_join_delegation(user)


def is_editor(user) -> bool:
    """Editors and superusers: the people who run the debates, not those who draft."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_in_editors_group"):
        user._in_editors_group = user.groups.filter(name=EDITORS_GROUP).exists()
    return user._in_editors_group


def role_in(user, delegation: Delegation | int) -> str | None:
    """The user's role in the delegation, or None; remembered for the request's user."""
    if not is_delegate(user):
        return None
    pk = getattr(delegation, "pk", delegation)
    roles = user.__dict__.setdefault("_delegation_roles", {})
    if pk not in roles:
        roles[pk] = (
            Membership.objects.filter(user=user, delegation_id=pk)
            .values_list("role", flat=True)
            .first()
        )
    return roles[pk]


def may(user, capability: Capability, delegation: Delegation | int) -> bool:
    """Whether the user may do this to the statements of this delegation, by their role."""
    return capability in ROLE_CAPABILITIES.get(role_in(user, delegation), set())


# Reach: which rows a user may see at all. Outside it, an address answers 404.


def open_to(delegation, *, debate: str = "") -> Q:
    """Debates a delegation may prepare a statement for: published, and open to every
    delegation or inviting this one. `debate` is the path from the filtered model to the
    debate ("" on debates); `delegation` a Delegation, a pk or an outer reference."""
    prefix = f"{debate}__" if debate else ""
    invited = Delegation.objects.filter(
        pk=getattr(delegation, "pk", delegation), invited_debates=OuterRef(debate or "pk")
    ).values("pk")
    return Q(**{f"{prefix}status": PUBLISHED}) & (
        Q(**{f"{prefix}invited_only": False}) | Exists(invited)
    )


def member_delegations(user) -> Q:
    """On delegations: those the user drafts for."""
    return Q(memberships__user=user) if is_delegate(user) else NOTHING


def delegations_in_reach(user) -> Q:
    """On delegations: those whose statements the user may open."""
    return Q() if is_editor(user) else member_delegations(user)


def debates_in_reach(user, delegation: Delegation) -> Q:
    """On debates: those whose statement by this delegation the user may open."""
    if is_editor(user):
        return Q()
    return open_to(delegation) if role_in(user, delegation) else NOTHING


def debates_listed(user) -> Q:
    """On debates: those the user may read as circulated."""
    if is_editor(user):
        return Q()
    if not is_delegate(user):
        return NOTHING
    mine = Delegation.objects.filter(memberships__user=user)
    open_to_all = Q(invited_only=False) & Exists(mine)
    return Q(status=PUBLISHED) & (open_to_all | Exists(mine.filter(invited_debates=OuterRef("pk"))))


def statements_in_reach(user) -> Q:
    """On statements: every statement for an editor; for a delegate, their delegations'
    statements for debates open to those delegations."""
    if is_editor(user):
        return Q()
    if not is_delegate(user):
        return NOTHING
    return Q(delegation__memberships__user=user) & open_to(OuterRef("delegation"), debate="debate")


def writable_statements(user, *, via: str = "") -> Q:
    """On statements, or on rows of one with `via` ("statement" on answers): those the user may
    write, by their role, for debates open to the delegation; the same answer as reach and
    `may(user, Capability.WRITE, ...)` together, in one query's conditions. Whether the
    statement is final is for the save to check, under the statement's lock. The membership
    joined is the user's own, so `{via}__delegation__memberships__role` reads their role."""
    if not is_delegate(user):
        return NOTHING
    prefix = f"{via}__" if via else ""
    roles = [role for role, can in ROLE_CAPABILITIES.items() if Capability.WRITE in can]
    mine = Q(
        **{
            f"{prefix}delegation__memberships__user": user,
            f"{prefix}delegation__memberships__role__in": roles,
        }
    )
    return mine & open_to(OuterRef(f"{prefix}delegation"), debate=f"{prefix}debate")


def remember_role(user, delegation: Delegation | int, role: str | None) -> None:
    """Note the user's role in a delegation, read with a row by a query built above, so that
    `role_in` and what asks it answer the rest of the request without asking again."""
    pk = getattr(delegation, "pk", delegation)
    user.__dict__.setdefault("_delegation_roles", {})[pk] = role


# Actions on an object already within reach.


def can_write(user, statement) -> bool:
    return not statement.is_locked and may(user, Capability.WRITE, statement.delegation_id)


def can_comment(user, statement) -> bool:
    """Comments and suggestions are the delegation's own, on a statement still being drafted."""
    return not statement.is_locked and may(user, Capability.COMMENT, statement.delegation_id)


def can_see_team_work(user, statement) -> bool:
    """Comments, suggestions, who is here and what they did: the delegation's members' own,
    never an editor's."""
    return role_in(user, statement.delegation_id) is not None


def managed_delegations(user) -> Q:
    """On delegations: those whose members the user manages."""
    if not is_delegate(user):
        return NOTHING
    roles = [role for role, can in ROLE_CAPABILITIES.items() if Capability.MANAGE in can]
    return Q(memberships__user=user, memberships__role__in=roles)


def can_manage_members(user, delegation: Delegation | int) -> bool:
    return may(user, Capability.MANAGE, delegation)


def can_read_audit(user) -> bool:
    return is_editor(user)


def can_accept_invitation(user) -> bool:
    """Anyone holding the link but staff: a visitor makes a delegate account with it, a
    delegate joins with the account they have."""
    return not user.is_authenticated or is_delegate(user)


def may_be_invited(email: str) -> bool:
    """An address that belongs to a staff account is not a delegate's: it is refused, as the
    account itself would be."""
    people = get_user_model().objects.filter(email__iexact=email)
    return all(may_join_delegation(person) for person in people)


def can_change_status(user, statement, status: str) -> bool:
    """Any writer sends a statement for review and back; making it final, and reopening it,
    is the lead's."""
    approving = status == statement.Status.FINAL or statement.is_locked
    return may(user, Capability.APPROVE if approving else Capability.WRITE, statement.delegation_id)


def can_read_compendium(user) -> bool:
    """The compendium shows every delegation's statement: editors only."""
    return is_editor(user)


def can_read_overview(user) -> bool:
    """The overview shows every delegation's progress on a debate: editors only."""
    return is_editor(user)


def can_manage_staff(user) -> bool:
    """Staff status, groups and permissions, and staff accounts, are the superusers' to give."""
    return user.is_active and user.is_superuser


def can_manage_person(user, person) -> bool:
    """Editors manage delegates' accounts; staff accounts are the superusers' to manage."""
    return can_manage_staff(user) or (is_editor(user) and may_join_delegation(person))


def can_set_password(user, person) -> bool:
    """An editor gives a new delegate account its first password; once its owner has logged
    in, setting it would let the editor log in as them and write their delegation's text."""
    if can_manage_staff(user):
        return True
    return can_manage_person(user, person) and person.last_login is None


def may_join_delegation(person) -> bool:
    """Only delegates' accounts: staff read every statement, and as members they could also
    change one, which only a delegation's own people may do."""
    return not (person.is_staff or person.is_superuser)


def can_admin(user, action: str, model: type[Model], obj: Model | None = None) -> bool:
    """Django admin permissions ("view", "add", "change", "delete", and "revoke" for an
    admin action of that name) on a model or one row."""
    if not (user.is_active and user.is_staff):
        return False
    label = model._meta.label_lower
    if label in READ_ONLY_RECORDS and action != "view":
        return False
    if label in REVOCABLE_RECORDS and action not in ("view", "revoke"):
        return False
    if user.is_superuser:
        return True
    if not is_editor(user) or action not in EDITOR_ADMIN_ACTIONS.get(label, ()):
        return False
    if label == "auth.user" and obj is not None and action != "view":
        return can_manage_person(user, obj)
    return True
