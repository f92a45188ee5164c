"""The annex's headed sections."""

from collections.abc import Sequence
from dataclasses import dataclass

from debateprep.debates.letter.lines import (
    _HEADING_NUMBER,
    _LIST_MARKER,
    _MAX_KEYWORD_HEADING_WORDS,
    _MAX_OTHER_HEADING_WORDS,
    Block,
    _block_text,
    _Heading,
    _heading,
)
from debateprep.debates.letter.result import Section


@dataclass(frozen=True)
class _Section:
    heading: _Heading
    blocks: tuple[Block, ...]

    def public(self) -> Section:
        text = "\n\n".join(_block_text(block) for block in self.blocks)
        return Section(self.heading.title, self.heading.kind, text)


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
