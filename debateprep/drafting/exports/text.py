"""Typed text made safe for a document, then for each format.

Every text a person typed goes through `xml_safe` when a document is built, so that no writer
meets a character its format cannot hold; each writer then escapes for its own format (the
HTML template autoescapes, python-docx and odfpy escape XML, Typst reads the text as data,
`markdown_escape`, `csv_safe`).
"""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 allows no C0 control but tab, newline and carriage return, no lone surrogate and
# neither U+FFFE nor U+FFFF: python-docx and odfpy would write them into files that Word and
# LibreOffice refuse to open, and a PDF would draw them as boxes.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text pasted from Word carries vertical tabs (line breaks) and form feeds (page breaks).
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Code and fences (` ~), emphasis and strikethrough (* _ ~), links ([ ]), HTML (< >), entities
# (&), table cells (|).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# CommonMark escapes punctuation only: a list's "1." is escaped as "1\.", never "\1.".
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))", re.MULTILINE)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection"),
# also after spaces, line breaks or characters that print nothing, and in their fullwidth forms
# (U+FF1D, which NFKC folds to "=").
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r")


def xml_safe(text: str) -> str:
    """The text as typed, less what no XML document may hold; every line break becomes \\n."""
    return _XML_FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", text))


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs, as in the editor; a single newline is a line break."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def markdown_escape(text: str) -> str:
    """Typed text reads the same once rendered: no accidental headings, lists or HTML."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)

    def line_start(match: re.Match) -> str:
        if match[2]:
            return f"{match[1]}\\{match[2]}"
        return f"{match[1]}{match[3]}\\{match[4]}"

    return _MARKDOWN_LINE_START.sub(line_start, text)


def _first_visible(text: str) -> str:
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs")):
            return unicodedata.normalize("NFKC", char)[:1]
    return ""


def csv_safe(value: object) -> object:
    """A cell that a spreadsheet shows as text and never runs as a formula."""
    if isinstance(value, str) and (
        value.startswith(_CONTROL_START) or _first_visible(value) in _FORMULA_START
    ):
        return f"'{value}"
    return value
