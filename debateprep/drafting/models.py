from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from debateprep.debates.models import RATE_FIELDS, Debate, Question
from debateprep.delegations import audit, policy
from debateprep.delegations.models import Delegation
from debateprep.lib.compiled import QUERY, CompiledQuery
from debateprep.lib.diff import carry_over
from debateprep.lib.languages import Facts, Language, facts
from debateprep.lib.managers import DeferringManager
from debateprep.lib.speech import SpeakingTime, count, count_in, likely_unit

MAX_ANSWER_CHARS = 20_000


def _db_time(moment):
    """A time as the database stores it (SQLite keeps UTC without an offset), for raw SQL."""
    return connection.ops.adapt_datetimefield_value(moment)


class StatementQuerySet(models.QuerySet["Statement"]):
    def for_user(self, user) -> StatementQuerySet:
        return self.filter(policy.statements_in_reach(user))


class StatementLocked(Exception):
    """The statement is final: it must be reopened by a lead before anyone edits it."""


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        FINAL = "final", _("Final")

    debate = models.ForeignKey(
        Debate, on_delete=models.PROTECT, related_name="statements", verbose_name=_("debate")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("delegation"),
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    # What it is written in: how its answers are counted and laid out. A new statement takes
    # its delegation's language (Statement.of).
    language = models.CharField(
        max_length=7, choices=Language, default=Language.ENGLISH, verbose_name=_("language")
    )
    status_changed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("status changed at")
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = StatementQuerySet.as_manager()

    # The statement's length in its unit, as the save that just ran read it (None: not read).
    words: int | None = None

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
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

    @classmethod
    def of(cls, debate: Debate, delegation: Delegation) -> Statement:
        """The delegation's statement for the debate: saved, or not yet started, in the
        delegation's language."""
        statement = cls.objects.filter(debate=debate, delegation=delegation).first()
        statement = statement or cls(debate=debate, delegation=delegation)
        if not statement.is_started:
            statement.language = delegation.language
        statement.debate, statement.delegation = debate, delegation
        return statement

    @property
    def language_facts(self) -> Facts:
        """What its language means for counting and laying it out (lib/languages.py)."""
        return facts(self.language)

    @property
    def direction(self) -> str:
        return self.language_facts.direction

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_started(self) -> bool:
        """Whether anyone has written in it yet: looking at a statement never creates it."""
        return self.pk is not None

    # Which moves exist; who may make each is the policy's to say.
    MOVES = {
        Status.DRAFT: [Status.IN_REVIEW, Status.FINAL],
        Status.IN_REVIEW: [Status.DRAFT, Status.FINAL],
        Status.FINAL: [Status.DRAFT],
    }

    def allowed_statuses(self, user) -> list[str]:
        if not self.is_started:
            return []
        return [to for to in self.MOVES[self.status] if policy.can_change_status(user, self, to)]

    def approval_problems(self, answers: list[Answer] | None = None) -> list[str]:
        """Why the statement is not ready to be final: a guiding question with neither an
        answer nor a "no position" mark, an open suggestion, a length over the limit."""
        answers = self.answers_in_order() if answers is None else answers
        problems = []
        unanswered = [
            answer.heading
            for answer in answers
            if answer.question and not answer.text.strip() and not answer.no_position
        ]
        if unanswered:
            problems.append(
                gettext("No answer and no “no position” mark: %(headings)s.")
                % {"headings": "; ".join(unanswered)}
            )
        if self.is_started:
            where = list(
                Suggestion.objects.filter(answer__statement=self, status=Suggestion.Status.OPEN)
                .select_related("answer__question")
                .order_by("answer__question__order", "pk")
            )
            if where:
                headings = "; ".join(dict.fromkeys(s.answer.heading for s in where))
                problems.append(
                    ngettext(
                        "%(count)s suggestion is still open (%(headings)s): accept or reject it.",
                        "%(count)s suggestions are still open (%(headings)s): accept or reject "
                        "them.",
                        len(where),
                    )
                    % {"count": len(where), "headings": headings}
                )
        length = self.speaking_time(answers)
        if length.over_limit:
            problems.append(
                gettext("It runs %(time)s, over the %(limit)s limit.")
                % {"time": length.clock, "limit": length.limit_clock}
            )
        return problems

    @transaction.atomic
    def set_status(self, status: str, *, by, reason: str = "", override: bool = False) -> None:
        """Move the statement, recording who, when and why. Making it final asks that it be
        ready (see `approval_problems`) unless the lead overrides, giving a reason."""
        self._lock()
        if status not in self.allowed_statuses(by):
            raise PermissionDenied(
                gettext("You cannot move this statement from %(from)s to %(to)s.")
                % {
                    "from": self.get_status_display().lower(),
                    "to": str(self.Status(status).label).lower(),
                }
            )
        overridden = []
        if status == self.Status.FINAL and (problems := self.approval_problems()):
            if not (override and reason.strip()):
                raise NotReady(problems)
            overridden = problems
        previous, now = self.status, timezone.now()
        self.status, self.status_changed_at, self.status_changed_by = status, now, by
        self.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        self.status_changes.create(
            from_status=previous,
            to_status=status,
            by=by,
            at=now,
            reason=reason.strip(),
            overridden="\n".join(overridden),
        )
        changes = {"status": [previous, status], "reason": reason.strip()}
        if overridden:
            changes["overridden"] = overridden
        audit.record(by, audit.Action.STATUS_CHANGED, self, changes=changes)

    @transaction.atomic
    def set_language(self, language: str, *, by) -> bool:
        """Write the statement in another language from now on: every answer, and every
        version in its history, is counted again in the new language's unit (their texts are
        untouched). Returns whether the language changed. Starts a statement not yet started;
        refuses a final one."""
        language = Language(language)
        if not self.is_started and language == self.language:
            return False  # nothing to start it for
        self._lock()
        if self.is_locked:
            raise StatementLocked(gettext("This statement is final; a lead must reopen it first."))
        previous = self.language
        if language == previous:
            return False
        self.language = language
        self.save(update_fields=["language"])
        self.recount()
        audit.record(
            by, audit.Action.LANGUAGE_CHANGED, self, changes={"language": [previous, language]}
        )
        return True

    def recount(self) -> None:
        """Count every answer and revision again in the statement's language; only the counts
        are written."""
        for model, rows in (
            (Answer, Answer.objects.filter(statement=self)),
            (Revision, Revision.objects.filter(answer__statement=self)),
        ):
            changed = []
            for row in rows.only("pk", "text", "words").iterator(chunk_size=500):
                words = count_in(row.text, self.language)
                if words != row.words:
                    row.words = words
                    changed.append(row)
            model.objects.bulk_update(changed, ["words"], batch_size=500)

    @property
    def review_started_at(self):
        """When the statement went into review, while it is there."""
        if self.status != self.Status.IN_REVIEW:
            return None
        change = self.status_changes.filter(to_status=self.Status.IN_REVIEW).first()
        return change.at if change else self.status_changed_at

    def _lock(self) -> None:
        """Hold the statement's row until the transaction ends, and read its status afresh:
        saves and status changes take turns, so no text lands after "Mark final"."""
        if not self.is_started:
            started, _ = Statement.objects.get_or_create(
                debate=self.debate, delegation=self.delegation, defaults={"language": self.language}
            )
            self.pk, self.created_at = started.pk, started.created_at
        self.status, self.language = _HELD_STATUS.first(statement=self.pk)

    def answers_in_order(self) -> list[Answer]:
        """Opening, the answers in the order of the guiding questions, closing. A part nobody
        has written yet is an unsaved, empty answer: it is created by its first save."""
        saved = list(self.answers.select_related("question")) if self.is_started else []
        slots = {answer.slot: answer for answer in saved}
        blank = [
            Answer(statement=self, part=part) for part in (Answer.Part.OPENING, Answer.Part.CLOSING)
        ]
        blank += [Answer(statement=self, question=q) for q in self.debate.questions.all()]
        answers = saved + [answer for answer in blank if answer.slot not in slots]
        return sorted(answers, key=Answer.sort_key)

    def answer_at(self, slot: str) -> Answer:
        """The answer in one place of the statement, saved or not; `Answer.DoesNotExist` for
        a place the statement does not have."""
        part, _, question = slot.partition("-")
        if slot in (Answer.Part.OPENING, Answer.Part.CLOSING):
            lookup = {"part": slot, "question": None}
        elif part == Answer.Part.QUESTION and question.isdigit():
            question = self.debate.questions.filter(pk=question).first()
            if question is None:
                raise Answer.DoesNotExist(slot)
            lookup = {"part": Answer.Part.QUESTION, "question": question}
        else:
            raise Answer.DoesNotExist(slot)
        if self.is_started:
            saved = self.answers.select_related("question").filter(**lookup).first()
            if saved:
                return saved
        return Answer(statement=self, **lookup)

    def speaking_time(self, answers: list[Answer] | None = None) -> SpeakingTime:
        """The whole statement's length (in its language's unit) and speaking time: from the
        answers at hand, or else one sum of the counts kept on the answers' rows (no text is
        read or counted)."""
        if answers is not None:
            words = sum(answer.words for answer in answers)
        elif self.words is not None:
            words = self.words
        elif self.is_started:
            words = (_STATEMENT_WORDS.first(statement=self.pk) or [0])[0]
        else:
            words = 0
        debate = self.debate
        return SpeakingTime.of(
            words, self.rate, debate.speaking_limit_seconds, unit=self.language_facts.unit
        )

    @property
    def rate(self) -> int:
        """Units a minute at which the statement is delivered: the debate's for its language."""
        return self.debate.rate_for(self.language)


class NotReady(Exception):
    """The statement cannot be made final yet; carries the reasons."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


class StatusChange(models.Model):
    """One move of a statement between draft, in review and final: who, when and why."""

    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("statement"),
    )
    from_status = models.CharField(
        max_length=10, choices=Statement.Status, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=10, choices=Statement.Status, verbose_name=_("to status")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(verbose_name=_("at"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    # The conditions for approval a lead overrode, one a line.
    overridden = models.TextField(blank=True, verbose_name=_("overridden"))

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.statement}: {self.from_status} → {self.to_status}"


class StaleEdit(Exception):
    """Someone saved the answer since this edit started; carries what is saved now."""

    def __init__(self, current: Answer):
        super().__init__("This answer was changed elsewhere since you started editing.")
        self.current = current


class Revision(models.Model):
    """One saved text of an answer. Revisions are only ever added: a text that was saved is
    never overwritten, whoever saves next and however much they delete."""

    class Kind(models.TextChoices):
        EDIT = "edit", _("Saved")
        RESTORE = "restore", _("Restored")
        RESOLVE = "resolve", _("Conflict resolved")
        SUGGESTION = "suggestion", _("Suggestion accepted")
        EARLIER = "earlier", _("Earlier position inserted")

    answer = models.ForeignKey(
        "Answer", on_delete=models.CASCADE, related_name="revisions", verbose_name=_("answer")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    words = models.PositiveIntegerField(verbose_name=_("words"))
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.EDIT, verbose_name=_("kind"))
    restored_from = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("restored from")
    )
    # For an earlier position inserted: the delegation's answer in an earlier debate it came from.
    copied_from = models.ForeignKey(
        "Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from"),
        # Indexed below only where set: every save writes a revision, almost never one of these.
        db_index=False,
    )
    # For an accepted suggestion: the author suggested it, this member accepted it.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="revision_version_unique"),
        ]
        indexes = [
            models.Index(
                fields=["copied_from"],
                condition=Q(copied_from__isnull=False),
                name="revision_copied_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} v{self.version}"

    def get_absolute_url(self) -> str:
        return (
            reverse("drafting:answer-history", args=self.answer.url_args) + f"?new={self.version}"
        )


class AnswerQuerySet(models.QuerySet["Answer"]):
    def for_user(self, user) -> AnswerQuerySet:
        reach = policy.statements_in_reach(user)
        # Every statement (an editor's reach) needs no subquery that every row is checked in.
        return self.filter(statement__in=Statement.objects.filter(reach)) if reach else self

    def writable_at(self, user, slug: str, code: str, slot: str) -> Answer | None:
        """The saved answer at this address if the user may write it, with what a save and
        its reply read of its statement, debate and delegation, in one indexed query compiled
        once; None otherwise (not saved yet, out of reach or read-only: the slower path tells
        which). The user's role in the delegation is remembered for the rest of the request."""
        place = _place(slot)
        if place is None or not policy.is_delegate(user):
            return None
        kind, value = place
        row = _WRITABLE[kind].first(user=user.pk, slug=slug, code=code, **value)
        return self._writable(user, row)

    def saved_at(self, user, slug: str, code: str, slot: str, text: str, base_version: int):
        """On PostgreSQL, an autosave in one statement: the saved answer at this address, if
        the user may write it, saved with `text` over `base_version` (with its revision) and
        returned as writable_at returns it. None when nothing was saved (elsewhere than on
        PostgreSQL; not saved yet, out of reach or read-only; final; saved since; unchanged;
        counted in the wrong unit): the slower path then saves or says why not."""
        place = _place(slot)
        if place is None or connection.vendor != "postgresql" or not policy.is_delegate(user):
            return None
        # An over-long text is the slower path's to refuse, with its message.
        if len(text) > MAX_ANSWER_CHARS:
            return None
        # The statement's language decides the unit the text is counted in, and is only known
        # in the database: count in the likelier unit, and save only if it is the language's.
        unit = likely_unit(text)
        values = {
            "user": user.pk,
            "slug": slug,
            "code": code,
            "text": text,
            "words": count(text, unit),
            "languages": [each for each in Language.values if facts(each).unit == unit],
            "base": base_version,
            "final": Statement.Status.FINAL,
            "now": timezone.now(),
            "by": user.pk,
            "kind": Revision.Kind.EDIT,
            "restored_from": None,
            "accepted_by": None,
            "copied_from": None,
        }
        kind, value = place
        row = _SAVED[kind].first(**value, **values)
        if row is None or row[-2] is None:
            return None
        *row, version, others = row
        answer = self._writable(user, row)
        answer._wrote(text, values["words"], version, values["now"], user)
        answer.statement.words = others + values["words"]
        return answer

    def _writable(self, user, row: tuple | None) -> Answer | None:
        """The answer, its statement, debate and delegation from a row of _WRITABLE_FIELDS and
        the user's role, which is remembered for the rest of the request."""
        if row is None:
            return None
        *row, role = row
        answer, statement, debate, delegation = (
            model.from_db(self.db, names, [row.pop(0) for _ in names])
            for model, names in _WRITABLE_FIELDS
        )
        statement.debate, statement.delegation = debate, delegation
        answer.statement = statement
        policy.remember_role(user, delegation.pk, role)
        return answer


class AnswerManager(DeferringManager.from_queryset(AnswerQuerySet)):
    def index_for_search(self, limit: int = 100) -> None:
        """On PostgreSQL, work out the lexemes of up to `limit` answers saved since theirs
        were last worked out, passing over any being saved right now."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_INDEX_FOR_SEARCH, {"limit": limit})


class Answer(models.Model):
    class Part(models.TextChoices):
        OPENING = "opening", _("Opening")
        QUESTION = "question", _("Answer to a guiding question")
        CLOSING = "closing", _("Closing")

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="answers", verbose_name=_("statement")
    )
    part = models.CharField(
        max_length=10, choices=Part, default=Part.QUESTION, verbose_name=_("part")
    )
    # PROTECT: an editor cannot delete a question that delegations have answered.
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    text = models.TextField(blank=True, verbose_name=_("text"))
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))
    updated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # The delegation takes no position on this question: it may go unanswered in a final text.
    no_position = models.BooleanField(default=False, verbose_name=_("no position"))
    # The text's length in its statement's unit (words, or characters for Chinese: count_in),
    # written with the text, so that a statement's totals are one sum.
    words = models.PositiveIntegerField(default=0, verbose_name=_("words"))
    # The text's lexemes in its statement's language, for search on PostgreSQL. Emptied by the
    # database itself whenever the text or the statement's language changes (migration 0008),
    # so that no path that writes a text can leave stale ones behind; worked out again by
    # search (AnswerManager.index_for_search). Always empty on SQLite, which reads the text.
    search = SearchVectorField(null=True, editable=False, verbose_name=_("search vector"))

    objects = AnswerManager("search")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
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
        indexes = [
            # Written straight into the index, not through a pending list that some save would
            # then have to merge: a save writes no lexemes, only their absence.
            GinIndex(fields=["search"], name="answer_search", fastupdate=False),
            # The answers saved since search last worked out their lexemes.
            models.Index(
                fields=["id"], condition=Q(search__isnull=True), name="answer_search_stale"
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
    def slot(self) -> str:
        """Its place in the statement, in its addresses: "opening", "question-12", "closing"."""
        return f"{self.part}-{self.question_id}" if self.question_id else self.part

    @property
    def url_args(self) -> tuple[str, str, str]:
        return self.statement.debate.slug, self.statement.delegation.code, self.slot

    @property
    def anchor(self) -> str:
        return f"answer-{self.slot}"

    @property
    def heading(self) -> str:
        if self.question:
            return self.question.heading
        return self.get_part_display()

    @property
    def speaking_time(self) -> SpeakingTime:
        statement = self.statement
        return SpeakingTime.of(self.words, statement.rate, unit=statement.language_facts.unit)

    def save_text(
        self,
        text: str,
        *,
        base_version: int,
        by,
        kind: str = Revision.Kind.EDIT,
        restored_from: int | None = None,
        accepted_by=None,
        copied_from: Answer | None = None,
    ) -> bool:
        """Save `text` if nobody saved since `base_version`; return whether anything was saved.

        Every save is kept as a revision of its own. The compare-and-set happens in one UPDATE
        so that two tabs racing cannot both win, while the statement's row is held so that a
        save and "Mark final" cannot pass each other.
        """
        if len(text) > MAX_ANSWER_CHARS:
            raise ValidationError(
                gettext(
                    "Too long to save: %(length)s characters, the limit is %(limit)s. Your text "
                    "is still here; shorten it and it will be saved."
                )
                % {"length": len(text), "limit": MAX_ANSWER_CHARS}
            )
        if text == self.text and base_version == self.version:
            return False
        origin = {
            "kind": kind,
            "restored_from": restored_from,
            "accepted_by": accepted_by and accepted_by.pk,
            "copied_from": copied_from and copied_from.pk,
        }
        if self._saved_in_one_statement(text, base_version, by, origin):
            return True
        with transaction.atomic():
            self._hold()
            # Counted in the language read under the statement's lock: a change of language
            # that recounts the answers cannot pass a save counted the old way.
            words = count_in(text, self.statement.language)
            now = timezone.now()
            # The save every keystroke pause makes: two plain statements rather than the
            # ORM's update() and create(), which cost more to build than to run.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE drafting_answer SET text = %s, words = %s, version = version + 1, "
                    "updated_at = %s, updated_by_id = %s WHERE id = %s AND version = %s",
                    [text, words, _db_time(now), by and by.pk, self.pk, base_version],
                )
                changed = cursor.rowcount
            if not changed:
                current = Answer.objects.select_related("updated_by").get(pk=self.pk)
                if current.text != text:
                    raise StaleEdit(current)
                self.text, self.words = current.text, current.words
                self.version = current.version
                self.updated_at, self.updated_by = current.updated_at, current.updated_by
                return False
            self._wrote(text, words, base_version + 1, now, by)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO drafting_revision (answer_id, version, author_id, created_at, "
                    "text, words, kind, restored_from, accepted_by_id, copied_from_id) "
                    "VALUES (%(answer)s, %(version)s, %(by)s, %(now)s, %(text)s, %(words)s, "
                    "%(kind)s, %(restored_from)s, %(accepted_by)s, %(copied_from)s)",
                    {
                        "answer": self.pk,
                        "version": self.version,
                        "by": by and by.pk,
                        "now": _db_time(now),
                        "text": text,
                        "words": words,
                        **origin,
                    },
                )
        return True

    def _saved_in_one_statement(self, text: str, base_version: int, by, origin: dict) -> bool:
        """On PostgreSQL, a save of an answer that exists, in one statement (see _SAVE): whether
        it was saved. When it was not (the statement final, its language changed, the answer
        saved by someone else since), the general path below decides what to say."""
        statement = self.statement
        if connection.vendor != "postgresql" or self.pk is None or not statement.is_started:
            return False
        words = count_in(text, statement.language)
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                _SAVE,
                {
                    "statement": statement.pk,
                    "answer": self.pk,
                    "base": base_version,
                    "final": Statement.Status.FINAL,
                    "languages": [statement.language],
                    "text": text,
                    "words": words,
                    "now": now,
                    "by": by and by.pk,
                    **origin,
                },
            )
            version, others = cursor.fetchone()
        if version is None:
            return False
        self._wrote(text, words, version, now, by)
        statement.words = others + words
        return True

    def _wrote(self, text: str, words: int, version: int, now, by) -> None:
        """What a save wrote, set here rather than read back."""
        self.text, self.words, self.version, self.updated_at, self.updated_by = (
            text,
            words,
            version,
            now,
            by,
        )

    def _hold(self) -> None:
        """Inside a transaction: hold the statement (refusing a final one) and make sure this
        answer and its statement exist, so that what is about to be added to them has a row
        to belong to. Saves, comments, suggestions and status changes take turns this way."""
        statement = self.statement
        statement._lock()
        if statement.is_locked:
            raise StatementLocked(gettext("This statement is final; a lead must reopen it first."))
        if self.pk is None:
            self.statement = statement
            self.pk = Answer.objects.get_or_create(
                statement=statement, part=self.part, question=self.question
            )[0].pk

    @transaction.atomic
    def mark_no_position(self, no_position: bool) -> None:
        self._hold()
        Answer.objects.filter(pk=self.pk).update(no_position=no_position)
        self.no_position = no_position

    @transaction.atomic
    def add_comment(self, text: str, *, by, quote: str = "", thread: Comment | None = None):
        self._hold()
        return self.comments.create(
            text=text, author=by, quote="" if thread else quote, thread=thread
        )

    @transaction.atomic
    def add_suggestion(
        self, text: str, *, by, base_version: int, base_text: str, quote: str = "", note: str = ""
    ):
        """Propose `text` as the whole answer, changed from `base_text`, the version the
        suggester saw."""
        self._hold()
        return self.suggestions.create(
            author=by,
            base_version=base_version,
            base_text=base_text,
            text=text,
            quote=quote,
            note=note,
        )


# An autosave on PostgreSQL: the general path's lock, compare-and-set, revision and the
# statement's new total in one statement, so one round trip instead of six. Holding the
# statement's row first keeps saves and status changes taking turns, as _hold does. {target}
# is the WITH query naming the answer and its statement; the statement returns {columns},
# then the new version (NULL if nothing was saved) and the statement's other answers' words,
# read by a function of migration 0009 so as to count what others saved while it waited.
_SAVE_IN_ONE_STATEMENT = """
WITH {target}, held AS (
    SELECT status, language FROM drafting_statement
    WHERE id = (SELECT statement_id FROM target) FOR UPDATE
), saved AS (
    UPDATE drafting_answer
    SET text = %(text)s, words = %(words)s, version = version + 1, updated_at = %(now)s,
        updated_by_id = %(by)s
    WHERE id = (SELECT answer_id FROM target) AND version = %(base)s AND text <> %(text)s
        AND EXISTS (
            SELECT FROM held WHERE status <> %(final)s AND language = ANY(%(languages)s)
        )
    RETURNING id, version
), kept AS (
    INSERT INTO drafting_revision (answer_id, version, author_id, created_at, text, words, kind,
        restored_from, accepted_by_id, copied_from_id)
    SELECT id, version, %(by)s, %(now)s, %(text)s, %(words)s, %(kind)s, %(restored_from)s,
        %(accepted_by)s, %(copied_from)s
    FROM saved
)
SELECT {columns}version, drafting_other_words(target.statement_id, target.answer_id)
FROM {source} LEFT JOIN saved ON true
"""
# An answer and statement already in hand.
_SAVE = _SAVE_IN_ONE_STATEMENT.format(
    target=(
        "target AS (SELECT %(answer)s::bigint AS answer_id, %(statement)s::bigint AS statement_id)"
    ),
    columns="",
    source="target",
)

_INDEX_FOR_SEARCH = """
UPDATE drafting_answer AS answer
SET search = to_tsvector(
    drafting_search_config(statement.language), drafting_search_text(answer.text)
)
FROM drafting_statement AS statement
WHERE statement.id = answer.statement_id AND answer.id IN (
    SELECT id FROM drafting_answer WHERE search IS NULL
    ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
"""

# Asked on every save: compiled once (see CompiledQuery).
_HELD_STATUS = CompiledQuery(
    lambda statement: (
        Statement.objects.select_for_update()
        .filter(pk=statement)
        .order_by()
        .values_list("status", "language")
    ),
    statement=-918_273_647,
)
_STATEMENT_WORDS = CompiledQuery(
    lambda statement: (
        Answer.objects.filter(statement=statement)
        .order_by()
        .values("statement")
        .annotate(words=Sum("words"))
        .values_list("words")
    ),
    statement=-918_273_647,
)

# What an autosave and its reply read, by model, in the models' own field order.
_WRITABLE_FIELDS = [
    (model, [field.attname for field in model._meta.concrete_fields if field.attname in names])
    for model, names in (
        (Answer, {"id", "statement_id", "part", "question_id", "text", "version", "words"}),
        (Statement, {"id", "debate_id", "delegation_id", "status", "language"}),
        (Debate, {"id", "slug", "speaking_limit_seconds", *RATE_FIELDS.values()}),
        (Delegation, {"id", "code"}),
    )
]


def _writable_answers(user: int, slug: str, code: str, **place) -> models.QuerySet:
    paths = {Answer: "", Statement: "statement__", Debate: "statement__debate__"}
    paths[Delegation] = "statement__delegation__"
    columns = [paths[model] + name for model, names in _WRITABLE_FIELDS for name in names]
    # The membership row the policy's filter joins is the user's own: their role.
    columns.append("statement__delegation__memberships__role")
    # A delegate's account, standing in for whoever saves; only its key reaches the SQL.
    writer = get_user_model()(pk=user, is_active=True)
    return Answer.objects.filter(
        policy.writable_statements(writer, via="statement"),
        statement__debate__slug=slug,
        statement__delegation__code=code,
        **place,
    ).values_list(*columns)[:1]


_STAND_INS = {"user": -918_273_645, "slug": "§slug§", "code": "§code§"}
_ANSWER_STAND_IN = {"question": -918_273_646}
_SPEECH_STAND_IN = {"part": "§part§"}


def _writable_answer(question, **rest) -> models.QuerySet:
    return _writable_answers(part=Answer.Part.QUESTION, question=question, **rest)


def _writable_speech(part, **rest) -> models.QuerySet:
    return _writable_answers(part=part, question=None, **rest)


def _column(model, name: str) -> str:
    """The column of `writable` holding this field of this model."""
    index = 0
    for each, names in _WRITABLE_FIELDS:
        if each is model:
            return f"column_{index + names.index(name)}"
        index += len(names)
    raise LookupError(name)


# An autosave with the answer found by its address and the user's right to write it (the
# query writable_at runs), returned with the save: one round trip for the whole request.
_WRITABLE_COLUMNS = sum(len(names) for _, names in _WRITABLE_FIELDS) + 1  # and the role
_SAVE_AT = _SAVE_IN_ONE_STATEMENT.format(
    target=(
        f"writable ({', '.join(f'column_{index}' for index in range(_WRITABLE_COLUMNS))}) "
        f"AS ({QUERY}), target AS (SELECT {_column(Answer, 'id')} AS answer_id, "
        f"{_column(Statement, 'id')} AS statement_id FROM writable)"
    ),
    columns="writable.*, ",
    source="writable, target",
)


def _place(slot: str) -> tuple[str, dict] | None:
    """Which kind of answer the slot names, and the compiled queries' value for it."""
    part, _, question = slot.partition("-")
    if slot in (Answer.Part.OPENING, Answer.Part.CLOSING):
        return "speech", {"part": slot}
    # A key past the column's range would make the database fail, not find nothing.
    if part == Answer.Part.QUESTION and question.isdigit() and int(question) < 2**63:
        return "answer", {"question": int(question)}
    return None


_WRITABLE = {
    "answer": CompiledQuery(_writable_answer, **_ANSWER_STAND_IN, **_STAND_INS),
    "speech": CompiledQuery(_writable_speech, **_SPEECH_STAND_IN, **_STAND_INS),
}
_SAVED = {
    "answer": CompiledQuery(_writable_answer, around=_SAVE_AT, **_ANSWER_STAND_IN, **_STAND_INS),
    "speech": CompiledQuery(_writable_speech, around=_SAVE_AT, **_SPEECH_STAND_IN, **_STAND_INS),
}


MAX_COMMENT_CHARS = 5_000


class Comment(models.Model):
    """A member's remark on an answer, or on a passage of it (quoted), opening a thread that
    others reply to and that is resolved, or reopened, as a whole."""

    answer = models.ForeignKey(
        Answer, on_delete=models.PROTECT, related_name="comments", verbose_name=_("answer")
    )
    # The first comment of the thread this one replies to; None for a thread's first.
    thread = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("thread"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    text = models.TextField(verbose_name=_("text"))
    quote = models.TextField(blank=True, verbose_name=_("quote"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_COMMENT_CHARS),
                name="comment_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @transaction.atomic
    def set_resolved(self, resolved: bool, *, by) -> None:
        self.answer._hold()
        self.resolved_at, self.resolved_by = (timezone.now(), by) if resolved else (None, None)
        self.save(update_fields=["resolved_at", "resolved_by"])


class SuggestionClosed(Exception):
    """The suggestion was accepted or rejected already, or no longer applies to the text."""


class Suggestion(models.Model):
    """Replacement text a member proposes for an answer without changing it. It is kept as
    the whole answer the suggester would have, next to the text they saw, so that it can be
    carried over onto a text that changed since."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    answer = models.ForeignKey(
        Answer, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("answer")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    base_version = models.PositiveIntegerField(verbose_name=_("base version"))
    base_text = models.TextField(blank=True, verbose_name=_("base text"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    # The passage the suggestion replaces, when the suggester selected one.
    quote = models.TextField(blank=True, verbose_name=_("quote"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.OPEN, verbose_name=_("status")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_ANSWER_CHARS),
                name="suggestion_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.answer}"

    def applied_to(self, current: str) -> str | None:
        """The answer as it would read with this suggestion: the suggested text itself when
        nobody changed the answer since, else the suggester's changes carried over onto the
        current text; None when they no longer apply cleanly."""
        if current == self.base_text:
            return self.text
        return carry_over(self.base_text, self.text, current)

    @transaction.atomic
    def decide(self, accept: bool, *, by) -> None:
        """Accept (the answer becomes the suggested text, a revision credited to the suggester
        and accepted by `by`) or reject the suggestion."""
        answer = self.answer
        answer._hold()
        suggestion = Suggestion.objects.select_for_update().get(pk=self.pk)
        if suggestion.status != self.Status.OPEN:
            raise SuggestionClosed(
                gettext("This suggestion was %(status)s already.")
                % {"status": suggestion.get_status_display().lower()}
            )
        if accept:
            answer.refresh_from_db()
            text = self.applied_to(answer.text)
            if text is None:
                raise SuggestionClosed(
                    gettext(
                        "This suggestion no longer applies to the text as it is now: copy what "
                        "you want from it by hand, then reject it."
                    )
                )
            answer.save_text(
                text,
                base_version=answer.version,
                by=self.author,
                kind=Revision.Kind.SUGGESTION,
                accepted_by=by,
            )
        self.status = self.Status.ACCEPTED if accept else self.Status.REJECTED
        self.decided_by, self.decided_at = by, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])


class Presence(models.Model):
    """Who has a statement open, and in which answer they last typed: reported by their page
    every few seconds while it is visible."""

    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, related_name="+", verbose_name=_("debate")
    )
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="+", verbose_name=_("delegation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    slot = models.CharField(max_length=40, blank=True, verbose_name=_("slot"))
    seen_at = models.DateTimeField(verbose_name=_("seen at"))
    typed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("typed at"))

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(
                fields=["debate", "delegation", "user"], name="presence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.delegation} / {self.debate}"

    @classmethod
    def report(cls, statement: Statement, user, *, slot: str, typing: bool) -> None:
        now = timezone.now()
        values = {"slot": slot, "seen_at": now}
        if typing:
            values["typed_at"] = now
        cls.objects.update_or_create(
            debate=statement.debate, delegation=statement.delegation, user=user, defaults=values
        )

    @classmethod
    def others(cls, statement: Statement, user) -> list[Presence]:
        """The other people whose page of this statement asked lately; each `is_typing`
        where they typed since their page last asked before."""
        now = timezone.now()
        window = timedelta(seconds=settings.PRESENCE_POLL_SECONDS * PRESENCE_GRACE)
        typing = timedelta(seconds=settings.PRESENCE_POLL_SECONDS * TYPING_GRACE)
        here = list(
            cls.objects.filter(
                debate=statement.debate, delegation=statement.delegation, seen_at__gte=now - window
            )
            .exclude(user=user)
            .select_related("user")
            .order_by("user__first_name", "user__username")
        )
        for presence in here:
            presence.is_typing = presence.typed_at is not None and presence.typed_at >= now - typing
        return here


# A page that misses this many of its turns to ask is taken to be closed; someone who typed
# within this many turns is typing still.
PRESENCE_GRACE = 2.5
TYPING_GRACE = 1.5
