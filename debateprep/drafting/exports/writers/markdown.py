"""Markdown (CommonMark, with a GitHub table for a table)."""

from __future__ import annotations

from debateprep.drafting.exports.document import (
    FRAME_LANGUAGE,
    Document,
    Heading,
    Progress,
    Table,
)
from debateprep.drafting.exports.text import markdown_escape
from debateprep.lib.languages import facts


def _inline(text: str) -> str:
    # A single newline inside a paragraph is a line break, as in the other formats. A blank
    # line would end the paragraph, and an indented line after it start a code block: the
    # text stays one paragraph, its lines without their indents.
    lines = (line.strip() for line in text.split("\n"))
    return "  \n".join(markdown_escape(line) for line in lines if line)


def _cell(text: str) -> str:
    return markdown_escape(text).replace("\n", " ")


def render(document: Document, progress: Progress) -> bytes:
    lines: list[str] = []
    if document.header:
        lines.append(f"**{document.header}**")
    # Markdown says nothing of languages: text in one other than the frame's (English) stands
    # in an HTML block that does, with its direction (CommonMark reads the Markdown inside).
    current = FRAME_LANGUAGE
    for block in document.blocks:
        language = document.language_of(block)
        if language != current:
            if current != FRAME_LANGUAGE:
                lines.append("</div>")
            if language != FRAME_LANGUAGE:
                lines.append(f'<div lang="{language}" dir="{facts(language).direction}">')
            current = language
        if isinstance(block, Heading):
            lines.append(f"{'#' * block.level} {_inline(block.text)}")
        elif isinstance(block, Table):
            rows = [" | ".join(map(_cell, row)) for row in [block.header, *block.rows]]
            # Under the header, the row of dashes that makes it a table: markup, not text.
            rows.insert(1, " | ".join(["---"] * len(block.header)))
            lines.append("\n".join(f"| {row} |" for row in rows))
        else:
            text = _inline(block.text)
            if block.lead:
                text = f"**{_inline(block.lead.strip())}** {text}"
            if block.note:
                text = f"**{block.note.number}** · {block.note.elapsed} · {text}"
            text = {
                "marking": f"*{text}*",
                "byline": f"**{text}**",
                "question": f"*{text}*",
                "item": f"- {text}",
            }.get(block.role, text)
            # A list is one block: its items follow each other without a blank line.
            if block.role == "item" and lines and lines[-1].startswith("- "):
                lines[-1] += f"\n{text}"
                continue
            lines.append(text)
    if current != FRAME_LANGUAGE:
        lines.append("</div>")
    lines += ["---", _inline(document.footer)]
    return ("\n\n".join(lines) + "\n").encode()
