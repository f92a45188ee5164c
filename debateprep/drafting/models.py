from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from debateprep.debates.models import Debate, Question, open_to_delegation
from debateprep.lib.speech import SpeakingTime, count_words

MAX_ANSWER_CHARS = 20_000


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def for_user(self, user) -> DelegationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


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

    objects = DelegationQuerySet.as_manager()

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
        return reverse("debates:list")


class Membership(models.Model):
    class Role(models.TextChoices):
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


class StatementQuerySet(models.QuerySet["Statement"]):
    def for_user(self, user) -> StatementQuerySet:
        """The one rule for who sees a statement: members of its delegation, while the debate
        is published and open to that delegation."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            open_to_delegation(OuterRef("delegation"), debate=OuterRef("debate"), via="debate__"),
            delegation__memberships__user=user,
        )


class StatementLocked(Exception):
    """The statement is final: it must be reopened by a lead before anyone edits it."""


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        FINAL = "final", "Final"

    debate = models.ForeignKey(Debate, on_delete=models.PROTECT, related_name="statements")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="statements")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["debate", "delegation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["debate", "delegation"], name="statement_unique_per_debate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} — {self.debate.title}"

    def get_absolute_url(self) -> str:
        return reverse("drafting:statement", args=[self.debate.slug, self.delegation.code])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.FINAL

    def role_of(self, user) -> str | None:
        membership = self.delegation.memberships.filter(user=user).first()
        return membership.role if membership else None

    def allowed_statuses(self, role: str | None) -> list[str]:
        """Any member sends a draft for review or back; only a lead makes it final or reopens it."""
        moves = {
            self.Status.DRAFT: [self.Status.IN_REVIEW, self.Status.FINAL],
            self.Status.IN_REVIEW: [self.Status.DRAFT, self.Status.FINAL],
            self.Status.FINAL: [self.Status.DRAFT],
        }[self.status]
        if role == Membership.Role.LEAD:
            return moves
        return [] if self.is_locked else [move for move in moves if move != self.Status.FINAL]

    def set_status(self, status: str, *, by) -> None:
        if status not in self.allowed_statuses(self.role_of(by)):
            raise PermissionDenied(
                f"You cannot move this statement from {self.get_status_display().lower()} "
                f"to {self.Status(status).label.lower()}."
            )
        self.status = status
        self.status_changed_at = timezone.now()
        self.status_changed_by = by
        self.save(update_fields=["status", "status_changed_at", "status_changed_by"])

    def answers_in_order(self) -> list[Answer]:
        """Opening, the answers in the order of the guiding questions, closing; any part that
        is missing (a question added after the statement was started) is created first."""
        answers = list(self.answers.select_related("question"))
        answered = {answer.question_id for answer in answers}
        parts = {answer.part for answer in answers}
        missing = [
            Answer(statement=self, part=part)
            for part in (Answer.Part.OPENING, Answer.Part.CLOSING)
            if part not in parts
        ] + [
            Answer(statement=self, question=question)
            for question in self.debate.questions.all()
            if question.pk not in answered
        ]
        if missing:
            Answer.objects.bulk_create(missing, ignore_conflicts=True)
            answers = list(self.answers.select_related("question"))
        return sorted(answers, key=Answer.sort_key)

    def speaking_time(self, answers: list[Answer] | None = None) -> SpeakingTime:
        if answers is None:
            answers = list(self.answers.only("text"))
        words = sum(count_words(answer.text) for answer in answers)
        debate = self.debate
        return SpeakingTime.of(words, debate.words_per_minute, debate.speaking_limit_seconds)


class StaleEdit(Exception):
    """Someone saved the answer since this edit started; carries what is saved now."""

    def __init__(self, current: Answer):
        super().__init__("This answer was changed elsewhere since you started editing.")
        self.current = current


class AnswerQuerySet(models.QuerySet["Answer"]):
    def for_user(self, user) -> AnswerQuerySet:
        return self.filter(statement__in=Statement.objects.for_user(user))


class Answer(models.Model):
    class Part(models.TextChoices):
        OPENING = "opening", "Opening"
        QUESTION = "question", "Answer to a guiding question"
        CLOSING = "closing", "Closing"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="answers")
    part = models.CharField(max_length=10, choices=Part, default=Part.QUESTION)
    # PROTECT: an editor cannot delete a question that delegations have answered.
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "question"],
                condition=Q(question__isnull=False),
                name="answer_unique_per_question",
            ),
            models.UniqueConstraint(
                fields=["statement", "part"],
                condition=~Q(part="question"),
                name="answer_one_opening_and_closing",
            ),
            models.CheckConstraint(
                condition=Q(part="question", question__isnull=False)
                | (~Q(part="question") & Q(question__isnull=True)),
                name="answer_question_matches_part",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_ANSWER_CHARS),
                name="answer_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.delegation}: {self.heading}"

    def get_absolute_url(self) -> str:
        return f"{self.statement.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def sort_key(answer: Answer) -> tuple[int, int]:
        rank = {Answer.Part.OPENING: 0, Answer.Part.QUESTION: 1, Answer.Part.CLOSING: 2}
        return rank[answer.part], answer.question.order if answer.question else 0

    @property
    def anchor(self) -> str:
        return f"answer-{self.pk}"

    @property
    def heading(self) -> str:
        if self.question:
            return self.question.heading
        return self.get_part_display()

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    @property
    def speaking_time(self) -> SpeakingTime:
        return SpeakingTime.of(self.word_count, self.statement.debate.words_per_minute)

    def save_text(self, text: str, *, base_version: int, by, new_revision: bool = False) -> bool:
        """Save `text` if nobody saved since `base_version`; return whether the text changed.

        The compare-and-set happens in one UPDATE so two tabs racing cannot both win.
        `new_revision` keeps the text this save replaces as a version of its own, as when a
        conflict is resolved, instead of folding it into the author's latest revision.
        """
        if self.statement.is_locked:
            raise StatementLocked("This statement is final; a lead must reopen it first.")
        if len(text) > MAX_ANSWER_CHARS:
            raise ValidationError(
                f"Too long to save: {len(text)} characters, the limit is {MAX_ANSWER_CHARS}. "
                "Your text is still here; shorten it and it will be saved."
            )
        now = timezone.now()
        with transaction.atomic():
            changed = Answer.objects.filter(pk=self.pk, version=base_version).update(
                text=text, version=F("version") + 1, updated_at=now, updated_by=by
            )
            if not changed:
                current = Answer.objects.get(pk=self.pk)
                if current.text == text:
                    self.refresh_from_db()
                    return False
                raise StaleEdit(current)
            self.refresh_from_db()
            Revision.record(self, by=by, at=now, coalesce=not new_revision)
        return True


class Revision(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        get_latest_by = "updated_at"

    def __str__(self) -> str:
        return f"{self.answer} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("drafting:answer-history", args=[self.answer_id])

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    @classmethod
    def record(cls, answer: Answer, *, by, at, coalesce: bool = True) -> Revision:
        """Keep the saved text; saves by the same person within a few minutes make one
        revision, so typing does not leave hundreds of near-identical versions."""
        window = timedelta(seconds=settings.REVISION_COALESCE_SECONDS)
        latest = answer.revisions.order_by("-updated_at", "-pk").first()
        if (
            coalesce
            and latest
            and latest.author_id == getattr(by, "pk", None)
            and at - latest.created_at < window
        ):
            latest.text, latest.version, latest.updated_at = answer.text, answer.version, at
            latest.save(update_fields=["text", "version", "updated_at"])
            return latest
        return cls.objects.create(
            answer=answer,
            author=by,
            text=answer.text,
            version=answer.version,
            created_at=at,
            updated_at=at,
        )
