"""The fields of the letter: where its parts are, who sends it, when and what it is about."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from debateprep.debates.letter.cleaning import _ADDRESSEE
from debateprep.debates.letter.dates import _LETTER_DATED, _dates_in, _day_month, _DayMonth
from debateprep.debates.letter.lines import (
    _ANNEX_HEADING,
    _LETTER_HEADING,
    _WHITESPACE_RUN,
    Block,
    _block_text,
    _flat,
    _Line,
    _sentences,
    _squash,
)
from debateprep.debates.letter.pages import _ARTEFACT_TOKEN
from debateprep.debates.letter.sections import _Section, _sections

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
        "chair's summary",
        re.compile(
            r"\b(?:chair|president)(?:[\u2019']s)?\s+summary|\bsummary\s+by\s+the\s+"
            r"(?:president|chair)",
            re.I,
        ),
    ),
    # "the presidency will circulate a summary of the main recommendations".
    ("summary", re.compile(r"\bsummary\b(?!\s+records?\b)", re.I)),
)
# Outcomes are named in lower case, as meeting kinds are: "presidential statement".
# "is not expected to adopt a presidential statement": the negation comes shortly before, in
# the same clause: "No formal outcome is planned; the presidency will issue a summary".
_NEGATION = re.compile(r"\b(?:no|not|nor|without)\b", re.IGNORECASE)
_NEGATION_REACH = 40
# Not any comma: "is not expected, at this stage, to adopt a presidential statement".
_CLAUSE_BREAK = re.compile(
    r"[;:()]|\b(?:but|instead|rather|however|although|whereas|while)\b|,\s*(?:and|so|only)\b",
    re.IGNORECASE,
)
# Outside an outcome section, only sentences about what the meeting will produce count:
# background paragraphs cite resolutions and statements already adopted.
_ENVISAGES = re.compile(
    r"\b(?:adopt|adoption|envisag\w*|expect\w*|outcomes?|anticipat\w*|intend\w*|plan\w*"
    r"|culminat\w*)\b",
    re.IGNORECASE,
)


_CONCEPT_NOTE = re.compile(
    r"\b(?:concept\s+(?:note|paper)|non-paper|background\s+(?:note|paper)|discussion\s+paper"
    r"|issues?\s+paper|think\s+piece)\b",
    re.IGNORECASE,
)
_MAX_TITLE_LINE_WORDS = 12

# The lines above a letter heading that belong to the document: "United Nations S/2024/190",
# "Security Council", "Distr.: General", "4 March 2024", "Original: English", "Seventy-ninth
# session", "Agenda item 121". Each token is an atomic group, so that no line backtracks.
_HEADER_TOKEN = (
    r"United\s+Nations|Nations\s+Unies|Security\s+Council|General\s+Assembly"
    r"|Economic\s+and\s+Social\s+Council|Conseil\s+de\s+s\w+curit\w+|/"
    r"|Distr\.?\s*:?\s*(?:General|Limited|Restricted)|Original\s*:?\s*[A-Z][a-z]+(?:/[A-Z][a-z]+)*"
    r"|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}|[A-Z][a-z]+(?:-[a-z]+)?\s+(?:session|year)"
    r"|Agenda\s+items?\s+\d{1,3}(?:\s*\([a-z]\))?(?:(?:,|\s+and)\s+\d{1,3}(?:\s*\([a-z]\))?)*"
    # A job number's barcode digits lose their asterisks as markdown emphasis: "2502231".
    rf"|\d{{7,8}}|{_ARTEFACT_TOKEN}"
)
_HEADER_LINE = re.compile(rf"\s*(?>{_HEADER_TOKEN})(?:\s+(?>{_HEADER_TOKEN}))*+\s*")
_MAX_HEADER_LINE_LENGTH = 300


@dataclass(frozen=True)
class _Layout:
    """The parts of the letter, each as its paragraphs."""

    header: list[Block]  # organ, symbol, distribution lines
    heading: Block | None
    body: list[Block]  # the letter itself, up to the annex
    annex_title: list[Block]  # annex lines before its first section
    sections: list[_Section]
    heading_runs_on: bool  # the heading's paragraph goes on with the letter itself
    start: int  # the line the document starts at, past an e-mail around it


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
        start=_document_start(blocks, heading_at),
    )


def _names_a_concept_note(block: Block) -> bool:
    """A title line such as "Concept note", "China's concept paper", "Non-paper for ..."."""
    first = block[0].text.strip()
    return (
        len(first.split()) <= _MAX_TITLE_LINE_WORDS
        and not first.endswith((".", ",", ";"))
        and bool(_CONCEPT_NOTE.search(first))
    )


def _is_header_line(line: _Line) -> bool:
    return len(line.text) <= _MAX_HEADER_LINE_LENGTH and bool(_HEADER_LINE.fullmatch(line.text))


def _document_start(blocks: Sequence[Block], heading_at: int | None) -> int:
    """The line the official document starts at: its header lines above the letter heading,
    or above a concept note's title when there is no heading; the first line if neither.

    Pasted from an e-mail, the document has the e-mail's headers, a covering note and a
    signature above it, which delegations should not read as part of the letter.
    """
    if heading_at is None:
        heading_at = next((i for i, block in enumerate(blocks) if _names_a_concept_note(block)), 0)
    if not blocks:
        return 0
    start = blocks[heading_at][0].index
    for block in reversed(blocks[:heading_at]):
        # A header paragraph may go on with lines of no known shape ("Agenda item 121" is
        # followed by the item's title); a paragraph of anything else may end with the header.
        if _is_header_line(block[0]):
            start = block[0].index
            continue
        for line in reversed(block):
            if not _is_header_line(line):
                break
            start = line.index
        break
    return start


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
    following = [_Line(rest, rest, line.index, line.after_break, line.page)] if rest else []
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
# "high-level", "ministerial-level", "summit-level", "ministerial".
_LEVEL = r"\b(?:[a-z]+-level|ministerial)\s+"
_OPENNESS = r"\b(?:open\s+thematic|open|thematic)\s+"
_DEBATE_KIND = re.compile(rf"(?:{_LEVEL})?(?:{_OPENNESS})?$", re.I)
_DEBATE_KIND_REACH = 60
# "a briefing followed by an open debate" announces both meetings, the debate last.
_FOLLOWED_BY_DEBATE = re.compile(
    rf",?\s+followed\s+by\s+(?:an?\s+)?(?P<debate>(?:{_LEVEL})?(?:{_OPENNESS})?debate)\b", re.I
)


def _meeting_kind(text: str) -> str:
    """The first, most specific naming of the meeting ("an open debate", "a briefing followed
    by an open debate"); "debate" if none."""
    kinds = []
    for match in _MEETING_NOUN.finditer(text):
        kind = match[0]
        if kind.lower() == "debate":
            start = max(0, match.start() - _DEBATE_KIND_REACH)
            before = _DEBATE_KIND.search(text, start, match.start())
            kind = (before[0] if before else "") + kind
        elif followed := _FOLLOWED_BY_DEBATE.match(text, match.end()):
            debate = followed["debate"]
            kind += f" followed by {'an' if debate[0] in 'aeiouAEIOU' else 'a'} {debate}"
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
            if not _negated(sentence[max(0, m.start() - _NEGATION_REACH) : m.start()])
        ]
        if found:
            return min(found)[1]
    return ""


def _negated(before: str) -> bool:
    """Whether the words just before an outcome, in its clause, deny it."""
    breaks = [match.end() for match in _CLAUSE_BREAK.finditer(before)]
    return bool(_NEGATION.search(before, breaks[-1] if breaks else 0))
