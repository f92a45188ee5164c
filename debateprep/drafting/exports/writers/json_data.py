"""JSON: the document's data."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from debateprep.drafting.exports.document import Document, Progress


def render(document: Document, progress: Progress) -> bytes:
    if document.data is None:
        raise ValueError(f"A {document.kind} has no data to write as JSON.")
    content = json.dumps(document.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return content.encode()
