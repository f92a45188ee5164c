"""The text cleaned into lines: page furniture removed (see pages), words broken at line
ends joined, a heading run into the header lines freed, headings given paragraphs of their own."""

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from django.utils.translation import gettext as _

from debateprep.debates.letter.lines import (
    _ANNEX_HEADING,
    _HEADING_NUMBER,
    _LIST_MARKER,
    _MAIL_HEADER,
    _MAX_KEYWORD_HEADING_WORDS,
    _MAX_OTHER_HEADING_WORDS,
    _SUBJECT,
    _heading,
    _Line,
    _squash,
)
from debateprep.debates.letter.pages import (
    _ARTEFACT,
    _BLANK,
    _TEXT,
    _join_pages,
    _mark_footnotes,
    _mark_running_lines,
    _pages,
    _Row,
    _rows,
)
from debateprep.debates.letter.result import LetterError

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
    {"any", "for", "in", "infra", "on", "out", "over", "some", "under", "up", "with"}
)
_MIN_COMPOUND_PART = 4
# How the second part of a word broken by hyphenation mostly starts: "govern-ments",
# "protec-tion", "capa-bilities". Such a part is no word of a compound.
_WORD_ENDING = re.compile(
    r"(?:ment|tion|sion|ing|ity|ities|ness|ance|ence|able|ible|bilit|ical|ally|ation|ative"
    r"|ised|ized|ous|ful|less|ship|ive|ial|ian|ism|ist|ties|ture|ural|nal|ary|ory)",
    re.IGNORECASE,
)


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
    keeps it, while one that begins solid compounds ("with-out"), a short part ("co-operation")
    and a second part that starts as words end ("govern-ments", "protec-tion") lose it, unless
    both parts occur on their own elsewhere ("leader" and "ship"). Two parts that may each be
    words ("wide-area") keep it: Word does not break words at line ends unless told to, so a
    hyphen at the end of a line in a letter made in Word was most likely typed there.
    """
    left, right = left.casefold(), right.casefold()
    if counts[f"{left}-{right}"] > 0:
        return True
    if counts[left + right] > 0:
        return False
    if left in _HYPHENATED_PREFIXES:
        return True
    if left in _SOLID_PREFIXES or min(len(left), len(right)) < _MIN_COMPOUND_PART:
        return False
    return _WORD_ENDING.match(right) is None or (counts[left] > 0 and counts[right] > 0)


def _is_guess(left: str, right: str, counts: Counter[str]) -> bool:
    """Whether nothing tells "left-right" from "leftright": neither is written elsewhere, no
    prefix rule says, and both parts may be words ("wide-" / "area", not "govern-" / "ments")."""
    left, right = left.casefold(), right.casefold()
    return (
        counts[f"{left}-{right}"] <= 0
        and counts[left + right] <= 0
        and left not in _HYPHENATED_PREFIXES
        and left not in _SOLID_PREFIXES
        and min(len(left), len(right)) >= _MIN_COMPOUND_PART
        and _WORD_ENDING.match(right) is None
    )


class _Guess(NamedTuple):
    read: str  # the word as the letter text now has it: "widearea"
    other: str  # the other reading: "wide-area"


def _dehyphenate(rows: list[_Row]) -> tuple[list[_Row], list[_Guess]]:
    """Words broken at line ends joined, real compounds kept; and the breaks read by guess."""
    breaks = [i for i in range(len(rows) - 1) if _line_end_break(rows, i)]
    if not breaks:
        return rows, []
    counts = _word_counts(rows, breaks)
    guesses = []
    for i in breaks:
        found = _line_end_break(rows, i)
        if found is None:
            continue
        left, right_word = found[0], found[1][1]
        keeps = _keeps_hyphen(left, right_word, counts)
        if _is_guess(left, right_word, counts):
            joined, hyphenated = left + right_word, f"{left}-{right_word}"
            guesses.append(_Guess(hyphenated, joined) if keeps else _Guess(joined, hyphenated))
        if keeps:
            continue
        right = found[1]
        rows[i].rewrite(rows[i].text[:-1] + right[1] + right[2])
        rest = rows[i + 1].text[right.end() :]
        if rest.strip():
            rows[i + 1].rewrite(rest)
        else:
            rows[i + 1].kind = _ARTEFACT
    return [row for row in rows if row.kind != _ARTEFACT], guesses


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
            heading = _Row("", "", _TEXT, row.page)
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
        tail = _Row("", "", _TEXT, row.page)
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


# A document symbol: "S/2024/321", "A/78/123", "S/2019/372/Corr.1"; the two symbols of identical
# letters are joined by a hyphen or an en dash: "A/79/912-S/2025/402".
_SYMBOL_PART = r"[A-Z]{1,6}(?:/[A-Z]{1,10})*(?:/\d{1,5}){1,2}(?:/(?:Corr|Add|Rev|Amend)\.\d{1,3})*"
_SYMBOL = re.compile(rf"(?<![\w/]){_SYMBOL_PART}(?:[-\u2013]{_SYMBOL_PART})*(?![\w/])")
# Resolutions, statements and records, which an e-mail's subject may cite.
_NO_LETTER_S_SYMBOL = re.compile(r"[A-Z]+/(?:RES|PRST|PV|INF)/")
# A symbol after a word in lower case is cited in a sentence ("see S/PRST/2010/18").
_LOWERCASE_WORD = re.compile(r"(?<![^\W\d_])[a-z]")


def _symbol(rows: Sequence[_Row]) -> str:
    """The symbol the document was circulated under: on the header lines above the letter
    heading, else on a page's header or footer, else in the subject of the e-mail it came
    in; never one the letter cites."""
    for row in rows:
        # The e-mail's headers are no document's ("Subject: Letter dated 9 April 2027").
        if _MAIL_HEADER.match(row.text):
            continue
        heading = _HEADING_START.search(row.text) if row.kind == _TEXT else None
        header = row.text[: heading.start()] if heading else row.text
        prose = _LOWERCASE_WORD.search(header)
        match = _SYMBOL.search(header, 0, prose.start() if prose else len(header))
        if match:
            return match[0]
        if heading:
            break
    # Without a heading the lines above could be anything; page furniture is still the header.
    for row in rows:
        if row.kind == _ARTEFACT and (match := _SYMBOL.search(row.text)):
            return match[0]
    for row in rows:
        if _SUBJECT.match(row.text):
            for match in _SYMBOL.finditer(row.text):
                if not _NO_LETTER_S_SYMBOL.match(match[0]):
                    return match[0]
    return ""


class _Cleaned(NamedTuple):
    lines: list[_Line]
    symbol: str
    guessed_hyphens: list[_Guess]


def _clean_lines(text: str) -> _Cleaned:
    """Lines with one blank line between paragraphs and none at either end; the document
    symbol read from the page furniture they no longer have; the line-end hyphens guessed."""
    rows = _rows(text)
    if not any(row.kind in (_TEXT, _ARTEFACT) for row in rows):
        raise LetterError(_("the file is empty"))
    pages = _pages(rows)
    _mark_running_lines(rows, pages)
    # Before footnotes are marked: a footnote cites documents, it is no header.
    symbol = _symbol(rows)
    _mark_footnotes(rows, pages)
    rows = _join_pages(rows)
    rows, guessed_hyphens = _dehyphenate(rows)
    rows = _separate_headings(_free_heading(rows))
    lines: list[_Line] = []
    for row in rows:
        if row.kind == _TEXT and row.text.strip():
            lines.append(_Line(row.raw, row.text, len(lines), row.after_break, row.page))
        elif row.kind == _BLANK and lines and lines[-1].text:
            lines.append(_Line("", "", len(lines)))
    while lines and not lines[-1].text:
        lines.pop()
    return _Cleaned(lines, symbol, guessed_hyphens)


def normalise_text(text: str) -> str:
    """The text as the parser reads it, in one line: what PDF pages add around the letter
    removed, words broken at line ends joined, markdown emphasis dropped, every run of
    whitespace a single space. Every guiding question's text is a part of it."""
    try:
        lines = _clean_lines(text).lines
    except LetterError:
        return ""
    return _squash("\n".join(line.text for line in lines))
