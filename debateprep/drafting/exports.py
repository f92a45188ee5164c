"""Exports: one document structure per kind (a delegation's statement, a debate's compendium),
rendered to each format.

Every text a person typed goes through `xml_safe` when a document is built, so that no renderer
meets a character its format cannot hold; each renderer then escapes for its own format
(templates autoescape HTML, python-docx and odfpy escape XML, `markdown_escape`, `csv_safe`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from urllib.parse import quote

from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import Truncator, slugify
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor
from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace,
    Footer,
    Header,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TabStop,
    TabStops,
    TextProperties,
)
from odf.text import H, P, Span

from debateprep.debates.models import Debate
from debateprep.drafting.models import Answer, Delegation, Statement
from debateprep.lib.speech import SpeakingTime, count_words

STATEMENT_HTML = "drafting/export/statement.html"
COMPENDIUM_HTML = "drafting/export/compendium.html"
PRINT_CSS = "css/print.css"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Word has Times New Roman; LibreOffice and WeasyPrint substitute the metric-compatible
# Liberation Serif, so lines break in the same places everywhere.
FONT = "Times New Roman"
# The reading copy's paragraph number and running time hang in this much room left of the text.
MARGIN_NOTE_CM = 3
CSV_COLUMNS = [
    "debate",
    "delegation_code",
    "delegation",
    "status",
    "question_order",
    "question_label",
    "answer",
    "words",
    "updated_at",
]


class Marking(models.TextChoices):
    """What interpreters need to know before the speaker starts."""

    CHECK = "check", "Check against delivery"
    VERBATIM = "verbatim", "Read out verbatim"


@dataclass(frozen=True)
class ExportOptions:
    marking: str = Marking.CHECK
    headings: bool = True
    reading_copy: bool = False


# XML 1.0 allows no C0 control but tab, newline and carriage return, no lone surrogate and
# neither U+FFFE nor U+FFFF: python-docx and odfpy would write them into files that Word and
# LibreOffice refuse to open, and WeasyPrint would draw them as boxes.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text pasted from Word carries vertical tabs (line breaks) and form feeds (page breaks).
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """The text as typed, less what no XML document may hold; every line break becomes \\n."""
    return _XML_FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", text))


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs, as in the editor; a single newline is a line break."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def markdown_escape(text: str) -> str:
    """Typed text reads the same once rendered: no accidental headings, lists or HTML."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", text)


def csv_safe(value: object) -> object:
    """A cell that a spreadsheet shows as text and never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


@dataclass(frozen=True)
class Format:
    label: str
    content_type: str
    render: Callable[..., bytes]
    text: bool = False  # readable on a terminal, so a command may print it


@dataclass(frozen=True)
class Download:
    content: bytes
    format: Format
    filename: str  # ASCII: for files on disk and for clients that ignore `filename*`
    display_name: str  # with the delegation's own name, for clients that read `filename*`

    @classmethod
    def named(
        cls,
        content: bytes,
        format: Format,
        *,
        debate: Debate,
        kind: str,
        ext: str,
        delegation: Delegation | None = None,
    ) -> Download:
        """`<debate>-cote-divoire-statement.pdf`, displayed as `<debate>-côte-divoire-…`; a name
        with no Latin letter at all (中国) falls back to the delegation's code in ASCII."""
        ascii_parts, display_parts = [debate.slug], [debate.slug]
        if delegation:
            ascii_parts.append(slugify(delegation.name) or slugify(delegation.code))
            display_parts.append(slugify(delegation.name, allow_unicode=True) or delegation.code)
        return cls(
            content,
            format,
            filename="-".join([*ascii_parts, kind]) + f".{ext}",
            display_name="-".join([*display_parts, kind]) + f".{ext}",
        )

    @property
    def content_disposition(self) -> str:
        # Django writes filename or filename*; RFC 6266 wants both when they differ.
        header = content_disposition_header(True, self.filename)
        if self.display_name != self.filename:
            header += f"; filename*=utf-8''{quote(self.display_name)}"
        return header

    def response(self) -> FileResponse:
        response = FileResponse(io.BytesIO(self.content), content_type=self.format.content_type)
        response["Content-Disposition"] = self.content_disposition
        return response


def _fetch_nothing(url: str, *args, **kwargs):
    """The page needs nothing from outside, and refusing every URL keeps it so. (WeasyPrint's
    own URLFetcher would also set up TLS, a tenth of a second, on every export.)"""
    raise ValueError(f"An export loads nothing from outside: {url}")


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and takes a second to import, which every request
    # and command that makes no PDF would otherwise pay.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find(PRINT_CSS), url_fetcher=_fetch_nothing)
    page = HTML(string=html, url_fetcher=_fetch_nothing)
    return page.write_pdf(stylesheets=[stylesheet])


def _new_word_document(title: str, *, reading_copy: bool = False):
    word = WordDocument()
    # python-docx's template says it was written by python-docx in 2013, on US Letter paper.
    properties = word.core_properties
    properties.title, properties.author, properties.comments = title, "DebatePrep", ""
    properties.created = properties.modified = timezone.now()
    for section in word.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = Cm(2)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(18 if reading_copy else 12)
    normal.paragraph_format.line_spacing = 2 if reading_copy else 1.15
    normal.paragraph_format.space_after = Pt(12 if reading_copy else 8)
    # Word's headings are smaller than the reading copy's text, and blue.
    for level, size in enumerate((20, 18) if reading_copy else (16, 14), start=1):
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


def _word_bytes(word) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# Statement ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    number: int  # counted through the whole statement, for the reading copy
    text: str
    elapsed: str  # speaking time from the start of the statement to the end of this paragraph


@dataclass(frozen=True)
class Passage:
    heading: str  # the guiding question's label; empty for the opening and the closing
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class StatementDocument:
    meeting: str
    title: str
    delegation: str
    marking: str
    status: str
    is_final: bool
    headings: bool
    reading_copy: bool
    passages: list[Passage]
    speaking_time: SpeakingTime
    words_per_minute: int

    @classmethod
    def of(cls, statement: Statement, options: ExportOptions | None = None) -> StatementDocument:
        options = options or ExportOptions()
        debate = statement.debate
        passages, words, number = [], 0, 0
        for answer in statement.answers_in_order():
            paragraphs = []
            for text in split_paragraphs(xml_safe(answer.text)):
                number += 1
                words += count_words(text)
                elapsed = SpeakingTime.of(words, debate.words_per_minute).clock
                paragraphs.append(Paragraph(number, text, elapsed))
            if paragraphs:
                heading = xml_safe(answer.question.heading) if answer.question else ""
                passages.append(Passage(heading, paragraphs))
        return cls(
            meeting=xml_safe(debate.meeting_line),
            title=xml_safe(debate.title),
            delegation=xml_safe(statement.delegation.name),
            marking=Marking(options.marking).label,
            status=statement.get_status_display(),
            is_final=statement.is_locked,
            headings=options.headings,
            reading_copy=options.reading_copy,
            passages=passages,
            speaking_time=SpeakingTime.of(
                words, debate.words_per_minute, debate.speaking_limit_seconds
            ),
            words_per_minute=debate.words_per_minute,
        )

    @property
    def draft_notice(self) -> str:
        if self.is_final:
            return ""
        stage = "" if self.status == Statement.Status.DRAFT.label else f" ({self.status.lower()})"
        return f"DRAFT{stage}: not the final statement"

    @property
    def footer(self) -> str:
        time = self.speaking_time
        return (
            f"{time.words} words · about {time.clock} of speaking time at "
            f"{self.words_per_minute} words per minute (limit {time.limit_clock}"
            f"{', over the limit' if time.over_limit else ''})"
        )

    def escaped(self, escape: Callable[[str], str]) -> StatementDocument:
        return replace(
            self,
            meeting=escape(self.meeting),
            title=escape(self.title),
            delegation=escape(self.delegation),
            passages=[
                Passage(
                    escape(passage.heading),
                    [replace(p, text=escape(p.text)) for p in passage.paragraphs],
                )
                for passage in self.passages
            ],
        )


def _statement_text(document: StatementDocument) -> bytes:
    return render_to_string("drafting/export/statement.txt", {"doc": document}).encode()


def _statement_markdown(document: StatementDocument) -> bytes:
    # A single newline inside a paragraph is a line break, as in the other formats.
    context = {"doc": document.escaped(lambda text: markdown_escape(text).replace("\n", "  \n"))}
    return render_to_string("drafting/export/statement.md", context).encode()


def _statement_pdf(document: StatementDocument) -> bytes:
    return _pdf(render_to_string(STATEMENT_HTML, {"doc": document}))


def _statement_docx(document: StatementDocument) -> bytes:
    word = _new_word_document(
        f"Statement by {document.delegation}: {document.title}",
        reading_copy=document.reading_copy,
    )
    section = word.sections[0]
    section.header.paragraphs[0].text = document.draft_notice
    section.footer.paragraphs[0].text = document.footer
    marking = word.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marking.add_run(document.marking).bold = True
    word.add_paragraph(document.meeting)
    word.add_heading(document.title, level=1)
    word.add_paragraph().add_run(f"Statement by {document.delegation}").bold = True
    for passage in document.passages:
        if document.headings and passage.heading:
            word.add_heading(passage.heading, level=2)
        for paragraph in passage.paragraphs:
            body = word.add_paragraph()
            if document.reading_copy:
                layout = body.paragraph_format
                layout.keep_together = True
                layout.left_indent = Cm(MARGIN_NOTE_CM)
                layout.first_line_indent = -Cm(MARGIN_NOTE_CM)
                layout.tab_stops.add_tab_stop(Cm(MARGIN_NOTE_CM))
                body.add_run(str(paragraph.number)).bold = True
                elapsed = body.add_run(f"  {paragraph.elapsed}")
                elapsed.font.size = Pt(13)
                elapsed.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
                body.add_run("\t")
            _add_text(body, paragraph.text)
    return _word_bytes(word)


def _odt_style(name: str, family: str = "paragraph", *, paragraph=None, text=None) -> Style:
    style = Style(name=name, family=family)
    if paragraph is not None:
        style.addElement(paragraph)
    if text:
        style.addElement(TextProperties(**text))
    return style


def _odt_styles(reading_copy: bool) -> dict[str, Style]:
    size = "18pt" if reading_copy else "12pt"
    body = ParagraphProperties(
        marginbottom="12pt" if reading_copy else "8pt",
        lineheight="200%" if reading_copy else "115%",
    )
    if reading_copy:
        body.setAttribute("keeptogether", "always")
        body.setAttribute("marginleft", f"{MARGIN_NOTE_CM}cm")
        body.setAttribute("textindent", f"-{MARGIN_NOTE_CM}cm")
        tabs = TabStops()
        tabs.addElement(TabStop(position="0cm"))
        body.addElement(tabs)
    heading = {"keepwithnext": "always", "margintop": "12pt", "marginbottom": "6pt"}
    return {
        "Body": _odt_style("Body", paragraph=body, text={"fontname": FONT, "fontsize": size}),
        "Marking": _odt_style(
            "Marking",
            paragraph=ParagraphProperties(textalign="end", marginbottom="12pt"),
            text={"fontname": FONT, "fontsize": size, "fontweight": "bold"},
        ),
        "Title": _odt_style(
            "Title",
            paragraph=ParagraphProperties(**heading),
            text={"fontname": FONT, "fontsize": "16pt", "fontweight": "bold"},
        ),
        "Question": _odt_style(
            "Question",
            paragraph=ParagraphProperties(**heading),
            text={"fontname": FONT, "fontsize": "14pt", "fontweight": "bold"},
        ),
        "Small": _odt_style("Small", text={"fontname": FONT, "fontsize": "9pt"}),
        "Strong": _odt_style("Strong", "text", text={"fontweight": "bold"}),
        "Time": _odt_style("Time", "text", text={"fontsize": "13pt", "color": "#333333"}),
    }


def _statement_odt(document: StatementDocument) -> bytes:
    odt = OpenDocumentText()
    odt.fontfacedecls.addElement(
        FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="roman")
    )
    styles = _odt_styles(document.reading_copy)
    for style in styles.values():
        odt.styles.addElement(style)

    page = PageLayout(name="Page")
    page.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margin="2cm"))
    odt.automaticstyles.addElement(page)
    # "Standard" is the page style LibreOffice gives every paragraph that names none.
    master = MasterPage(name="Standard", pagelayoutname=page)
    header, footer = Header(), Footer()
    header.addElement(P(stylename=styles["Small"], text=document.draft_notice))
    footer.addElement(P(stylename=styles["Small"], text=document.footer))
    master.addElement(header)
    master.addElement(footer)
    odt.masterstyles.addElement(master)

    def add(element, style: str, *texts: tuple[str | None, str], **attributes) -> None:
        """A paragraph of (text style or None, text) runs."""
        node = element(stylename=styles[style], **attributes)
        for span_style, text in texts:
            target = Span(stylename=styles[span_style]) if span_style else node
            teletype.addTextToElement(target, text)
            if span_style:
                node.addElement(target)
        odt.text.addElement(node)

    add(P, "Marking", (None, document.marking))
    add(P, "Body", (None, document.meeting))
    add(H, "Title", (None, document.title), outlinelevel=1)
    add(P, "Body", ("Strong", f"Statement by {document.delegation}"))
    for passage in document.passages:
        if document.headings and passage.heading:
            add(H, "Question", (None, passage.heading), outlinelevel=2)
        for paragraph in passage.paragraphs:
            margin = [("Strong", str(paragraph.number)), ("Time", f" {paragraph.elapsed}\t")]
            add(P, "Body", *(margin if document.reading_copy else []), (None, paragraph.text))
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


STATEMENT_FORMATS: dict[str, Format] = {
    "docx": Format("Word (DOCX)", DOCX, _statement_docx),
    "pdf": Format("PDF", "application/pdf", _statement_pdf),
    "odt": Format("OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", _statement_odt),
    "md": Format("Markdown", "text/markdown; charset=utf-8", _statement_markdown, text=True),
    "txt": Format("Plain text", "text/plain; charset=utf-8", _statement_text, text=True),
}


def statement_download(
    statement: Statement, fmt: str, options: ExportOptions | None = None
) -> Download:
    spec = STATEMENT_FORMATS[fmt]
    return Download.named(
        spec.render(StatementDocument.of(statement, options)),
        spec,
        debate=statement.debate,
        kind="statement",
        ext=fmt,
        delegation=statement.delegation,
    )


# Compendium ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompendiumDebate:
    slug: str
    title: str
    organ: str
    meeting_kind: str
    meeting_date: date | None
    meeting: str


@dataclass(frozen=True)
class CompendiumQuestion:
    order: int
    marker: str
    label: str
    heading: str
    text: str

    @property
    def title(self) -> str:
        """ "3. Linkage", or "Question (3)" where the letter gives no label."""
        return f"{self.order}. {self.label}" if self.label else self.heading

    @property
    def gist(self) -> str:
        """The label, or the question's opening words, for the coverage table's key."""
        return self.label or Truncator(self.text).words(12)


@dataclass(frozen=True)
class CompendiumAnswer:
    part: str
    question_order: int | None
    text: str
    words: int
    version: int
    updated_at: datetime | None

    @property
    def answered(self) -> bool:
        return bool(self.text.strip())

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.text)


@dataclass(frozen=True)
class CompendiumStatement:
    delegation_code: str
    delegation: str
    status: str
    status_label: str
    status_changed_at: datetime | None
    created_at: datetime | None
    answers: list[CompendiumAnswer]

    NOT_STARTED = "not_started"

    @classmethod
    def not_started(cls, delegation: Delegation) -> CompendiumStatement:
        """An invited delegation with no statement yet: editors chase it from the coverage."""
        return cls(
            delegation_code=delegation.code,
            delegation=xml_safe(delegation.name),
            status=cls.NOT_STARTED,
            status_label="Not started",
            status_changed_at=None,
            created_at=None,
            answers=[],
        )

    def answer_to(self, question: CompendiumQuestion) -> CompendiumAnswer | None:
        return next((a for a in self.answers if a.question_order == question.order), None)


@dataclass(frozen=True)
class CompendiumDocument:
    debate: CompendiumDebate
    exported_at: datetime
    questions: list[CompendiumQuestion]
    statements: list[CompendiumStatement]

    @classmethod
    def of(cls, debate: Debate) -> CompendiumDocument:
        """Every statement on the debate, whatever its status: the coverage table says which;
        on an invitation-only debate, the invited delegations that have not started one too.
        Three queries, four for an invitation-only debate, however many delegations."""
        statements = (
            Statement.objects.filter(debate=debate)
            .select_related("delegation")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.select_related("question"))
            )
        )
        not_started = (
            debate.invited_delegations.exclude(statements__debate=debate)
            if debate.invited_only
            else []
        )
        return cls(
            debate=CompendiumDebate(
                slug=debate.slug,
                title=xml_safe(debate.title),
                organ=xml_safe(debate.organ),
                meeting_kind=xml_safe(debate.meeting_kind),
                meeting_date=debate.meeting_date,
                meeting=xml_safe(debate.meeting_line),
            ),
            exported_at=timezone.localtime(),
            questions=[
                CompendiumQuestion(
                    order=question.order,
                    marker=xml_safe(question.marker),
                    label=xml_safe(question.label),
                    heading=xml_safe(question.heading),
                    text=xml_safe(question.text),
                )
                for question in debate.questions.all()
            ],
            statements=sorted(
                [
                    CompendiumStatement(
                        delegation_code=statement.delegation.code,
                        delegation=xml_safe(statement.delegation.name),
                        status=statement.status,
                        status_label=statement.get_status_display(),
                        status_changed_at=statement.status_changed_at,
                        created_at=statement.created_at,
                        answers=[
                            CompendiumAnswer(
                                part=answer.part,
                                question_order=answer.question.order if answer.question else None,
                                text=xml_safe(answer.text),
                                words=answer.word_count,
                                version=answer.version,
                                updated_at=answer.updated_at,
                            )
                            for answer in sorted(statement.answers.all(), key=Answer.sort_key)
                        ],
                    )
                    for statement in statements
                ]
                + [CompendiumStatement.not_started(delegation) for delegation in not_started],
                key=lambda statement: statement.delegation,
            ),
        )

    @property
    def coverage(self) -> list[tuple[CompendiumStatement, list[bool], int]]:
        """Each statement, whether it answers each question, and how many it answers."""
        rows = []
        for statement in self.statements:
            answers = [statement.answer_to(question) for question in self.questions]
            answered = [bool(answer and answer.answered) for answer in answers]
            rows.append((statement, answered, sum(answered)))
        return rows

    @property
    def sections(
        self,
    ) -> list[tuple[CompendiumQuestion, list[tuple[CompendiumStatement, CompendiumAnswer]]]]:
        """Each question with the statements that answer it, and their answers."""
        sections = []
        for question in self.questions:
            answers = [(statement, statement.answer_to(question)) for statement in self.statements]
            sections.append((question, [(s, a) for s, a in answers if a and a.answered]))
        return sections

    @property
    def summary(self) -> str:
        return (
            f"{len(self.statements)} statements on {len(self.questions)} guiding questions, "
            f"exported {self.exported_at:%-d %B %Y at %H:%M}."
        )


def _compendium_docx(document: CompendiumDocument) -> bytes:
    word = _new_word_document(f"Compendium: {document.debate.title}")
    word.sections[0].footer.paragraphs[0].text = f"Compendium · {document.debate.title}"
    word.add_paragraph(document.debate.meeting)
    word.add_heading(document.debate.title, level=1)
    word.add_paragraph(f"Compendium of statements: {document.summary}")

    word.add_heading("Coverage", level=2)
    for question in document.questions:
        word.add_paragraph(f"Q{question.order}: {question.gist}", style="List Bullet")
    total = len(document.questions)
    table = word.add_table(rows=0, cols=total + 3)
    table.style = "Table Grid"
    # Word and LibreOffice otherwise give every column the same width, and names wrap; each
    # row added takes its cells' widths from the columns.
    mark_width = Cm(min(1.2, 9 / max(total, 1)))
    for column, width in zip(
        table.columns, [Cm(4.5), Cm(2), *[mark_width] * total, Cm(2)], strict=True
    ):
        column.width = width
    titles = ["Delegation", "Status", *(f"Q{q.order}" for q in document.questions), "Answered"]
    rows = [titles] + [
        [
            statement.delegation,
            statement.status_label,
            *("✓" if yes else "" for yes in answered),
            f"{count}/{total}",
        ]
        for statement, answered, count in document.coverage
    ]
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _add_text(cell.paragraphs[0], value)

    # python-docx looks for the end of the body on every paragraph it appends, which grows
    # with the document; inserting before a last paragraph does not.
    end = word.add_paragraph("End of the compendium.")
    for question, answers in document.sections:
        end.insert_paragraph_before(question.title, style="Heading 2")
        _add_text(end.insert_paragraph_before(), question.text).italic = True
        if not answers:
            end.insert_paragraph_before("No delegation has answered this question.")
        for statement, answer in answers:
            # The delegation leads its answer's first paragraph, in bold, as compendiums print it.
            for number, text in enumerate(answer.paragraphs):
                paragraph = end.insert_paragraph_before()
                if not number:
                    speaker = f"{statement.delegation} ({statement.status_label}): "
                    _add_text(paragraph, speaker).bold = True
                _add_text(paragraph, text)
    return _word_bytes(word)


def _compendium_pdf(document: CompendiumDocument) -> bytes:
    return _pdf(render_to_string(COMPENDIUM_HTML, {"doc": document}))


def _compendium_csv(document: CompendiumDocument) -> bytes:
    """One row per delegation and question, answered or not."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for statement in document.statements:
        for question in document.questions:
            answer = statement.answer_to(question)
            row = {
                "debate": document.debate.slug,
                "delegation_code": statement.delegation_code,
                "delegation": statement.delegation,
                "status": statement.status,
                "question_order": question.order,
                "question_label": question.heading,
                "answer": answer.text if answer else "",
                "words": answer.words if answer else 0,
                "updated_at": answer.updated_at.isoformat() if answer and answer.updated_at else "",
            }
            writer.writerow({column: csv_safe(value) for column, value in row.items()})
    # The byte order mark is how Excel knows that the file is UTF-8 ("Côte d'Ivoire").
    return buffer.getvalue().encode("utf-8-sig")


def _compendium_json(document: CompendiumDocument) -> bytes:
    data = asdict(document)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


COMPENDIUM_FORMATS: dict[str, Format] = {
    "docx": Format("Word (DOCX)", DOCX, _compendium_docx),
    "pdf": Format("PDF", "application/pdf", _compendium_pdf),
    "csv": Format("CSV", "text/csv; charset=utf-8", _compendium_csv, text=True),
    "json": Format("JSON", "application/json", _compendium_json, text=True),
}


def compendium_download(debate: Debate, fmt: str) -> Download:
    spec = COMPENDIUM_FORMATS[fmt]
    return Download.named(
        spec.render(CompendiumDocument.of(debate)),
        spec,
        debate=debate,
        kind="compendium",
        ext=fmt,
    )
