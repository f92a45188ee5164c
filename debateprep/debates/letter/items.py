"""List items and unmarked paragraphs, with the sub-items that complete them."""

import re
from collections.abc import Sequence

from debateprep.debates.letter.lines import (
    _LIST_MARKER,
    Block,
    _Line,
    _sentences,
    _squash,
    _strip_markup,
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


# Layout extraction (pdftotext -layout, pypdf's layout mode) places each page's columns anew:
# after a page break the same column may be drawn a column or two further in or out.
_PAGE_SHIFT = 2


class _Item:
    """A list item, or an unmarked paragraph ("plain" style), built line by line."""

    __slots__ = (
        "_body",
        "_doubt",
        "_indent",
        "asks",
        "gaps",
        "has_sub_items",
        "lines",
        "marker",
        "ordinal",
        "style",
    )

    def __init__(self, marker: str, style: str, ordinal: int | None, line: _Line, gap: bool):
        self.marker = marker  # as written; "" for bullets and plain paragraphs
        self.style = style  # items of one list share a style: "-", "(1)", "a.", "plain"...
        self.ordinal = ordinal  # position the numbering claims; None for bullets and plain
        self.lines = [line]
        self.gaps = [gap]  # whether a blank line comes before each line
        self.asks = "?" in line.text
        self.has_sub_items = False
        self._body: str | None = None
        # How far in the first line would be drawn on the last line's page, give or take.
        self._indent, self._doubt = _indent(line), 0

    def first_indent_on_page_of(self, line: _Line) -> tuple[int, int]:
        """How far in the item's first line would be drawn on the page of `line`, and by
        how many columns that may be wrong.

        Two lines of the item's running text on either side of a page break tell how far
        the new page moved the columns; a break with no such pair may have moved them.
        """
        if line.page != self.lines[-1].page:
            return self._indent, _PAGE_SHIFT
        return self._indent, self._doubt

    def extend(self, line: _Line, gap: bool) -> None:
        previous = self.lines[-1]
        if line.page != previous.page:
            # The first line stands out by its marker; a sub-item's by its own.
            markers = _LIST_MARKER.match(previous.text) or _LIST_MARKER.match(line.text)
            if len(self.lines) == 1 or markers:
                self._doubt = _PAGE_SHIFT
            else:
                self._indent += _indent(line) - _indent(previous)
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
    if item.is_plain:
        return False
    indent, doubt = item.first_indent_on_page_of(line)
    if _indent(line) <= indent + doubt:
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


def _follows(item: _Item, previous: _Item | None) -> bool:
    """Whether a list item is the next one after `previous` in the same list."""
    return (
        previous is not None
        and not item.is_plain
        and previous.style == item.style
        and (previous.ordinal is None or item.ordinal == previous.ordinal + 1)
    )


def _unfinished(item: _Item) -> bool:
    """The item stops mid-sentence: "3. What lessons can be drawn from"."""
    return item.lines[-1].text[-1:].isalnum()


def _completed_by(
    item: _Item, sub_items: Sequence[_Item], before: _Item | None, after: _Item | None
) -> bool:
    """Whether a list of another style after an item is part of it.

    "How can the Council support:" and "What lessons can be drawn from" are completed by
    the items after them; so is an item of a list of questions that ends with a colon
    ("2. Member States are invited to address the following:"), unless what follows are
    questions of their own; a question is followed by its sub-questions when its own list
    resumes after them. A paragraph announcing a list ("... the following questions:") is
    never completed by it.
    """
    own_questions = all(sub.is_question and sub.body[:1].isupper() for sub in sub_items)
    in_list = _follows(item, before) and before is not None and before.asks
    in_list = in_list or (after is not None and _follows(after, item))
    if item.ends_with(":"):
        # "How should the Council address the following issues:" may announce questions.
        if _interrogative(item):
            return not (_mentions_questions(item) and own_questions)
        return in_list and not _mentions_questions(item) and not own_questions
    if _unfinished(item):
        return not item.is_plain or _interrogative(item)
    if _mentions_questions(item):
        return False
    return (
        item.asks
        and after is not None
        and _follows(after, item)
        and not any(sub.is_plain for sub in sub_items)
    )


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
            before = result[-1] if result else None
            if _completed_by(item, items[i + 1 : end], before, after):
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


_ANNOUNCES_QUESTIONS = re.compile(
    r"\b(?:following|these|below)\b[^.?!]{0,80}?"
    r"\b(?:questions?|issues|topics|points|areas|themes|aspects)\b"
    r"|\bquestions?\b[^.?!]{0,60}?\b(?:below|following|include|such\s+as)\b",
    re.IGNORECASE,
)


def _mentions_questions(item: _Item | None) -> bool:
    """True for "... the debate may focus on the following issues:" and the like."""
    return item is not None and bool(_ANNOUNCES_QUESTIONS.search(_sentences(item.body)[-1]))
