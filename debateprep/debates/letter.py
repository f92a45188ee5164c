"""Parse a Security Council presidency letter and its annexed concept paper.

The genre is loosely structured: a heading ("Letter dated ... from the Permanent
Representative of X ..."), a short letter announcing a debate, and an annex with
headed sections, one of which lists the guiding questions. Documents reach us as
plain text extracted from PDFs or Word, so the parser works on paragraphs and list
markers rather than on any fixed layout, and tolerates markdown emphasis, odd
whitespace and line endings. What PDF pages add around the text (headers, footers, page
numbers, footnotes, words broken at line ends) is removed first; see "cleaning".

Every step is linear in the length of the text: regular expressions are bounded or cannot
backtrack far, and no loop goes over the lines more than a fixed number of times.

Pure module: standard library only, so it can be used outside Django.
"""

import codecs
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

__all__ = [
    "NO_MEETING_DATE",
    "GuidingQuestion",
    "Letter",
    "LetterError",
    "Section",
    "decode_letter",
    "normalise_text",
    "parse_letter",
    "question_warnings",
]


NO_MEETING_DATE = "no meeting date found"


class LetterError(ValueError):
    """The text cannot be read as a letter; the message says why, for the user."""


@dataclass(frozen=True)
class Section:
    heading: str
    kind: str
    text: str


@dataclass(frozen=True)
class GuidingQuestion:
    number: int
    marker: str
    label: str
    text: str
    paragraph: str


@dataclass(frozen=True)
class Letter:
    organ: str
    distribution_date: date | None
    letter_date: date | None
    heading: str
    sender: str
    signatory: str
    title: str
    meeting_date: date | None
    presidency: str
    sections: tuple[Section, ...]
    outcome: str
    meeting_kind: str
    questions: tuple[GuidingQuestion, ...]
    text: str
    # What an editor should check: "no meeting date found", "question 2 spans a page break"...
    warnings: tuple[str, ...] = ()
    # The document symbol the letter was circulated under, e.g. "S/2024/321".
    symbol: str = ""


# --------------------------------------------------------------------------- decoding

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_letter(raw: bytes) -> str:
    """Decode an uploaded file: UTF-8 (BOM optional) or UTF-16 with a BOM."""
    # UTF-32 LE's BOM begins with UTF-16 LE's, so it must be ruled out first.
    if raw.startswith(_UTF32_BOMS):
        raise LetterError("UTF-32 text is not supported; save the file as UTF-8")
    if raw.startswith(_UTF16_BOMS):
        text = _decode_or_explain(raw, "utf-16", "UTF-16")
    elif raw.startswith(codecs.BOM_UTF8):
        text = _decode_or_explain(raw, "utf-8", "UTF-8", start=len(codecs.BOM_UTF8))
    else:
        text = _decode_or_explain(raw, "utf-8", "UTF-8")
    if "\x00" in text:
        raise LetterError("not a text file (it contains NUL bytes; UTF-16 needs a byte-order mark)")
    if not text.lstrip("\ufeff").strip():
        raise LetterError("the file is empty")
    return text


def _decode_or_explain(raw: bytes, codec: str, name: str, start: int = 0) -> str:
    """Decode raw[start:], reporting a bad byte by its position in the whole file."""
    try:
        return raw[start:].decode(codec)
    except UnicodeDecodeError as error:
        position = start + error.start
        raise LetterError(
            f"not {name} text (invalid byte 0x{raw[position]:02x} at position {position})"
        ) from None


# --------------------------------------------------------------------------- cleaning
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
_BOLD_MARKS = re.compile(r"\*\*|__")
# The emphasised text cannot contain its own delimiter, which keeps the search linear.
# It starts with the delimiter, not a lookbehind, so that the search skips other characters.
_ITALIC = re.compile(
    r"\*(?<![\w*]\*)(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|_(?<![\w_]_)(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"
)
_MARKDOWN_HEADING_HASHES = re.compile(r"^[^\S\n]{0,3}#{1,6}[^\S\n]+", re.MULTILINE)
_WHITESPACE_RUN = re.compile(r"\s+")
# "Secretary-\nGeneral": a line broken at a hyphen joins without a space.
_BREAK_AFTER_HYPHEN = re.compile(r"-(?<=\w-)\n\s*(?=\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])")

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
# Bullets as typed, and as Word's symbol fonts give them (private use area).
_BULLETS = (
    "-*\u2022\u2013\u2014\u25aa\u25ab\u25e6\u00b7\u2023\u25cf\u25a0\u25a1\u25ba\u27a2"
    "\u2043\u2219\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
)
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

    __slots__ = ("after_break", "kind", "raw", "text")

    def __init__(self, raw: str, text: str, kind: int) -> None:
        self.raw = raw
        self.text = text
        self.kind = kind
        self.after_break = False

    def rewrite(self, text: str) -> None:
        # Emphasis is only read from lines the cleaning left alone.
        self.raw = self.text = text


def _strip_markup(text: str) -> str:
    text = _MARKDOWN_HEADING_HASHES.sub("", text)
    text = _BOLD_MARKS.sub("", text)
    return _ITALIC.sub(r"\1\2", text)


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
            f"this text has {count:,} lines, more than any presidency letter "
            f"({_MAX_LINES:,} at most)"
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
    i = 0
    while i < len(rows):
        if rows[i].kind == _TEXT:
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
            # rows[i - 1] is text: a run of other rows is always taken whole.
            if i and not _joins(
                rows[i - 1].text,
                rows[end].text,
                i < 2 or rows[i - 2].kind != _TEXT,
                end + 1 == len(rows) or rows[end + 1].kind != _TEXT,
            ):
                kept.append(_Row("", "", _BLANK))
        i = end
    return kept


# A word broken at a line end: "govern-" / "ments". The lookbehind starts the fragment at the
# start of its word, which keeps the search linear.
_BROKEN_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+[-\u2010]$")
_FIRST_WORD = re.compile(r"\s*([^\W\d_]+)(\S*)\s*")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# First parts that English writes with a hyphen: "non-State", "self-defence", "post-conflict",
# "long-term", "intra-state", "well-being", "cross-border", "ex-combatants".
_HYPHENATED_PREFIXES = frozenset(
    {
        "all",
        "anti",
        "cross",
        "ex",
        "full",
        "half",
        "high",
        "intra",
        "large",
        "long",
        "low",
        "mid",
        "non",
        "post",
        "self",
        "short",
        "small",
        "well",
    }
)
# Words that begin compounds written solid ("without", "understanding"), never a compound's
# first part with a hyphen.
_SOLID_PREFIXES = frozenset(
    {"any", "for", "in", "on", "out", "over", "some", "under", "up", "with"}
)
_MIN_COMPOUND_PART = 4


def _line_end_break(rows: Sequence[_Row], i: int) -> tuple[str, re.Match[str]] | None:
    """The fragment before a hyphen ending row i and the first word of the next row."""
    if i + 1 >= len(rows) or rows[i].kind != _TEXT or rows[i + 1].kind != _TEXT:
        return None
    text = rows[i].text
    if not text.endswith(("-", "\u2010")):
        return None
    left = _BROKEN_WORD.search(text, max(0, len(text) - 100))
    right = _FIRST_WORD.match(rows[i + 1].text)
    if left is None or right is None or not right[1][0].islower():
        return None
    if _LIST_MARKER.match(rows[i + 1].text):
        return None
    return left[0][:-1], right


def _word_counts(rows: Sequence[_Row], breaks: Sequence[int]) -> Counter[str]:
    """How often each word, and each part of a hyphenated word, occurs outside the breaks."""
    counts: Counter[str] = Counter()
    for row in rows:
        if row.kind == _TEXT:
            for word in _WORD.findall(row.text.casefold()):
                counts[word] += 1
                if "-" in word:
                    counts.update(word.split("-"))
    for i in breaks:
        found = _line_end_break(rows, i)
        if found:
            counts[found[0].casefold()] -= 1
            counts[found[1][1].casefold()] -= 1
    return counts


def _keeps_hyphen(left: str, right: str, counts: Counter[str]) -> bool:
    """Whether "left-" at a line end and "right" on the next line are a hyphenated word.

    The letter itself decides where it can: the word written with the hyphen elsewhere keeps
    it, written solid elsewhere loses it. Otherwise a first part English writes with a hyphen
    keeps it, and so do two words that each occur on their own elsewhere ("peace" and
    "building"), while fragments that are no words ("govern", "ments") are joined.
    """
    left, right = left.casefold(), right.casefold()
    if counts[f"{left}-{right}"] > 0:
        return True
    if counts[left + right] > 0:
        return False
    if left in _HYPHENATED_PREFIXES:
        return True
    return (
        left not in _SOLID_PREFIXES
        and min(len(left), len(right)) >= _MIN_COMPOUND_PART
        and counts[left] > 0
        and counts[right] > 0
    )


def _dehyphenate(rows: list[_Row]) -> list[_Row]:
    breaks = [i for i in range(len(rows) - 1) if _line_end_break(rows, i)]
    if not breaks:
        return rows
    counts = _word_counts(rows, breaks)
    for i in breaks:
        found = _line_end_break(rows, i)
        if found is None or _keeps_hyphen(found[0], found[1][1], counts):
            continue
        right = found[1]
        rows[i].rewrite(rows[i].text[:-1] + right[1] + right[2])
        rest = rows[i + 1].text[right.end() :]
        if rest.strip():
            rows[i + 1].rewrite(rest)
        else:
            rows[i + 1].kind = _ARTEFACT
    return [row for row in rows if row.kind != _ARTEFACT]


# The heading of a letter copied from a PDF may run into the header lines before it:
# "S/2019/372 Security Council Distr.: General 10 May 2019 ... Letter dated 8 May 2019 ...".
_HEADING_START = re.compile(r"(?:Identical\s+letters|Letters?)\s+dated\s+(?=\S)")
_HEADER_WORDS = re.compile(
    r"\d|\b(?:Distr|Original|Council|Assembly|United\s+Nations|General|English|French|Spanish"
    r"|Arabic|Chinese|Russian)\b",
)
_ENDS_LOWERCASE_WORD = re.compile(r"(?<![^\W\d_])[a-z]+[,;]?\s*$")
_ADDRESSEE_NAMES = (
    r"the\s+(?:Secretary-\s*General|President\s+of\s+the\s+(?:Security\s+Council|General\s+Assembly)"
    r"|Chair(?:man|person)?\s+of\s+the\s+[^\n.]{1,120}?(?=\s+(?:I|We|On|Further|With|In)\s))"
)
_ADDRESSEE = re.compile(
    rf"\baddressed\s+to\s+{_ADDRESSEE_NAMES}(?:\s+and\s+(?:to\s+)?{_ADDRESSEE_NAMES})?"
)
_MAX_HEADING_LINES = 6
_HEADING_CANDIDATES = 5


def _looks_like_header(text: str) -> bool:
    return bool(_HEADER_WORDS.search(text)) and not _ENDS_LOWERCASE_WORD.search(text)


def _free_heading(rows: list[_Row]) -> list[_Row]:
    """Start the letter's heading on a paragraph of its own if it runs into the header."""
    candidates = 0
    for i, row in enumerate(rows):
        match = _HEADING_START.search(row.text) if row.kind == _TEXT else None
        if match is None:
            continue
        prefix = row.text[: match.start()]
        if prefix.strip():
            if not _looks_like_header(prefix):
                candidates += 1
                if candidates == _HEADING_CANDIDATES:
                    break
                continue
            heading = _Row("", "", _TEXT)
            heading.rewrite(row.text[match.start() :])
            row.rewrite(prefix.rstrip())
            rows[i + 1 : i + 1] = [_Row("", "", _BLANK), heading]
            return _end_heading(rows, i + 2)
        if i and rows[i - 1].kind == _TEXT and _looks_like_header(rows[i - 1].text):
            rows[i:i] = [_Row("", "", _BLANK)]
            return _end_heading(rows, i + 1)
        return rows
    return rows


def _end_heading(rows: list[_Row], start: int) -> list[_Row]:
    """End the heading after its addressee when the letter runs on in the same paragraph."""
    end = start
    while end < len(rows) and end - start < _MAX_HEADING_LINES and rows[end].kind == _TEXT:
        end += 1
    offsets, joined = [], ""
    for i in range(start, end):
        offsets.append(len(joined))
        joined += rows[i].text + "\n"
    match = _ADDRESSEE.search(joined)
    if match is None:
        return rows
    at = max(k for k, offset in enumerate(offsets) if offset <= match.end())
    row, cut = rows[start + at], match.end() - offsets[at]
    rest = row.text[cut:].strip()
    if rest:
        tail = _Row("", "", _TEXT)
        tail.rewrite(rest)
        row.rewrite(row.text[:cut])
        rows[start + at + 1 : start + at + 1] = [_Row("", "", _BLANK), tail]
    elif start + at + 1 < len(rows) and rows[start + at + 1].kind == _TEXT:
        rows[start + at + 1 : start + at + 1] = [_Row("", "", _BLANK)]
    return rows


_SENTENCE_ENDINGS = tuple('.:;?!\u201d")')
_NO_HEADING_ENDINGS = tuple(".;?!,")
# Longer than any heading of a few words, even indented.
_MAX_HEADING_LENGTH = 160


def _separate_headings(rows: list[_Row]) -> list[_Row]:
    """Start a paragraph at each heading that has none before it.

    pdftotext and copies from PDF viewers often give a page as lines one after another; the
    headings ("III. Guiding questions", "Annex to the letter ...") are then told by their
    shape: a short line without a full stop, after a line that ends a sentence and before
    one that starts a new one.
    """
    result: list[_Row] = []
    for i, row in enumerate(rows):
        if (
            i
            and row.kind == _TEXT
            and len(row.text) <= _MAX_HEADING_LENGTH
            and not row.text.endswith(_NO_HEADING_ENDINGS)
            and rows[i - 1].kind == _TEXT
            and _ends_paragraph(rows[i - 1].text)
            and (i + 1 == len(rows) or not rows[i + 1].text.lstrip()[:1].islower())
            and (_ANNEX_HEADING.match(row.text) or _starts_section(row.text))
        ):
            result.append(_Row("", "", _BLANK))
        result.append(row)
    return result


def _ends_paragraph(text: str) -> bool:
    """A line ending a sentence, or a short title line such as "Concept note"."""
    if text.endswith(_SENTENCE_ENDINGS):
        return True
    words = text.split()
    return len(words) <= _MAX_OTHER_HEADING_WORDS and text.lstrip()[:1].isupper()


def _starts_section(text: str) -> bool:
    heading = _heading(text) if len(text.split()) <= _MAX_KEYWORD_HEADING_WORDS else None
    return heading is not None and (heading.kind != "other" or bool(_HEADING_NUMBER.match(text)))


class _Line(NamedTuple):
    raw: str  # with markdown emphasis kept: bold labels are recognised from it
    text: str  # emphasis and page artefacts removed, as shown in Letter.text
    index: int = 0  # line number in Letter.text
    after_break: bool = False  # the first line after a page break


def _clean_lines(text: str) -> list[_Line]:
    """Lines with one blank line between paragraphs and none at either end."""
    rows = _rows(text)
    if not any(row.kind in (_TEXT, _ARTEFACT) for row in rows):
        raise LetterError("the file is empty")
    pages = _pages(rows)
    _mark_running_lines(rows, pages)
    _mark_footnotes(rows, pages)
    rows = _join_pages(rows)
    rows = _separate_headings(_free_heading(_dehyphenate(rows)))
    lines: list[_Line] = []
    for row in rows:
        if row.kind == _TEXT and row.text.strip():
            lines.append(_Line(row.raw, row.text, len(lines), row.after_break))
        elif row.kind == _BLANK and lines and lines[-1].text:
            lines.append(_Line("", "", len(lines)))
    while lines and not lines[-1].text:
        lines.pop()
    return lines


def normalise_text(text: str) -> str:
    """The text as the parser reads it, in one line: what PDF pages add around the letter
    removed, words broken at line ends joined, markdown emphasis dropped, every run of
    whitespace a single space. Every guiding question's text is a part of it."""
    try:
        lines = _clean_lines(text)
    except LetterError:
        return ""
    return _squash("\n".join(line.text for line in lines))


def _squash(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", _BREAK_AFTER_HYPHEN.sub("-", text)).strip()


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(_squash(text))


# --------------------------------------------------------------------------- blocks

Block = tuple[_Line, ...]  # a paragraph: lines between blank lines


def _blocks(lines: Sequence[_Line]) -> list[Block]:
    blocks: list[Block] = []
    current: list[_Line] = []
    for line in [*lines, _Line("", "")]:
        if line.text:
            current.append(line)
        elif current:
            blocks.append(tuple(current))
            current = []
    return blocks


def _block_text(block: Block) -> str:
    return "\n".join(line.text for line in block)


def _flat(block: Block) -> str:
    return _squash(_block_text(block))


# --------------------------------------------------------------------------- dates

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NAMES = "|".join(_MONTHS)
_DAY_MONTH_YEAR = (
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_NAMES})(?:,?\s+(?P<year>\d{{4}}))?\b"
    rf"|(?P<month2>{_MONTH_NAMES})\s+(?P<day2>\d{{1,2}})(?:,\s*(?P<year2>\d{{4}}))?\b"
)
# ASCII only: under Unicode case folding a long s would match an "s" and name no month.
_DATE = re.compile(rf"\b(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII)
_DISTRIBUTION_DATE = re.compile(
    rf"\bDistr\.?\s*:?\s*[A-Za-z]+\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII
)
_LETTER_DATED = re.compile(rf"\bletters?\s+dated\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE | re.ASCII)
# "my letter dated ...", "Distr.: General ...", "Sent: Monday, ..." never date the meeting.
_NOT_THE_MEETING = re.compile(
    r"(?:\bdated|\bDistr\.?\s*:?\s*[A-Za-z]+|\b(?:Sent|Date):\s*(?:[A-Za-z]+,?)?)\s*$",
    re.IGNORECASE,
)
_NOT_THE_MEETING_REACH = 40


@dataclass(frozen=True)
class _DayMonth:
    day: int
    month: int
    year: int | None

    def on(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None

    def resolve(self, reference: date | None) -> date | None:
        """The full date; a missing year is the one putting it nearest `reference`."""
        if self.year is not None:
            return self.on(self.year)
        if reference is None:
            return None
        candidates = [d for y in (-1, 0, 1) if (d := self.on(reference.year + y))]
        return min(candidates, key=lambda d: abs((d - reference).days), default=None)


def _day_month(match: re.Match[str]) -> _DayMonth:
    day = match.group("day") or match.group("day2")
    month = (match.group("month") or match.group("month2")).capitalize()
    year = match.group("year") or match.group("year2")
    return _DayMonth(int(day), _MONTHS.index(month) + 1, int(year) if year else None)


def _dates_in(text: str) -> list[_DayMonth]:
    return [
        _day_month(match)
        for match in _DATE.finditer(text)
        if not _NOT_THE_MEETING.search(
            text, max(0, match.start() - _NOT_THE_MEETING_REACH), match.start()
        )
    ]


# --------------------------------------------------------------------------- list items

_LIST_MARKER = re.compile(
    rf"""^\s*(?P<marker>
        (?P<bullet>[{_BULLETS}]|o(?=\s))
      | \((?P<enclosed>\d{{1,2}}|[a-zA-Z]|[ivxIVX]{{1,6}})\)
      | (?P<closed>\d{{1,2}}|[a-zA-Z]|[ivxIVX]{{1,6}})[.)]
    )\s+(?=\S)""",
    re.VERBOSE,
)
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
# A label before a colon or a dash: "**Subsidiarity:** Are ...", "Legal framework — Is ...",
# "Early warning - How ...". A hyphen only counts with spaces around it ("co-operation").
_LABEL_MARK = r"(?:\*{1,2}|_{1,2})"
_BOLD_LABEL = re.compile(
    rf"^{_LABEL_MARK}(?P<label>[^*_:\n\u2013\u2014]{{1,80}}?)\s*"
    rf"(?:(?::|[-\u2013\u2014])\s*{_LABEL_MARK}|{_LABEL_MARK}\s*(?::|[-\u2013\u2014]))\s*\S"
)
# Without emphasis a label is only trusted when short and followed by a new sentence,
# so that "Two issues stand out: first, ..." is not split.
_PLAIN_LABEL = re.compile(
    r"^(?P<label>[A-Z][^:?!.;,\u2013\u2014]{0,60}?)(?:\s*:\s+|\s+-\s+|\s*[\u2013\u2014]\s*)"
    r"(?=[A-Z\"\u201c\u00ab])"
)
# A table copied from a PDF keeps its columns apart with runs of spaces: "Prevention   How ...".
_TABLE_LABEL = re.compile(
    r"^(?P<label>[A-Z][^\s:?!.;,]*(?: [^\s:?!.;,]+){0,5})[ ]{3,}(?=[A-Z\"\u201c])"
)
_WIDE_GAP = re.compile(r"\S {3,}(?=\S)")
_AFTER_LABEL = re.compile(r"\s*(?::|[-\u2013\u2014])\s*")
_MAX_LABEL_WORDS = 6
# The stem of a question completed by its sub-items: "How can the Council support:".
_INTERROGATIVE = re.compile(
    r"(?:[^,;:?]{0,120},\s+)?(?:"
    r"(?:in|to|at|by|for|from|with|under|on|of|through)\s+(?:what|which|whose|whom)\b"
    r"|(?:how|what|which|why|who|whom|whose|where|when|whether)\b"
    r"|(?:is|are|was|were|do|does|did|can|could|should|shall|would|will|may|might|must|has"
    r"|have|had)\s)",
    re.IGNORECASE,
)


class _Item:
    """A list item, or an unmarked paragraph ("plain" style), built line by line."""

    __slots__ = ("_body", "asks", "gaps", "has_sub_items", "lines", "marker", "ordinal", "style")

    def __init__(self, marker: str, style: str, ordinal: int | None, line: _Line, gap: bool):
        self.marker = marker  # as written; "" for bullets and plain paragraphs
        self.style = style  # items of one list share a style: "-", "(1)", "a.", "plain"...
        self.ordinal = ordinal  # position the numbering claims; None for bullets and plain
        self.lines = [line]
        self.gaps = [gap]  # whether a blank line comes before each line
        self.asks = "?" in line.text
        self.has_sub_items = False
        self._body: str | None = None

    def extend(self, line: _Line, gap: bool) -> None:
        self.lines.append(line)
        self.gaps.append(gap)
        self.asks = self.asks or "?" in line.text
        self._body = None

    def take(self, other: "_Item") -> None:
        for line, gap in zip(other.lines, other.gaps, strict=True):
            self.extend(line, gap)

    @property
    def source(self) -> str:
        """The paragraph as it stands in Letter.text."""
        parts = [self.lines[0].text]
        for line, gap in zip(self.lines[1:], self.gaps[1:], strict=True):
            parts.append("\n\n" if gap else "\n")
            parts.append(line.text)
        return "".join(parts)

    @property
    def body(self) -> str:
        """Whitespace-normalised text without the list marker."""
        if self._body is None:
            self._body = _squash(_LIST_MARKER.sub("", self.source, count=1))
        return self._body

    @property
    def is_plain(self) -> bool:
        return self.style == "plain"

    @property
    def is_question(self) -> bool:
        # The body ends as the last line does, the line being whitespace-stripped.
        return self.lines[-1].text.endswith("?")

    def ends_with(self, ending: str) -> bool:
        return self.lines[-1].text.endswith(ending)


def _roman(numeral: str) -> int:
    values = [_ROMAN_DIGITS[c] for c in numeral.lower()]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _numbering(token: str, shape: str, previous: _Item | None) -> tuple[str, int]:
    """Style and ordinal of a numbered marker such as "(iv)", "b.", "12)"."""
    if token.isdigit():
        return shape.replace("x", "1"), int(token)
    letter_style = shape.replace("x", "a" if token.islower() else "A")
    letter_ordinal = ord(token[0].lower()) - ord("a") + 1
    # "(i)" after "(h)" is the ninth letter, otherwise a roman numeral.
    follows_letters = (
        len(token) == 1
        and previous is not None
        and previous.style == letter_style
        and previous.ordinal == letter_ordinal - 1
    )
    if set(token.lower()) <= set(_ROMAN_DIGITS) and not follows_letters:
        return shape.replace("x", "i" if token.islower() else "I"), _roman(token)
    return letter_style, letter_ordinal


def _start_item(line: _Line, previous: _Item | None, gap: bool) -> _Item | None:
    match = _LIST_MARKER.match(line.text)
    if match is None:
        return None
    if match.group("bullet"):
        return _Item("", match.group("bullet"), None, line, gap)
    token = match.group("enclosed") or match.group("closed")
    shape = "(x)" if match.group("enclosed") else "x" + match.group("marker")[-1]
    style, ordinal = _numbering(token, shape, previous)
    return _Item(match.group("marker"), style, ordinal, line, gap)


def _indent(line: _Line) -> int:
    return len(line.text) - len(line.text.lstrip())


def _is_nested(line: _Line, item: _Item) -> bool:
    """An indented sub-list ("   (a) If so, how?") belongs to the question above it.

    An indented list under a paragraph announcing it ("... the following questions:")
    is the list itself, so only an item that already asks something, or that a list
    completes ("How can the Council support:"), takes sub-items.
    """
    if item.is_plain or _indent(line) <= _indent(item.lines[0]):
        return False
    if item.asks or item.has_sub_items:
        return True
    return item.ends_with(":") and _interrogative(item) and not _mentions_questions(item)


def _continues(line: _Line, item: _Item, opens_block: bool) -> bool:
    if opens_block:
        # A paragraph resuming in lower case was broken by a stray blank line.
        return line.text.lstrip()[:1].islower()
    # Bare questions are often typed one per line without blank lines between them.
    return not (item.is_plain and item.ends_with(("?", ":")))


def _items(blocks: Sequence[Block]) -> list[_Item]:
    items: list[_Item] = []
    for block in blocks:
        for index, line in enumerate(block):
            last = items[-1] if items else None
            started = _start_item(line, last, gap=index == 0)
            if last and (_is_nested(line, last) if started else _continues(line, last, not index)):
                last.has_sub_items = last.has_sub_items or started is not None
                last.extend(line, gap=index == 0)
            else:
                items.append(started or _Item("", "plain", None, line, gap=index == 0))
    return _nested(items)


def _interrogative(item: _Item) -> bool:
    return bool(_INTERROGATIVE.match(_sentences(_split_label(item)[1])[-1]))


def _completed_by(item: _Item, sub_items: Sequence[_Item], after: _Item | None) -> bool:
    """Whether a list of another style after an item is part of it.

    "How can the Council support:" is completed by the items after it; a question is
    followed by its sub-questions when its own list resumes after them. A paragraph
    announcing a list ("... the following questions:") is never completed by it.
    """
    if item.ends_with(":"):
        # "How should the Council address the following issues:" may announce questions.
        announces = _mentions_questions(item) and all(
            sub.is_question and sub.body[:1].isupper() for sub in sub_items
        )
        return _interrogative(item) and not announces
    if _mentions_questions(item):
        return False
    resumes = (
        after is not None
        and not item.is_plain
        and after.style == item.style
        and (item.ordinal is None or after.ordinal == item.ordinal + 1)
    )
    return item.asks and resumes and not any(sub.is_plain for sub in sub_items)


def _nested(items: list[_Item]) -> list[_Item]:
    """Items with the sub-items that complete them taken in."""
    result: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        end = i + 1
        if end < len(items) and not items[end].is_plain and items[end].style != item.style:
            style = items[end].style
            while end < len(items) and items[end].style == style:
                end += 1
            after = items[end] if end < len(items) else None
            if _completed_by(item, items[i + 1 : end], after):
                for sub_item in items[i + 1 : end]:
                    item.take(sub_item)
            else:
                end = i + 1
        result.append(item)
        i = end
    return result


def _split_label(item: _Item) -> tuple[str, str]:
    """(label, question) from an item body such as "Subsidiarity: Are some ...?"."""
    body = item.body
    raw = _LIST_MARKER.sub("", item.lines[0].raw, count=1).lstrip()
    match = _BOLD_LABEL.match(raw) or _PLAIN_LABEL.match(body)
    if match is not None:
        label = _squash(_strip_markup(match.group("label")))
        after = _AFTER_LABEL.match(body, len(label)) if body.startswith(label) else None
        if label and after and len(label.split()) <= _MAX_LABEL_WORDS:
            return label, body[after.end() :].strip()
    first = _LIST_MARKER.sub("", item.lines[0].text, count=1).lstrip()
    table = _TABLE_LABEL.match(first)
    # Justified text copied with its layout has wide gaps too, but more than one to a line.
    if table is not None and len(_WIDE_GAP.findall(first)) == 1 and not _interrogative_word(first):
        label = _squash(table.group("label"))
        if body.startswith(label + " "):
            return label, body[len(label) + 1 :].strip()
    return "", body


def _interrogative_word(text: str) -> bool:
    return bool(_INTERROGATIVE.match(text.split(" ", 1)[0] + " "))


# --------------------------------------------------------------------------- sections

_SECTION_KINDS = {
    "questions": re.compile(
        r"\bquestions?\b|\bguiding\b|\b(?:key\s+)?issues\s+(?:for|to)\b|\bkey\s+issues\b"
        r"|\bareas\s+(?:to\s+be\s+(?:explored|addressed)|for\s+(?:discussion|debate|consideration))"
        r"|\b(?:points|topics|themes)\s+(?:for|to)\b|\bdiscussion\s+points\b",
        re.IGNORECASE,
    ),
    "outcome": re.compile(r"\boutcomes?\b|\bexpected\s+results?\b|\bdeliverables?\b", re.I),
    "format": re.compile(
        r"\bformat\b|\bmodalit(?:y|ies)\b|\bparticipation\b|\bbriefers?\b"
        r"|\borgani[sz]ation\s+of\s+(?:work|the\s+(?:debate|meeting))\b",
        re.IGNORECASE,
    ),
    "purpose": re.compile(r"\bpurposes?\b|\bobjectives?\b|\baims?\b|\bgoals?\b|\bfocus\b", re.I),
    "background": re.compile(r"\bbackground\b|\bintroduction\b|\bcontext\b|\boverview\b", re.I),
}
_HEADING_NUMBER = re.compile(r"^\s*(?:(?P<arabic>\d{1,2})|[IVX]{1,5}|[A-H])[.)]\s+")
_HEADING_TEXT = re.compile(r"^[A-Z][^.?!;,]*?:?$")
# A short first line ending like this is a wrapped sentence ("The purpose of the debate is to").
_UNFINISHED_PHRASE = re.compile(r"\b(?:a|an|and|by|for|in|is|of|on|or|the|to|with)$", re.I)
_MAX_KEYWORD_HEADING_WORDS = 8
_MAX_OTHER_HEADING_WORDS = 6
_MAX_COLON_HEADING_WORDS = 4


@dataclass(frozen=True)
class _Heading:
    title: str
    kind: str
    number: int | None  # arabic heading number, used to tell headings from list items


@dataclass(frozen=True)
class _Section:
    heading: _Heading
    blocks: tuple[Block, ...]

    def public(self) -> Section:
        text = "\n\n".join(_block_text(block) for block in self.blocks)
        return Section(self.heading.title, self.heading.kind, text)


def _heading_kind(title: str) -> str:
    if _SECTION_KINDS["questions"].search(title):
        return "questions"
    # "Objectives and expected outcomes" is about its first topic.
    found = [(m.start(), kind) for kind, rx in _SECTION_KINDS.items() if (m := rx.search(title))]
    return min(found)[1] if found else "other"


def _heading(line: str) -> _Heading | None:
    number = _HEADING_NUMBER.match(line)
    title = line[number.end() :] if number else line
    title = title.strip()
    if not _HEADING_TEXT.match(title) or _UNFINISHED_PHRASE.search(title):
        return None
    # "Participants may wish to address the following questions:" is a sentence.
    if title.endswith(":") and len(title.split()) > _MAX_COLON_HEADING_WORDS:
        return None
    arabic = number.group("arabic") if number else None
    title = " ".join(title.rstrip(":").split())
    return _Heading(title, _heading_kind(title), int(arabic) if arabic else None)


def _continues_list(heading: _Heading, previous: Block | None) -> bool:
    """True for a short item such as "2. Regional context" in a list of topics."""
    if previous is None:
        return False
    if previous[-1].text.endswith(":"):
        return True
    number = _HEADING_NUMBER.match(previous[0].text)
    arabic = number.group("arabic") if number else None
    return heading.number is not None and arabic is not None and int(arabic) == heading.number - 1


def _wraps(block: Block) -> bool:
    """True when the block's second line carries on the sentence of its first."""
    if len(block) == 1 or _LIST_MARKER.match(block[1].text):
        return False
    return block[1].text.lstrip()[:1].islower()


def _accepts(heading: _Heading, block: Block, started: bool, last_number: int) -> bool:
    words = len(heading.title.split())
    if heading.kind != "other":
        return words <= _MAX_KEYWORD_HEADING_WORDS and not _wraps(block)
    # Unknown headings only count inside the annex's structure, and a numbered one only
    # when it continues the heading numbering.
    if not (len(block) == 1 and started and words <= _MAX_OTHER_HEADING_WORDS):
        return False
    return heading.number is None or (last_number >= 1 and heading.number == last_number + 1)


def _sections(blocks: Sequence[Block]) -> tuple[list[Block], list[_Section]]:
    """Split blocks into the part before the first heading and the headed sections."""
    preamble: list[Block] = []
    sections: list[tuple[_Heading, list[Block]]] = []
    last_number = 0
    previous: Block | None = None
    for block in blocks:
        heading = _heading(block[0].text)
        if (
            heading
            and not _continues_list(heading, previous)
            and _accepts(heading, block, bool(sections), last_number)
        ):
            last_number = heading.number or last_number
            sections.append((heading, [block[1:]] if len(block) > 1 else []))
        elif sections:
            sections[-1][1].append(block)
        else:
            preamble.append(block)
        previous = block
    return preamble, [_Section(heading, tuple(body)) for heading, body in sections]


# --------------------------------------------------------------------------- questions

_ANNOUNCES_QUESTIONS = re.compile(
    r"\b(?:following|these|below)\b[^.?!]{0,80}?"
    r"\b(?:questions?|issues|topics|points|areas|themes|aspects)\b"
    r"|\bquestions?\b[^.?!]{0,60}?\b(?:below|following|include|such\s+as)\b",
    re.IGNORECASE,
)
_MIN_UNANNOUNCED_QUESTIONS = 2


def _runs(items: Sequence[_Item]) -> list[tuple[_Item | None, list[_Item]]]:
    """Each list with the item just before it (which may announce it).

    A list is a run of items of one style, its numbering going up one at a time.
    """
    runs: list[tuple[_Item | None, list[_Item]]] = []
    for index, item in enumerate(items):
        if runs:
            previous = runs[-1][1][-1]
            continues = (
                item.style == previous.style
                and not (item.is_plain and not (previous.is_question and item.is_question))
                and (item.ordinal is None or item.ordinal == (previous.ordinal or 0) + 1)
            )
            if continues:
                runs[-1][1].append(item)
                continue
        runs.append((items[index - 1] if index else None, [item]))
    return runs


def _mentions_questions(item: _Item | None) -> bool:
    """True for "... the debate may focus on the following issues:" and the like."""
    return item is not None and bool(_ANNOUNCES_QUESTIONS.search(_sentences(item.body)[-1]))


def _announces(item: _Item | None) -> bool:
    return _mentions_questions(item) or (item is not None and item.body.endswith(":"))


def _is_list(run: Sequence[_Item]) -> bool:
    """Bullets or numbering from the start, unlike the annex's running paragraph numbers."""
    first = run[0]
    return not first.is_plain and first.ordinal in (None, 1)


def _mostly_asking(run: Sequence[_Item]) -> bool:
    return 2 * sum(item.asks for item in run) >= len(run)


def _questions_of_run(run: list[_Item], announced: bool) -> list[_Item]:
    if run[0].is_plain:
        return [item for item in run if item.is_question]
    if announced or (_is_list(run) and _mostly_asking(run)):
        return run
    if _mostly_asking(run):
        return [item for item in run if item.asks]
    return []


def _questions_in_section(items: Sequence[_Item]) -> list[_Item]:
    runs = _runs(items)
    found = [item for before, run in runs for item in _questions_of_run(run, _announces(before))]
    # Under a questions heading a list of topics without "?" still is the list.
    return found or [item for _, run in runs if _is_list(run) for item in run]


def _announced_questions(items: Sequence[_Item]) -> list[_Item]:
    for before, run in _runs(items):
        # Outside a questions section a list after "... these issues." must ask something.
        if _mentions_questions(before) and (found := _questions_of_run(run, _announces(before))):
            return found
    return []


def _unannounced_questions(items: Sequence[_Item]) -> list[_Item]:
    return [
        item
        for _, run in _runs(items)
        if sum(item.asks for item in run) >= _MIN_UNANNOUNCED_QUESTIONS
        for item in _questions_of_run(run, announced=False)
    ]


def _find_questions(
    preamble: Sequence[Block], sections: Sequence[_Section]
) -> tuple[list[_Item], bool]:
    """By heading, else after a sentence announcing them, else any run of questions; and
    whether they stand under a questions heading."""
    in_sections = [
        item
        for section in sections
        if section.heading.kind == "questions"
        for item in _questions_in_section(_items(section.blocks))
    ]
    if in_sections:
        return in_sections, True
    segments = [_items(preamble)] + [_items(section.blocks) for section in sections]
    for segment in segments:
        if found := _announced_questions(segment):
            return found, False
    return [item for segment in segments for item in _unannounced_questions(segment)], False


def _guiding_question(number: int, item: _Item) -> GuidingQuestion:
    label, text = _split_label(item)
    return GuidingQuestion(number, item.marker, label, text, item.source)


# --------------------------------------------------------------------------- letter fields

_LETTER_HEADING = re.compile(r"^\s*(?:identical\s+)?letters?\s+dated\b", re.IGNORECASE)
_ANNEX_HEADING = re.compile(r"^\s*(?:annex|enclosure)\b", re.IGNORECASE)
_SENDER = re.compile(
    r"\b(?:Representative|Mission)\s+of\s+(?:the\s+)?"
    r"(?P<country>[A-Z][\w\u2019'()\- ]{0,100}?)\s+to\s+the\s+United\s+Nations\b"
)
_PRESIDENCY = re.compile(
    r"\bpresidency\s+of\s+(?:the\s+)?"
    r"(?P<country>[A-Z][\w\u2019'\-]{0,40}(?:\s+(?:[A-Z][\w\u2019'\-]{0,40}|and|of|the)){0,12})"
)
_TRAILING_CONNECTIVES = re.compile(r"(?:\s+(?:of|and|the))+$")
# "presidency of Romania of the Security Council" names Romania.
_OF_THE = re.compile(r"\s+of\s+the\s+")
_NOT_A_COUNTRY = re.compile(r"^(?:Security\s+Council|Council|General\s+Assembly)\b")
_SIGNED = re.compile(r"\(Signed\)\s*:?\s*(?P<name>.*)", re.IGNORECASE)
_ORGANS = ("Security Council", "General Assembly")
_QUOTED = (
    re.compile(r"\u201c(?P<quote>[^\u201c\u201d]+)\u201d"),
    re.compile(r'"(?P<quote>[^"]+)"'),
    re.compile(r"(?<!\w)[\u2018'](?P<quote>[^\u2018\u2019'\n]+)[\u2019'](?!\w)"),
    re.compile(r"\u00ab\s*(?P<quote>[^\u00ab\u00bb]+?)\s*\u00bb"),
)
_INTRODUCES_TITLE = re.compile(
    r"\b(?:debate|meeting|briefing|discussion|dialogue|subject|theme|topic|entitled|titled)\b"
    r"[^.\u201c\"]{0,80}$",
    re.IGNORECASE,
)
_TITLE_INTRODUCTION_REACH = 200
_MIN_TITLE_WORDS = 3
_ABOUT_THE_MEETING = re.compile(
    r"\b(?:debate|meeting|briefing|held|hold|scheduled|convene|session|dialogue|discussion)\b",
    re.IGNORECASE,
)
_OUTCOMES = (
    ("presidential statement", re.compile(r"\bpresidential\s+statement\b", re.I)),
    ("press statement", re.compile(r"\bpress\s+statement\b", re.I)),
    # Not "resolution 2250 (2015)", nor "the resolution of conflicts".
    ("resolution", re.compile(r"\bresolution\b(?!\s+(?:\d|of\b))", re.I)),
    (
        "Chair's summary",
        re.compile(
            r"\b(?:chair|president)(?:[\u2019']s)?\s+summary|\bsummary\s+by\s+the\s+"
            r"(?:president|chair)",
            re.I,
        ),
    ),
)
# "is not expected to adopt a presidential statement": the negation comes shortly before.
_NEGATION = re.compile(r"\b(?:no|not|nor|without)\b", re.IGNORECASE)
_NEGATION_REACH = 40
# Outside an outcome section, only sentences about what the meeting will produce count:
# background paragraphs cite resolutions and statements already adopted.
_ENVISAGES = re.compile(
    r"\b(?:adopt|adoption|envisag\w*|expect\w*|outcomes?|anticipat\w*|intend\w*|plan\w*"
    r"|culminat\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Layout:
    """The parts of the letter, each as its paragraphs."""

    header: list[Block]  # organ, symbol, distribution lines
    heading: Block | None
    body: list[Block]  # the letter itself, up to the annex
    annex_title: list[Block]  # annex lines before its first section
    sections: list[_Section]
    heading_runs_on: bool  # the heading's paragraph goes on with the letter itself


def _layout(blocks: Sequence[Block]) -> _Layout:
    heading_at = next((i for i, b in enumerate(blocks) if _LETTER_HEADING.match(b[0].text)), None)
    heading = None if heading_at is None else blocks[heading_at]
    after = list(blocks[(heading_at + 1 if heading_at is not None else 0) :])
    # Without blank lines the heading's paragraph may hold the whole letter; the letter
    # is read from after the addressee, the heading kept as written for the editor to see.
    runs_on = _letter_after_heading(heading) if heading else None
    if runs_on:
        after.insert(0, runs_on)
    annex_at = next((i for i, b in enumerate(after) if _ANNEX_HEADING.match(b[0].text)), None)
    if annex_at is None:
        body, sections = _sections(after)
        annex_title = []
    else:
        body = after[:annex_at]
        annex_title, sections = _sections(after[annex_at + 1 :])
    return _Layout(
        header=list(blocks[: heading_at or 0]),
        heading=heading,
        body=body,
        annex_title=annex_title,
        sections=sections,
        heading_runs_on=runs_on is not None,
    )


def _letter_after_heading(heading: Block) -> Block | None:
    """The lines of the heading's paragraph after its addressee, if any."""
    offsets, start = [], 0
    for line in heading:
        offsets.append(start)
        start += len(line.text) + 1
    match = _ADDRESSEE.search("\n".join(line.text for line in heading))
    if match is None:
        return None
    at = max(k for k, offset in enumerate(offsets) if offset <= match.end())
    line = heading[at]
    rest = line.text[match.end() - offsets[at] :].strip()
    following = [_Line(rest, rest, line.index, line.after_break)] if rest else []
    return tuple(following + list(heading[at + 1 :])) or None


def _joined(blocks: Iterable[Block]) -> str:
    return "\n\n".join(_block_text(block) for block in blocks)


def _organ(header: str, text: str) -> str:
    for where in (header, text):
        for organ in _ORGANS:
            if organ.lower() in where.lower():
                return organ
    return ""


def _first_date(pattern: re.Pattern[str], text: str) -> _DayMonth | None:
    match = pattern.search(text)
    return _day_month(match) if match else None


def _letter_date(heading: str, text: str, distributed: date | None) -> date | None:
    dated = _first_date(_LETTER_DATED, heading)
    if dated is None:
        return None
    if dated.year is None:
        # The heading may omit the year; the annex heading repeats the date in full.
        repeated = (_day_month(match) for match in _LETTER_DATED.finditer(text))
        same_day = (d for d in repeated if (d.day, d.month) == (dated.day, dated.month))
        dated = next((d for d in same_day if d.year), dated)
    return dated.resolve(distributed)


def _sender(heading: str) -> str:
    match = _SENDER.search(heading)
    return match.group("country").strip() if match else ""


def _presidency(text: str, sender: str) -> str:
    for match in _PRESIDENCY.finditer(text):
        country = _TRAILING_CONNECTIVES.sub("", match.group("country"))
        country = _OF_THE.split(country)[0]
        if not _NOT_A_COUNTRY.match(country):
            return country
    return sender


def _signatory(lines: Sequence[_Line]) -> str:
    for index, line in enumerate(lines):
        if match := _SIGNED.search(line.text):
            name = match.group("name").strip()
            following = lines[index + 1].text if index + 1 < len(lines) else ""
            return _squash(name or following)
    return ""


def _quoted_title(body: str) -> str:
    quotes = sorted(
        (match for pattern in _QUOTED for match in pattern.finditer(body)),
        key=lambda match: match.start(),
    )
    titles = [q for q in quotes if len(q.group("quote").split()) >= _MIN_TITLE_WORDS]
    introduced = [
        q
        for q in titles
        if _INTRODUCES_TITLE.search(body, max(0, q.start() - _TITLE_INTRODUCTION_REACH), q.start())
    ]
    chosen = (introduced or titles or [None])[0]
    return _clean_title(chosen.group("quote")) if chosen else ""


def _clean_title(title: str) -> str:
    return _squash(title).strip(" .,;:\"'\u201c\u201d\u2018\u2019")


def _title(layout: _Layout) -> str:
    if quoted := _quoted_title(_joined(layout.body)):
        return quoted
    # Concept papers repeat the subject as the last line of their title block.
    return _clean_title(_flat(layout.annex_title[-1])) if layout.annex_title else ""


def _meeting_date(layout: _Layout, reference: date | None, not_before: date | None) -> date | None:
    # The annex title block ("Non-paper ... 20 July 2004") dates the meeting by itself;
    # elsewhere only sentences about the meeting do, and a date before the letter's is a
    # past meeting the letter recalls.
    places = (
        (_joined(layout.body), True),
        (_joined(layout.annex_title), False),
        (_joined(b for s in layout.sections for b in s.blocks), True),
    )
    for place, needs_context in places:
        for sentence in _sentences(place):
            if needs_context and not _ABOUT_THE_MEETING.search(sentence):
                continue
            for found in _dates_in(sentence):
                resolved = found.resolve(reference)
                if resolved and (not_before is None or resolved >= not_before):
                    return resolved
    return None


# The kind of meeting, as statements name it: "Security Council, open debate, 20 July 2004".
# The noun is found first (a search starting with a character class is fast), then the words
# before it that make the kind specific.
_MEETING_NOUN = re.compile(r"[dDbBaA](?<!\w[dDbBaA])(?i:ebate|riefing|rria-formula\s+meeting)\b")
_DEBATE_KIND = re.compile(
    r"(?:\b(?:high-level|ministerial)\s+)?(?:\b(?:open\s+thematic|open|thematic)\s+)?$", re.I
)
_DEBATE_KIND_REACH = 60


def _meeting_kind(text: str) -> str:
    """The first, most specific naming of the meeting ("an open debate"); "debate" if none."""
    kinds = []
    for match in _MEETING_NOUN.finditer(text):
        kind = match[0]
        if kind.lower() == "debate":
            start = max(0, match.start() - _DEBATE_KIND_REACH)
            before = _DEBATE_KIND.search(text, start, match.start())
            kind = (before[0] if before else "") + kind
        kinds.append(_WHITESPACE_RUN.sub(" ", kind).lower())
    specific = [kind for kind in kinds if kind != "debate"]
    return (specific or kinds or ["debate"])[0]


def _outcome(sections: Sequence[_Section], text: str) -> str:
    outcome_text = _joined(b for s in sections if s.heading.kind == "outcome" for b in s.blocks)
    if outcome_text and (found := _first_outcome(_sentences(outcome_text))):
        return found
    return _first_outcome(s for s in _sentences(text) if _ENVISAGES.search(s))


def _first_outcome(sentences: Iterable[str]) -> str:
    for sentence in sentences:
        found = [
            (m.start(), name)
            for name, rx in _OUTCOMES
            for m in rx.finditer(sentence)
            if not _NEGATION.search(sentence[max(0, m.start() - _NEGATION_REACH) : m.start()])
        ]
        if found:
            return min(found)[1]
    return ""


# --------------------------------------------------------------------------- what it is

# A speaker's turn in a verbatim record: "The President:", "Mr. Nebenzia (Russian Federation)
# (spoke in Russian):".
_SPEAKER = re.compile(
    r"\s*(?:The\s+(?:Acting\s+)?(?:President|Chair|Chairperson|Chairman|Secretary-General"
    r"|Deputy\s+Secretary-General)"
    r"|(?:Mr|Mrs|Ms|Miss|Mme|Dr|Sir|Dame|Lord|Lady|Baroness|Archbishop|Cardinal|Sheikh|Sheikha"
    r"|Prince|Princess|H\.\s?E)\.?\s+[A-Z][^\n:()]{0,60}?)"
    r"(?:\s*\([^()\n]{1,60}\))*\s*:"
)
_CONCEPT_NOTE = re.compile(
    r"\b(?:concept\s+(?:note|paper)|non-paper|background\s+(?:note|paper)|discussion\s+paper"
    r"|issues?\s+paper|think\s+piece)\b",
    re.IGNORECASE,
)
_MAX_TITLE_LINE_WORDS = 12
# A presidency letter asks a handful of questions; this many are not a letter's.
_MAX_QUESTIONS = 100


def _names_a_concept_note(block: Block) -> bool:
    """A title line such as "Concept note", "China's concept paper", "Non-paper for ..."."""
    first = block[0].text.strip()
    return (
        len(first.split()) <= _MAX_TITLE_LINE_WORDS
        and not first.endswith((".", ",", ";"))
        and bool(_CONCEPT_NOTE.search(first))
    )


def _refusal(
    lines: Sequence[_Line],
    blocks: Sequence[Block],
    layout: _Layout,
    found: Sequence[_Item],
    under_heading: bool,
) -> str:
    """Why the document is no presidency letter or concept note, or "" if it is one."""
    first_speaker = next((line.index for line in lines if _SPEAKER.match(line.text)), None)
    if (
        first_speaker is not None
        and not under_heading
        and all(item.lines[0].index >= first_speaker for item in found)
    ):
        return (
            "questions found only inside a speech: this reads as a verbatim record, not a "
            "presidency letter or concept note"
        )
    if layout.heading or under_heading:
        return ""
    if any(_names_a_concept_note(block) or _ANNEX_HEADING.match(block[0].text) for block in blocks):
        return ""
    return (
        "no letter heading and no concept note found: this does not read as a presidency "
        "letter or concept note"
    )


_LONG_QUESTION_WORDS = 120
_SHORT_QUESTION_WORDS = 4


def question_warnings(text: str, *, page_break: bool = False) -> list[str]:
    """What an editor should look at again in one question: "does not end with a question
    mark", "spans a page break", "is very long (130 words)", "is very short (2 words)"."""
    found = [] if text.rstrip().endswith("?") else ["does not end with a question mark"]
    if page_break:
        found.append("spans a page break")
    words = len(text.split())
    if words > _LONG_QUESTION_WORDS:
        found.append(f"is very long ({words} words)")
    elif words < _SHORT_QUESTION_WORDS:
        found.append(f"is very short ({words} word{'' if words == 1 else 's'})")
    return found


def _question_warnings(question: GuidingQuestion, item: _Item) -> list[str]:
    page_break = any(line.after_break for line in item.lines[1:])
    return [
        f"question {question.number} {warning}"
        for warning in question_warnings(question.text, page_break=page_break)
    ]


# --------------------------------------------------------------------------- entry point


def parse_letter(text: str) -> Letter:
    """Parse a presidency letter with its annex.

    Raises LetterError, saying why, if the text has no guiding questions or is no presidency
    letter or concept note. What the parser is unsure of is listed in Letter.warnings.
    """
    lines = _clean_lines(text)
    if not lines:
        raise LetterError("no guiding questions found")
    normalised = "\n".join(line.text for line in lines)
    blocks = _blocks(lines)
    layout = _layout(blocks)
    found, under_heading = _find_questions(layout.body + layout.annex_title, layout.sections)
    if not found:
        raise LetterError("no guiding questions found")
    if refusal := _refusal(lines, blocks, layout, found, under_heading):
        raise LetterError(refusal)
    if len(found) > _MAX_QUESTIONS:
        raise LetterError(
            f"{len(found)} questions found, more than a presidency letter asks "
            f"({_MAX_QUESTIONS} at most)"
        )

    heading = _flat(layout.heading) if layout.heading else ""
    distributed = _first_date(_DISTRIBUTION_DATE, normalised)
    distribution_date = distributed.resolve(None) if distributed else None
    letter_date = _letter_date(heading, normalised, distribution_date)
    sender = _sender(heading)
    meeting_date = _meeting_date(layout, letter_date or distribution_date, letter_date)
    questions = [_guiding_question(n, item) for n, item in enumerate(found, start=1)]
    warnings = [] if heading else ["no letter heading found"]
    if layout.heading_runs_on:
        warnings.append("the letter heading runs on into the letter: check where it ends")
    if meeting_date is None:
        warnings.append(NO_MEETING_DATE)
    for question, item in zip(questions, found, strict=True):
        warnings += _question_warnings(question, item)
    return Letter(
        organ=_organ(_joined(layout.header), normalised),
        distribution_date=distribution_date,
        letter_date=letter_date,
        heading=heading,
        sender=sender,
        signatory=_signatory(lines),
        title=_title(layout),
        meeting_date=meeting_date,
        presidency=_presidency(normalised, sender),
        sections=tuple(section.public() for section in layout.sections),
        outcome=_outcome(layout.sections, normalised),
        meeting_kind=_meeting_kind(normalised),
        questions=tuple(questions),
        text=normalised,
        warnings=tuple(warnings),
    )
