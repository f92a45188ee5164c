"""CSV: the document's records, one row each."""

from __future__ import annotations

import csv
import io

from debateprep.drafting.exports.document import Document, Progress, progress_every
from debateprep.drafting.exports.text import csv_safe


def render(document: Document, progress: Progress) -> bytes:
    if document.records is None:
        raise ValueError(f"A {document.kind} has no records to write as CSV.")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = document.records.columns
    writer.writerow(columns)
    step = progress_every(len(document.records.rows), progress)
    for index, row in enumerate(document.records.rows):
        step(index)
        writer.writerow([csv_safe(row[column]) for column in columns])
    # The byte order mark is how Excel knows that the file is UTF-8 ("Côte d'Ivoire").
    return buffer.getvalue().encode("utf-8-sig")
