"""PDF, laid out by Typst (pdf.typ) from the document.

Typst, not WeasyPrint: WeasyPrint laid out about 12 pages a second here, so a full compendium
(193 delegations x 10 questions x 300 words, about 1,200 pages) took 50 to 150 s and 585 MiB;
Typst lays it out in about 10 s. Typst keeps every page of a document in memory until it is
written (1.6 GiB for that compendium), so a long document is laid out in pieces of about
PIECE_WORDS words, each starting at a section, each numbered on from the last, and the pieces
are joined into one file by pypdf.
"""

from __future__ import annotations

import dataclasses
import io
import json
import threading
from pathlib import Path

from debateprep.drafting.exports.document import (
    FRAME_LANGUAGE,
    Document,
    Heading,
    Paragraph,
    Progress,
    Table,
)
from debateprep.lib.languages import facts
from debateprep.lib.speech import count_characters

LAYOUT = (Path(__file__).parent / "pdf.typ").read_bytes()
# About 60 pages of 12-point text; a section that starts past it starts a new piece, on a new
# page. A statement is one piece, however long.
PIECE_WORDS = 30_000
# Typst drops a laid-out piece from its cache once ten compilations have not used it
# (typst-py calls comemo::evict(10)): compiling an empty document that often frees it.
_EVICT_AFTER = 11
_lock = threading.Lock()
_compiler = None


def _language(language: str) -> dict:
    """A Language as Typst's text takes it: "zh-hans" is lang "zh", region "cn"."""
    known = facts(language)
    lang, _, region = known.office_tag.lower().partition("-")
    return {"lang": lang, "region": region or None, "dir": known.direction}


def _block(block: Heading | Paragraph | Table, document: Document) -> dict:
    if isinstance(block, Table):
        marks = list(block.marks)
        return {"type": "table", "header": block.header, "rows": block.rows, "marks": marks}
    data = dataclasses.asdict(block) | {"type": block.type}
    # Set where the block's language is not the document's.
    data["lang"] = _language(block.lang) if block.lang and block.lang != document.lang else None
    if isinstance(block, Paragraph):
        data["note"] = [block.note.number, block.note.elapsed] if block.note else None
    return data


def _words(block) -> int:
    """About how much the block takes to lay out: its words, and its Chinese characters one by
    one (each takes less room than a word: a piece of Chinese is shorter, never longer)."""
    return count_characters(block.text) if isinstance(block, Paragraph) else 0


def pieces(document: Document) -> list[list]:
    """The document's blocks in pieces of about PIECE_WORDS words, each starting at a section."""
    if document.page_total:
        return [document.blocks]
    split, words = [[]], 0
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 2 and words >= PIECE_WORDS:
            split.append([])
            words = 0
        split[-1].append(block)
        words += _words(block)
    return split


def _compile(document: Document, blocks: list, first_page: int) -> bytes:
    global _compiler
    import typst  # Loads Typst's fonts: only a process that makes a PDF pays for it.

    inputs = {
        "document": json.dumps(
            {
                "title": document.title,
                "header": document.header,
                "footer": document.footer,
                "watermark": document.watermark,
                "page_total": document.page_total,
                "total_pages": None,
                "large_print": document.large_print,
                "first_page": first_page,
                "language": _language(document.lang),
                "frame": _language(FRAME_LANGUAGE),
                "blocks": [_block(block, document) for block in blocks],
            }
        )
    }
    with _lock:
        if _compiler is None:
            _compiler = typst.Compiler()
        pdf = _compiler.compile(input=LAYOUT, format="pdf", sys_inputs=inputs, pdf_tags=False)
        for _ in range(_EVICT_AFTER):
            _compiler.compile(input=b"", format="pdf", pdf_tags=False)
    return pdf


def render(document: Document, progress: Progress) -> bytes:
    from pypdf import PdfReader, PdfWriter

    parts = pieces(document)
    if len(parts) == 1:
        return _compile(document, parts[0], 1)
    writer = PdfWriter()
    for number, blocks in enumerate(parts):
        pdf = _compile(document, blocks, len(writer.pages) + 1)
        writer.append(PdfReader(io.BytesIO(pdf)))
        progress((number + 1) / (len(parts) + 1))
    writer.add_metadata({"/Title": document.title, "/Author": "DebatePrep"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
