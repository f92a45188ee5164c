"""Turning parsed letters into debates and guiding questions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import chain, count
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.text import Truncator, slugify

from debateprep.debates.extraction import check_size, extract_text
from debateprep.debates.letter import (
    NO_MEETING_DATE,
    GuidingQuestion,
    Letter,
    LetterError,
    parse_letter,
)
from debateprep.debates.models import Debate, Question

_SLUG_LENGTH = Debate._meta.get_field("slug").max_length
_TITLE_WORDS_IN_SLUG = 8


@dataclass
class LoadResult:
    source: str
    debate: Debate | None = None
    outcome: str = ""  # "created", "updated" or "unchanged"
    questions_added: int = 0
    questions_updated: int = 0
    questions_removed: int = 0
    kept_edits: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    error_details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.error:
            lines = [f"{self.source}: not loaded: {self.error}"]
            return "\n".join(lines + [f"  {detail}" for detail in self.error_details])
        total = self.debate.questions.count()
        line = f"{self.source}: {self.outcome} “{self.debate.slug}”, {total} guiding questions"
        changes = []
        if self.outcome == "updated":
            changes.append(
                f"{self.questions_added} added, {self.questions_updated} reworded"
                + (f", {self.questions_removed} removed" if self.questions_removed else "")
            )
        if self.kept_edits:
            numbers = ", ".join(str(order) for order in self.kept_edits)
            changes.append(f"kept the editors' wording of question {numbers} (--force replaces it)")
        changes += self.notes
        return f"{line} ({'; '.join(changes)})" if changes else line


def _match_questions(
    parsed_questions: tuple[GuidingQuestion, ...], questions: list[Question]
) -> list[tuple[GuidingQuestion, Question | None]]:
    """Pair the letter's questions with the debate's: first by the wording they were loaded
    with; then each reworded question with the closest in wording of the rest; then, when as
    many are left on both sides, by position among them.

    Never by order alone: editors reorder questions, and a revised letter may insert one, and
    either would otherwise move delegations' answers under another question. Questions editors
    added never came from the letter, so no question of the letter is theirs.
    """
    from_letter = [question for question in questions if question.letter_text]
    by_wording = {question.letter_text: question for question in from_letter}
    pairs = [(parsed, by_wording.pop(parsed.text, None)) for parsed in parsed_questions]
    leftover = sorted(by_wording.values(), key=lambda question: question.order)
    for index, (parsed, question) in enumerate(pairs):
        if question is None and (closest := _closest(parsed.text, leftover)):
            leftover.remove(closest)
            pairs[index] = (parsed, closest)
    unpaired = [parsed for parsed, question in pairs if question is None]
    if len(unpaired) == len(leftover):
        reworded = dict(zip((parsed.number for parsed in unpaired), leftover, strict=True))
        pairs = [(parsed, question or reworded[parsed.number]) for parsed, question in pairs]
    return pairs


# How alike two wordings must be to be one question reworded rather than two questions.
_REWORDED = 0.6


def _closest(text: str, questions: list[Question]) -> Question | None:
    words = text.casefold().split()
    scored = [
        (SequenceMatcher(None, words, question.letter_text.casefold().split()).ratio(), question)
        for question in questions
    ]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= _REWORDED else None


def _answers(count: int) -> str:
    return f"{count} answer{'s' if count > 1 else ''}"


def _affected_answers(
    pairs: list[tuple[GuidingQuestion, Question | None]], dropped: list[Question]
) -> list[str]:
    """What a reload would change under delegations' answers: a question paired with one the
    letter words differently (unless it keeps an editor's wording), and an answered question
    the letter no longer asks, which is kept."""
    reworded = [
        f"question {question.order}: “{question.text}” → “{parsed.text}” "
        f"({_answers(question.answered)})"
        for parsed, question in pairs
        if question is not None
        and question.answered
        and parsed.text != question.letter_text
        and not question.edited_since_loaded
    ]
    withdrawn = [
        f"question {question.order}: “{question.text}” is not in this letter "
        f"({_answers(question.answered)}): it is kept, to be deleted in the admin if withdrawn"
        for question in dropped
        if question.answered
    ]
    return reworded + withdrawn


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def debate_loaded_from(letter: Letter) -> Debate | None:
    """The debate this letter was loaded as, if any.

    A presidency may hold two debates on one day, and taking one for the other would put
    delegations' answers under questions they never answered, so the title must match too.
    """
    if letter.meeting_date:
        same_day = Debate.objects.filter(meeting_date=letter.meeting_date)
    else:
        # Editors set the meeting date of such a debate later; the letter's own date stays.
        same_day = Debate.objects.filter(letter_date=letter.letter_date)
    identity = (_normalised(letter.presidency), _normalised(letter.title))
    return next(
        (
            debate
            for debate in same_day.order_by("pk")
            if (_normalised(debate.presidency), _normalised(debate.title)) == identity
        ),
        None,
    )


def _clip(slug: str, length: int = _SLUG_LENGTH) -> str:
    """The slug cut to `length` at a word boundary where it has one."""
    if len(slug) <= length:
        return slug
    head = slug[: length + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:length]


def _unique_slug(letter: Letter) -> str:
    """The date and presidency ("2004-07-20-romania"); when the letter lacks one of them, or
    another debate holds that slug, the title's first words follow; then -2, -3..."""
    when = letter.meeting_date or letter.letter_date
    dated = _clip(slugify(f"{when.isoformat() if when else ''} {letter.presidency}"))
    title_words = "-".join(slugify(letter.title).split("-")[:_TITLE_WORDS_IN_SLUG])
    # A title in a script slugify drops leaves nothing of its own.
    titled = _clip(f"{dated}-{title_words}".strip("-")) or "debate"
    named = [dated, titled] if when and letter.presidency else [titled]
    numbered = (f"{_clip(titled, _SLUG_LENGTH - len(str(n)) - 1)}-{n}" for n in count(2))
    return next(
        slug for slug in chain(named, numbered) if not Debate.objects.filter(slug=slug).exists()
    )


def _new_debate(letter: Letter, *, source: str, publish: bool) -> Debate:
    return Debate(
        title=letter.title,
        meeting_date=letter.meeting_date,
        presidency=letter.presidency,
        organ=letter.organ or "Security Council",
        letter_heading=letter.heading,
        sender=letter.sender,
        symbol=letter.symbol,
        letter_date=letter.letter_date,
        distribution_date=letter.distribution_date,
        signatory=letter.signatory,
        outcome=letter.outcome,
        meeting_kind=letter.meeting_kind,
        letter_text=letter.text,
        source_name=source,
        status=Debate.Status.PUBLISHED if publish else Debate.Status.DRAFT,
    )


def _new_question(parsed: GuidingQuestion, *, debate: Debate, order: int) -> Question:
    return Question(
        debate=debate,
        order=order,
        marker=parsed.marker,
        label=parsed.label,
        text=parsed.text,
        letter_label=parsed.label,
        letter_text=parsed.text,
        source_paragraph=parsed.paragraph,
    )


def _invalid_fields(instance: models.Model, exclude: list[str], prefix: str = "") -> list[str]:
    """The model's own validation, so that a value too long for its column is named here
    instead of failing on PostgreSQL, or being kept whole by SQLite."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"{prefix}{_field_name(instance, name)}{' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return []


def _field_name(instance: models.Model, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    return f"{instance._meta.get_field(name).verbose_name}: "


def _problems(letter: Letter, debate: Debate) -> list[str]:
    """Why the letter cannot become a debate; nothing is written unless this is empty."""
    problems = [] if letter.title else ["no title found"]
    if not letter.questions:
        problems.append("no guiding questions found")
    problems += _invalid_fields(debate, exclude=["slug"] + ([] if letter.title else ["title"]))
    for parsed in letter.questions:
        question = _new_question(parsed, debate=debate, order=parsed.number)
        problems += _invalid_fields(
            question, exclude=["debate"], prefix=f"question {parsed.number} "
        )
    return problems


def load_letter_file(path: Path, **options) -> LoadResult:
    try:
        # Refused before it is read: a file given by mistake may be a large one.
        check_size(path.stat().st_size)
        raw = path.read_bytes()
    except LetterError as error:
        return LoadResult(source=path.name, error=str(error))
    except OSError as error:
        return LoadResult(source=path.name, error=error.strerror or str(error))
    return load_letter_bytes(raw, source=path.name, **options)


def load_letter_bytes(raw: bytes, *, source: str, **options) -> LoadResult:
    """Load a PDF, Word (.docx) or text file, recognised by its content, not by its name."""
    try:
        letter = parse_letter(extract_text(raw, source))
    except LetterError as error:
        return LoadResult(source=source, error=str(error))
    # What the checks before writing did not foresee fails this letter alone, not the others.
    try:
        return load_letter(letter, source=source, debate=debate_loaded_from(letter), **options)
    except ValidationError as error:
        return LoadResult(source=source, error="; ".join(error.messages))
    except DatabaseError as error:
        return LoadResult(source=source, error=f"database error: {error}")


@transaction.atomic
def load_letter(
    letter: Letter,
    *,
    source: str,
    debate: Debate | None = None,
    force: bool = False,
    publish: bool = True,
    strict: bool = False,
) -> LoadResult:
    """Create the letter's debate, or bring `debate`'s questions up to date with the letter.

    An editor's rewording survives a reload unless `force`, and so does the wording of a
    question delegations have answered. A question the letter no longer asks is deleted if
    nobody has written under it, else kept; answers are never deleted, and the editors' order
    of questions stands. `publish` applies to a new debate with a meeting date only: on a
    reload the editors' choice stands. What the parser is unsure of is reported with the
    result, or, if `strict`, refuses the letter.
    """
    result = LoadResult(source=source)
    dated = letter.meeting_date is not None
    new_debate = _new_debate(letter, source=source, publish=publish and dated)
    if problems := _problems(letter, new_debate):
        result.error = "; ".join(problems)
        return result
    if strict and letter.warnings:
        result.error = "refused under --strict, as the parser is unsure of it:"
        result.error_details = list(letter.warnings)
        return result
    # A letter without a meeting date is loaded as a draft, and the note below says so.
    result.notes += [f"check: {w}" for w in letter.warnings if w != NO_MEETING_DATE]

    questions = []
    if debate is not None:
        answered = models.Count("answers", filter=~models.Q(answers__text=""), distinct=True)
        # An answer emptied again still has its history.
        revised = models.Count("answers__revisions", distinct=True)
        questions = list(debate.questions.annotate(answered=answered, revised=revised))
    pairs = _match_questions(letter.questions, questions)
    paired = {question.pk for _, question in pairs if question is not None}
    dropped = [q for q in questions if q.letter_text and q.pk not in paired]
    if not force and (affected := _affected_answers(pairs, dropped)):
        result.error = (
            "it changes questions that delegations have answered: a reworded question's "
            "answers would stand under a question they did not answer (force the load to go "
            "ahead anyway):"
        )
        result.error_details = affected
        return result

    created = debate is None
    if created:
        debate = new_debate
        debate.slug = _unique_slug(letter)
        debate.save()
        if not dated:
            result.notes.append(
                f"loaded as a draft: {NO_MEETING_DATE}; set it in the admin before publishing"
            )
    result.debate = debate
    kept = [question for question in dropped if question.answered or question.revised]
    if removed := [question for question in dropped if question not in kept]:
        for question in removed:
            # Statements hold an empty answer for every question; nobody typed in these.
            question.answers.all().delete()
            question.delete()
        result.questions_removed = len(removed)
    result.notes += [
        f"“{Truncator(question.text).words(8)}” is not in this letter: kept, as delegations "
        "wrote under it"
        for question in kept
    ]
    next_order = max((question.order for question in questions), default=0) + 1
    for parsed, question in pairs:
        if question is None:
            _new_question(parsed, debate=debate, order=next_order).save()
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
    if removed:
        _close_gaps(debate)
    kept_order = [question.order for _, question in pairs if question is not None]
    if kept_order != sorted(kept_order):
        result.notes.append(
            "the letter orders its questions differently: the debate keeps its order"
        )
    # Delegations read the letter beside its questions: a letter that changes them replaces
    # the text (the same letter in another format, laid out differently, does not).
    changed = result.questions_added or result.questions_updated or result.questions_removed
    revised_text = not created and changed and debate.letter_text != letter.text
    if revised_text:
        debate.letter_text, debate.source_name = letter.text, source
        debate.symbol = letter.symbol or debate.symbol
        debate.save(update_fields=["letter_text", "source_name", "symbol", "updated_at"])
        result.notes.append("the letter's text is the revised one")
    if created:
        result.outcome = "created"
    elif changed:
        result.outcome = "updated"
    else:
        result.outcome = "unchanged"
    return result


def _close_gaps(debate: Debate) -> None:
    """Number the debate's questions 1, 2, 3... again in their order, once some were deleted.
    They are first moved above every order in use, as the order is unique per debate and
    checked row by row."""
    questions = list(debate.questions.order_by("order"))
    above = max(question.order for question in questions)
    debate.questions.update(order=models.F("order") + above)
    for number, question in enumerate(questions, start=1):
        question.order = number
    Question.objects.bulk_update(questions, ["order"])


def corrected_letter(letter: Letter, *, fields: dict, questions: list[dict]) -> Letter:
    """The parsed letter with the fields and questions an editor corrected in the preview;
    what the preview does not show (sections, the text) stays as parsed. The parser's
    warnings are dropped: the editor has seen them, and they number the parsed questions."""
    return replace(
        letter,
        **fields,
        warnings=(),
        questions=tuple(
            GuidingQuestion(
                number=number,
                marker=question.get("marker", ""),
                label=question.get("label", ""),
                text=question["text"],
                paragraph=question.get("paragraph") or question["text"],
            )
            for number, question in enumerate(questions, start=1)
        ),
    )


def _folded(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


def marked_source(text: str, paragraphs: list[tuple[int, str]]) -> list[dict]:
    """The source's lines, each with the number of the question found on it, if any.

    The parser rejoins lines, drops page headers and mends broken words, so a paragraph is
    looked for whitespace-insensitively, whole, else from its first words to its last: a
    best effort, for the editor's eye only.
    """
    lines = text.splitlines()
    folded: list[str] = []
    line_of: list[int] = []
    for number, line in enumerate(lines):
        for char in f"{line}\n":
            if char.isspace():
                if folded and folded[-1] == " ":
                    continue
                char = " "
            folded.append(_folded(char))
            line_of.append(number)
    haystack = "".join(folded)
    question_of: dict[int, int] = {}
    for question, paragraph in paragraphs:
        for part in paragraph.split("\n\n"):
            span = _find(haystack, part)
            if span:
                for index in range(line_of[span[0]], line_of[span[1] - 1] + 1):
                    question_of.setdefault(index, question)
    return [{"text": line, "question": question_of.get(n)} for n, line in enumerate(lines)]


def _find(haystack: str, paragraph: str, words: int = 6) -> tuple[int, int] | None:
    needle = "".join(_folded(char) for char in " ".join(paragraph.split()))
    if not needle:
        return None
    if (start := haystack.find(needle)) >= 0:
        return start, start + len(needle)
    parts = needle.split(" ")
    head, tail = " ".join(parts[:words]), " ".join(parts[-words:])
    start = haystack.find(head)
    end = haystack.find(tail, start + len(head)) if start >= 0 else -1
    if start < 0 or end < 0 or end - start > 4 * len(needle):
        return None
    return start, end + len(tail)
