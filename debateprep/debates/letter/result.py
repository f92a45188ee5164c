"""What the parser gives: a letter with its sections and guiding questions, or a
LetterError saying why the text cannot be read as one."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

NO_MEETING_DATE = _("no meeting date found")
NO_QUESTIONS = _("no guiding questions found")


class LetterError(ValueError):
    """The text cannot be read as a letter; the message says why, for the user."""


@dataclass(frozen=True)
class Section:
    heading: str
    kind: str
    text: str


@dataclass(frozen=True)
class GuidingQuestion:
    number: int
    marker: str
    label: str
    text: str
    paragraph: str


@dataclass(frozen=True)
class Letter:
    organ: str
    distribution_date: date | None
    letter_date: date | None
    heading: str
    sender: str
    signatory: str
    title: str
    meeting_date: date | None
    presidency: str
    sections: tuple[Section, ...]
    outcome: str
    meeting_kind: str
    questions: tuple[GuidingQuestion, ...]
    text: str
    # What an editor should check: "no meeting date found", "question 2 spans a page break"...
    warnings: tuple[str, ...] = ()
    # The document symbol the letter was circulated under, e.g. "S/2024/321".
    symbol: str = ""
