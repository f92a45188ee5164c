"""How a delegation reviews an answer: its comment threads and its suggestions, each shown
against the text as it is now."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from debateprep.drafting.models import Answer, Comment, Statement, Suggestion
from debateprep.lib.diff import Change, word_diff


@dataclass
class Thread:
    first: Comment
    replies: list[Comment]


@dataclass
class ShownSuggestion:
    suggestion: Suggestion
    # The words it changes in the current text; None when it no longer applies cleanly, and
    # then `changes` shows what it changed in the text the suggester saw.
    changes: list[Change]
    applies: bool

    @property
    def made_on_older_text(self) -> bool:
        return self.suggestion.base_version != self.suggestion.answer.version


@dataclass
class Review:
    answer: Answer
    threads: list[Thread]
    open_suggestions: list[ShownSuggestion]
    decided_suggestions: list[Suggestion]

    @property
    def open_comments(self) -> int:
        return sum(not thread.first.is_resolved for thread in self.threads)

    @classmethod
    def of(cls, answer: Answer) -> Review:
        """Three queries: comments, open suggestions, decided ones."""
        if not answer.pk:
            return cls(answer, [], [], [])
        comments = list(answer.comments.select_related("author", "resolved_by"))
        threads = {c.pk: Thread(c, []) for c in comments if c.thread_id is None}
        for comment in comments:
            if comment.thread_id in threads:
                threads[comment.thread_id].replies.append(comment)
        # Open threads first, each group in the order they were started.
        ordered = sorted(threads.values(), key=lambda thread: thread.first.is_resolved)
        suggestions = answer.suggestions.select_related("author", "decided_by")
        shown = []
        for suggestion in suggestions.filter(status=Suggestion.Status.OPEN):
            suggestion.answer = answer
            applied = suggestion.applied_to(answer.text)
            if applied is None:
                shown.append(
                    ShownSuggestion(
                        suggestion, word_diff(suggestion.base_text, suggestion.text), False
                    )
                )
            else:
                shown.append(ShownSuggestion(suggestion, word_diff(answer.text, applied), True))
        decided = list(suggestions.exclude(status=Suggestion.Status.OPEN).order_by("-decided_at"))
        return cls(answer, ordered, shown, decided)


def count_open_items(answers: list[Answer]) -> None:
    """Set `open_comments` and `open_suggestions` on each answer: two queries for all."""
    saved = [answer.pk for answer in answers if answer.pk]
    comments = dict(
        Comment.objects.filter(answer__in=saved, thread=None, resolved_at=None)
        .values_list("answer")
        .annotate(Count("pk"))
    )
    suggestions = dict(
        Suggestion.objects.filter(answer__in=saved, status=Suggestion.Status.OPEN)
        .values_list("answer")
        .annotate(Count("pk"))
    )
    for answer in answers:
        answer.open_comments = comments.get(answer.pk, 0)
        answer.open_suggestions = suggestions.get(answer.pk, 0)


def note_review_base(statement: Statement, answers: list[Answer]) -> None:
    """Set `review_base` on each answer changed since the statement went into review: its
    version then (0 if it was empty), which reviewers compare the text with. One query, and
    none outside a review."""
    when = statement.review_started_at if statement.is_started else None
    versions = {}
    if when is not None:
        at = Max("revisions__version", filter=Q(revisions__created_at__lte=when), default=0)
        versions = dict(statement.answers.annotate(at=at).values_list("pk", "at"))
    for answer in answers:
        base = versions.get(answer.pk)
        answer.review_base = base if base is not None and base != answer.version else None
