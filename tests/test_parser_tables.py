"""Guiding questions set out in a Word table, one row to a question, with or without a heading
row, a column of numbers or a column of labels, read as the same questions typed as a list."""

import io
from pathlib import Path

import docx
import pytest

from debateprep.debates.extraction import extract_text
from debateprep.debates.letter import parse_letter

SHAPES = Path(__file__).resolve().parent / "letters" / "parser"
HEADING = (
    "Letter dated 2 June 2027 from the Permanent Representative of Denmark to the United "
    "Nations addressed to the President of the Security Council"
)
QUESTIONS = [
    ("Resilience", "How can States protect submarine cables beyond national jurisdiction?"),
    ("Attribution", "What information-sharing would allow damage to be attributed quickly?"),
    ("Law of the sea", "Is the existing framework adequate, or are new arrangements required?"),
]


def read(document) -> list[tuple[str, str, str]]:
    stream = io.BytesIO()
    document.save(stream)
    letter = parse_letter(extract_text(stream.getvalue(), "letter.docx"))
    return [(q.marker, q.label, q.text) for q in letter.questions]


def letter_with_table(
    *, heading_row: bool, numbers: bool, labels: bool, questions_heading: bool
) -> docx.Document:
    document = docx.Document()
    document.add_paragraph(HEADING)
    document.add_paragraph(
        "I have the honour to inform you that Denmark will organize an open debate on "
        "\u201cMaritime security and submarine cables\u201d on 24 June 2027."
    )
    if questions_heading:
        document.add_paragraph("Guiding questions")
    else:
        document.add_paragraph("Participants may wish to address the questions in the table below.")
    table = document.add_table(rows=0, cols=1 + numbers + labels)
    rows = [(f"{n}.", label, question) for n, (label, question) in enumerate(QUESTIONS, 1)]
    if heading_row:
        rows.insert(0, ("No.", "Theme", "Question"))
    for number, label, question in rows:
        cells = iter(table.add_row().cells)
        if numbers:
            next(cells).text = number
        if labels:
            next(cells).text = label
        next(cells).text = question
    document.add_paragraph(
        "I should be grateful if the present letter could be circulated as a document of the "
        "Security Council."
    )
    document.add_paragraph("(Signed) Christina Markus Lassen")
    return document


@pytest.mark.parametrize("questions_heading", [True, False], ids=["heading", "announced"])
@pytest.mark.parametrize("heading_row", [True, False], ids=["heading-row", "no-heading-row"])
@pytest.mark.parametrize(
    ("numbers", "labels"),
    [(False, True), (True, True), (True, False), (False, False)],
    ids=["labels", "numbers-labels", "numbers", "questions-only"],
)
def test_questions_in_a_word_table_are_read_one_to_a_row(
    questions_heading: bool, heading_row: bool, numbers: bool, labels: bool
) -> None:
    document = letter_with_table(
        heading_row=heading_row, numbers=numbers, labels=labels, questions_heading=questions_heading
    )
    assert read(document) == [
        (f"{n}." if numbers else "", label if labels else "", question)
        for n, (label, question) in enumerate(QUESTIONS, start=1)
    ]


def test_questions_word_numbers_in_their_cells_beside_a_label_keep_number_and_label() -> None:
    document = letter_with_table(
        heading_row=True, numbers=False, labels=True, questions_heading=True
    )
    table = document.tables[0]
    for row in table.rows[1:]:
        row.cells[1].paragraphs[0].style = document.styles["List Number"]

    assert read(document) == [
        (f"{n}.", label, question) for n, (label, question) in enumerate(QUESTIONS, start=1)
    ]


@pytest.mark.parametrize(
    "name",
    ["27-word-table-label-column.docx", "27c-word-table-under-a-heading.docx"],
)
def test_a_letter_with_its_questions_in_a_word_table_gives_them_with_their_labels(
    name: str,
) -> None:
    letter = parse_letter(extract_text((SHAPES / name).read_bytes(), name))

    assert [(q.label, " ".join(q.text.split()[:4])) for q in letter.questions] == [
        ("Resilience", "How can States protect"),
        ("Attribution", "What forms of information-sharing"),
        ("Law", "Is the existing framework"),
    ]
    assert letter.warnings == ("no meeting date found",)
