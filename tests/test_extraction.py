"""What an editor gets from loading a letter as a PDF, a Word file or a text file.

Every file is made here, the ways editors get them: Word files with python-docx, PDFs with
WeasyPrint, pypdf and, as from Word, LibreOffice.
"""

import base64
import contextlib
import html
import io
import os
import random
import re
import struct
import zipfile
import zlib
from io import StringIO
from pathlib import Path

import docx
import pytest
import weasyprint
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfReader, PdfWriter

from debateprep.debates.extraction import MAX_LETTER_BYTES, extract_text
from debateprep.debates.letter import LetterError, parse_letter
from debateprep.debates.loading import load_letter_bytes, load_letter_file
from debateprep.debates.models import Debate
from tests.factories import preview_data
from tests.office import OFFICE, convert_to_pdf

SEEDS = Path(settings.BASE_DIR) / "seeds"
SHAPES = Path(__file__).resolve().parent / "letters" / "parser"
ROMANIA = SEEDS / "2004-07-20-romania-regional-organizations-stabilization.txt"
CHINA = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
NOT_A_LETTER_FILE = "this is not a text, PDF or Word file"


def squashed(text: str) -> str:
    return " ".join(text.split())


def questions(text: str) -> list[tuple[str, str]]:
    return [(question.label, question.text) for question in parse_letter(text).questions]


# --------------------------------------------------------------------------- making files


def docx_bytes(document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\w)\*(\S(?:.*?\S)?)\*(?!\w)")


def add_marked_up(paragraph, text: str) -> None:
    """The text with its markdown bold as bold runs, as an editor's Word file has it."""
    for number, part in enumerate(_BOLD.split(_ITALIC.sub(r"\1", text))):
        if part:
            paragraph.add_run(part).bold = number % 2 == 1


def letter_docx(text: str, font: str | None = None) -> bytes:
    """A seed letter as Word: a paragraph per block of lines, its "- " lines a bulleted list
    drawn by Word, its line breaks kept as breaks within the paragraph; in `font`, if given."""
    document = docx.Document()
    if font:
        document.styles["Normal"].font.name = font
    for block in text.strip().split("\n\n"):
        lines = block.strip().split("\n")
        if all(line.startswith("- ") for line in lines):
            for line in lines:
                add_marked_up(document.add_paragraph(style="List Bullet"), line[2:])
        else:
            add_marked_up(document.add_paragraph(), "\n".join(lines))
    return docx_bytes(document)


def add_list(document, levels: list[tuple[str, str]]) -> str:
    """A list of its own with the given (format, text) per level, e.g. ("lowerLetter",
    "(%1)"); its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = str(len(numbering.findall(qn("w:abstractNum"))) + 90)
    num_id = str(len(numbering.num_lst) + 90)
    definitions = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{style}"/>'
        f'<w:lvlText w:val="{template}"/></w:lvl>'
        for level, (style, template) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{definitions}'
        "</w:abstractNum>"
    )
    # The schema wants every abstractNum before the first num.
    first_num = numbering.num_lst[0] if numbering.num_lst else None
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def numbered_paragraph(document, text: str, num_id: str, level: int = 0):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)
    return paragraph


def weasyprint_pdf(body: str) -> bytes:
    return weasyprint.HTML(string=f"<!doctype html><html><body>{body}</body></html>").write_pdf()


def png(width: int = 40, height: int = 40) -> bytes:
    """A grey picture, as a scanner would make of a page."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def encrypted(pdf: bytes, user_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


SHORT_LETTER = (
    "<p>Letter dated 2 May 2023 from the Permanent Representative of Malta</p>"
    "<p>The debate will address the following questions:</p>"
    "<ul><li>How can the Council act earlier?</li><li>What role for regional bodies?</li></ul>"
)


# --------------------------------------------------------------------------- text files


def test_utf8_text_is_read_as_written_without_its_byte_order_mark():
    text = ROMANIA.read_text(encoding="utf-8")
    assert extract_text(text.encode("utf-8")) == text
    assert extract_text(text.encode("utf-8-sig")) == text


def test_windows_1252_text_keeps_its_curly_quotes_dashes_and_accents():
    text = (
        "The \u201cCaf\u00e9 de la Paix\u201d talks \u2013 a na\u00efve hope\u2026 "
        "Se\u00f1or Mu\u00f1oz\u2019s reply?\n"
    )
    assert extract_text(text.encode("cp1252"), "letter.txt") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_read(codec):
    text = CHINA.read_text(encoding="utf-8")
    assert extract_text(("\ufeff" + text).encode(codec)) == text


def test_an_email_paste_with_crlf_line_ends_loads_as_the_letter(db):
    paste = (
        "From: Protocol Office <protocol@example.org>\n"
        "Sent: Friday, 9 July 2004 10:12\n"
        "To: Permanent Missions\n"
        "Subject: FW: Letter on cooperation with regional organizations\n\n"
        "Dear colleagues,\n\nPlease find below the letter of the presidency.\n\n"
        "Best regards,\nThe Secretariat\n\n-----Original Message-----\n\n"
        + ROMANIA.read_text(encoding="utf-8")
    )
    raw = paste.replace("\n", "\r\n").encode("cp1252")

    text = extract_text(raw, "paste.txt")
    result = load_letter_bytes(raw, source="paste.txt")

    assert "\r" not in text
    assert questions(text) == questions(ROMANIA.read_text(encoding="utf-8"))
    assert not result.error
    assert result.debate.questions.count() == 10


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (bytes(range(256)) * 8, f"{NOT_A_LETTER_FILE} (it contains NUL bytes"),
        (png(), f"{NOT_A_LETTER_FILE} (it contains NUL bytes"),
        (bytes(range(1, 32)) * 8 + "é".encode("cp1252"), f"{NOT_A_LETTER_FILE} (it is full"),
        (b"Caf\xe9 \x81\x8d", f"{NOT_A_LETTER_FILE} (byte 0x81 at position 5 is neither"),
        ("Security Council".encode("utf-16-le"), "UTF-16 text needs a byte-order mark"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "this is an old Word (.doc) file"),
        (b"{\\rtf1\\ansi Letter dated}", "this is an RTF file"),
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
        (b"\xa0\xa0\n", "the file is empty"),
        ("\ufeff\n".encode("utf-16"), "the file is empty"),
    ],
)
def test_a_file_that_is_no_text_is_refused_saying_why(raw, reason):
    with pytest.raises(LetterError, match=re.escape(reason)):
        extract_text(raw, "letter.txt")


def test_a_file_named_pdf_that_is_no_pdf_says_so():
    with pytest.raises(LetterError) as refused:
        extract_text(png(), "letter.pdf")

    assert str(refused.value) == (
        "this is not a text, PDF or Word file (it contains NUL bytes; UTF-16 text needs a "
        "byte-order mark); its name ends in .pdf, but it is not a PDF"
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Is this a letter?\n" * (MAX_LETTER_BYTES // 18 + 1))

    result = load_letter_file(big)

    assert result.error == "this file is 1025 KB; a letter is at most 1024 KB"
    with pytest.raises(LetterError, match="at most 1024 KB"):
        extract_text(big.read_bytes())


# --------------------------------------------------------------------------- Word


def test_word_paragraphs_come_in_order_with_a_blank_line_between_them():
    document = docx.Document()
    document.add_paragraph("Security Council")
    document.add_paragraph()  # an empty paragraph is no paragraph
    heading = document.add_paragraph("Letter dated 2 May 2023 from the ")
    heading.add_run("Permanent Representative").bold = True
    heading.add_run(" of Malta")
    broken = document.add_paragraph("(Signed) Vanessa Frazier")
    broken.add_run().add_break()
    broken.add_run("Ambassador")

    assert extract_text(docx_bytes(document)) == (
        "Security Council\n\n"
        "Letter dated 2 May 2023 from the Permanent Representative of Malta\n\n"
        "(Signed) Vanessa Frazier\nAmbassador"
    )


def test_word_numbering_and_bullets_are_written_out():
    document = docx.Document()
    document.add_paragraph("The debate will address:")
    for text in ["How can the Council act earlier?", "", "What role for regional bodies?"]:
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Members may also consider:")
    document.add_paragraph("Financing of operations", style="List Bullet")
    lettered = add_list(document, [("lowerLetter", "(%1)"), ("lowerRoman", "%2.")])
    numbered_paragraph(document, "Is the mandate clear?", lettered)
    numbered_paragraph(document, "Which tools:", lettered)
    numbered_paragraph(document, "sanctions?", lettered, level=1)
    numbered_paragraph(document, "mediation?", lettered, level=1)
    numbered_paragraph(document, "Who reports back?", lettered)

    assert extract_text(docx_bytes(document)).split("\n\n") == [
        "The debate will address:",
        "1. How can the Council act earlier?",
        "3. What role for regional bodies?",
        "Members may also consider:",
        "- Financing of operations",
        "(a) Is the mandate clear?",
        "(b) Which tools:",
        "    i. sanctions?",
        "    ii. mediation?",
        "(c) Who reports back?",
    ]


def indented_list(document, style: str, template: str, twips: int) -> str:
    """A list of one level drawn `twips` in, as Word nests a list under another; its numId."""
    num_id = add_list(document, [(style, template)])
    level = document.part.numbering_part.element.xpath(
        f'//w:abstractNum[@w:abstractNumId = //w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val]'
        "/w:lvl"
    )[0]
    indent = f'<w:pPr {nsdecls("w")}><w:ind w:left="{twips}" w:hanging="360"/></w:pPr>'
    level.append(parse_xml(indent))
    return num_id


SUB_ITEMS = [
    "What should the Council do to protect schools, including:",
    "monitoring attacks on education;",
    "sanctioning those who attack schools?",
    "Who reports to the Council?",
]
WORD_LETTER = [
    "Security Council",
    "Letter dated 1 March 2024 from the Permanent Representative of Guyana to the United "
    "Nations addressed to the Secretary-General",
    "Guiding questions",
]


@pytest.mark.parametrize(
    ("question_style", "sub_item_style"),
    [("List Number", "List Number 2"), ("List Bullet", "List Bullet 2")],
)
def test_sub_items_word_indents_under_a_question_in_their_own_list_complete_it(
    question_style, sub_item_style
):
    document = docx.Document()
    for text in WORD_LETTER:
        document.add_paragraph(text)
    first, *sub_items, last = SUB_ITEMS
    document.add_paragraph(first, style=question_style)
    for text in sub_items:
        document.add_paragraph(text, style=sub_item_style)
    document.add_paragraph(last, style=question_style)

    found = parse_letter(extract_text(docx_bytes(document))).questions
    assert [squashed(re.sub(r"\(?\w\)|\w\.|-", "", q.text)) for q in found] == [
        squashed(" ".join(SUB_ITEMS[:3])),
        SUB_ITEMS[3],
    ]


@pytest.mark.parametrize(
    ("sub_item_format", "typed"),
    [(("lowerLetter", "(%1)"), ["(a)", "(b)"]), (("bullet", "\uf0b7"), ["-", "-"])],
    ids=["lettered", "bulleted"],
)
def test_sub_items_word_numbers_read_as_the_same_shape_typed(sub_item_format, typed):
    document = docx.Document()
    for text in WORD_LETTER:
        document.add_paragraph(text)
    deeper = (sub_item_format[0], sub_item_format[1].replace("%1", "%2"))
    numbered = add_list(document, [("decimal", "%1."), deeper])
    first, *sub_items, last = SUB_ITEMS
    numbered_paragraph(document, first, numbered)
    for text in sub_items:
        numbered_paragraph(document, text, numbered, level=1)
    numbered_paragraph(document, last, numbered)
    # The same list again, its sub-items a list of their own drawn further in.
    questions_list = add_list(document, [("decimal", "%1.")])
    sub_list = indented_list(document, *sub_item_format, twips=1440)
    numbered_paragraph(document, first, questions_list)
    for text in sub_items:
        numbered_paragraph(document, text, sub_list)
    numbered_paragraph(document, last, questions_list)
    typed_sub_items = [f"    {mark} {text}" for mark, text in zip(typed, sub_items, strict=True)]
    as_typed = "\n".join([*WORD_LETTER, f"1. {first}", *typed_sub_items, f"2. {last}"])

    found = [q.text for q in parse_letter(extract_text(docx_bytes(document))).questions]
    assert found == [q.text for q in parse_letter(as_typed).questions] * 2
    assert len(found) == 4


def test_questions_in_a_word_table_come_one_to_a_paragraph_with_their_markers_and_labels():
    document = docx.Document()
    document.add_paragraph("The debate may focus on the following issues:")
    table = document.add_table(rows=0, cols=2)
    for marker, question in [
        ("(1)", "What are the comparative advantages of regional organizations?"),
        ("(2)", "How can early warning be shared?"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = marker, question
    themes = document.add_table(rows=1, cols=2)
    themes.rows[0].cells[0].text = "Prevention"
    themes.rows[0].cells[1].text = "Is mediation funded?"
    themes.rows[0].cells[1].add_paragraph("Who leads it?")
    document.add_paragraph("Format")

    assert extract_text(docx_bytes(document)).split("\n\n") == [
        "The debate may focus on the following issues:",
        "(1) What are the comparative advantages of regional organizations?",
        "(2) How can early warning be shared?",
        "Prevention\tIs mediation funded?",
        "Who leads it?",
        "Format",
    ]


def test_a_letter_with_its_questions_in_a_word_table_loads_them():
    document = docx.Document()
    text = CHINA.read_text(encoding="utf-8")
    before, rest = text.split("(1) ", 1)
    asked, after = rest.split("\n\n3. Expected outcomes", 1)
    for block in before.strip().split("\n\n"):
        document.add_paragraph(block)
    table = document.add_table(rows=0, cols=2)
    for number, question in enumerate(("(1) " + asked).split("\n\n"), start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = f"({number})", question.split(" ", 1)[1]
    for block in ("3. Expected outcomes" + after).strip().split("\n\n"):
        document.add_paragraph(block)

    assert questions(extract_text(docx_bytes(document))) == questions(text)


def word_letter_with_pages(sections: int = 3) -> docx.Document:
    """A letter in Word over several sections, the symbol in the page header and the job
    number in the page footer, as the Secretariat's template has them."""
    document = docx.Document()
    for block in ROMANIA.read_text(encoding="utf-8").strip().split("\n\n"):
        document.add_paragraph(block)
    for _ in range(sections - 1):
        document.add_section()
    document.sections[0].header.paragraphs[0].text = "S/2027/145"
    document.sections[0].footer.paragraphs[0].text = "27-03311 (E)\t190227"
    return document


def test_the_symbol_in_a_word_page_header_is_the_letter_s_symbol_read_once():
    text = extract_text(docx_bytes(word_letter_with_pages()), "letter.docx")
    letter = parse_letter(text)

    assert text.count("S/2027/145") == 1
    assert text.count("27-03311") == 1
    assert letter.symbol == "S/2027/145"
    assert "27-03311" not in letter.text
    assert "S/2027/145" not in letter.text


def test_a_first_page_header_and_a_header_in_a_table_are_read_too():
    document = word_letter_with_pages(sections=1)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Open debate on regional organizations"
    section.different_first_page_header_footer = True
    cells = section.first_page_header.add_table(rows=1, cols=2, width=docx.shared.Inches(6))
    cells.rows[0].cells[0].text = "United Nations"
    cells.rows[0].cells[1].text = "S/2027/145"

    text = extract_text(docx_bytes(document), "letter.docx")
    letter = parse_letter(text)

    assert letter.symbol == "S/2027/145"
    assert "Open debate on regional organizations" in text
    assert "Open debate on regional organizations" not in letter.text


def test_a_word_letter_with_its_symbol_in_the_page_header_gives_symbol_and_summary():
    path = SHAPES / "30-word-page-header.docx"
    letter = parse_letter(extract_text(path.read_bytes(), path.name))

    assert (letter.symbol, letter.outcome, letter.meeting_kind) == (
        "S/2027/145",
        "summary",
        "open debate",
    )
    assert [(q.marker, q.label) for q in letter.questions] == [
        ("1.", "Financing gap"),
        ("2.", "Flexible funding"),
        ("3.", "Council practice"),
        ("4.", "Protection"),
    ]
    assert letter.text.startswith("Security Council\n\nDistr.: General")


def test_a_word_file_with_text_only_in_its_page_header_has_no_text():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "S/2027/145"

    with pytest.raises(LetterError, match=r"^this Word file has no text"):
        extract_text(docx_bytes(document), "letter.docx")


def test_tracked_changes_are_read_as_if_accepted():
    document = docx.Document()
    paragraph = document.add_paragraph("How can the Council ")
    paragraph._p.append(
        parse_xml(f"<w:del {nsdecls('w')}><w:r><w:delText>never </w:delText></w:r></w:del>")
    )
    paragraph._p.append(parse_xml(f"<w:ins {nsdecls('w')}><w:r><w:t>better </w:t></w:r></w:ins>"))
    paragraph.add_run("act?")

    assert extract_text(docx_bytes(document)) == "How can the Council better act?"


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_a_seed_letter_as_word_gives_the_same_letter_as_its_text(seed):
    text = seed.read_text(encoding="utf-8")
    from_word = parse_letter(extract_text(letter_docx(text), "letter.docx"))
    from_text = parse_letter(text)

    assert [(q.marker, q.label, q.text) for q in from_word.questions] == [
        (q.marker, q.label, q.text) for q in from_text.questions
    ]
    assert (from_word.title, from_word.meeting_date, from_word.presidency) == (
        from_text.title,
        from_text.meeting_date,
        from_text.presidency,
    )
    assert (from_word.heading, from_word.signatory, from_word.outcome) == (
        from_text.heading,
        from_text.signatory,
        from_text.outcome,
    )


def test_loading_the_word_version_of_a_loaded_letter_changes_nothing(db):
    first = load_letter_bytes(ROMANIA.read_bytes(), source=ROMANIA.name)
    again = load_letter_bytes(letter_docx(ROMANIA.read_text(encoding="utf-8")), source="r.docx")

    assert first.outcome == "created"
    assert (again.error, again.outcome) == ("", "unchanged")
    assert Debate.objects.get().questions.count() == 10


def test_a_zip_that_is_not_a_word_file_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(LetterError, match=r"\(an OpenDocument file, not a Word document\)"):
        extract_text(stream.getvalue(), "letter.docx")


def test_a_damaged_word_file_is_refused_saying_so():
    stream = io.BytesIO()
    whole = io.BytesIO(docx_bytes(docx.Document()))
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(stream, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                content = content[: len(content) // 2]
            archive.writestr(member, content)

    with pytest.raises(LetterError, match=r"^this Word file cannot be read \(is it damaged"):
        extract_text(stream.getvalue(), "letter.docx")
    with pytest.raises(LetterError, match=r"a damaged ZIP archive"):
        extract_text(docx_bytes(docx.Document())[:200], "letter.docx")


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_damaged_file_never_fails_with_anything_but_a_reason(kind):
    document = docx.Document()
    document.add_paragraph("How can the Council act earlier?", style="List Number")
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "(a)"
    whole = weasyprint_pdf(SHORT_LETTER) if kind == "pdf" else docx_bytes(document)
    rng = random.Random(kind)
    for _ in range(40):
        damaged = bytearray(whole)
        if rng.random() < 0.3:
            del damaged[rng.randrange(len(damaged)) :]
        else:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        with contextlib.suppress(LetterError):
            extract_text(bytes(damaged))


def test_a_word_file_that_unpacks_to_gigabytes_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "")
        archive.writestr("word/padding.xml", b" " * (65 * 1024 * 1024))

    with pytest.raises(LetterError, match="too large once unpacked"):
        extract_text(stream.getvalue())


# --------------------------------------------------------------------------- PDF


def test_a_pdf_gives_its_paragraphs_apart_and_its_pages_after_a_form_feed():
    pdf = weasyprint_pdf(
        "<p>Security Council</p><p>Letter dated 2 May 2023</p>"
        '<p style="break-before: page">How can the Council act earlier?</p>'
    )

    pages = extract_text(pdf, "letter.pdf").split("\f")

    assert len(pages) == 2
    assert pages[0].split("\n\n") == ["Security Council", "Letter dated 2 May 2023\n"]
    assert pages[1] == "How can the Council act earlier?\n"


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(
            lambda: weasyprint_pdf(
                f'<img src="data:image/png;base64,{base64.b64encode(png()).decode()}">'
            ),
            id="scanned page",
        ),
        pytest.param(lambda: blank_pdf(), id="blank page"),
    ],
)
def test_a_pdf_without_text_says_it_has_no_text_layer(pdf):
    with pytest.raises(LetterError, match=r"^this PDF has no text layer \(a scanned image\?\)"):
        extract_text(pdf(), "scan.pdf")


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_locked_by_a_password_says_it_is_encrypted(algorithm):
    pdf = encrypted(weasyprint_pdf(SHORT_LETTER), "secret", algorithm)

    with pytest.raises(LetterError) as refused:
        extract_text(pdf, "letter.pdf")

    assert str(refused.value) == (
        "this PDF is encrypted: save it without a password and load it again"
    )


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_encrypted_with_an_empty_password_is_read(algorithm):
    pdf = encrypted(weasyprint_pdf(SHORT_LETTER), "", algorithm)

    assert "How can the Council act earlier?" in extract_text(pdf, "letter.pdf")


@pytest.mark.parametrize(
    "raw",
    [b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF\n", b"%PDF-1.4\n\x00\xff garbage"],
)
def test_a_damaged_pdf_is_refused_saying_so(raw):
    with pytest.raises(LetterError, match=r"^this PDF cannot be read \(is it damaged\?\)"):
        extract_text(raw, "letter.pdf")


def test_a_file_is_read_by_its_content_not_its_name():
    pdf = weasyprint_pdf(SHORT_LETTER)
    document = docx.Document()
    document.add_paragraph("How can the Council act earlier?")

    assert "What role for regional bodies?" in extract_text(pdf, "letter.txt")
    assert extract_text(docx_bytes(document), "letter.pdf") == "How can the Council act earlier?"


def letter_pdf(seed: Path) -> bytes:
    """The seed letter as a PDF on one long page, so that no page break falls in a question."""
    blocks = html.escape(seed.read_text(encoding="utf-8")).strip().split("\n\n")
    paragraphs = "".join(
        "<p>" + _BOLD.sub(r"<b>\1</b>", block).replace("\n", "<br>") + "</p>" for block in blocks
    )
    return weasyprint_pdf(f"<style>@page {{ size: 210mm 1500mm }}</style>{paragraphs}")


def test_a_pdf_named_txt_loads_under_the_editors_file_name(db):
    result = load_letter_bytes(letter_pdf(CHINA), source="china.txt")

    assert (result.error, result.outcome, result.source) == ("", "created", "china.txt")
    assert questions(result.debate.letter_text) == questions(CHINA.read_text(encoding="utf-8"))


def test_load_letters_reads_the_pdf_word_and_text_files_of_a_folder(db, tmp_path):
    (tmp_path / "china.PDF").write_bytes(letter_pdf(CHINA))
    (tmp_path / "romania.docx").write_bytes(letter_docx(ROMANIA.read_text(encoding="utf-8")))
    (tmp_path / "~$romania.docx").write_bytes(b"\x00Word's lock file")
    (tmp_path / "education.txt").write_bytes(
        (Path(__file__).parent / "letters" / "2023-05-16-malta-education.txt").read_bytes()
    )
    (tmp_path / "notes.md").write_text("Not a letter")
    out = StringIO()

    call_command("load_letters", str(tmp_path), stdout=out, stderr=StringIO())

    assert "3 letter(s) loaded, 0 failed." in out.getvalue()
    assert "china.PDF: created “2010-01-13-china”, 5 guiding questions" in out.getvalue()
    assert "romania.docx: created “2004-07-20-romania”, 10 guiding questions" in out.getvalue()


def test_load_letters_names_a_pdf_it_cannot_read_and_loads_nothing_of_it(db, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(blank_pdf())
    err = StringIO()

    with pytest.raises(CommandError, match="1 file"):
        call_command("load_letters", str(scan), stdout=StringIO(), stderr=err)

    assert "scan.pdf: not loaded: this PDF has no text layer (a scanned image?)" in err.getvalue()
    assert not Debate.objects.exists()


def test_an_editor_uploads_a_word_letter_in_the_admin(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:debates_debate_load_letter")).content.decode()
    assert "a PDF, a Word (.docx) or a text file" in page

    letter = letter_docx(CHINA.read_text(encoding="utf-8"))
    url = reverse("admin:debates_debate_load_letter")
    preview = client.post(url, {"letter": SimpleUploadedFile("china.docx", letter)})
    response = client.post(url, preview_data(preview, create="1"), follow=True)

    assert "created “2010-01-13-china”, 5 guiding questions" in response.content.decode()


def test_an_encrypted_pdf_uploaded_in_the_admin_is_refused_saying_so(client, editor):
    client.force_login(editor)
    pdf = encrypted(weasyprint_pdf(SHORT_LETTER), "secret", "AES-256")

    response = client.post(
        reverse("admin:debates_debate_load_letter"),
        {"letter": SimpleUploadedFile("letter.pdf", pdf)},
    )

    assert response.status_code == 200
    assert (
        "letter.pdf: not loaded: this PDF is encrypted: save it without a password and load it "
        "again"
    ) in response.content.decode()
    assert not Debate.objects.exists()


# --------------------------------------------------------------------------- from Word to PDF


# How a PDF's text is read (the spaces between words, where lines break) depends on the font it
# is set in: the documents LibreOffice makes into PDFs here name theirs, for python-docx's
# Cambria would be set in whichever serif the machine has (DejaVu Serif, or Noto Serif once the
# PDF exports' fonts are installed).
OFFICE_FONT = "DejaVu Serif"


@pytest.fixture(scope="module")
def office_pdfs(tmp_path_factory) -> dict[str, bytes]:
    """The seed letters made in Word and saved as PDF by LibreOffice, as editors get them."""
    if not OFFICE:
        reason = "LibreOffice is missing: `apt-get install -y libreoffice-writer-nogui`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Cannot test PDFs from Word in CI: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("office")
    sources = {"romania": ROMANIA, "china": CHINA}
    for name, seed in sources.items():
        letter = letter_docx(seed.read_text(encoding="utf-8"), font=OFFICE_FONT)
        (folder / f"{name}.docx").write_bytes(letter)
    document = docx.Document()
    document.styles["Normal"].font.name = OFFICE_FONT
    document.add_paragraph("The debate will address the following questions:")
    for text in ["How can the Council act earlier?", "What role for regional bodies?"]:
        document.add_paragraph(text, style="List Number")
    (folder / "numbered.docx").write_bytes(docx_bytes(document))
    names = [*sources, "numbered"]
    convert_to_pdf(*(folder / f"{name}.docx" for name in names), folder=folder)
    return {name: (folder / f"{name}.pdf").read_bytes() for name in names}


def test_word_numbering_survives_the_pdf(office_pdfs):
    assert extract_text(office_pdfs["numbered"]).split("\n\n") == [
        "The debate will address the following questions:",
        "1. How can the Council act earlier?\n2. What role for regional bodies?\n",
    ]


@pytest.mark.parametrize("name", ["romania", "china"])
def test_a_seed_letter_as_pdf_from_word_keeps_its_text_and_heading(office_pdfs, name):
    seed = {"romania": ROMANIA, "china": CHINA}[name]
    from_text = parse_letter(seed.read_text(encoding="utf-8"))

    text = extract_text(office_pdfs[name], f"{name}.pdf")
    from_pdf = parse_letter(text)

    assert text.count("\f") == len(PdfReader(io.BytesIO(office_pdfs[name])).pages) - 1
    assert (from_pdf.title, from_pdf.meeting_date, from_pdf.presidency, from_pdf.heading) == (
        from_text.title,
        from_text.meeting_date,
        from_text.presidency,
        from_text.heading,
    )
    # Every question's words are there, in order, whatever becomes of the page breaks.
    flat = squashed(text)
    positions = [flat.find(squashed(question.text)) for question in from_text.questions]
    assert -1 not in positions
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", ["romania", "china"])
def test_a_seed_letter_as_pdf_from_word_gives_the_same_questions(office_pdfs, name):
    seed = {"romania": ROMANIA, "china": CHINA}[name]
    assert questions(extract_text(office_pdfs[name])) == questions(seed.read_text(encoding="utf-8"))


def _pdf_with_one_stream(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all draw the same Flate-compressed content stream."""
    stream = zlib.compress(content)
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def test_a_pdf_of_more_pages_than_a_letter_has_is_refused_before_it_is_read():
    raw = _pdf_with_one_stream(b"BT /F1 12 Tf 72 700 Td (Why?) Tj ET", pages=41)
    with pytest.raises(
        LetterError, match="this PDF has 41 pages; a letter with its annex has at most 40"
    ):
        extract_text(raw, "letter.pdf")


def test_a_pdf_stream_that_unpacks_to_more_than_a_letter_is_not_read_past_its_bound():
    # Its text comes after 20 MB of spaces: unpacked only as far as the bound, it has none.
    raw = _pdf_with_one_stream(b" " * 20_000_000 + b"BT /F1 12 Tf 72 700 Td (Why?) Tj ET")
    assert len(raw) < 100_000
    with pytest.raises(LetterError, match="no text layer"):
        extract_text(raw, "letter.pdf")


def test_a_word_file_of_more_text_than_a_letter_is_refused_before_it_is_parsed():
    document = docx.Document()
    for _ in range(2_000):
        document.add_paragraph("What can the Council do? " * 100)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(LetterError, match="too large once unpacked to be a letter"):
        extract_text(buffer.getvalue(), "letter.docx")
