"""Suggestions of related guiding questions: for each question, the closest questions of other
debates by the similarity of their texts. An editor confirms or dismisses each (admin)."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat
from rapidfuzz import fuzz, process, utils

from debateprep.debates.models import Question, RelatedQuestion

# How many suggestions a question gets at most, and how similar they must be: PostgreSQL's
# trigram similarity (0 to 1) where it is there, else rapidfuzz's token set ratio (0 to 100).
# Tried on the seed letters, where every question shares "United Nations and regional
# organizations".
PER_QUESTION = 3
LEAST_TRIGRAM_SIMILARITY = 0.25
LEAST_TOKEN_SET_RATIO = 55


def _wording(question: Question) -> str:
    return f"{question.label} {question.text}"


def _closest(question: Question, candidates) -> list[tuple[Question, float]]:
    """The questions of other debates closest to this one, with their similarity (0 to 1)."""
    others = candidates.exclude(debate_id=question.debate_id)
    if connection.vendor == "postgresql":
        found = (
            others.annotate(
                score=TrigramSimilarity(
                    Concat("label", Value(" "), "text", output_field=TextField()),
                    _wording(question),
                )
            )
            .filter(score__gte=LEAST_TRIGRAM_SIMILARITY)
            .order_by("-score", "pk")[:PER_QUESTION]
        )
        return [(other, other.score) for other in found]
    by_pk = {other.pk: other for other in others}
    found = process.extract(
        _wording(question),
        {pk: _wording(other) for pk, other in by_pk.items()},
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=LEAST_TOKEN_SET_RATIO,
        limit=PER_QUESTION,
    )
    return [(by_pk[pk], score / 100) for _wording_, score, pk in found]


def suggest_related(questions=None) -> int:
    """Suggest related questions for these questions (all by default); return how many new
    suggestions were made. A pair an editor confirmed or dismissed is never suggested again."""
    candidates = Question.objects.only("pk", "debate_id", "label", "text")
    chosen = list(candidates if questions is None else questions)
    keys = [question.pk for question in chosen]
    known = {
        (pair.question_id, pair.related_id): pair
        for pair in RelatedQuestion.objects.filter(Q(question__in=keys) | Q(related__in=keys))
    }
    made = 0
    for question in chosen:
        for other, score in _closest(question, candidates):
            key = tuple(sorted((question.pk, other.pk)))
            pair = known.get(key)
            if pair is None:
                known[key] = RelatedQuestion.objects.create(
                    question_id=key[0], related_id=key[1], similarity=score
                )
                made += 1
            elif pair.status == RelatedQuestion.Status.SUGGESTED and pair.similarity != score:
                pair.similarity = score
                pair.save(update_fields=["similarity"])
    return made


def suggest_for_saved_question(sender, instance: Question, **kwargs) -> None:
    """A question loaded from a letter or edited in the admin gets its suggestions once saved."""
    transaction.on_commit(lambda: suggest_related([instance]))
