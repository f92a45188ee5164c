from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Delegation(models.Model):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", "Member State"
        OBSERVER_STATE = "observer_state", "Observer State"
        REGIONAL_ORGANIZATION = "regional_organization", "Regional organization"

    code = models.CharField(
        max_length=12,
        unique=True,
        help_text="ISO 3166 alpha-3 code for a state (ROU), acronym for an organization (AU).",
    )
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=Kind, default=Kind.MEMBER_STATE)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="delegations"
    )

    class Meta:
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
        REVIEWER = "reviewer", "Reviewer"
        DRAFTER = "drafter", "Drafter"
        LEAD = "lead", "Lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.DRAFTER)

    class Meta:
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
