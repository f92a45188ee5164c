"""Plain text, for e-mail and for screen readers."""

from __future__ import annotations

from debateprep.drafting.exports.document import Document, Heading, Progress, Table


def _table(table: Table) -> str:
    rows = [table.header, *table.rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(table.header))]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def render(document: Document, progress: Progress) -> bytes:
    parts: list[str] = []
    if document.header:
        parts.append(document.header)
    for block in document.blocks:
        if isinstance(block, Heading):
            # A question's heading stands out in capitals; the title reads as typed.
            parts.append(block.text.upper() if block.level > 1 else block.text)
        elif isinstance(block, Table):
            parts.append(_table(block))
        else:
            text = f"{block.lead}{block.text}"
            if block.note:
                text = f"[{block.note.number} · {block.note.elapsed}] {text}"
            text = {"marking": text.upper(), "item": f"* {text}"}.get(block.role, text)
            if block.role == "item" and parts and parts[-1].startswith("* "):
                parts[-1] += f"\n{text}"
                continue
            parts.append(text)
    parts.append(f"--\n{document.footer}")
    return ("\n\n".join(parts) + "\n").encode()
