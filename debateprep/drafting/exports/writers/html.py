"""HTML: the statement's on-screen preview, styled by static/css/print.css."""

from __future__ import annotations

from django.template.loader import render_to_string

from debateprep.drafting.exports.document import Document, Progress

TEMPLATE = "drafting/export/document.html"


def render(document: Document, progress: Progress, **context) -> bytes:
    return render_to_string(TEMPLATE, {"doc": document, **context}).encode()
