"""What a statement's team did lately, newest first: saves (one person's run of saves in one
answer as one entry), comments, suggestions and their fate, status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from debateprep.drafting.models import Comment, Revision, Statement, Suggestion

# Enough to fill the feed when one person saved many times in a row.
RECENT_SAVES = 60


@dataclass
class Event:
    at: datetime
    who: object  # a user, or None for an account since removed
    what: str
    where: str = ""  # the answer's heading
    count: int = 1


@dataclass
class Activity:
    events: list[Event]

    LENGTH = 10

    def __iter__(self):
        return iter(self.events)

    def __bool__(self) -> bool:
        return bool(self.events)

    @classmethod
    def of(cls, statement: Statement) -> Activity:
        """Four queries, however long the statement's life."""
        events = _saves(statement) + _comments(statement) + _suggestions(statement)
        events += [
            Event(
                change.at,
                change.by,
                _("made it %(status)s") % {"status": change.get_to_status_display().lower()},
            )
            for change in statement.status_changes.select_related("by")[: cls.LENGTH]
        ]
        events.sort(key=lambda event: event.at, reverse=True)
        return cls(events[: cls.LENGTH])


def _saves(statement: Statement) -> list[Event]:
    # An accepted suggestion is told as its acceptance, below.
    revisions = (
        Revision.objects.filter(answer__statement=statement)
        .exclude(kind=Revision.Kind.SUGGESTION)
        .select_related("author", "answer__question")
        .order_by("-created_at", "-pk")[:RECENT_SAVES]
    )
    events: list[Event] = []
    last = None
    for revision in revisions:
        key = (revision.author_id, revision.answer_id)
        if key == last:
            events[-1].count += 1
            continue
        last = key
        events.append(
            Event(revision.created_at, revision.author, _("saved"), revision.answer.heading)
        )
    return events


def _comments(statement: Statement) -> list[Event]:
    comments = (
        Comment.objects.filter(answer__statement=statement)
        .select_related("author", "resolved_by", "answer__question")
        .order_by("-created_at", "-pk")[: Activity.LENGTH]
    )
    events = []
    for comment in comments:
        heading = comment.answer.heading
        what = _("replied on") if comment.thread_id else _("commented on")
        events.append(Event(comment.created_at, comment.author, what, heading))
        if comment.resolved_at:
            events.append(
                Event(comment.resolved_at, comment.resolved_by, _("resolved a comment on"), heading)
            )
    return events


def _suggestions(statement: Statement) -> list[Event]:
    suggestions = (
        Suggestion.objects.filter(answer__statement=statement)
        .select_related("author", "decided_by", "answer__question")
        .order_by("-created_at", "-pk")[: Activity.LENGTH]
    )
    events = []
    for suggestion in suggestions:
        heading = suggestion.answer.heading
        events.append(
            Event(suggestion.created_at, suggestion.author, _("suggested a change to"), heading)
        )
        if suggestion.decided_at:
            events.append(
                Event(
                    suggestion.decided_at,
                    suggestion.decided_by,
                    _("accepted a suggestion on")
                    if suggestion.status == suggestion.Status.ACCEPTED
                    else _("rejected a suggestion on"),
                    heading,
                )
            )
    return events
