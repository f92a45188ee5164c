"""The document model every export is made of: headings, paragraphs (with margin notes) and
tables, and what goes on every page. A builder (statement.py, compendium.py) makes it once from
the database; a writer (writers/) renders any document to its format and runs no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from debateprep.lib.languages import Language, facts

# What the app writes around delegations' text (markings, headings from the letter, bylines,
# page numbers) is in English, whatever the statement's language.
FRAME_LANGUAGE = Language.ENGLISH

# Called with the fraction of a document written so far, from 0 to 1.
Progress = Callable[[float], None]


def no_progress(fraction: float) -> None:
    pass


@dataclass(frozen=True)
class Heading:
    type: ClassVar[str] = "heading"  # what a template tells blocks apart by

    text: str
    level: int = 2  # 1: the document's title; 2: a section (a question, the coverage...)
    lang: str = ""  # a Language, when not the document's

    @property
    def dir(self) -> str:
        """Which way a block in a language of its own runs, "rtl" or "ltr"; else ""."""
        return facts(self.lang).direction if self.lang else ""


@dataclass(frozen=True)
class MarginNote:
    """The reading copy's paragraph number and running time, hung left of the paragraph."""

    number: int
    elapsed: str


@dataclass(frozen=True)
class Paragraph:
    type: ClassVar[str] = "paragraph"

    text: str
    # Bold words that lead the paragraph: the speaker in a compendium ("Romania (Final): ").
    lead: str = ""
    note: MarginNote | None = None
    # How the paragraph reads: "" body text; "marking" (bold, right); "meeting"; "byline"
    # (bold); "question" (italic); "item" (a bulleted list item).
    role: str = ""
    lang: str = ""  # a Language, when not the document's

    @property
    def dir(self) -> str:
        """Which way a block in a language of its own runs, "rtl" or "ltr"; else ""."""
        return facts(self.lang).direction if self.lang else ""


@dataclass(frozen=True)
class Table:
    type: ClassVar[str] = "table"

    header: list[str]
    rows: list[list[str]]
    # Relative widths, in ems of the table's type: a column is never narrower than its header.
    widths: list[float]
    # Columns whose cells are centred marks (✓).
    marks: frozenset[int] = frozenset()


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Records:
    """A document's data, one row per record, for CSV."""

    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Document:
    kind: str  # "statement" or "compendium": the preview's CSS class
    title: str  # the file's own title (metadata)
    blocks: list[Block]
    # What the document is written in (a Language): a statement's language. Blocks in another
    # language say so; the page furniture (header, footer, page numbers) is in FRAME_LANGUAGE.
    lang: str = Language.ENGLISH
    # On every page of a paged format, at the top of the others: the draft notice.
    header: str = ""
    # On every page of a paged format, at the end of the others.
    footer: str = ""
    watermark: str = ""  # across every page: "DRAFT"
    # "Page 3 of 12" (interpreters check that they hold every page) rather than "Page 3".
    page_total: bool = False
    large_print: bool = False  # the reading copy, for the lectern
    data: dict[str, Any] | None = field(default=None, repr=False)  # for JSON
    records: Records | None = field(default=None, repr=False)  # for CSV

    def headings(self) -> Iterator[Heading]:
        return (block for block in self.blocks if isinstance(block, Heading))

    def language_of(self, block: Block | None = None) -> str:
        """The block's language (a table is in the document's), or the document's."""
        return getattr(block, "lang", "") or self.lang

    @property
    def dir(self) -> str:
        """Which way the document runs: "rtl" for Arabic, else "ltr"."""
        return facts(self.lang).direction

    @property
    def frame_lang(self) -> str:
        """The page furniture's language where it is not the document's, else ""."""
        return FRAME_LANGUAGE if self.lang != FRAME_LANGUAGE else ""


def progress_every(blocks: int, progress: Progress, steps: int = 50) -> Callable[[int], None]:
    """A callback for a writer going through `blocks` blocks: it reports about `steps` times."""
    every = max(blocks // steps, 1)

    def done(index: int) -> None:
        if index % every == 0:
            progress(min(index / max(blocks, 1), 1.0))

    return done
