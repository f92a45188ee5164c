"""What PDF pages add around the letter, removed line by line."""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from debateprep.debates.letter.dates import _DATE
from debateprep.debates.letter.lines import (
    _BULLETS,
    _LIST_MARKER,
    _MAX_KEYWORD_HEADING_WORDS,
    _heading,
    _strip_markup,
)
from debateprep.debates.letter.result import LetterError

#
# What a PDF adds around the letter is removed line by line before the letter is read:
# running headers and footers (page numbers, the document symbol, the job number and its
# barcode, any line repeated at the edges of the pages), footnotes, and hyphens where a word
# was broken at a line end. Text on both sides of a page break is then joined again unless
# a new paragraph plainly starts there, so that a page break inside a question does not cut
# it. Page breaks are form feeds ("\f", as pdftotext and the extraction module write them)
# or, in text copied from a PDF viewer, the header and footer lines themselves.

# (str.translate is slow on text beyond Latin-1, so replacements are made one by one.)
_INVISIBLE = re.compile("[\ufeff\u200b\u2060\u00ad]")
_LINE_BREAKS = (
    ("\r\n", "\n"),
    ("\r", "\n"),
    ("\v", "\n"),
    ("\x85", "\n"),
    ("\u2028", "\n"),
    ("\u2029", "\n\n"),
    ("\f", "\n\f\n"),
)
# A soft hyphen before a line end is where a word processor broke the word.
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[^\S\n]*\n[^\S\n]*")
# Blank lines in a row count as one; a form feed is no blank line.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n\f]*\n){2,}")
# A concept paper of thirty pages has some two thousand lines; a text with this many is no
# letter, and refusing it at once keeps the time to read any file short.
_MAX_LINES = 15_000
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# A tab separates table cells in copied text: kept wider than a space so that a cell can be
# told from the next one.
_TAB = "    "


# Tokens a page header or footer is made of, and nothing else: "S/2019/372", "19-07288 (E)",
# "100519", "*1907288*", "2", "2/5", "- 2 -", "Page 2 of 5". Each token is an atomic group,
# so that a line that is not an artefact fails without backtracking.
_ARTEFACT_TOKEN = (
    r"[A-Z]{1,5}(?:/[A-Za-z0-9.\-\u2013]+)+"
    r"|(?:GE\.)?\d{2}-\d{4,6}(?:\([A-Z]\))?"
    r"|\([A-Z]\)"
    r"|\*\d{5,9}\*"
    r"|\d{6}"
    r"|\d{1,3}(?:/\d{1,3})?"
    r"|[-\u2013\u2014]\d{1,3}[-\u2013\u2014]"
    r"|[-\u2013\u2014]"
    r"|(?i:page|p\.|of)"
)
_ARTEFACT_LINE = re.compile(rf"[ ]*(?>{_ARTEFACT_TOKEN})(?:[ ]+(?>{_ARTEFACT_TOKEN}))*+[ ]*")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_MAX_ARTEFACT_LENGTH = 120


_LONE_BULLET = re.compile(rf"\s*(?:[{_BULLETS}]|o)\s*")
# A running header or footer is a short line found at the edge of at least two pages.
_PAGE_EDGE_LINES = 2
_MAX_RUNNING_LINE_WORDS = 12
# "1 See resolution 2250 (2015)." at the foot of a page whose text refers to it ("security.1").
_FOOTNOTE_START = re.compile(r"[ ]*(?P<number>\d{1,3})(?:[ ]+|(?=[A-Z\u201c\"]))(?=\S)")
_MAX_FOOTNOTE_LINES = 12


def _footnote_reference(number: str) -> re.Pattern[str]:
    """A footnote number glued to the word or punctuation before it: "peace2", "(2015).3",
    but not the "1" of "2.1" or "S/2024/1"."""
    return re.compile(
        rf"(?:(?<=[^\W\d_])|(?<=[)\]])|(?<=[^\d\s][.,;:\u201d\"\u2019?!])){number}(?!\w)"
    )


_TEXT, _BLANK, _BREAK, _ARTEFACT = range(4)


class _Row:
    """A line while the text is cleaned: `kind` says what it is."""

    __slots__ = ("after_break", "kind", "page", "raw", "text")

    def __init__(self, raw: str, text: str, kind: int, page: int = 0) -> None:
        self.raw = raw
        self.text = text
        self.kind = kind
        self.after_break = False
        self.page = page  # counted from the first page, once page breaks are known

    def rewrite(self, text: str) -> None:
        # Emphasis is only read from lines the cleaning left alone.
        self.raw = self.text = text


def _is_artefact(text: str) -> bool:
    return (
        len(text) <= _MAX_ARTEFACT_LENGTH
        and _DIGIT.search(text) is not None
        and _ARTEFACT_LINE.fullmatch(text) is not None
    )


def _rows(text: str) -> list[_Row]:
    for old, new in _LINE_BREAKS:
        if old in text:
            text = text.replace(old, new)
    text = _BLANK_LINES.sub("\n\n", _INVISIBLE.sub("", _SOFT_HYPHEN_BREAK.sub("", text)))
    if (count := text.count("\n")) >= _MAX_LINES:
        raise LetterError(
            _("this text has %(count)s lines, more than any presidency letter (%(limit)s at most)")
            % {"count": count, "limit": _MAX_LINES}
        )
    text = _ODD_SPACES.sub(" ", text).replace("\t", _TAB)
    rows = []
    for raw, plain in zip(text.split("\n"), _strip_markup(text).split("\n"), strict=True):
        plain = plain.rstrip()
        if raw == "\f":
            kind = _BREAK
        # pdftotext may write a list's bullets apart from its items, on lines of their own.
        elif not plain.strip() or _LONE_BULLET.fullmatch(plain):
            kind = _BLANK
        elif _is_artefact(plain) or (raw != plain and _is_artefact(raw.strip())):
            kind = _ARTEFACT
        else:
            kind = _TEXT
        rows.append(_Row(raw.rstrip(), plain, kind))
    return rows


def _pages(rows: Sequence[_Row]) -> list[range]:
    """Rows of each page, between form feeds or else between header and footer lines."""
    breaks = [i for i, row in enumerate(rows) if row.kind == _BREAK]
    if not breaks:
        breaks = [i for i, row in enumerate(rows) if row.kind == _ARTEFACT]
    pages, start = [], 0
    for at in [*breaks, len(rows)]:
        if at > start:
            pages.append(range(start, at))
        start = at + 1
    return pages


def _page_text_rows(rows: Sequence[_Row], page: range) -> list[int]:
    return [i for i in page if rows[i].kind == _TEXT]


def _may_be_running(text: str) -> bool:
    words = text.split()
    return (
        len(text.strip()) >= 3
        and len(words) <= _MAX_RUNNING_LINE_WORDS
        and "?" not in text
        and _LIST_MARKER.match(text) is None
    )


def _mark_running_lines(rows: Sequence[_Row], pages: Sequence[range]) -> None:
    """A line repeated at the top or foot of several pages is a running header or footer."""
    if len(pages) < 2:
        return
    pages_of: dict[str, set[int]] = {}
    edges: list[tuple[int, str]] = []
    for number, page in enumerate(pages):
        texts = _page_text_rows(rows, page)
        for i in {*texts[:_PAGE_EDGE_LINES], *texts[-_PAGE_EDGE_LINES:]}:
            if _may_be_running(rows[i].text):
                key = _DIGITS.sub("#", " ".join(rows[i].text.split())).casefold()
                pages_of.setdefault(key, set()).add(number)
                edges.append((i, key))
    for i, key in edges:
        if len(pages_of[key]) >= 2:
            rows[i].kind = _ARTEFACT


def _mark_footnotes(rows: Sequence[_Row], pages: Sequence[range]) -> None:
    """Footnotes at the foot of a page, and their numbers in the page's text, are removed."""
    if len(pages) < 2:
        return
    for page in pages:
        texts = _page_text_rows(rows, page)
        first = max(1, len(texts) - _MAX_FOOTNOTE_LINES)
        for at in range(first, len(texts)):
            start = _FOOTNOTE_START.match(rows[texts[at]].text)
            if start is None or _DATE.match(rows[texts[at]].text.lstrip()):
                continue
            notes = texts[at:]
            if any(_LIST_MARKER.match(rows[i].text) for i in notes):
                continue
            above = texts[:at]
            if _remove_reference(rows, above, start["number"]):
                for i in notes:
                    if i != texts[at] and (more := _FOOTNOTE_START.match(rows[i].text)):
                        _remove_reference(rows, above, more["number"])
                    rows[i].kind = _ARTEFACT
                break


def _remove_reference(rows: Sequence[_Row], above: Sequence[int], number: str) -> bool:
    reference = _footnote_reference(number)
    for i in above:
        text, found = reference.subn("", rows[i].text, count=1)
        if found:
            rows[i].rewrite(text)
            return True
    return False


def _looks_like_heading(text: str) -> bool:
    return len(text.split()) <= _MAX_KEYWORD_HEADING_WORDS and _heading(text) is not None


def _joins(before: str, after: str, before_alone: bool, after_alone: bool) -> bool:
    """Whether the text on both sides of a page break is one paragraph."""
    after = after.lstrip()
    if before.endswith(("-", "\u2010")) or after[:1].islower():
        return True
    if before.endswith("?") or _LIST_MARKER.match(after):
        return False
    # A heading stands on a line of its own, with a blank line or the break around it.
    return not (
        (before_alone and _looks_like_heading(before))
        or (after_alone and _looks_like_heading(after))
    )


def _join_pages(rows: Sequence[_Row]) -> list[_Row]:
    """The rows without artefacts; across a page break, a blank row only between paragraphs."""
    kept: list[_Row] = []
    i = page = 0
    while i < len(rows):
        if rows[i].kind == _TEXT:
            rows[i].page = page
            kept.append(rows[i])
            i += 1
            continue
        end = i
        while end < len(rows) and rows[end].kind != _TEXT:
            end += 1
        if all(rows[k].kind == _BLANK for k in range(i, end)):
            kept.extend(rows[i:end])
        elif end < len(rows):
            rows[end].after_break = True
            page += 1
            # rows[i - 1] is text: a run of other rows is always taken whole.
            if i and not _joins(
                rows[i - 1].text,
                rows[end].text,
                i < 2 or rows[i - 2].kind != _TEXT,
                end + 1 == len(rows) or rows[end + 1].kind != _TEXT,
            ):
                kept.append(_Row("", "", _BLANK, page))
        i = end
    return kept
