"""The entry point: text in, a Letter (or a LetterError) out."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from debateprep.debates.letter.cleaning import _WORD, _clean_lines, _Guess
from debateprep.debates.letter.dates import _DISTRIBUTION_DATE
from debateprep.debates.letter.fields import (
    _first_date,
    _joined,
    _layout,
    _letter_date,
    _meeting_date,
    _meeting_kind,
    _organ,
    _outcome,
    _presidency,
    _sender,
    _signatory,
    _title,
)
from debateprep.debates.letter.lines import _blocks, _flat
from debateprep.debates.letter.mail import _document_end
from debateprep.debates.letter.questions import (
    _find_questions,
    _guiding_question,
    _question_warnings,
)
from debateprep.debates.letter.refusal import _MAX_QUESTIONS, _refusal
from debateprep.debates.letter.result import NO_MEETING_DATE, NO_QUESTIONS, Letter, LetterError


def parse_letter(text: str, *, require_questions: bool = True) -> Letter:
    """Parse a presidency letter with its annex.

    Raises LetterError, saying why, if the text is no presidency letter or concept note, or
    has no guiding questions. With require_questions=False a letter without them is read
    all the same, with no questions and NO_QUESTIONS among its warnings, for an editor to
    add them by hand. What the parser is unsure of is listed in Letter.warnings.
    """
    lines, symbol, guessed_hyphens = _clean_lines(text)
    if not lines:
        raise LetterError(NO_QUESTIONS)
    blocks = _blocks(lines)
    # What an e-mail adds after the document is no part of it.
    if (end := _document_end(blocks, lines)) < len(blocks):
        blocks = blocks[:end]
        lines = lines[: blocks[-1][-1].index + 1]
    layout = _layout(blocks)
    found, under_heading = _find_questions(layout.body + layout.annex_title, layout.sections)
    if not found and require_questions:
        raise LetterError(NO_QUESTIONS)
    if refusal := _refusal(lines, blocks, layout, found, under_heading):
        raise LetterError(refusal)
    if len(found) > _MAX_QUESTIONS:
        raise LetterError(
            _("%(count)s questions found, more than a presidency letter asks (%(limit)s at most)")
            % {"count": len(found), "limit": _MAX_QUESTIONS}
        )

    # What delegations read, and where the fields are read: not the e-mail it came in.
    document = "\n".join(line.text for line in lines[layout.start :])
    heading = _flat(layout.heading) if layout.heading else ""
    distributed = _first_date(_DISTRIBUTION_DATE, document)
    distribution_date = distributed.resolve(None) if distributed else None
    letter_date = _letter_date(heading, document, distribution_date)
    sender = _sender(heading)
    meeting_date = _meeting_date(layout, letter_date or distribution_date, letter_date)
    questions = [_guiding_question(n, item) for n, item in enumerate(found, start=1)]
    warnings = [] if found else [NO_QUESTIONS]
    if not heading:
        warnings.append(_("no letter heading found"))
    if layout.heading_runs_on:
        warnings.append(_("the letter heading runs on into the letter: check where it ends"))
    if meeting_date is None:
        warnings.append(NO_MEETING_DATE)
    for question, item in zip(questions, found, strict=True):
        warnings += _question_warnings(question, item)
    title = _title(layout)
    warnings += _hyphen_warnings(guessed_hyphens, [title, *(q.text for q in questions)])
    return Letter(
        organ=_organ(_joined(layout.header), document),
        distribution_date=distribution_date,
        letter_date=letter_date,
        heading=heading,
        sender=sender,
        signatory=_signatory(lines[layout.start :]),
        title=title,
        meeting_date=meeting_date,
        presidency=_presidency(document, sender),
        sections=tuple(section.public() for section in layout.sections),
        outcome=_outcome(layout.sections, document),
        meeting_kind=_meeting_kind(document),
        questions=tuple(questions),
        text=document,
        warnings=tuple(warnings),
        symbol=symbol,
    )


def _hyphen_warnings(guesses: Sequence[_Guess], texts: Sequence[str]) -> list[str]:
    """A word broken at a line end and read by guess matters where editors and delegations
    read it: in the title or a question."""
    words = {word.casefold() for text in texts for word in _WORD.findall(text)}
    warnings = [
        f'line-end hyphen read as "{guess.read}" (or "{guess.other}"?)'
        for guess in guesses
        if guess.read.casefold() in words
    ]
    return list(dict.fromkeys(warnings))
