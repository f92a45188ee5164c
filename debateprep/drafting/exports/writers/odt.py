"""OpenDocument text (ODT), through odfpy."""

from __future__ import annotations

import io

from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    FontFace,
    Footer,
    Header,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TabStop,
    TabStops,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, P, PageCount, PageNumber, Span

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

TEXT_CM = 17


def _language(language: str) -> dict[str, str]:
    """Text properties for text in the language. LibreOffice reads fo:language and fo:country
    for text in Latin and Cyrillic letters (the language itself), the Asian pair for Chinese
    characters and the complex pair for Arabic letters, which are in Chinese and Arabic
    whatever the language around them."""
    western = facts(language).office_tag.split("-")
    asian = facts(Language.CHINESE).office_tag.split("-")
    complex_ = facts(Language.ARABIC).office_tag.split("-")
    return {
        "language": western[0],
        "country": western[1],
        "languageasian": asian[0],
        "countryasian": asian[1],
        "languagecomplex": complex_[0],
        "countrycomplex": complex_[1],
    }


def _writing_mode(language: str) -> str:
    return "rl-tb" if facts(language).rtl else "lr-tb"


def _style(name: str, family: str = "paragraph", *, paragraph=None, text=None) -> Style:
    style = Style(name=name, family=family)
    if paragraph is not None:
        style.addElement(paragraph)
    if text:
        style.addElement(TextProperties(**text))
    return style


def _styles(large: bool) -> dict[str, Style]:
    size = "18pt" if large else "12pt"
    body = {"marginbottom": "12pt" if large else "8pt", "lineheight": "200%" if large else "115%"}
    noted = ParagraphProperties(
        keeptogether="always",
        marginleft=f"{MARGIN_NOTE_CM}cm",
        textindent=f"-{MARGIN_NOTE_CM}cm",
        **body,
    )
    tabs = TabStops()
    tabs.addElement(TabStop(position="0cm"))
    noted.addElement(tabs)
    heading = {"keepwithnext": "always", "margintop": "12pt", "marginbottom": "6pt"}
    font = {"fontname": FONT, "fontsize": size}
    return {
        "Body": _style("Body", paragraph=ParagraphProperties(**body), text=font),
        "Noted": _style("Noted", paragraph=noted, text=font),
        "Item": _style(
            "Item",
            paragraph=ParagraphProperties(
                marginleft="0.6cm", textindent="-0.4cm", marginbottom="2pt"
            ),
            text=font,
        ),
        "Marking": _style(
            "Marking",
            paragraph=ParagraphProperties(textalign="end", marginbottom="12pt"),
            text={**font, "fontweight": "bold"},
        ),
        "Heading1": _style(
            "Heading1",
            paragraph=ParagraphProperties(**heading),
            text={"fontname": FONT, "fontsize": "20pt" if large else "16pt", "fontweight": "bold"},
        ),
        "Heading2": _style(
            "Heading2",
            paragraph=ParagraphProperties(**heading),
            text={"fontname": FONT, "fontsize": "18pt" if large else "14pt", "fontweight": "bold"},
        ),
        "Cell": _style("Cell", text={"fontname": FONT, "fontsize": f"{TABLE_PT}pt"}),
        "Mark": _style(
            "Mark",
            paragraph=ParagraphProperties(textalign="center"),
            text={"fontname": FONT, "fontsize": f"{TABLE_PT}pt"},
        ),
        "Small": _style("Small", text={"fontname": FONT, "fontsize": "9pt"}),
        "Strong": _style("Strong", "text", text={"fontweight": "bold"}),
        "Italic": _style("Italic", "text", text={"fontstyle": "italic"}),
        "Time": _style("Time", "text", text={"fontsize": "13pt", "color": "#333333"}),
    }


class _Styles(dict):
    """The document's styles by name, and on demand a variant of one for text in a language
    other than the document's (a name of its own: header and footer may use it too)."""

    def __init__(self, odt, document: Document):
        super().__init__(_styles(document.large_print))
        self.odt, self.language = odt, document.lang
        for style in self.values():
            odt.styles.addElement(style)

    def in_language(self, name: str, language: str) -> str:
        if language == self.language:
            return name
        variant = f"{name}-{language}"
        if variant not in self:
            family = self[name].getAttribute("family")
            style = Style(name=variant, family=family, parentstylename=self[name])
            if family == "paragraph":
                style.addElement(ParagraphProperties(writingmode=_writing_mode(language)))
            style.addElement(TextProperties(**_language(language)))
            self.odt.styles.addElement(style)
            self[variant] = style
        return variant


def render(document: Document, progress: Progress) -> bytes:
    odt = OpenDocumentText()
    odt.fontfacedecls.addElement(
        FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="roman")
    )
    # The document's language, and its direction: right to left for Arabic.
    default = DefaultStyle(family="paragraph")
    default.addElement(ParagraphProperties(writingmode=_writing_mode(document.lang)))
    default.addElement(TextProperties(**_language(document.lang)))
    odt.styles.addElement(default)
    styles = _Styles(odt, document)
    small = styles.in_language("Small", FRAME_LANGUAGE)

    page = PageLayout(name="Page")
    page.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margin="2cm"))
    odt.automaticstyles.addElement(page)
    # "Standard" is the page style LibreOffice gives every paragraph that names none.
    master = MasterPage(name="Standard", pagelayoutname=page)
    header, footer = Header(), Footer()
    header.addElement(P(stylename=styles[small], text=document.header))
    footer_text = P(stylename=styles[small], text=f"{document.footer} · Page ")
    footer_text.addElement(PageNumber(selectpage="current", text="1"))
    if document.page_total:
        teletype.addTextToElement(footer_text, " of ")
        footer_text.addElement(PageCount(text="1"))
    footer.addElement(footer_text)
    master.addElement(header)
    master.addElement(footer)
    odt.masterstyles.addElement(master)

    def paragraph(element, style: str, *texts: tuple[str | None, str], language: str, **attributes):
        """A paragraph in the language, of (text style or None, text) runs."""
        node = element(stylename=styles[styles.in_language(style, language)], **attributes)
        for span_style, text in texts:
            target = Span(stylename=styles[span_style]) if span_style else node
            teletype.addTextToElement(target, text)
            if span_style:
                node.addElement(target)
        return node

    step = progress_every(len(document.blocks), progress)
    for index, block in enumerate(document.blocks):
        step(index)
        if isinstance(block, Heading):
            node = paragraph(
                H,
                f"Heading{block.level}",
                (None, block.text),
                language=document.language_of(block),
                outlinelevel=block.level,
            )
        elif isinstance(block, Table):
            node = _table(odt, block, styles, index)
        else:
            node = _paragraph(block, paragraph, document.language_of(block))
        odt.text.addElement(node)
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


def _paragraph(block: Paragraph, paragraph, language: str):
    runs: list[tuple[str | None, str]] = []
    if block.note:
        runs += [("Strong", str(block.note.number)), ("Time", f" {block.note.elapsed}\t")]
    if block.lead:
        runs.append(("Strong", block.lead))
    emphasis = {"byline": "Strong", "question": "Italic"}.get(block.role)
    if block.role == "item":
        runs.insert(0, (None, "• "))
    runs.append((emphasis, block.text))
    style = {"marking": "Marking", "item": "Item"}.get(block.role)
    return paragraph(P, style or ("Noted" if block.note else "Body"), *runs, language=language)


def _table(odt, table: Table, styles: dict[str, Style], number: int):
    em_cm = TABLE_PT / 72 * 2.54
    widths = [width * em_cm + 0.2 for width in table.widths]
    widths[0] = max(TEXT_CM - sum(widths[1:]), widths[0] * 0.6)
    layout = Style(name=f"Table{number}", family="table")
    layout.addElement(TableProperties(width=f"{sum(widths):.2f}cm", align="left"))
    odt.automaticstyles.addElement(layout)
    cell_style = Style(name=f"Table{number}Cell", family="table-cell")
    cell_style.addElement(TableCellProperties(border="0.5pt solid #777777", padding="0.05cm"))
    odt.automaticstyles.addElement(cell_style)
    grid = OdfTable(name=f"Table{number}", stylename=layout)
    for index, width in enumerate(widths):
        column = Style(name=f"Table{number}Column{index}", family="table-column")
        column.addElement(TableColumnProperties(columnwidth=f"{width:.2f}cm"))
        odt.automaticstyles.addElement(column)
        grid.addElement(TableColumn(stylename=column))

    def row(values: list[str]) -> TableRow:
        node = TableRow()
        for index, value in enumerate(values):
            cell = TableCell(stylename=cell_style, valuetype="string")
            text = P(stylename=styles["Mark" if index in table.marks else "Cell"])
            teletype.addTextToElement(text, value)
            cell.addElement(text)
            node.addElement(cell)
        return node

    # The header row repeats on every page the table runs over.
    headers = TableHeaderRows()
    headers.addElement(row(table.header))
    grid.addElement(headers)
    for values in table.rows:
        grid.addElement(row(values))
    return grid
