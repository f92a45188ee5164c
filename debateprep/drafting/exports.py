"""Statement exports: one document structure, rendered to each format."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from debateprep.drafting.models import Answer, Statement
from debateprep.lib.speech import SpeakingTime

STATEMENT_FORMATS = {
    "md": ("Markdown", "text/markdown; charset=utf-8"),
    "txt": ("Plain text", "text/plain; charset=utf-8"),
}

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """Typed text reads the same once rendered: no accidental headings, lists or HTML."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", text)


@dataclass(frozen=True)
class Passage:
    heading: str
    text: str


@dataclass(frozen=True)
class StatementDocument:
    organ: str
    meeting: str
    title: str
    delegation: str
    status: str
    is_final: bool
    opening: str
    passages: list[Passage]
    closing: str
    speaking_time: SpeakingTime
    words_per_minute: int
    filename_stem: str

    @classmethod
    def of(cls, statement: Statement) -> StatementDocument:
        answers = statement.answers_in_order()
        by_part = {answer.part: answer.text for answer in answers if not answer.question}
        debate = statement.debate
        meeting = f"{debate.meeting_date:%-d %B %Y}" if debate.meeting_date else ""
        return cls(
            organ=debate.organ,
            meeting=meeting,
            title=debate.title,
            delegation=statement.delegation.name,
            status=statement.get_status_display(),
            is_final=statement.is_locked,
            opening=by_part.get(Answer.Part.OPENING, ""),
            passages=[
                Passage(answer.question.heading, answer.text)
                for answer in answers
                if answer.question and answer.text.strip()
            ],
            closing=by_part.get(Answer.Part.CLOSING, ""),
            speaking_time=statement.speaking_time(answers),
            words_per_minute=debate.words_per_minute,
            filename_stem=f"{debate.slug}-{slugify(statement.delegation.name)}",
        )

    def escaped(self, escape: Callable[[str], str]) -> StatementDocument:
        return replace(
            self,
            title=escape(self.title),
            delegation=escape(self.delegation),
            opening=escape(self.opening),
            passages=[Passage(escape(p.heading), escape(p.text)) for p in self.passages],
            closing=escape(self.closing),
        )


def statement_response(statement: Statement, fmt: str) -> HttpResponse:
    document = StatementDocument.of(statement)
    _, content_type = STATEMENT_FORMATS[fmt]
    if fmt == "md":
        document = document.escaped(markdown_escape)
    body = render_to_string(f"drafting/export/statement.{fmt}", {"doc": document})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{document.filename_stem}.{fmt}"
    )
    return response
