"""Writes that change a delegation's members, each with its audit entry, in one transaction.

Each takes the delegation's row lock first, so that two leads acting at once are taken one
after the other: neither can then demote or remove the other when they are its last two leads.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from debateprep.delegations import audit, policy
from debateprep.delegations.models import Delegation, Invitation, Membership

Role = Membership.Role


class Refused(Exception):
    """A change the delegation's rules forbid; nothing changed, and the message says why."""


class InvitationClosed(Exception):
    """The invitation was used or revoked, or has expired; nothing changed."""


def _lock(delegation_id: int) -> None:
    Delegation.objects.select_for_update().filter(pk=delegation_id).first()


def _is_last_lead(membership: Membership) -> bool:
    leads = Membership.objects.filter(delegation_id=membership.delegation_id, role=Role.LEAD)
    return membership.role == Role.LEAD and not leads.exclude(pk=membership.pk).exists()


def _send(delegation: Delegation, email: str, role: str, by) -> tuple[Invitation, str]:
    invitation, token = Invitation.new(delegation=delegation, email=email, role=role, by=by)
    invitation.save()
    changes = {"email": email, "role": role}
    audit.record(by, audit.Action.INVITATION_SENT, invitation, changes=changes)
    return invitation, token


def _revoke(invitation: Invitation, by) -> bool:
    open_ = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None)
    if not open_.update(revoked_at=timezone.now()):
        return False
    audit.record(by, audit.Action.INVITATION_REVOKED, invitation)
    return True


@transaction.atomic
def invite(*, delegation: Delegation, email: str, role: str, by) -> tuple[Invitation, str]:
    """A new invitation and its link's secret; it replaces any open one for the address."""
    _lock(delegation.pk)
    email = BaseUserManager.normalize_email(email.strip())
    if delegation.memberships.filter(user__email__iexact=email).exists():
        raise Refused(
            _("%(email)s is already a member of %(delegation)s.")
            % {"email": email, "delegation": delegation}
        )
    if not policy.may_be_invited(email):
        raise Refused(
            _(
                "%(email)s belongs to a staff account (an editor or administrator), which cannot "
                "be a member of a delegation; invite the address of a delegate account."
            )
            % {"email": email}
        )
    day_ago = timezone.now() - timedelta(days=1)
    if delegation.invitations.filter(created_at__gte=day_ago).count() >= INVITATIONS_PER_DAY:
        # A mission invites a handful of colleagues; more is a mistake or a misused account
        # sending the site's mail to strangers.
        raise Refused(
            _(
                "%(delegation)s has sent %(count)s invitations in the last 24 hours, the most it "
                "may: ask an editor to add further colleagues."
            )
            % {"delegation": delegation, "count": INVITATIONS_PER_DAY}
        )
    for earlier in delegation.invitations.filter(
        email__iexact=email, accepted_at=None, revoked_at=None
    ):
        _revoke(earlier, by)
    return _send(delegation, email, role, by)


INVITATIONS_PER_DAY = 30


@transaction.atomic
def renew_invitation(*, invitation: Invitation, by) -> tuple[Invitation, str]:
    """A new link for the same address and role; the old link stops working."""
    _lock(invitation.delegation_id)
    if not _revoke(invitation, by):
        raise Refused(
            _("The invitation of %(email)s was used or revoked meanwhile.")
            % {"email": invitation.email}
        )
    return _send(invitation.delegation, invitation.email, invitation.role, by)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by) -> bool:
    """Whether this revoked it: False if it was used or revoked before."""
    return _revoke(invitation, by)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """Join the user to the invitation's delegation with its role; the invitation is used once,
    by whoever takes it first."""
    _lock(invitation.delegation_id)
    delegation = invitation.delegation
    if delegation.memberships.filter(user=user).exists():
        raise Refused(_("You are already a member of %(delegation)s.") % {"delegation": delegation})
    now = timezone.now()
    taken = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if not taken:
        raise InvitationClosed
    membership = Membership(user=user, delegation=delegation, role=invitation.role)
    membership.full_clean()
    membership.save()
    audit.record(user, audit.Action.INVITATION_ACCEPTED, invitation)
    audit.record(
        user, audit.Action.MEMBER_JOINED, membership, changes={"role": [None, membership.role]}
    )
    return membership


@transaction.atomic
def join_with_new_account(*, invitation: Invitation, form) -> Membership:
    """Make the account the visitor filled in and join it; neither happens without the other."""
    return accept_invitation(invitation=invitation, user=form.save())


@transaction.atomic
def change_role(*, membership: Membership, role: str, by) -> Membership:
    _lock(membership.delegation_id)
    membership = Membership.objects.select_related("user", "delegation").get(pk=membership.pk)
    old = membership.role
    if role == old:
        return membership
    if _is_last_lead(membership):
        raise Refused(
            _("%(name)s is the only lead of %(delegation)s: make another member lead first.")
            % {"name": name_of(membership.user), "delegation": membership.delegation}
        )
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(by, audit.Action.MEMBER_ROLE_CHANGED, membership, changes={"role": [old, role]})
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by) -> None:
    _lock(membership.delegation_id)
    membership = Membership.objects.select_related("user", "delegation").get(pk=membership.pk)
    if _is_last_lead(membership):
        raise Refused(
            _(
                "%(name)s is the only lead of %(delegation)s: make another member lead before "
                "removing them."
            )
            % {"name": name_of(membership.user), "delegation": membership.delegation}
        )
    changes = {"user": membership.user.get_username(), "role": [membership.role, None]}
    audit.record(by, audit.Action.MEMBER_REMOVED, membership, changes=changes)
    membership.delete()


def name_of(user) -> str:
    """How colleagues are named in messages: their name, else their username."""
    return user.get_full_name() or user.get_username()
