"""Exports: a document built once from the database for each kind (a delegation's statement, a
debate's compendium: statement.py, compendium.py), in the one model of document.py, and
rendered by one writer per format (writers/), each of which renders any document.

The views, the admin and the `export` command call `statement_download` and
`compendium_download`; `progress`, if given, is called with the fraction written so far.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from types import ModuleType
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from debateprep.debates.models import Debate
from debateprep.drafting.exports.compendium import CSV_COLUMNS, CompendiumDocument
from debateprep.drafting.exports.document import Document, Progress, no_progress
from debateprep.drafting.exports.statement import ExportOptions, Marking, StatementDocument
from debateprep.drafting.exports.text import csv_safe, markdown_escape, split_paragraphs, xml_safe
from debateprep.drafting.exports.writers import (
    csv_records,
    html,
    json_data,
    markdown,
    odt,
    pdf,
    plain,
    word,
)
from debateprep.drafting.models import Delegation, Statement

__all__ = [
    "COMPENDIUM_FORMATS",
    "CSV_COLUMNS",
    "STATEMENT_FORMATS",
    "STATEMENT_HTML",
    "CompendiumDocument",
    "Document",
    "Download",
    "ExportOptions",
    "Format",
    "Marking",
    "StatementDocument",
    "compendium_download",
    "csv_safe",
    "markdown_escape",
    "split_paragraphs",
    "statement_download",
    "xml_safe",
]

# The statement's preview: its document on screen (views.statement_preview).
STATEMENT_HTML = html.TEMPLATE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Format:
    label: str
    content_type: str
    writer: ModuleType
    text: bool = False  # readable on a terminal, so a command may print it

    def render(self, document: Document, progress: Progress = no_progress) -> bytes:
        content = self.writer.render(document, progress)
        progress(1)
        return content


DOCUMENT_FORMATS: dict[str, Format] = {
    "docx": Format("Word (DOCX)", DOCX, word),
    "pdf": Format("PDF", "application/pdf", pdf),
    "odt": Format("OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", odt),
    "md": Format("Markdown", "text/markdown; charset=utf-8", markdown, text=True),
    "txt": Format(_("Plain text"), "text/plain; charset=utf-8", plain, text=True),
}
STATEMENT_FORMATS = DOCUMENT_FORMATS
# A compendium is also data: the CSV has a row per delegation and part, the JSON everything.
COMPENDIUM_FORMATS: dict[str, Format] = {
    **DOCUMENT_FORMATS,
    "csv": Format("CSV", "text/csv; charset=utf-8", csv_records, text=True),
    "json": Format("JSON", "application/json", json_data, text=True),
}


DELEGATION_BYTES_IN_FILE_NAME = 60


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
        with no Latin letter at all (中国) falls back to the delegation's code in ASCII. A debate
        named after its presidency ("2004-07-20-romania") does not name it twice."""
        ascii_parts, display_parts = [debate.slug], [debate.slug]
        if delegation:
            for parts, name in (
                (ascii_parts, slugify(delegation.name) or slugify(delegation.code)),
                (display_parts, slugify(delegation.name, allow_unicode=True) or delegation.code),
            ):
                if not debate.slug.endswith(f"-{name.lower()}"):
                    # Cut short for file systems, which hold 255 bytes a name; the longest
                    # country's ("united-kingdom-of-great-britain-and-northern-ireland") is 52.
                    cut = name.encode()[:DELEGATION_BYTES_IN_FILE_NAME].decode(errors="ignore")
                    parts.append(cut.rstrip("-"))
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


def statement_document(statement: Statement, options: ExportOptions | None = None) -> Document:
    # The documents' own words (headings, times, notes) are in English whoever asks, as the
    # frame around the delegation's text; lang attributes say so where the formats allow.
    with translation.override(settings.LANGUAGE_CODE):
        return StatementDocument.of(statement, options)


def statement_download(
    statement: Statement,
    fmt: str,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> Download:
    spec = STATEMENT_FORMATS[fmt]
    document = statement_document(statement, options)
    return Download.named(
        spec.render(document, progress or no_progress),
        spec,
        debate=statement.debate,
        kind="reading-copy" if options and options.reading_copy else "statement",
        ext=fmt,
        delegation=statement.delegation,
    )


def compendium_download(debate: Debate, fmt: str, progress: Progress | None = None) -> Download:
    spec = COMPENDIUM_FORMATS[fmt]
    with translation.override(settings.LANGUAGE_CODE):
        document = CompendiumDocument.of(debate)
    return Download.named(
        spec.render(document, progress or no_progress),
        spec,
        debate=debate,
        kind="compendium",
        ext=fmt,
    )
