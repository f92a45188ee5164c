"""The editors' overview of a debate: where every delegation stands, question by question."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from debateprep.delegations.models import Delegation
from debateprep.drafting.models import Statement
from tests.factories import make_debate, make_delegation, make_member, make_ready, open_statement


def overview_url(debate, **query):
    url = reverse("drafting:debate-overview", args=[debate.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row_of(page: str, name: str) -> str:
    start = page.index(f">{name}<")
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def debate(db):
    return make_debate(questions=3, speaking_limit_seconds=60, rate_en=120)


def test_each_cell_says_where_the_delegation_stands(client, editor, debate, romania, france):
    drafter = make_member(romania, username="ro")
    statement = open_statement(debate, romania)
    first, second = (statement.answers.get(question__order=n) for n in (1, 2))
    first.save_text("We support regional organizations.", base_version=0, by=drafter)
    second.mark_no_position(True)
    client.force_login(editor)
    page = client.get(overview_url(debate)).content.decode()
    romania_row = row_of(page, "Romania")
    cells = [part.split(">")[1] for part in romania_row.split('<td class="cell cell-')[1:]]
    # Opening, question 1 written, question 2 no position, question 3 empty, closing.
    assert [cell.split("<")[0] for cell in cells] == [
        "Not started", "Drafting", "No position", "Not started", "Not started",
    ]  # fmt: skip
    assert "Not started" in row_of(page, "France")
    assert "4 words · 0:02 / 1:00" in romania_row


def test_a_final_statement_and_one_over_the_limit_show_as_such(client, editor, debate, romania):
    lead = make_member(romania, username="lead")
    statement = open_statement(debate, romania)
    for number in (1, 2, 3):
        statement.answers.get(question__order=number).save_text(
            "word " * 100, base_version=0, by=lead
        )
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.FINAL)
    client.force_login(editor)
    row = row_of(client.get(overview_url(debate)).content.decode(), "Romania")
    assert row.count("cell-final") == 3
    assert "300 words · 2:30 / 1:00 (over the limit)" in row


def test_counts_per_question_add_up_the_delegations(client, editor, debate, romania, france):
    for delegation in (romania, france):
        member = make_member(delegation)
        open_statement(debate, delegation).answers.get(question__order=1).save_text(
            "Yes.", base_version=0, by=member
        )
    client.force_login(editor)
    page = client.get(overview_url(debate)).content.decode()
    answered = page[page.index(">Answered<") : page.index("</tr>", page.index(">Answered<"))]
    assert answered.count("<td>2</td>") == 1
    assert answered.count("<td>0</td>") == 4


def test_filters_by_kind_and_by_state(client, editor, debate, romania):
    make_delegation("African Union", "AU", kind=Delegation.Kind.REGIONAL_ORGANIZATION)
    open_statement(debate, romania)
    client.force_login(editor)
    organizations = client.get(overview_url(debate, kind="regional_organization")).content.decode()
    assert "African Union" in organizations
    assert ">Romania<" not in organizations
    drafting = client.get(overview_url(debate, state="drafting")).content.decode()
    assert ">Romania<" in drafting
    assert "African Union" not in drafting


def test_an_invitation_only_debate_lists_only_its_invited_delegations(
    client, editor, romania, france
):
    debate = make_debate(questions=1, invited_only=True)
    debate.invited_delegations.add(romania)
    client.force_login(editor)
    page = client.get(overview_url(debate)).content.decode()
    assert ">Romania<" in page
    assert ">France<" not in page


def test_the_chart_draws_progress_over_time_and_says_it_in_words(
    client, editor, debate, romania, lead
):
    statement = make_ready(open_statement(debate, romania))
    Statement.objects.filter(pk=statement.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    statement.set_status(Statement.Status.FINAL, by=lead)
    client.force_login(editor)
    page = client.get(overview_url(debate)).content.decode()
    assert '<svg role="img" aria-labelledby="progress-title"' in page
    assert '<title id="progress-title">Started: 1; Sent for review: 0; Final: 1</title>' in page
    assert page.count("<polyline") == 3
    assert "The figures, day by day" in page


@pytest.mark.parametrize("delegations", [2, 12])
def test_the_overview_asks_the_same_number_of_queries_however_many_delegations(
    client, editor, debate, delegations, django_assert_num_queries
):
    for number in range(delegations):
        delegation = make_delegation(f"Delegation {number}", f"D{number}")
        member = make_member(delegation)
        open_statement(debate, delegation).answers.get(question__order=1).save_text(
            "Text.", base_version=0, by=member
        )
    client.force_login(editor)
    # The session with its user, the editors group, the debate, its questions, the delegations,
    # the statements, the answers, the status changes.
    with django_assert_num_queries(8):
        response = client.get(overview_url(debate))
    assert response.status_code == 200


def test_delegates_do_not_learn_the_overview_exists(client, debate, romania):
    client.force_login(make_member(romania))
    assert client.get(overview_url(debate)).status_code == 404


def test_a_filter_out_of_range_is_ignored_not_an_error(client, editor, debate, romania):
    client.force_login(editor)
    response = client.get(overview_url(debate, kind="nonsense", state="<script>"))
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]
