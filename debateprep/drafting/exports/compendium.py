"""A debate's compendium: every delegation's statement, question by question, for editors.

Its document, built once from the database in three queries (four on an invitation-only debate)
however many delegations there are, carries the data of the CSV and the JSON as well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.text import Truncator

from debateprep.debates.models import Debate
from debateprep.drafting.exports.document import Document, Heading, Paragraph, Records, Table
from debateprep.drafting.exports.text import split_paragraphs, xml_safe
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.languages import facts

# The data formats give every time in UTC, and say so.
TIME_ZONE = "UTC"
CSV_COLUMNS = [
    "debate",
    "delegation_code",
    "delegation",
    "status",
    "language",
    "part",
    "question_order",
    "question_label",
    "answer",
    "words",
    "unit",
    "updated_at_utc",
]
NOT_STARTED = "not_started"
OPENING, QUESTION, CLOSING = Answer.Part.OPENING, Answer.Part.QUESTION, Answer.Part.CLOSING


def utc(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC: 2004-07-20T14:03:00Z."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _em(text: str) -> float:
    """About how wide a bold word of Times is, in ems: capitals are wider."""
    return sum(0.75 if char.isupper() else 0.3 if char == " " else 0.55 for char in text)


def _column_width(header: str, cells: list[str], cap: float = 16) -> float:
    """Wide enough for its header and its longest word, with the cell's padding: a column
    narrower than a word breaks it mid-word."""
    words = [word for text in [header, *cells] for word in text.split()]
    return min(max(_em(word) for word in words) + 1.5, cap) if words else 2


@dataclass(frozen=True)
class _Answer:
    """An answer's text made safe and its words counted, once for every format."""

    part: str
    question_order: int | None
    text: str
    words: int
    version: int
    updated_at: str | None

    @classmethod
    def of(cls, answer: Answer) -> _Answer:
        return cls(
            part=answer.part,
            question_order=answer.question.order if answer.question else None,
            text=xml_safe(answer.text),
            words=answer.words,
            version=answer.version,
            updated_at=utc(answer.updated_at),
        )


@dataclass
class _Statement:
    code: str
    delegation: str
    status: str
    status_label: str
    # Its language, and the unit its answers' `words` count (words, or characters for Chinese).
    language: str
    unit: str
    answers: dict[tuple[str, int | None], _Answer]
    data: dict

    @property
    def speaker(self) -> str:
        return f"{self.delegation} ({self.status_label}): "

    def answer(self, part: str, order: int | None = None) -> _Answer | None:
        return self.answers.get((part, order))

    def answered(self, part: str, order: int | None = None) -> bool:
        answer = self.answer(part, order)
        return bool(answer and answer.text.strip())


def _statements(debate: Debate) -> list[_Statement]:
    """Every statement on the debate, whatever its status (the coverage table says which); on
    an invitation-only debate, the invited delegations that have not started one too."""
    statements = (
        Statement.objects.filter(debate=debate)
        .select_related("delegation")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
    )
    found = []
    for statement in statements:
        answers = [
            _Answer.of(answer) for answer in sorted(statement.answers.all(), key=Answer.sort_key)
        ]
        name = xml_safe(statement.delegation.name)
        unit = statement.language_facts.unit
        found.append(
            _Statement(
                code=statement.delegation.code,
                delegation=name,
                status=statement.status,
                status_label=statement.get_status_display(),
                language=statement.language,
                unit=unit.value,
                answers={(a.part, a.question_order): a for a in answers},
                data={
                    "delegation_code": statement.delegation.code,
                    "delegation": name,
                    "status": statement.status,
                    "status_label": statement.get_status_display(),
                    "language": statement.language,
                    "unit": unit.value,
                    "status_changed_at": utc(statement.status_changed_at),
                    "created_at": utc(statement.created_at),
                    "answers": [dataclasses.asdict(answer) for answer in answers],
                },
            )
        )
    if debate.invited_only:
        for delegation in debate.invited_delegations.exclude(statements__debate=debate):
            name = xml_safe(delegation.name)
            unit = facts(delegation.language).unit
            found.append(
                _Statement(
                    code=delegation.code,
                    delegation=name,
                    status=NOT_STARTED,
                    status_label="Not started",
                    language=delegation.language,
                    unit=unit.value,
                    answers={},
                    data={
                        "delegation_code": delegation.code,
                        "delegation": name,
                        "status": NOT_STARTED,
                        "status_label": "Not started",
                        "language": delegation.language,
                        "unit": unit.value,
                        "status_changed_at": None,
                        "created_at": None,
                        "answers": [],
                    },
                )
            )
    return sorted(found, key=lambda statement: statement.delegation)


@dataclass(frozen=True)
class CompendiumDocument(Document):
    @classmethod
    def of(cls, debate: Debate) -> CompendiumDocument:
        questions = list(debate.questions.all())
        statements = _statements(debate)
        exported_at = timezone.now()
        local = timezone.localtime(exported_at)
        title = xml_safe(debate.title)
        total = len(questions)

        blocks: list = [
            Paragraph(xml_safe(debate.meeting_line), role="meeting"),
            Heading(title, level=1),
            Paragraph(
                f"Compendium of statements: {len(statements)} "
                f"statement{pluralize(len(statements))} on {total} "
                f"guiding question{pluralize(total)}, "
                f"exported {local:%-d %B %Y at %H:%M} ({local:%Z})."
            ),
            Heading("Coverage"),
        ]
        for question in questions:
            gist = xml_safe(question.label) or Truncator(xml_safe(question.text)).words(12)
            blocks.append(Paragraph(f"Q{question.order}: {gist}", role="item"))
        header = ["Delegation", "Status", *(f"Q{q.order}" for q in questions), "Answered"]
        rows = []
        for statement in statements:
            answered = [statement.answered(QUESTION, q.order) for q in questions]
            rows.append(
                [
                    statement.delegation,
                    statement.status_label,
                    *("✓" if yes else "" for yes in answered),
                    f"{sum(answered)}/{total}",
                ]
            )
        columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
        blocks.append(
            Table(
                header=header,
                rows=rows,
                widths=[_column_width(column[0], list(column[1:])) for column in columns],
                marks=frozenset(range(2, 2 + total)),
            )
        )

        def answers(part: str, order: int | None, nobody: str) -> None:
            speakers = 0
            for statement in statements:
                answer = statement.answer(part, order)
                if not (answer and answer.text.strip()):
                    continue
                speakers += 1
                # The delegation leads its answer's first paragraph, in bold, as compendiums
                # print it.
                for index, text in enumerate(split_paragraphs(answer.text)):
                    lead = "" if index else statement.speaker
                    blocks.append(Paragraph(text, lead=lead, lang=statement.language))
            if not speakers:
                blocks.append(Paragraph(nobody))

        # Openings and closings are where delegations align themselves with a group: sections of
        # their own, before and after the questions.
        blocks.append(Heading("Openings"))
        answers(OPENING, None, "No delegation has written an opening.")
        for question in questions:
            label = xml_safe(question.label)
            blocks.append(
                Heading(f"{question.order}. {label}" if label else xml_safe(question.heading))
            )
            blocks.append(Paragraph(xml_safe(question.text), role="question"))
            answers(QUESTION, question.order, "No delegation has answered this question.")
        blocks.append(Heading("Closings"))
        answers(CLOSING, None, "No delegation has written a closing.")
        blocks.append(Paragraph("End of the compendium."))

        return cls(
            kind="compendium",
            title=f"Compendium: {title}",
            blocks=blocks,
            footer=f"Compendium · {title}",
            data=cls._data(debate, questions, statements, exported_at),
            records=cls._records(debate, questions, statements),
        )

    @staticmethod
    def _data(debate, questions, statements, exported_at) -> dict:
        return {
            "time_zone": TIME_ZONE,
            "debate": {
                "slug": debate.slug,
                "title": xml_safe(debate.title),
                "organ": xml_safe(debate.organ),
                "meeting_kind": xml_safe(debate.meeting_kind),
                "meeting_date": debate.meeting_date.isoformat() if debate.meeting_date else None,
                "meeting": xml_safe(debate.meeting_line),
            },
            "exported_at": utc(exported_at),
            "questions": [
                {
                    "order": question.order,
                    "marker": xml_safe(question.marker),
                    "label": xml_safe(question.label),
                    "heading": xml_safe(question.heading),
                    "text": xml_safe(question.text),
                }
                for question in questions
            ],
            "statements": [statement.data for statement in statements],
        }

    @staticmethod
    def _records(debate, questions, statements) -> Records:
        """One row per delegation and part, written or not: the opening, each question, the
        closing."""
        parts = [
            (OPENING, None, ""),
            *((QUESTION, q.order, xml_safe(q.heading)) for q in questions),
            (CLOSING, None, ""),
        ]
        rows = []
        for statement in statements:
            for part, order, label in parts:
                answer = statement.answer(part, order)
                rows.append(
                    {
                        "debate": debate.slug,
                        "delegation_code": statement.code,
                        "delegation": statement.delegation,
                        "status": statement.status,
                        "language": statement.language,
                        "part": part,
                        "question_order": order if order is not None else "",
                        "question_label": label,
                        "answer": answer.text if answer else "",
                        "words": answer.words if answer else 0,
                        "unit": statement.unit,
                        "updated_at_utc": (answer.updated_at or "") if answer else "",
                    }
                )
        return Records(CSV_COLUMNS, rows)
