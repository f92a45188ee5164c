"""Turning parsed letters into debates and guiding questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from debateprep.debates.letter import (
    GuidingQuestion,
    Letter,
    LetterError,
    decode_letter,
    parse_letter,
)
from debateprep.debates.models import Debate, Question


@dataclass
class LoadResult:
    source: str
    debate: Debate | None = None
    outcome: str = ""  # "created", "updated" or "unchanged"
    questions_added: int = 0
    questions_updated: int = 0
    kept_edits: list[int] = field(default_factory=list)
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"{self.source}: not loaded: {self.error}"
        count = self.debate.questions.count()
        line = f"{self.source}: {self.outcome} “{self.debate.slug}”, {count} guiding questions"
        changes = []
        if self.outcome == "updated":
            changes.append(f"{self.questions_added} added, {self.questions_updated} reworded")
        if self.kept_edits:
            numbers = ", ".join(str(order) for order in self.kept_edits)
            changes.append(f"kept the editors' wording of question {numbers} (--force replaces it)")
        return f"{line} ({'; '.join(changes)})" if changes else line


def _match_questions(
    parsed_questions: tuple[GuidingQuestion, ...], questions: list[Question]
) -> list[tuple[GuidingQuestion, Question | None]]:
    """Pair the letter's questions with the debate's: first by the wording they were loaded
    with, then, when the letter rewords some, by position among the rest.

    Never by order alone: editors reorder questions, and a revised letter may insert one, and
    either would otherwise move delegations' answers under another question.
    """
    by_wording = {question.letter_text: question for question in questions}
    pairs = [(parsed, by_wording.pop(parsed.text, None)) for parsed in parsed_questions]
    unpaired = [parsed for parsed, question in pairs if question is None]
    leftover = sorted(by_wording.values(), key=lambda question: question.order)
    if len(unpaired) == len(leftover):
        reworded = dict(zip((parsed.number for parsed in unpaired), leftover, strict=True))
        pairs = [(parsed, question or reworded[parsed.number]) for parsed, question in pairs]
    return pairs


def debate_slug(letter: Letter) -> str:
    when = letter.meeting_date or letter.letter_date
    return (
        slugify(f"{when.isoformat() if when else ''} {letter.presidency}")[:100]
        or slugify(letter.title)[:100]
    )


def load_letter_file(path: Path, **options) -> LoadResult:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return LoadResult(source=path.name, error=error.strerror or str(error))
    return load_letter_bytes(raw, source=path.name, **options)


def load_letter_bytes(raw: bytes, *, source: str, **options) -> LoadResult:
    try:
        letter = parse_letter(decode_letter(raw))
    except LetterError as error:
        return LoadResult(source=source, error=str(error))
    return load_letter(letter, source=source, **options)


@transaction.atomic
def load_letter(
    letter: Letter, *, source: str, force: bool = False, publish: bool = True
) -> LoadResult:
    """Create the letter's debate, or bring its questions up to date with the letter.

    An editor's rewording survives a reload unless `force`; questions and answers are never
    deleted, since delegations may have answered them. `publish` applies to a new debate only:
    on a reload the editors' choice stands.
    """
    result = LoadResult(source=source)
    debate, created = Debate.objects.get_or_create(
        slug=debate_slug(letter),
        defaults={
            "title": letter.title,
            "meeting_date": letter.meeting_date,
            "presidency": letter.presidency,
            "organ": letter.organ or "Security Council",
            "letter_heading": letter.heading,
            "letter_date": letter.letter_date,
            "distribution_date": letter.distribution_date,
            "signatory": letter.signatory,
            "outcome": letter.outcome,
            "meeting_kind": letter.meeting_kind,
            "letter_text": letter.text,
            "source_name": source,
            "status": Debate.Status.PUBLISHED if publish else Debate.Status.DRAFT,
        },
    )
    result.debate = debate
    questions = list(debate.questions.all())
    next_order = max((question.order for question in questions), default=0) + 1
    for parsed, question in _match_questions(letter.questions, questions):
        if question is None:
            Question.objects.create(
                debate=debate,
                order=next_order,
                marker=parsed.marker,
                label=parsed.label,
                text=parsed.text,
                letter_label=parsed.label,
                letter_text=parsed.text,
                source_paragraph=parsed.paragraph,
            )
            next_order += 1
            result.questions_added += 1
            continue
        wording = (parsed.text, parsed.label)
        if (
            wording
            == (question.text, question.label)
            == (question.letter_text, question.letter_label)
        ):
            continue
        if question.edited_since_loaded and not force:
            result.kept_edits.append(question.order)
            continue
        question.marker, question.label, question.text = parsed.marker, parsed.label, parsed.text
        question.letter_label, question.letter_text = parsed.label, parsed.text
        question.source_paragraph = parsed.paragraph
        question.save()
        result.questions_updated += 1
    if created:
        result.outcome = "created"
    elif result.questions_added or result.questions_updated:
        result.outcome = "updated"
    else:
        result.outcome = "unchanged"
    return result
