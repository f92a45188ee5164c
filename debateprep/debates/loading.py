"""Turning parsed letters into debates and guiding questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import chain, count
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from debateprep.debates.extraction import check_size, extract_text
from debateprep.debates.letter import (
    NO_MEETING_DATE,
    NO_QUESTIONS,
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
    fields_updated: bool = False
    kept_edits: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    error_details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.error:
            lines = [f"{self.source}: not loaded: {self.error}"]
            return "\n".join(lines + [f"  {detail}" for detail in self.error_details])
        total = self.debate.questions.count()
        questions = f"{total} guiding question{'' if total == 1 else 's'}"
        line = f"{self.source}: {self.outcome} “{self.debate.slug}”, {questions}"
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


@dataclass
class Row:
    """One guiding question as a load leaves it: the preview shows these rows for the editor to
    correct, and a load applies them, in their order."""

    text: str
    marker: str = ""
    label: str = ""
    paragraph: str = ""
    # The letter's own wording this question stands for: parts joined by a blank line when an
    # editor merged questions, "" for a question an editor added.
    wording: str = ""
    # The debate's question this row is, when it updates one.
    question: int | None = None
    # An editor's wording kept although the letter words the question otherwise.
    kept_edit: bool = False

    @classmethod
    def parsed(cls, parsed: GuidingQuestion) -> Row:
        return cls(parsed.text, parsed.marker, parsed.label, parsed.paragraph, parsed.text)

    @classmethod
    def of(cls, question: Question) -> Row:
        return cls(
            question.text,
            question.marker,
            question.label,
            question.source_paragraph,
            question.letter_text,
            question.pk,
        )


def parts(wording: str) -> list[str]:
    """The letter's questions a wording stands for: more than one where an editor merged."""
    return [part for part in wording.split("\n\n") if part.strip()]


def plan(letter: Letter, debate: Debate | None, *, force: bool = False) -> list[Row]:
    """The debate's questions once `letter` is loaded into it: the debate's own, in its order,
    then the questions the letter adds.

    A question of the letter is the debate's question loaded with that wording; else the one,
    of those the letter no longer asks, closest in wording (the letter rewords it); else new.
    Never by number: editors reorder questions and a revised letter may insert one, and either
    would put delegations' answers under another question. An editor's wording stays unless
    `force`. A question the letter no longer asks stays, for an editor to delete.
    """
    if debate is None:
        return [Row.parsed(parsed) for parsed in letter.questions]
    questions = list(debate.questions.order_by("order"))
    rows = {question.pk: Row.of(question) for question in questions}
    asked = {parsed.text for parsed in letter.questions}
    known = {part for question in questions for part in parts(question.letter_text)}
    leftover = [
        question
        for question in questions
        if question.letter_text and not asked.intersection(parts(question.letter_text))
    ]
    by_wording = {question.letter_text: question for question in questions}
    new = []
    for parsed in letter.questions:
        if parsed.text in known:
            question = by_wording.get(parsed.text)
            if question is not None and question.edited_since_loaded:
                _take_letters_wording(rows[question.pk], parsed, force=force)
            continue
        closest = _closest(parsed.text, leftover)
        if closest is None:
            new.append(Row.parsed(parsed))
            continue
        leftover.remove(closest)
        rows[closest.pk].wording = parsed.text
        if closest.edited_since_loaded:
            _take_letters_wording(rows[closest.pk], parsed, force=force)
        else:
            _take_letters_wording(rows[closest.pk], parsed, force=True)
    return [*rows.values(), *new]


def _take_letters_wording(row: Row, parsed: GuidingQuestion, *, force: bool) -> None:
    """The letter's wording replaces the row's if `force`; else the editor's stays."""
    if not force:
        row.kept_edit = True
        return
    row.text, row.marker, row.label = parsed.text, parsed.marker, parsed.label
    row.paragraph = parsed.paragraph


def _answers(count: int) -> str:
    return ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}


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


def _debate_fields(letter: Letter) -> dict:
    """The debate's fields a letter gives."""
    return {
        "title": letter.title,
        "meeting_date": letter.meeting_date,
        "presidency": letter.presidency,
        "organ": letter.organ or "Security Council",
        "letter_heading": letter.heading,
        "sender": letter.sender,
        "symbol": letter.symbol,
        "letter_date": letter.letter_date,
        "distribution_date": letter.distribution_date,
        "signatory": letter.signatory,
        "outcome": letter.outcome,
        "meeting_kind": letter.meeting_kind,
    }


def _new_debate(letter: Letter, *, source: str, publish: bool) -> Debate:
    return Debate(
        **_debate_fields(letter),
        letter_text=letter.text,
        source_name=source,
        status=Debate.Status.PUBLISHED if publish else Debate.Status.DRAFT,
    )


def _new_question(row: Row, *, debate: Debate, order: int) -> Question:
    return Question(
        debate=debate,
        order=order,
        marker=row.marker,
        label=row.label,
        text=row.text,
        letter_label=row.label if row.wording else "",
        letter_text=row.wording,
        source_paragraph=row.paragraph,
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


def _problems(letter: Letter, debate: Debate, rows: list[Row]) -> list[str]:
    """Why the letter cannot become a debate; nothing is written unless this is empty."""
    problems = [] if letter.title else [_("no title found")]
    if not rows:
        problems.append(str(NO_QUESTIONS))
    problems += _invalid_fields(debate, exclude=["slug"] + ([] if letter.title else ["title"]))
    for number, row in enumerate(rows, start=1):
        question = _new_question(row, debate=debate, order=number)
        problems += _invalid_fields(
            question, exclude=["debate"], prefix=_("question %(number)s ") % {"number": number}
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
    rows: list[Row] | None = None,
    fields: bool = False,
    force: bool = False,
    publish: bool = True,
    strict: bool = False,
) -> LoadResult:
    """Create the letter's debate, or bring `debate` up to date with the letter: its questions
    become `rows` (by default the `plan`), and, if `fields`, its fields the letter's.

    Answers are never deleted, nor moved to another question: a question delegations answered
    is reworded only if `force` (else the load is refused, listing them), and a question that
    has no row any more is deleted only if nobody wrote under it. `publish` applies to a new
    debate with a meeting date only: on a reload the editors' choice stands. What the parser is
    unsure of is reported with the result, or, if `strict`, refuses the letter.
    """
    result = LoadResult(source=source)
    rows = plan(letter, debate, force=force) if rows is None else rows
    dated = letter.meeting_date is not None
    new_debate = _new_debate(letter, source=source, publish=publish and dated)
    if problems := _problems(letter, new_debate, rows):
        result.error = "; ".join(problems)
        return result
    if strict and letter.warnings:
        result.error = _("refused under --strict, as the parser is unsure of it:")
        result.error_details = list(letter.warnings)
        return result
    # A letter without a meeting date is loaded as a draft, and the note below says so.
    result.notes += [
        _("check: %(warning)s") % {"warning": w} for w in letter.warnings if w != NO_MEETING_DATE
    ]

    questions = {}
    if debate is not None:
        answered = models.Count("answers", filter=~models.Q(answers__text=""), distinct=True)
        # An answer emptied again still has its history.
        revised = models.Count("answers__revisions", distinct=True)
        questions = {
            question.pk: question
            for question in debate.questions.annotate(answered=answered, revised=revised)
        }
    if any(row.question is not None and row.question not in questions for row in rows):
        result.error = _("the questions were changed meanwhile: load the letter again")
        return result
    if not force and (reworded := _rewords_answered(rows, questions)):
        result.error = _(
            "it rewords questions that delegations have answered, whose answers would then "
            "stand under a question they did not answer (to reword them anyway, confirm in the "
            "preview, or load with --force):"
        )
        result.error_details = reworded
        return result

    created = debate is None
    if created:
        debate = new_debate
        debate.slug = _unique_slug(letter)
        debate.save()
        if not dated:
            result.notes.append(
                _("loaded as a draft: %(reason)s; set it in the admin before publishing")
                % {"reason": NO_MEETING_DATE}
            )
    result.debate = debate
    asked = {parsed.text for parsed in letter.questions}
    result.notes += [
        _(
            "question %(number)s “%(start)s” is not in this letter: kept, for an editor to "
            "delete if it was withdrawn"
        )
        % {"number": question.order, "start": Truncator(question.text).words(8)}
        for row in rows
        if (question := questions.get(row.question)) is not None
        and question.letter_text
        and not asked.intersection(parts(row.wording))
    ]
    kept = _remove_questions(questions, rows, result)
    _place_questions(debate, questions, _with_kept(rows, kept, questions), result)
    if not created and fields and _update_fields(debate, letter):
        result.notes.append(_("the debate's details were updated"))
        result.fields_updated = True
    # Delegations read the letter beside its questions: a letter that changes them replaces
    # the text (the same letter in another format, laid out differently, does not).
    changed = result.questions_added or result.questions_updated or result.questions_removed
    if not created and changed and debate.letter_text != letter.text:
        debate.letter_text, debate.source_name = letter.text, source
        debate.symbol = letter.symbol or debate.symbol
        debate.save(update_fields=["letter_text", "source_name", "symbol", "updated_at"])
        result.notes.append("the letter's text is the revised one")
    if created:
        result.outcome = "created"
    elif changed or result.fields_updated:
        result.outcome = "updated"
    else:
        result.outcome = "unchanged"
    return result


def _rewords_answered(rows: list[Row], questions: dict[int, Question]) -> list[str]:
    """The answered questions whose wording the rows change: their answers would then stand
    under a question they did not answer."""
    return [
        f"question {question.order}: “{question.text}” → “{row.text}” "
        f"({_answers(question.answered)})"
        for row in rows
        if (question := questions.get(row.question)) is not None
        and question.answered
        and row.text != question.text
    ]


def _remove_questions(
    questions: dict[int, Question], rows: list[Row], result: LoadResult
) -> list[Question]:
    """Delete the debate's questions that have no row any more, unless delegations wrote under
    them: those stay, and are returned, and the result says so."""
    in_rows = {row.question for row in rows}
    kept = []
    for question in questions.values():
        if question.pk in in_rows:
            continue
        if question.answered or question.revised:
            kept.append(question)
            result.notes.append(
                f"question {question.order} “{Truncator(question.text).words(8)}” is kept: "
                "delegations wrote under it"
            )
            continue
        # Statements hold an empty answer for every question; nobody typed in these.
        question.answers.all().delete()
        question.delete()
        result.questions_removed += 1
    return kept


def _with_kept(rows: list[Row], kept: list[Question], questions: dict[int, Question]) -> list[Row]:
    """The rows with a row for each question kept although deleted, back in its place: after
    the rows of the questions that stood before it."""
    placed = list(rows)
    for question in sorted(kept, key=lambda question: question.order):
        at = max(
            (
                index + 1
                for index, row in enumerate(placed)
                if row.question in questions and questions[row.question].order < question.order
            ),
            default=0,
        )
        placed.insert(at, Row.of(question))
    return placed


def _place_questions(
    debate: Debate, questions: dict[int, Question], rows: list[Row], result: LoadResult
) -> None:
    """Give the rows' questions their wording and the rows' order, and create the new ones.
    The debate's questions are first moved above every order in use: the order is unique per
    debate and checked row by row."""
    if questions:
        above = max(question.order for question in questions.values())
        debate.questions.update(order=models.F("order") + above)
    for order, row in enumerate(rows, start=1):
        question = questions.get(row.question)
        if question is None:
            _new_question(row, debate=debate, order=order).save()
            result.questions_added += 1
            continue
        if row.kept_edit:
            result.kept_edits.append(order)
        reworded_by_letter = row.wording != question.letter_text
        before = (question.text, question.label, question.marker, question.letter_text)
        if reworded_by_letter:
            question.letter_label = row.label
        question.text, question.label, question.marker = row.text, row.label, row.marker
        question.letter_text, question.source_paragraph = row.wording, row.paragraph
        question.order = order
        question.save()
        if before != (question.text, question.label, question.marker, question.letter_text):
            result.questions_updated += 1


def _update_fields(debate: Debate, letter: Letter) -> bool:
    """Give the debate the letter's details, as an editor corrected them; whether any changed."""
    changed = {
        name: value
        for name, value in _debate_fields(letter).items()
        if getattr(debate, name) != value
    }
    for name, value in changed.items():
        setattr(debate, name, value)
    if changed:
        debate.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
        debate.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _folded(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


def marked_source(text: str, paragraphs: list[tuple[int, str]]) -> list[dict]:
    """The source's lines, each with the number of the question found on it, if any.

    The parser rejoins lines, drops page headers and mends broken words, so a paragraph is
    looked for whitespace-insensitively, whole, else from its first words to its last: a
    best effort, for the editor's eye only.
    """
    # Runs of blank lines are shown as one, as the parser reads them: a source of a million
    # empty lines is one page, not a million rows.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line)
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
