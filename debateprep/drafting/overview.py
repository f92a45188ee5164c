"""The editors' overview of a debate: every delegation against every part of the statement, each
cell's state, each statement's length against the limit, counts per question, and progress over
time. A fixed number of queries whatever the number of delegations and questions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debateprep.debates.models import Debate
from debateprep.delegations.models import Delegation
from debateprep.drafting.models import Answer, Statement, StatusChange
from debateprep.lib.languages import facts
from debateprep.lib.speech import SpeakingTime


class State(TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    FINAL = "final", _("Final")
    NO_POSITION = "no_position", _("No position")


# A written answer takes its statement's stage.
_STAGE = {
    Statement.Status.DRAFT: State.DRAFTING,
    Statement.Status.IN_REVIEW: State.IN_REVIEW,
    Statement.Status.FINAL: State.FINAL,
}


@dataclass
class Row:
    delegation: Delegation
    statement: dict | None
    # Each part's state, with its label: a page of 193 x 32 cells looks nothing up per cell.
    cells: list[tuple[str, str]]
    length: SpeakingTime | None

    @property
    def state(self) -> str:
        """The statement's own state, for the status filter."""
        if self.statement is None:
            return State.NOT_STARTED
        return _STAGE[self.statement["status"]]


@dataclass
class Column:
    """One part of the statement: the opening, a guiding question, the closing."""

    heading: str
    key: tuple
    answered: int = 0
    no_position: int = 0


# What the chart draws: statements that reached each stage, by day.
SERIES = [
    ("started", _("Started")),
    ("in_review", _("Sent for review")),
    ("final", _("Final")),
]
CHART_WIDTH, CHART_HEIGHT, CHART_DAYS = 600, 160, 90


@dataclass
class Progress:
    """How many statements had been started, sent for review and made final, day by day, over
    the last CHART_DAYS days at most."""

    days: list[date] = field(default_factory=list)
    series: dict[str, list[int]] = field(default_factory=dict)

    @property
    def top(self) -> int:
        return max((max(values) for values in self.series.values() if values), default=0)

    @property
    def lines(self) -> list[dict]:
        """Each series as an SVG polyline's points, in a CHART_WIDTH x CHART_HEIGHT box."""
        if not self.days:
            return []
        step = CHART_WIDTH / max(len(self.days) - 1, 1)
        top = self.top or 1
        return [
            {
                "key": key,
                "label": label,
                "last": self.series[key][-1],
                "points": " ".join(
                    f"{index * step:.1f},{CHART_HEIGHT - value * CHART_HEIGHT / top:.1f}"
                    for index, value in enumerate(self.series[key])
                ),
            }
            for key, label in SERIES
        ]

    @property
    def table(self) -> list[tuple[date, list[int]]]:
        """The same figures, day by day, for those who read rather than look."""
        return [
            (day, [self.series[key][index] for key, _label in SERIES])
            for index, day in enumerate(self.days)
        ]


@dataclass
class Overview:
    debate: Debate
    columns: list[Column]
    rows: list[Row]
    progress: Progress

    @classmethod
    def of(cls, debate: Debate, *, kind: str = "", state: str = "", invited: bool = False):
        questions = list(debate.questions.order_by("order"))
        columns = [Column(str(_("Opening")), (Answer.Part.OPENING, None))]
        columns += [
            Column(question.heading, (Answer.Part.QUESTION, question.pk)) for question in questions
        ]
        columns.append(Column(str(_("Closing")), (Answer.Part.CLOSING, None)))

        delegations = Delegation.objects.order_by("name")
        if debate.invited_only or invited:
            delegations = delegations.filter(invited_debates=debate)
        if kind:
            delegations = delegations.filter(kind=kind)
        statements = {
            row["delegation_id"]: row
            for row in Statement.objects.filter(debate=debate).values(
                "pk", "delegation_id", "status", "language", "created_at"
            )
        }
        answers = defaultdict(dict)
        for row in Answer.objects.filter(statement__debate=debate).values(
            "statement__delegation_id", "part", "question_id", "words", "no_position"
        ):
            key = (row["part"], row["question_id"])
            answers[row["statement__delegation_id"]][key] = row

        labels = {state: str(label) for state, label in State.choices}
        rows = []
        for delegation in delegations:
            statement = statements.get(delegation.pk)
            written = answers.get(delegation.pk, {})
            cells = [
                (state, labels[state])
                for state in (_cell(statement, written.get(column.key)) for column in columns)
            ]
            length = None
            if statement is not None:
                language = statement["language"]
                length = SpeakingTime.of(
                    sum(answer["words"] for answer in written.values()),
                    debate.rate_for(language),
                    debate.speaking_limit_seconds,
                    unit=facts(language).unit,
                )
            row = Row(delegation, statement, cells, length)
            if state and row.state != state:
                continue
            rows.append(row)
            for column, (cell, _label) in zip(columns, cells, strict=True):
                column.answered += cell in (State.DRAFTING, State.IN_REVIEW, State.FINAL)
                column.no_position += cell == State.NO_POSITION
        return cls(debate, columns, rows, _progress(debate, statements))


def _cell(statement: dict | None, answer: dict | None) -> str:
    if answer is not None and answer["no_position"]:
        return State.NO_POSITION
    if statement is None or answer is None or not answer["words"]:
        return State.NOT_STARTED
    return _STAGE[statement["status"]]


def _progress(debate: Debate, statements: dict[int, dict]) -> Progress:
    """Statements started, sent for review and made final, by day, up to today: one query."""
    firsts = {"started": [timezone.localdate(row["created_at"]) for row in statements.values()]}
    reached = {}
    moves = StatusChange.objects.filter(statement__debate=debate).order_by("at")
    for statement, status, at in moves.values_list("statement_id", "to_status", "at"):
        if status in (Statement.Status.IN_REVIEW, Statement.Status.FINAL):
            # Each statement counts once per stage, on the first day it reached it.
            reached.setdefault((statement, status), timezone.localdate(at))
    for (_statement, status), day in reached.items():
        firsts.setdefault(status, []).append(day)
    progress = Progress()
    if not firsts["started"]:
        return progress
    today = timezone.localdate()
    first_day = max(min(firsts["started"]), today - timedelta(days=CHART_DAYS - 1))
    progress.days = [first_day + timedelta(days=n) for n in range((today - first_day).days + 1)]
    for key, _label in SERIES:
        counts = Counter(firsts.get(key, []))
        before = sum(count for day, count in counts.items() if day < first_day)
        running, values = before, []
        for day in progress.days:
            running += counts.get(day, 0)
            values.append(running)
        progress.series[key] = values
    return progress
