from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debateprep.lib.languages import DEFAULT, Language
from debateprep.lib.middleware import SESSION_LANGUAGE


class Delegation(models.Model):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        OBSERVER_STATE = "observer_state", _("Observer State")
        REGIONAL_ORGANIZATION = "regional_organization", _("Regional organization")

    code = models.CharField(
        max_length=12,
        unique=True,
        help_text=_("ISO 3166 alpha-3 code for a state (ROU), acronym for an organization (AU)."),
        verbose_name=_("code"),
    )
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    kind = models.CharField(
        max_length=24, choices=Kind, default=Kind.MEMBER_STATE, verbose_name=_("kind")
    )
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, blank=True)
    language = models.CharField(
        max_length=7,
        choices=Language,
        default=DEFAULT,
        help_text=_(
            "The language its statements are written in unless its members choose "
            "another for one of them."
        ),
        verbose_name=_("language"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="delegations",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9-]+$"), name="delegation_code_uppercase"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("home")


class Membership(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        DRAFTER = "drafter", _("Drafter")
        LEAD = "lead", _("Lead")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("delegation"),
    )
    role = models.CharField(
        max_length=10, choices=Role, default=Role.DRAFTER, verbose_name=_("role")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["delegation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "delegation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.delegation})"

    def clean(self) -> None:
        from debateprep.delegations import policy  # the policy module reads these models

        if self.user_id and not policy.may_join_delegation(self.user):
            raise ValidationError(
                {
                    "user": f"{self.user} has staff status (an editor or administrator) and "
                    "cannot be a member of a delegation; use a separate delegate account."
                }
            )


class Invitation(models.Model):
    """A lead's invitation to join their delegation with a role. The link's secret is given to
    the lead once and kept here only as its hash, so that the table cannot be read for links."""

    LIFETIME = timedelta(days=14)

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("delegation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        max_length=10,
        choices=Membership.Role,
        default=Membership.Role.DRAFTER,
        verbose_name=_("role"),
    )
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("token hash")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.delegation} as {self.get_role_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("delegations:members", args=[self.delegation.code])

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def new(cls, *, delegation: Delegation, email: str, role: str, by) -> tuple[Invitation, str]:
        """An unsaved invitation and the secret of its link, which is never stored."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls(
            delegation=delegation,
            email=email,
            role=role,
            token_hash=cls.hash_token(token),
            invited_by=by,
            created_at=now,
            expires_at=now + cls.LIFETIME,
        )
        return invitation, token

    @property
    def state(self) -> str:
        """ "pending", "accepted", "revoked" or "expired"."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "pending"

    @property
    def is_open(self) -> bool:
        """Neither used nor revoked: a lead may still revoke it or make it a new link."""
        return self.accepted_at is None and self.revoked_at is None


class AuditEntry(models.Model):
    """One thing someone did that editors may need to trace later. Entries are only ever
    added: names and objects are kept as text too, so that an entry outlives what it names.
    Write them with `debateprep.delegations.audit.record`."""

    class Action(models.TextChoices):
        STATUS_CHANGED = "status_changed", _("Statement status changed")
        LANGUAGE_CHANGED = "language_changed", _("Statement language changed")
        EXPORTED = "exported", _("Exported")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        MEMBER_JOINED = "member_joined", _("Member joined")
        MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        ADMIN_ADDED = "admin_added", _("Added in the admin")
        ADMIN_CHANGED = "admin_changed", _("Changed in the admin")
        ADMIN_DELETED = "admin_deleted", _("Deleted in the admin")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(max_length=24, choices=Action, verbose_name=_("action"))
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("delegation"),
    )
    debate = models.CharField(max_length=300, blank=True, verbose_name=_("debate"))
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("kind")
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, verbose_name=_("changes")
    )

    class Meta:
        verbose_name = _("audit entry")
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_repr} by {self.actor_name or 'nobody'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("An audit entry is never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An audit entry is never deleted.")

    @property
    def what_changed(self) -> str:
        """The changes as a reader takes them in: "status: draft → final; reason: Agreed"."""

        def shown(value) -> str:
            return "—" if value in (None, "", []) else str(value)

        return "; ".join(
            f"{name}: {shown(value[0])} → {shown(value[1])}"
            if isinstance(value, list) and len(value) == 2
            else f"{name}: {shown(value)}"
            # In the order of their names: PostgreSQL keeps JSON keys in an order of its own.
            for name, value in sorted(self.changes.items())
        )


class Profile(models.Model):
    """What a person chose for themselves, kept across their devices and sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of the interface"), max_length=7, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def choose_language(cls, user, language: str) -> None:
        cls.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in)
def _carry_the_chosen_language(sender, request, user, **kwargs) -> None:
    """A person who chose a language finds it again on every device they log in from."""
    chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if chosen:
        request.session[SESSION_LANGUAGE] = chosen


class Session(AbstractBaseSession):
    """A log-in's session, naming its user: read with the user in one query (sessions.py), and
    gone with the user's account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from debateprep.delegations.sessions import SessionStore

        return SessionStore
