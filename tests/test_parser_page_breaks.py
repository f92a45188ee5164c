"""A page break in text extracted with its layout changes no list: the next page may draw the
same column a column or two further in or out, as pdftotext -layout and pypdf's layout mode
do, and a question carried over the break still ends where the next one starts."""

from pathlib import Path

import pytest

from debateprep.debates.extraction import extract_text
from debateprep.debates.letter import parse_letter
from tests.test_letter_shapes import letter_with

SHAPES = Path(__file__).resolve().parent / "letters" / "parser"
FIRST = (
    "How can the Council reinforce the norm that States should not knowingly support activity "
    "that damages critical infrastructure, both during armed conflict and in the periods of "
    "tension that precede it?"
)
SECOND = "What support do developing countries need to recover from attacks?"
THIRD = "When should a cyber incident be considered a threat to international peace?"
PAGE_FOOT = "\n\n27-05512 (E) 140527{pad}2/4\n\fS/2027/233{pad}27-05512\n\n"


def layout(lines: list[str], shift: int) -> str:
    """The lines as layout extraction draws them, the page break after the third line and
    every line of the next page `shift` columns further in (or out, if negative)."""
    before = "\n".join(lines[:3])
    after = "\n".join(" " * max(0, 2 + shift) + line[2:] for line in lines[3:])
    return before + PAGE_FOOT.format(pad=" " * 50) + after


@pytest.mark.parametrize("shift", [-1, 0, 1, 2], ids=["out-1", "same", "in-1", "in-2"])
@pytest.mark.parametrize("marker", ["a.", "(1)", "\u2022"], ids=["letters", "numbers", "bullets"])
def test_a_question_carried_over_a_shifted_page_ends_where_the_next_one_starts(
    shift: int, marker: str
) -> None:
    second, third = ("b.", "c.") if marker == "a." else ("(2)", "(3)")
    if marker == "\u2022":
        second = third = marker
    pad = " " * (len(marker) + 1)
    lines = [
        f"  {marker} How can the Council reinforce the norm that States should not",
        f"  {pad}knowingly support activity that damages critical infrastructure, both",
        f"  {pad}during armed conflict and in the periods of tension that",
        f"  {pad}precede it?",
        f"  {second} What support do developing countries need to recover from attacks?",
        f"  {third} When should a cyber incident be considered a threat to",
        f"  {pad}international peace?",
    ]
    annex = "Guiding questions\n\n" + layout(lines, shift)

    assert [q.text for q in parse_letter(letter_with(annex)).questions] == [
        FIRST,
        SECOND,
        THIRD,
    ]


@pytest.mark.parametrize("shift", [-1, 1, 2], ids=["out-1", "in-1", "in-2"])
def test_a_page_starting_with_the_next_question_keeps_it_a_question_of_its_own(
    shift: int,
) -> None:
    lines = [
        "  1. How can the Council reinforce the norm that States should not knowingly",
        "     support activity that damages critical infrastructure, both during armed",
        "     conflict and in the periods of tension that precede it?",
        f"  2. {SECOND}",
        f"  3. {THIRD}",
    ]
    annex = "Guiding questions\n\n" + layout(lines, shift)

    assert [q.marker for q in parse_letter(letter_with(annex)).questions] == ["1.", "2.", "3."]


@pytest.mark.parametrize("shift", [-1, 0, 1], ids=["out-1", "same", "in-1"])
def test_sub_items_on_a_shifted_page_still_belong_to_their_question(shift: int) -> None:
    lines = [
        "  1. How can the Council reinforce the norm that States should not knowingly",
        "     support activity that damages critical infrastructure, both during armed",
        "     conflict and in the periods of tension that",
        "     precede it?",
        "        (a) Through which regional channels?",
        "        (b) With what safeguards?",
        f"  2. {SECOND}",
    ]
    annex = "Guiding questions\n\n" + layout(lines, shift)

    assert [q.text for q in parse_letter(letter_with(annex)).questions] == [
        f"{FIRST} (a) Through which regional channels? (b) With what safeguards?",
        SECOND,
    ]


def test_a_sub_item_starting_the_next_page_far_further_in_still_belongs_to_its_question() -> None:
    lines = [
        "  1. How can the Council reinforce the norm that States should not knowingly",
        "     support activity that damages critical infrastructure, both during armed",
        "     conflict and in the periods of tension that precede it?",
        "          (a) Through which regional channels?",
        f"  2. {SECOND}",
    ]
    annex = "Guiding questions\n\n" + layout(lines, 1)

    assert [q.marker for q in parse_letter(letter_with(annex)).questions] == ["1.", "2."]


def test_a_pdf_whose_next_page_is_drawn_a_column_further_in_gives_every_question() -> None:
    pdf = SHAPES / "26-layout-page-shifted-a-column.pdf"
    as_text = parse_letter((SHAPES / "26-layout-page-shifted-a-column.txt").read_text())

    letter = parse_letter(extract_text(pdf.read_bytes(), pdf.name))

    assert [(q.marker, q.label, q.text) for q in letter.questions] == [
        (q.marker, q.label, q.text) for q in as_text.questions
    ]
    assert [q.marker for q in letter.questions] == ["a.", "b.", "c.", "d."]
