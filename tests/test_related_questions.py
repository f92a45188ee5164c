"""Themes and related questions: suggested across debates by similarity, decided by editors."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from debateprep.debates.models import Question, RelatedQuestion, Theme
from debateprep.debates.related import suggest_related
from debateprep.delegations.models import AuditEntry
from tests.factories import make_debate

SEEDS = Path(settings.BASE_DIR) / "seeds"


@pytest.fixture
def seeds(db):
    call_command("load_letters", str(SEEDS), stdout=StringIO())
    suggest_related()


def question(slug_start: str, order: int) -> Question:
    return Question.objects.get(debate__slug__startswith=slug_start, order=order)


def suggested_for(asked: Question) -> set[str]:
    pairs = RelatedQuestion.objects.filter(question=asked) | RelatedQuestion.objects.filter(
        related=asked
    )
    return {
        (pair.related if pair.question == asked else pair.question).label
        for pair in pairs.select_related("question", "related")
    }


def test_the_seeds_comparative_advantage_questions_are_paired(seeds):
    # China (1) asks "what are the comparative advantages of the United Nations and regional
    # organizations"; Romania's "Comparative advantage" asks the same six years before.
    assert "Comparative advantage" in suggested_for(question("2010", 1))


def test_suggestions_pair_only_questions_of_different_debates_each_pair_once(seeds):
    pairs = list(RelatedQuestion.objects.select_related("question", "related"))
    assert pairs
    assert all(pair.question.debate_id != pair.related.debate_id for pair in pairs)
    assert all(pair.question_id < pair.related_id for pair in pairs)
    assert all(pair.status == RelatedQuestion.Status.SUGGESTED for pair in pairs)
    assert suggest_related() == 0
    assert RelatedQuestion.objects.count() == len(pairs)


def test_a_dismissed_pair_is_never_suggested_again(seeds, editor):
    pair = RelatedQuestion.objects.first()
    pair.decide(RelatedQuestion.Status.DISMISSED, by=editor)
    suggest_related()
    pair.refresh_from_db()
    assert pair.status == RelatedQuestion.Status.DISMISSED
    assert RelatedQuestion.objects.filter(question=pair.question, related=pair.related).count() == 1


def test_confirmed_pairs_relate_both_ways_and_suggestions_do_not(db, editor):
    first, second = make_debate(questions=1), make_debate(questions=1)
    asked, again = first.questions.get(), second.questions.get()
    pair = RelatedQuestion.objects.create(question=asked, related=again)
    assert list(RelatedQuestion.objects.confirmed_for(asked)) == []
    pair.decide(RelatedQuestion.Status.CONFIRMED, by=editor)
    assert list(RelatedQuestion.objects.confirmed_for(asked)) == [again]
    assert list(RelatedQuestion.objects.confirmed_for(again)) == [asked]


def test_a_question_loaded_later_gets_its_suggestions_when_saved(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_letters", str(SEEDS), stdout=StringIO())
    assert "Comparative advantage" in suggested_for(question("2010", 1))


def test_an_editor_confirms_and_dismisses_in_the_admin_and_it_is_audited(client, seeds, editor):
    client.force_login(editor)
    pairs = list(RelatedQuestion.objects.order_by("pk")[:2])
    url = reverse("admin:debates_relatedquestion_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "confirm", "_selected_action": [pairs[0].pk]})
    client.post(url, {"action": "dismiss", "_selected_action": [pairs[1].pk]})
    statuses = [RelatedQuestion.objects.get(pk=pair.pk).status for pair in pairs]
    assert statuses == [RelatedQuestion.Status.CONFIRMED, RelatedQuestion.Status.DISMISSED]
    assert RelatedQuestion.objects.get(pk=pairs[0].pk).decided_by == editor
    assert AuditEntry.objects.filter(changes__status=["suggested", "confirmed"]).exists()


def test_an_editor_tags_questions_with_a_theme(client, seeds, editor):
    client.force_login(editor)
    chosen = [question("2010", 1).pk, question("2004", 2).pk]
    response = client.post(
        reverse("admin:debates_theme_add"),
        {"name": "Comparative advantage", "description": "", "questions": chosen},
    )
    assert response.status_code == 302
    theme = Theme.objects.get()
    assert sorted(theme.questions.values_list("pk", flat=True)) == sorted(chosen)
    assert list(question("2010", 1).themes.all()) == [theme]


def test_delegates_reach_neither_themes_nor_suggestions_in_the_admin(client, seeds, drafter):
    client.force_login(drafter)
    for name in ("admin:debates_theme_changelist", "admin:debates_relatedquestion_changelist"):
        assert client.get(reverse(name)).status_code == 302
