import pytest
from django.urls import reverse

from debateprep.debates.models import Debate
from tests.factories import make_debate, open_statement


@pytest.fixture
def romanian_answer(debate, romania):
    return open_statement(debate, romania).answers.get(question__order=1)


def statement_url(debate, delegation):
    return reverse("drafting:statement", args=[debate.slug, delegation.code])


@pytest.mark.parametrize("name", ["drafting:debate-list"])
def test_pages_require_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_statement_page_requires_login(client, debate, romania):
    response = client.get(statement_url(debate, romania))
    assert response.status_code == 302


def test_login_page_is_open(client, db):
    assert client.get(reverse("login")).status_code == 200


def test_other_delegations_statement_is_not_found(client, debate, romania, other_drafter):
    client.force_login(other_drafter)
    assert client.get(statement_url(debate, romania)).status_code == 404


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("post", "drafting:answer-save", {"text": "Hijack", "version": 0}),
        ("get", "drafting:answer-history", None),
    ],
)
def test_other_delegations_answers_are_not_found(
    client, romanian_answer, other_drafter, method, name, data
):
    client.force_login(other_drafter)
    response = getattr(client, method)(reverse(name, args=romanian_answer.url_args), data)
    assert response.status_code == 404
    romanian_answer.refresh_from_db()
    assert romanian_answer.text == ""


def test_other_delegations_exports_and_status_are_not_found(client, debate, romania, other_drafter):
    client.force_login(other_drafter)
    export = reverse("jobs:statement", args=[debate.slug, romania.code, "md"])
    status = reverse("drafting:statement-status", args=[debate.slug, romania.code])
    assert client.get(export).status_code == 404
    assert client.post(status, {"status": "final"}).status_code == 404


def test_unpublished_debate_is_not_found_for_delegates(client, drafter, romania):
    hidden = make_debate(status=Debate.Status.DRAFT)
    client.force_login(drafter)
    assert client.get(statement_url(hidden, romania)).status_code == 404
    assert hidden.title not in client.get(reverse("drafting:debate-list")).content.decode()


def test_invitation_only_debate_is_open_only_to_invited_delegations(
    client, drafter, other_drafter, romania, france
):
    closed = make_debate(invited_only=True)
    closed.invited_delegations.add(romania)
    client.force_login(drafter)
    assert client.get(statement_url(closed, romania)).status_code == 200
    client.force_login(other_drafter)
    assert client.get(statement_url(closed, france)).status_code == 404
    assert closed.title not in client.get(reverse("drafting:debate-list")).content.decode()


def test_answers_stop_being_editable_when_a_debate_is_restricted_later(
    client, drafter, romanian_answer, debate
):
    debate.invited_only = True
    debate.save()
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=romanian_answer.url_args)
    assert client.post(url, {"text": "x", "version": 0}).status_code == 404


def test_unknown_export_format_is_not_found(client, drafter, debate, romania):
    client.force_login(drafter)
    url = reverse("jobs:statement", args=[debate.slug, romania.code, "exe"])
    assert client.get(url).status_code == 404
