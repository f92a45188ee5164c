"""Earlier positions: beside an answer, the delegation's own answers to related questions of
earlier debates, to compare and to start from. Never another delegation's."""

import datetime

import pytest
from django.urls import reverse

from debateprep.debates.models import RelatedQuestion
from debateprep.delegations.models import Membership
from debateprep.drafting.models import Answer, Revision, Statement
from tests.factories import make_debate, make_member, open_statement, write_statement

HTMX = {"HTTP_HX_REQUEST": "true"}
EARLIER = "We stand for the comparative advantages of regional organizations, as in 2004."
THEIRS = "The words of France on subsidiarity, never to be shown to Romania."


@pytest.fixture
def before(db, romania, france, editor):
    """A debate of 2004 where Romania and France answered question 1, related to the current
    debate's question 1 by an editor."""
    debate = make_debate(
        questions=2, title="Stabilization processes", meeting_date=datetime.date(2004, 7, 20)
    )
    write_statement(debate, romania, EARLIER, "Unrelated answer.", status=Statement.Status.FINAL)
    write_statement(debate, france, THEIRS, "")
    return debate


@pytest.fixture
def now(before, editor):
    debate = make_debate(
        questions=2, title="Regional organizations", meeting_date=datetime.date(2010, 1, 13)
    )
    first, earlier = sorted([debate.questions.get(order=1).pk, before.questions.get(order=1).pk])
    RelatedQuestion.objects.create(question_id=first, related_id=earlier).decide(
        RelatedQuestion.Status.CONFIRMED, by=editor
    )
    return debate


@pytest.fixture
def answer(now, romania):
    return open_statement(now, romania).answers.get(question__order=1)


def page_of(client, debate, delegation):
    return client.get(
        reverse("drafting:statement", args=[debate.slug, delegation.code])
    ).content.decode()


def url(name, answer, *args):
    return reverse(f"drafting:{name}", args=[*answer.url_args, *args])


def romanias_earlier(before, romania):
    return Answer.objects.get(
        statement__debate=before, statement__delegation=romania, question__order=1
    )


def test_the_delegate_sees_their_delegations_earlier_position_beside_the_answer(
    client, drafter, now, answer, romania
):
    client.force_login(drafter)
    page = page_of(client, now, romania)
    assert EARLIER in page
    assert "Stabilization processes" in page
    assert "20 July 2004" in page
    assert "Final" in page
    # Only beside the related question's answer, and never another delegation's text.
    assert page.count('class="earlier-position"') == 1
    assert THEIRS not in page
    assert "Unrelated answer." not in page


def test_the_other_delegation_sees_only_its_own_earlier_position(
    client, other_drafter, now, france
):
    client.force_login(other_drafter)
    page = page_of(client, now, france)
    assert THEIRS in page
    assert EARLIER not in page


@pytest.mark.parametrize(
    "status", [RelatedQuestion.Status.SUGGESTED, RelatedQuestion.Status.DISMISSED]
)
def test_a_pair_not_confirmed_brings_no_earlier_position(
    client, drafter, now, answer, romania, status
):
    RelatedQuestion.objects.update(status=status)
    client.force_login(drafter)
    assert EARLIER not in page_of(client, now, romania)


def test_the_statement_page_asks_the_same_number_of_queries_with_more_earlier_positions(
    client, drafter, now, romania, editor, django_assert_num_queries
):
    client.force_login(drafter)
    page_of(client, now, romania)
    # The confirmed pairs and the earlier positions are two of them, however many there are.
    with django_assert_num_queries(8):
        page_of(client, now, romania)
    for year in (2005, 2006, 2007):
        older = make_debate(questions=1, meeting_date=datetime.date(year, 1, 1))
        write_statement(older, romania, f"Position of {year}.")
        first, second = sorted([now.questions.get(order=2).pk, older.questions.get().pk])
        RelatedQuestion.objects.create(question_id=first, related_id=second).decide(
            RelatedQuestion.Status.CONFIRMED, by=editor
        )
    with django_assert_num_queries(8):
        page = page_of(client, now, romania)
    assert all(f"Position of {year}." in page for year in (2005, 2006, 2007))


def test_comparing_shows_the_words_changed_from_the_earlier_position(
    client, drafter, before, answer, romania
):
    answer.save_text(
        "We stand for the comparative advantages of the United Nations.", base_version=0, by=drafter
    )
    client.force_login(drafter)
    response = client.get(
        url("earlier-compare", answer, romanias_earlier(before, romania).pk), **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<del>" in body
    assert "<ins>" in body
    assert "<html" not in body
    # Without JavaScript, the same comparison on a page of its own.
    assert (
        "<html"
        in client.get(
            url("earlier-compare", answer, romanias_earlier(before, romania).pk)
        ).content.decode()
    )


def test_another_delegations_answer_cannot_be_compared_or_inserted(
    client, drafter, before, answer, france
):
    theirs = Answer.objects.get(
        statement__debate=before, statement__delegation=france, question__order=1
    )
    client.force_login(drafter)
    assert client.get(url("earlier-compare", answer, theirs.pk)).status_code == 404
    response = client.post(
        url("earlier-insert", answer), {"version": 0, "source": theirs.pk, "text": ""}, **HTMX
    )
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.text == ""


def test_an_answer_to_an_unrelated_question_is_not_an_earlier_position(
    client, drafter, before, answer, romania
):
    unrelated = Answer.objects.get(
        statement__debate=before, statement__delegation=romania, question__order=2
    )
    client.force_login(drafter)
    assert client.get(url("earlier-compare", answer, unrelated.pk)).status_code == 404


def test_starting_from_an_earlier_position_makes_a_revision_that_says_where_it_came_from(
    client, drafter, before, answer, romania
):
    earlier = romanias_earlier(before, romania)
    client.force_login(drafter)
    response = client.post(
        url("earlier-insert", answer), {"version": 0, "source": earlier.pk, "text": ""}, **HTMX
    )
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.text == EARLIER
    revision = answer.revisions.get()
    assert (revision.kind, revision.copied_from) == (Revision.Kind.EARLIER, earlier)


def test_inserting_keeps_the_text_typed_but_not_yet_saved(client, drafter, before, answer, romania):
    answer.save_text("Saved words.", base_version=0, by=drafter)
    client.force_login(drafter)
    typed = "Saved words. And words typed a second ago."
    source = romanias_earlier(before, romania).pk
    client.post(
        url("earlier-insert", answer), {"version": 1, "source": source, "text": typed}, **HTMX
    )
    answer.refresh_from_db()
    assert answer.text == f"{typed}\n\n{EARLIER}"
    assert answer.version == 2


def test_without_javascript_the_earlier_position_follows_the_saved_text(
    client, drafter, before, answer, romania
):
    answer.save_text("Saved words.", base_version=0, by=drafter)
    client.force_login(drafter)
    response = client.post(
        url("earlier-insert", answer),
        {"version": 1, "source": romanias_earlier(before, romania).pk},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == f"Saved words.\n\n{EARLIER}"


def test_an_insert_on_a_stale_page_is_a_conflict_and_changes_nothing(
    client, drafter, lead, before, answer, romania
):
    answer.save_text("Saved by a colleague meanwhile.", base_version=0, by=lead)
    client.force_login(drafter)
    response = client.post(
        url("earlier-insert", answer),
        {"version": 0, "source": romanias_earlier(before, romania).pk, "text": "What I typed."},
        **HTMX,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "What I typed." in body
    assert "Saved by a colleague meanwhile." in body
    answer.refresh_from_db()
    assert answer.text == "Saved by a colleague meanwhile."


def test_a_reviewer_reads_earlier_positions_but_cannot_insert_them(
    client, before, answer, romania, now
):
    reviewer = make_member(romania, Membership.Role.REVIEWER, username="reviewer")
    client.force_login(reviewer)
    page = page_of(client, now, romania)
    assert EARLIER in page
    assert f'action="{url("earlier-insert", answer)}"' not in page
    response = client.post(
        url("earlier-insert", answer),
        {"version": 0, "source": romanias_earlier(before, romania).pk},
    )
    assert response.status_code == 403


def test_nothing_is_inserted_into_a_final_statement(client, lead, before, answer, romania):
    Statement.objects.filter(pk=answer.statement_id).update(status=Statement.Status.FINAL)
    client.force_login(lead)
    response = client.post(
        url("earlier-insert", answer),
        {"version": 0, "source": romanias_earlier(before, romania).pk, "text": ""},
        **HTMX,
    )
    assert response.status_code == 423
    answer.refresh_from_db()
    assert answer.text == ""
