"""A delegation's statement, as delivered: its document, built once from the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from debateprep.drafting.exports.document import (
    FRAME_LANGUAGE,
    Document,
    Heading,
    MarginNote,
    Paragraph,
)
from debateprep.drafting.exports.text import split_paragraphs, xml_safe
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.speech import SpeakingTime, count_in


class Marking(models.TextChoices):
    """What interpreters need to know before the speaker starts."""

    CHECK = "check", _("Check against delivery")
    VERBATIM = "verbatim", _("Read out verbatim")


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
        # The delegation's text is in the statement's language; what frames it is not.
        frame = FRAME_LANGUAGE
        language, rate = statement.language, statement.rate
        unit = statement.language_facts.unit
        blocks: list = [
            Paragraph(str(Marking(options.marking).label), role="marking", lang=frame),
            Paragraph(xml_safe(debate.meeting_line), role="meeting", lang=frame),
            Heading(title, level=1, lang=frame),
            Paragraph(f"Statement by {delegation}", role="byline", lang=frame),
        ]
        words = number = 0
        for answer in statement.answers_in_order():
            paragraphs = []
            for text in split_paragraphs(xml_safe(answer.text)):
                number += 1
                words += count_in(text, language)
                note = None
                if options.reading_copy:
                    elapsed = SpeakingTime.of(words, rate).clock
                    note = MarginNote(number, elapsed)
                paragraphs.append(Paragraph(text, note=note))
            if not paragraphs:
                continue
            # The closing has a heading of its own where questions have theirs: under no heading
            # it would read as part of the last question's answer.
            if options.headings and answer.part != Answer.Part.OPENING:
                blocks.append(Heading(xml_safe(answer.heading), lang=frame))
            blocks += paragraphs
        time = SpeakingTime.of(words, rate, debate.speaking_limit_seconds, unit=unit)
        notice = draft_notice(statement)
        return cls(
            kind="statement",
            title=f"Statement by {delegation}: {title}",
            blocks=blocks,
            lang=language,
            header=notice,
            footer=(
                f"{time.length} · about {time.clock} of speaking time at "
                f"{rate} {unit} per minute (limit {time.limit_clock}"
                f"{', over the limit' if time.over_limit else ''})"
            ),
            watermark="DRAFT" if notice else "",
            page_total=True,
            large_print=options.reading_copy,
        )
