"""parse_letter(text, require_questions=False): a letter or concept note whose questions the
parser cannot find is read all the same, for the editor to add them by hand; a document that
is no letter is still refused."""

import re
from pathlib import Path

import pytest

from debateprep.debates.letter import NO_QUESTIONS, LetterError, parse_letter
from tests.test_letter_shapes import LETTER, LETTERS, NON_LETTERS, expected, letter_with, read

WITHOUT_QUESTIONS = letter_with(
    "Background\n\nThe Council has discussed prevention since 2011.\n\n"
    "Guiding questions\n\nThe presidency will circulate questions closer to the date.\n\n"
    "Expected outcome\n\nThe presidency intends to propose a presidential statement."
)


def test_a_letter_without_questions_is_refused_by_default() -> None:
    with pytest.raises(LetterError, match=f"^{NO_QUESTIONS}$"):
        parse_letter(WITHOUT_QUESTIONS)


def test_a_letter_without_questions_is_read_when_they_are_not_required() -> None:
    letter = parse_letter(WITHOUT_QUESTIONS, require_questions=False)

    assert letter.questions == ()
    assert letter.warnings == (NO_QUESTIONS,)
    assert (letter.sender, letter.title, letter.meeting_date.isoformat()) == (
        "Guyana",
        "Children and armed conflict: protecting education",
        "2024-03-19",
    )
    assert letter.outcome == "presidential statement"
    assert letter.text.startswith("Security Council")


@pytest.mark.parametrize(
    "text",
    [
        LETTER.split("Annex")[0],
        "Concept note\n\nOpen debate on prevention\n\nBackground\n\nThe Council met in 2023.",
        "Annex to the letter\n\nBackground\n\nThe Council met in 2023.",
    ],
    ids=["letter-alone", "concept-note", "annex"],
)
def test_a_letter_or_concept_note_of_any_kind_without_questions_is_read(text: str) -> None:
    letter = parse_letter(text, require_questions=False)

    assert letter.questions == ()
    assert letter.warnings[0] == NO_QUESTIONS


@pytest.mark.parametrize("path", LETTERS, ids=[path.stem for path in LETTERS])
def test_a_letter_with_questions_reads_the_same_either_way(path: Path) -> None:
    text = read(path)
    assert parse_letter(text, require_questions=False) == parse_letter(text)


@pytest.mark.parametrize("require", [True, False], ids=["required", "not-required"])
@pytest.mark.parametrize("path", NON_LETTERS, ids=[path.stem for path in NON_LETTERS])
def test_a_document_that_is_no_letter_is_refused_either_way(path: Path, require: bool) -> None:
    want = expected(path)
    reason = want["refused"] if require else want.get("refused_when_questions_are_not_required")
    with pytest.raises(LetterError, match=f"^{re.escape(reason or want['refused'])}"):
        parse_letter(read(path), require_questions=require)


@pytest.mark.parametrize(
    "text",
    [
        "United Nations S/PV.10112\nSecurity Council\n10112th meeting\n\nProvisional agenda\n"
        "Letter dated 9 April 2027 from the Permanent Representative of Guyana to the United "
        "Nations addressed to the President of the Security Council (S/2027/301)\n\n"
        "The President: I give the floor to Mr. Fletcher.\n\n"
        "Mr. Fletcher: Aid workers are dying. We must act.\n\n"
        "The President: I thank Mr. Fletcher.\n",
        "Press Release\n\nSpeakers Tell Security Council to Protect Hospitals\n\n"
        "The Security Council today heard from more than 60 speakers.",
        "Minutes of the meeting of the working group\n\nThe group agreed to meet again.",
    ],
    ids=["verbatim-record", "press-release", "prose"],
)
def test_a_document_without_questions_that_is_no_letter_is_refused_either_way(
    text: str,
) -> None:
    for require in (True, False):
        with pytest.raises(LetterError):
            parse_letter(text, require_questions=require)
    with pytest.raises(LetterError, match=r"^(speakers|no letter heading)"):
        parse_letter(text, require_questions=False)
