"""What the parser reads: lines, paragraphs of lines, and what a single line may be (a list
marker, a heading); with the helpers that flatten text the way every question is compared."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

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


# Bullets as typed, and as Word's symbol fonts give them (private use area).
_BULLETS = (
    "-*\u2022\u2013\u2014\u25aa\u25ab\u25e6\u00b7\u2023\u25cf\u25a0\u25a1\u25ba\u27a2"
    "\u2043\u2219\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
)


def _strip_markup(text: str) -> str:
    text = _MARKDOWN_HEADING_HASHES.sub("", text)
    text = _BOLD_MARKS.sub("", text)
    return _ITALIC.sub(r"\1\2", text)


class _Line(NamedTuple):
    raw: str  # with markdown emphasis kept: bold labels are recognised from it
    text: str  # emphasis and page artefacts removed, as shown in Letter.text
    index: int = 0  # line number in Letter.text
    after_break: bool = False  # the first line after a page break
    page: int = 0  # which page the line is on, counted from 0


def _squash(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", _BREAK_AFTER_HYPHEN.sub("-", text)).strip()


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(_squash(text))


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


_LIST_MARKER = re.compile(
    rf"""^\s*(?P<marker>
        (?P<bullet>[{_BULLETS}]|o(?=\s))
      | \((?P<enclosed>\d{{1,2}}|[a-zA-Z]|[ivxIVX]{{1,6}})\)
      | (?P<closed>\d{{1,2}}|[a-zA-Z]|[ivxIVX]{{1,6}})[.)]
    )\s+(?=\S)""",
    re.VERBOSE,
)


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


# An e-mail's header lines, in English and French: "From:", "Sent:", "Subject:", "Objet :".
_MAIL_HEADER = re.compile(
    r"\s*(?:From|Sent|To|Cc|Bcc|Subject|Date|De|Envoy\u00e9|\u00c0|Objet)\s*:\s*\S", re.IGNORECASE
)
_SUBJECT = re.compile(r"\s*(?:Subject|Objet)\s*:", re.IGNORECASE)
_LETTER_HEADING = re.compile(r"^\s*(?:identical\s+)?letters?\s+dated\b", re.IGNORECASE)
_ANNEX_HEADING = re.compile(r"^\s*(?:annex|enclosure)\b", re.IGNORECASE)
