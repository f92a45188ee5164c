"""Word (DOCX), through python-docx."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from debateprep.drafting.exports.document import (
    FRAME_LANGUAGE,
    Document,
    Heading,
    Paragraph,
    Progress,
    Table,
    progress_every,
)
from debateprep.drafting.exports.writers import FONT, MARGIN_NOTE_CM, TABLE_PT
from debateprep.lib.languages import Language, facts

PAGE_CM, MARGIN_CM = (21, 29.7), 2
TEXT_CM = PAGE_CM[0] - 2 * MARGIN_CM
# A table cell's padding each side (Word's default is 0.19 cm), counted in the columns' widths.
CELL_PADDING_CM = 0.1


# What Word takes for text in East Asian and in right-to-left scripts when nothing says: the
# only such languages among the six.
EAST_ASIAN_TAG = facts(Language.CHINESE).office_tag
COMPLEX_TAG = facts(Language.ARABIC).office_tag
# What follows w:bidi in a paragraph's properties, and w:lang in a run's, in the schema's order
# (python-docx places neither).
AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _lang_attributes(language: str) -> dict[str, str]:
    """w:lang's attributes for text in the language. Word reads `val` for text in Latin and
    Cyrillic letters (the language itself), `eastAsia` for Chinese characters and `bidi` for
    Arabic letters, which are in Chinese and Arabic whatever the language around them."""
    tag = facts(language).office_tag
    return {"w:val": tag, "w:eastAsia": EAST_ASIAN_TAG, "w:bidi": COMPLEX_TAG}


def _set_attributes(element, attributes: dict[str, str]) -> None:
    for name, value in attributes.items():
        element.set(qn(name), value)


def _set_document_language(word, language: str) -> None:
    """The language every run is in unless it says otherwise, and the one Word picks the
    theme's fonts by (python-docx's template says US English, and Japanese for East Asian
    text, which would set Chinese in Japanese glyphs)."""
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_properties = defaults.find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    _set_attributes(lang, _lang_attributes(language))
    theme = word.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        _set_attributes(theme, _lang_attributes(language))


def _mark_language(paragraph, language: str, document: Document) -> None:
    """A paragraph in the language: right to left, runs and all, for Arabic; each run tagged
    with the language where it is not the document's."""
    rtl, foreign = facts(language).rtl, language != document.lang
    if not (rtl or foreign):
        return
    if rtl:
        properties = paragraph._p.get_or_add_pPr()
        if properties.find(qn("w:bidi")) is None:
            properties.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
    for run in paragraph.runs:
        properties = run._r.get_or_add_rPr()
        if rtl:
            properties.get_or_add_rtl()
        if foreign:
            lang = properties.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                properties.insert_element_before(lang, *AFTER_LANG)
            _set_attributes(lang, _lang_attributes(language))


def _new_word_document(document: Document):
    word = WordDocument()
    _set_document_language(word, document.lang)
    # python-docx's template says it was written by python-docx in 2013, on US Letter paper.
    properties = word.core_properties
    properties.title, properties.author, properties.comments = document.title, "DebatePrep", ""
    properties.created = properties.modified = timezone.now()
    for section in word.sections:
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.left_margin = section.right_margin = section.top_margin = Cm(MARGIN_CM)
    large = document.large_print
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(18 if large else 12)
    normal.paragraph_format.line_spacing = 2 if large else 1.15
    normal.paragraph_format.space_after = Pt(12 if large else 8)
    # Word's headings are smaller than the reading copy's text, and blue.
    for level, size in enumerate((20, 18) if large else (16, 14), start=1):
        heading = word.styles[f"Heading {level}"].font
        heading.size = Pt(size)
        heading.color.rgb = RGBColor(0, 0, 0)
    return word


def _add_text(paragraph, text: str):
    """A run of typed text at the end of a paragraph, newlines as line breaks and tabs as tabs.
    (python-docx's `add_run(text)` reads text a character at a time: a 1,000-page compendium
    spent most of its time there.)"""
    run = paragraph.add_run()
    for number, line in enumerate(text.split("\n")):
        if number:
            run.add_break()
        for index, piece in enumerate(line.split("\t")):
            if index:
                run.add_tab()
            if piece:
                run.add_text(piece)
    return run


def _field(paragraph, instruction: str) -> None:
    """A field Word and LibreOffice compute when they lay the page out: PAGE, NUMPAGES."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_furniture(word, document: Document) -> None:
    section = word.sections[0]
    section.header.paragraphs[0].text = document.header
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.clear_all()
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_CM), WD_TAB_ALIGNMENT.RIGHT)
    for paragraph in (section.header.paragraphs[0], footer):
        paragraph.style.font.size = Pt(9)
    _add_text(footer, document.footer + "\tPage ")
    _field(footer, "PAGE")
    if document.page_total:
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
    for paragraph in (section.header.paragraphs[0], footer):
        _mark_language(paragraph, FRAME_LANGUAGE, document)


def _cell(text: str, width: int, *, bold: bool, centred: bool) -> str:
    lines = escape(text).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        f"{'<w:jc w:val="center"/>' if centred else ''}</w:pPr><w:r><w:rPr>"
        f'{"<w:b/>" if bold else ""}<w:sz w:val="{TABLE_PT * 2}"/></w:rPr>{runs}</w:r></w:p>'
        "</w:tc>"
    )


def _table(table: Table, before) -> None:
    """The table's XML written at once: python-docx takes a second and a half for a coverage
    table of 193 delegations, cell by cell."""
    # Word and LibreOffice otherwise give every column the same width, and narrow columns break
    # "Answered" or "Q10" mid-word. The first column takes what the others leave.
    em_cm = TABLE_PT / 72 * 2.54
    widths = [width * em_cm + 2 * CELL_PADDING_CM for width in table.widths]
    widths[0] = max(TEXT_CM - sum(widths[1:]), widths[0] * 0.6)
    twips = [round(width / 2.54 * 1440) for width in widths]
    padding = round(CELL_PADDING_CM / 2.54 * 1440)
    rows = []
    for number, values in enumerate([table.header, *table.rows]):
        cells = "".join(
            _cell(value, width, bold=not number, centred=index in table.marks)
            for index, (value, width) in enumerate(zip(values, twips, strict=True))
        )
        # The header row repeats on every page the table runs over.
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if not number else ""
        rows.append(f"<w:tr>{properties}{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    before._p.addprevious(
        parse_xml(
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            '<w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="{padding}" w:type="dxa"/>'
            f'<w:right w:w="{padding}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f"{''.join(rows)}</w:tbl>"
        )
    )


def render(document: Document, progress: Progress) -> bytes:
    word = _new_word_document(document)
    _page_furniture(word, document)
    # python-docx looks for the end of the body on every paragraph it appends, which grows with
    # the document; inserting before a last, empty paragraph does not.
    end = word.add_paragraph()
    step = progress_every(len(document.blocks), progress)
    for index, block in enumerate(document.blocks):
        step(index)
        if isinstance(block, Heading):
            heading = end.insert_paragraph_before(block.text, style=f"Heading {block.level}")
            _mark_language(heading, document.language_of(block), document)
        elif isinstance(block, Table):
            _table(block, end)
        else:
            paragraph = _paragraph(end, block, document.large_print)
            _mark_language(paragraph, document.language_of(block), document)
    end._p.getparent().remove(end._p)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraph(end, block: Paragraph, large: bool):
    style = "List Bullet" if block.role == "item" else None
    paragraph = end.insert_paragraph_before(style=style)
    if block.role == "marking":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.note:
        layout = paragraph.paragraph_format
        layout.keep_together = True
        layout.left_indent = Cm(MARGIN_NOTE_CM)
        layout.first_line_indent = -Cm(MARGIN_NOTE_CM)
        layout.tab_stops.add_tab_stop(Cm(MARGIN_NOTE_CM))
        paragraph.add_run(str(block.note.number)).bold = True
        elapsed = paragraph.add_run(f"  {block.note.elapsed}")
        elapsed.font.size = Pt(13)
        elapsed.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
        paragraph.add_run("\t")
    if block.lead:
        _add_text(paragraph, block.lead).bold = True
    run = _add_text(paragraph, block.text)
    if block.role in ("marking", "byline"):
        run.bold = True
    elif block.role == "question":
        run.italic = True
    return paragraph
