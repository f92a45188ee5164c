"""Parse a Security Council presidency letter and its annexed concept paper.

The genre is loosely structured: a heading ("Letter dated ... from the Permanent
Representative of X ..."), a short letter announcing a debate, and an annex with
headed sections, one of which lists the guiding questions. Documents reach us as
plain text extracted from PDFs or Word, so the parser works on paragraphs and list
markers rather than on any fixed layout, and tolerates markdown emphasis, odd
whitespace and line endings.

Pure module: standard library only, so it can be used outside Django.
"""

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "GuidingQuestion",
    "Letter",
    "LetterError",
    "Section",
    "decode_letter",
    "parse_letter",
]


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


# --------------------------------------------------------------------------- normalising

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060"))
_ODD_SPACES = re.compile(r"[\u00a0\u2007\u202f\t]")
_BOLD_MARKS = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MARKDOWN_HEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s+")
_WHITESPACE_RUN = re.compile(r"\s+")
# "Secretary-\nGeneral": a line broken at a hyphen joins without a space.
_BREAK_AFTER_HYPHEN = re.compile(r"(?<=\w-)\n\s*(?=\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])")


@dataclass(frozen=True)
class _Line:
    raw: str  # with markdown emphasis kept: bold labels are recognised from it
    text: str  # emphasis removed, as shown in Letter.text


def _strip_markup(line: str) -> str:
    line = _MARKDOWN_HEADING_HASHES.sub("", line)
    line = _BOLD_MARKS.sub("", line)
    return _ITALIC.sub(r"\2", line).rstrip()


def _normalised_lines(text: str) -> list[_Line]:
    """Lines with one blank line between paragraphs and none at either end."""
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_SPACES.sub(" ", text)
    lines: list[_Line] = []
    for raw in text.split("\n"):
        line = _Line(raw.rstrip(), _strip_markup(raw))
        if line.text.strip():
            lines.append(line)
        elif lines and lines[-1].text:
            lines.append(_Line("", ""))
    while lines and not lines[-1].text:
        lines.pop()
    return lines


def _squash(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", _BREAK_AFTER_HYPHEN.sub("", text)).strip()


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
_DATE = re.compile(rf"\b(?:{_DAY_MONTH_YEAR})", re.IGNORECASE)
_DISTRIBUTION_DATE = re.compile(
    rf"\bDistr\.?\s*:?\s*[A-Za-z]+\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE
)
_LETTER_DATED = re.compile(rf"\bletters?\s+dated\s+(?:{_DAY_MONTH_YEAR})", re.IGNORECASE)
# "my letter dated ..." refers to earlier correspondence, never to the meeting.
_PRECEDED_BY_DATED = re.compile(r"\bdated\s*$", re.IGNORECASE)


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
        if not _PRECEDED_BY_DATED.search(text[: match.start()])
    ]


# --------------------------------------------------------------------------- list items

_LIST_MARKER = re.compile(
    r"""^\s*(?P<marker>
        (?P<bullet>[-*\u2022\u2013\u2014\u25aa\u25e6\u00b7\u2023\u25cf])
      | \((?P<enclosed>\d{1,2}|[a-zA-Z]|[ivxIVX]{1,6})\)
      | (?P<closed>\d{1,2}|[a-zA-Z]|[ivxIVX]{1,6})[.)]
    )\s+(?=\S)""",
    re.VERBOSE,
)
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
_BOLD_LABEL = re.compile(
    r"^(?:\*{1,2}|_{1,2})(?P<label>[^*_:\n]{1,80}?)\s*"
    r"(?::\s*(?:\*{1,2}|_{1,2})|(?:\*{1,2}|_{1,2})\s*:)\s*\S"
)
# Without emphasis a label is only trusted when short and followed by a new sentence,
# so that "Two issues stand out: first, ..." is not split.
_PLAIN_LABEL = re.compile(r"^(?P<label>[A-Z][^:?!.;,]{0,60}?):\s+[A-Z\"\u201c]")
_MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class _Item:
    """A list item, or an unmarked paragraph ("plain" style)."""

    marker: str  # as written; "" for bullets and plain paragraphs
    style: str  # items of one list share a style: "-", "(1)", "a.", "i)", "plain"...
    ordinal: int | None  # position the numbering claims; None for bullets and plain
    lines: tuple[_Line, ...]
    source: str  # the paragraph as it stands in Letter.text

    @property
    def body(self) -> str:
        """Whitespace-normalised text without the list marker."""
        return _squash(_LIST_MARKER.sub("", self.source, count=1))

    @property
    def is_plain(self) -> bool:
        return self.style == "plain"

    @property
    def is_question(self) -> bool:
        return self.body.endswith("?")

    @property
    def asks(self) -> bool:
        return "?" in self.body


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


def _start_item(line: _Line, previous: _Item | None) -> _Item | None:
    match = _LIST_MARKER.match(line.text)
    if match is None:
        return None
    if match.group("bullet"):
        return _Item("", match.group("bullet"), None, (line,), line.text)
    token = match.group("enclosed") or match.group("closed")
    shape = "(x)" if match.group("enclosed") else "x" + match.group("marker")[-1]
    style, ordinal = _numbering(token, shape, previous)
    return _Item(match.group("marker"), style, ordinal, (line,), line.text)


def _extend(item: _Item, line: _Line, separator: str) -> _Item:
    source = item.source + separator + line.text
    return _Item(item.marker, item.style, item.ordinal, (*item.lines, line), source)


def _plain(line: _Line) -> _Item:
    return _Item("", "plain", None, (line,), line.text)


def _indent(line: _Line) -> int:
    return len(line.text) - len(line.text.lstrip())


def _is_nested(line: _Line, item: _Item) -> bool:
    """An indented sub-list ("   (a) If so, how?") belongs to the question above it.

    An indented list under a paragraph announcing it ("... the following questions:")
    is the list itself, so only an item that already asks something takes sub-items.
    """
    return item.asks and not item.is_plain and _indent(line) > _indent(item.lines[0])


def _continues(line: _Line, item: _Item, opens_block: bool) -> bool:
    if opens_block:
        # A paragraph resuming in lower case was broken by a stray blank line.
        return line.text.lstrip()[:1].islower()
    # Bare questions are often typed one per line without blank lines between them.
    return not (item.is_plain and item.source.endswith(("?", ":")))


def _items(blocks: Sequence[Block]) -> list[_Item]:
    items: list[_Item] = []
    for block in blocks:
        for index, line in enumerate(block):
            last = items[-1] if items else None
            started = _start_item(line, last)
            if last and (_is_nested(line, last) if started else _continues(line, last, not index)):
                items[-1] = _extend(last, line, "\n\n" if index == 0 else "\n")
            else:
                items.append(started or _plain(line))
    return items


def _split_label(item: _Item) -> tuple[str, str]:
    """(label, question) from an item body such as "Subsidiarity: Are some ...?"."""
    body = item.body
    raw = _LIST_MARKER.sub("", item.lines[0].raw, count=1).lstrip()
    match = _BOLD_LABEL.match(raw) or _PLAIN_LABEL.match(body)
    if match is None:
        return "", body
    label = _squash(_strip_markup(match.group("label")))
    if len(label.split()) > _MAX_LABEL_WORDS or not body.startswith(label + ":"):
        return "", body
    return label, body[len(label) + 1 :].strip()


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
    arabic = number.group("arabic") if number else None
    title = title.rstrip(":").strip()
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


def _run_at(items: Sequence[_Item], start: int) -> list[_Item]:
    """The list beginning at `start`: same style, numbering going up one at a time."""
    run = [items[start]]
    for item in items[start + 1 :]:
        previous = run[-1]
        if item.style != previous.style:
            break
        if item.is_plain and not (previous.is_question and item.is_question):
            break
        if item.ordinal is not None and item.ordinal != (previous.ordinal or 0) + 1:
            break
        run.append(item)
    return run


def _runs(items: Sequence[_Item]) -> list[tuple[_Item | None, list[_Item]]]:
    """Each list with the item just before it (which may announce it)."""
    runs: list[tuple[_Item | None, list[_Item]]] = []
    start = 0
    while start < len(items):
        run = _run_at(items, start)
        runs.append((items[start - 1] if start else None, run))
        start += len(run)
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


def _find_questions(preamble: Sequence[Block], sections: Sequence[_Section]) -> list[_Item]:
    """By heading, else after a sentence announcing them, else any run of questions."""
    in_sections = [
        item
        for section in sections
        if section.heading.kind == "questions"
        for item in _questions_in_section(_items(section.blocks))
    ]
    if in_sections:
        return in_sections
    segments = [_items(preamble)] + [_items(section.blocks) for section in sections]
    for segment in segments:
        if found := _announced_questions(segment):
            return found
    return [item for segment in segments for item in _unannounced_questions(segment)]


def _guiding_question(number: int, item: _Item) -> GuidingQuestion:
    label, text = _split_label(item)
    return GuidingQuestion(number, item.marker, label, text, item.source)


# --------------------------------------------------------------------------- letter fields

_LETTER_HEADING = re.compile(r"^\s*(?:identical\s+)?letters?\s+dated\b", re.IGNORECASE)
_ANNEX_HEADING = re.compile(r"^\s*(?:annex|enclosure)\b", re.IGNORECASE)
_SENDER = re.compile(
    r"\b(?:Representative|Mission)\s+of\s+(?:the\s+)?"
    r"(?P<country>[A-Z][\w\u2019'()\- ]*?)\s+to\s+the\s+United\s+Nations\b"
)
_PRESIDENCY = re.compile(
    r"\bpresidency\s+of\s+(?:the\s+)?"
    r"(?P<country>[A-Z][\w\u2019'\-]*(?:\s+(?:[A-Z][\w\u2019'\-]*|and|of|the))*)"
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
)
_INTRODUCES_TITLE = re.compile(
    r"\b(?:debate|meeting|briefing|discussion|dialogue|subject|theme|topic|entitled|titled)\b"
    r"[^.\u201c\"]{0,80}$",
    re.IGNORECASE,
)
_MIN_TITLE_WORDS = 3
_ABOUT_THE_MEETING = re.compile(
    r"\b(?:debate|meeting|briefing|held|hold|scheduled|convene|session|dialogue|discussion)\b",
    re.IGNORECASE,
)
_OUTCOMES = (
    ("presidential statement", re.compile(r"\bpresidential\s+statement\b", re.I)),
    ("press statement", re.compile(r"\bpress\s+statement\b", re.I)),
    ("resolution", re.compile(r"\bresolution\b(?!\s+\d)", re.I)),
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


def _layout(blocks: Sequence[Block]) -> _Layout:
    heading_at = next((i for i, b in enumerate(blocks) if _LETTER_HEADING.match(b[0].text)), None)
    after_heading = 0 if heading_at is None else heading_at + 1
    annex_at = next(
        (i for i in range(after_heading, len(blocks)) if _ANNEX_HEADING.match(blocks[i][0].text)),
        None,
    )
    if annex_at is None:
        body_and_title, sections = _sections(blocks[after_heading:])
        body, annex_title = body_and_title, []
    else:
        body = list(blocks[after_heading:annex_at])
        annex_title, sections = _sections(blocks[annex_at + 1 :])
    return _Layout(
        header=list(blocks[: heading_at or 0]),
        heading=None if heading_at is None else blocks[heading_at],
        body=body,
        annex_title=annex_title,
        sections=sections,
    )


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
    introduced = [q for q in titles if _INTRODUCES_TITLE.search(body[: q.start()])]
    chosen = (introduced or titles or [None])[0]
    return _clean_title(chosen.group("quote")) if chosen else ""


def _clean_title(title: str) -> str:
    return _squash(title).strip(" .,;:\"'\u201c\u201d\u2018\u2019")


def _title(layout: _Layout) -> str:
    if quoted := _quoted_title(_joined(layout.body)):
        return quoted
    # Concept papers repeat the subject as the last line of their title block.
    return _clean_title(_flat(layout.annex_title[-1])) if layout.annex_title else ""


def _meeting_date(layout: _Layout, reference: date | None) -> date | None:
    # The annex title block ("Non-paper ... 20 July 2004") dates the meeting by itself;
    # elsewhere only sentences about the meeting do.
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
                if resolved := found.resolve(reference):
                    return resolved
    return None


# The kind of meeting, as statements name it: "Security Council, open debate, 20 July 2004".
_MEETING_KIND = re.compile(
    r"\b((?:high-level\s+|ministerial\s+)?(?:open\s+|thematic\s+|open\s+thematic\s+)?"
    r"debate|briefing|Arria-formula\s+meeting)\b",
    re.I,
)


def _meeting_kind(text: str) -> str:
    """The first, most specific naming of the meeting ("an open debate"); "debate" if none."""
    kinds = [_WHITESPACE_RUN.sub(" ", m[1]).lower() for m in _MEETING_KIND.finditer(text)]
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


# --------------------------------------------------------------------------- entry point


def parse_letter(text: str) -> Letter:
    """Parse a presidency letter with its annex; raises LetterError if it has no questions."""
    lines = _normalised_lines(text)
    if not lines:
        raise LetterError("the file is empty")
    normalised = "\n".join(line.text for line in lines)
    layout = _layout(_blocks(lines))
    found = _find_questions(layout.body + layout.annex_title, layout.sections)
    if not found:
        raise LetterError("no guiding questions found")

    heading = _flat(layout.heading) if layout.heading else ""
    distributed = _first_date(_DISTRIBUTION_DATE, normalised)
    distribution_date = distributed.resolve(None) if distributed else None
    letter_date = _letter_date(heading, normalised, distribution_date)
    sender = _sender(heading)
    return Letter(
        organ=_organ(_joined(layout.header), normalised),
        distribution_date=distribution_date,
        letter_date=letter_date,
        heading=heading,
        sender=sender,
        signatory=_signatory(lines),
        title=_title(layout),
        meeting_date=_meeting_date(layout, letter_date or distribution_date),
        presidency=_presidency(normalised, sender),
        sections=tuple(section.public() for section in layout.sections),
        outcome=_outcome(layout.sections, normalised),
        meeting_kind=_meeting_kind(normalised),
        questions=tuple(_guiding_question(n, item) for n, item in enumerate(found, start=1)),
        text=normalised,
    )
