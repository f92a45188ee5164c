"""A delegation's earlier positions: what it answered, in earlier debates, to the questions an
editor confirmed as related to the ones it is answering now (debates.RelatedQuestion). Only the
delegation's own answers, and only those the policy lets the reader reach."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from debateprep.debates.models import RelatedQuestion
from debateprep.drafting.models import Answer, Statement


def note_earlier_positions(user, statement: Statement, answers: list[Answer]) -> None:
    """Give each answer its `earlier_positions`: the delegation's earlier answers with text to
    the questions related to its own, newest debate first. Two queries whatever the number of
    answers, none when no question of theirs has a confirmed relation."""
    found = _earlier_positions(user, statement, answers)
    for answer in answers:
        answer.earlier_positions = found.get(answer.question_id, [])


def _earlier_positions(user, statement: Statement, answers: list[Answer]) -> dict:
    asked = {answer.question_id for answer in answers if answer.question_id}
    if not asked:
        return {}
    related_to = defaultdict(set)
    pairs = RelatedQuestion.objects.filter(
        Q(question__in=asked) | Q(related__in=asked), status=RelatedQuestion.Status.CONFIRMED
    ).values_list("question_id", "related_id")
    for first, second in pairs:
        if first in asked:
            related_to[first].add(second)
        if second in asked:
            related_to[second].add(first)
    if not related_to:
        return {}
    earlier = (
        Answer.objects.for_user(user)
        .filter(
            statement__delegation_id=statement.delegation_id,
            question__in=set().union(*related_to.values()),
        )
        .exclude(text="")
        .select_related("statement__debate", "question")
        .order_by("-statement__debate__meeting_date", "-statement__debate_id", "question__order")
    )
    found = defaultdict(list)
    for position in earlier:
        for question, related in related_to.items():
            if position.question_id in related:
                found[question].append(position)
    return dict(found)


def earlier_position(user, answer: Answer, pk: int) -> Answer | None:
    """One of the answer's earlier positions, if it is one and the user may read it."""
    return next(
        (
            position
            for position in _earlier_positions(user, answer.statement, [answer]).get(
                answer.question_id, []
            )
            if position.pk == pk
        ),
        None,
    )
