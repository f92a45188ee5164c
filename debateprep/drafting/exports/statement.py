"""A delegation's statement, as delivered: its document, built once from the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from debateprep.drafting.exports.document import Document, Heading, MarginNote, Paragraph
from debateprep.drafting.exports.text import split_paragraphs, xml_safe
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.speech import SpeakingTime, count_words


class Marking(models.TextChoices):
    """What interpreters need to know before the speaker starts."""

    CHECK = "check", "Check against delivery"
    VERBATIM = "verbatim", "Read out verbatim"


@dataclass(frozen=True)
class ExportOptions:
    marking: str = Marking.CHECK
    headings: bool = True
    reading_copy: bool = False


def draft_notice(statement: Statement) -> str:
    if statement.is_locked:
        return ""
    status = statement.get_status_display()
    stage = "" if status == Statement.Status.DRAFT.label else f" ({status.lower()})"
    return f"DRAFT{stage}: not the final statement"


@dataclass(frozen=True)
class StatementDocument(Document):
    @classmethod
    def of(cls, statement: Statement, options: ExportOptions | None = None) -> StatementDocument:
        options = options or ExportOptions()
        debate = statement.debate
        delegation = xml_safe(statement.delegation.name)
        title = xml_safe(debate.title)
        blocks: list = [
            Paragraph(Marking(options.marking).label, role="marking"),
            Paragraph(xml_safe(debate.meeting_line), role="meeting"),
            Heading(title, level=1),
            Paragraph(f"Statement by {delegation}", role="byline"),
        ]
        words = number = 0
        for answer in statement.answers_in_order():
            paragraphs = []
            for text in split_paragraphs(xml_safe(answer.text)):
                number += 1
                words += count_words(text)
                note = None
                if options.reading_copy:
                    elapsed = SpeakingTime.of(words, debate.words_per_minute).clock
                    note = MarginNote(number, elapsed)
                paragraphs.append(Paragraph(text, note=note))
            if not paragraphs:
                continue
            # The closing has a heading of its own where questions have theirs: under no heading
            # it would read as part of the last question's answer.
            if options.headings and answer.part != Answer.Part.OPENING:
                blocks.append(Heading(xml_safe(answer.heading)))
            blocks += paragraphs
        time = SpeakingTime.of(words, debate.words_per_minute, debate.speaking_limit_seconds)
        notice = draft_notice(statement)
        return cls(
            kind="statement",
            title=f"Statement by {delegation}: {title}",
            blocks=blocks,
            header=notice,
            footer=(
                f"{time.words} words · about {time.clock} of speaking time at "
                f"{debate.words_per_minute} words per minute (limit {time.limit_clock}"
                f"{', over the limit' if time.over_limit else ''})"
            ),
            watermark="DRAFT" if notice else "",
            page_total=True,
            large_print=options.reading_copy,
        )
