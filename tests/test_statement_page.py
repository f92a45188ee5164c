import re

import pytest
from django.urls import reverse

from debateprep.delegations.models import Membership
from debateprep.drafting.models import Answer, Statement
from tests.factories import make_debate, make_member, make_ready, open_statement


def statement_url(debate, delegation):
    return reverse("drafting:statement", args=[debate.slug, delegation.code])


def test_statement_page_shows_heading_letter_and_every_question_in_order(client, drafter, romania):
    debate = make_debate(questions=4, letter_text="I have the honour to inform you.")
    client.force_login(drafter)
    response = client.get(statement_url(debate, romania))
    assert response.status_code == 200
    page = response.content.decode()
    assert debate.title in page
    assert "Tuesday 20 July 2004" in page
    assert "Presidency of Romania" in page
    assert debate.letter_heading in page
    assert "I have the honour to inform you." in page
    positions = [page.index(f"Question {n}?") for n in range(1, 5)]
    assert positions == sorted(positions)
    assert page.count("data-answer-text") == 4 + 2  # the answers, the opening, the closing
    assert "Opening" in page
    assert "Closing" in page


def test_statement_page_shows_totals_against_the_speaking_limit(client, drafter, romania):
    debate = make_debate(questions=1, rate_en=100, speaking_limit_seconds=60)
    statement = open_statement(debate, romania)
    answer = statement.answers.get(question__order=1)
    answer.save_text("word " * 150, base_version=0, by=drafter)
    client.force_login(drafter)
    page = client.get(statement_url(debate, romania)).content.decode()
    assert "<span data-total-words>150</span>" in page
    assert "<span data-total-time>1:30</span> of 1:00" in page
    assert "totals over-limit" in page


@pytest.mark.parametrize("questions", [10, 30])
def test_statement_page_query_count_does_not_grow_with_questions(
    client, drafter, romania, questions, django_assert_num_queries
):
    debate = make_debate(questions=questions)
    client.force_login(drafter)
    open_statement(debate, romania)
    # the session with its user, delegation, role, debate, statement, answers, questions,
    # open comments, open suggestions, status trail, questions related to these (earlier
    # positions)
    with django_assert_num_queries(11):
        response = client.get(statement_url(debate, romania))
    assert response.status_code == 200


def test_debate_list_shows_open_debates_with_statement_status(
    client, drafter, romania, django_assert_num_queries
):
    debates = [make_debate() for _ in range(3)]
    open_statement(debates[0], romania).set_status(Statement.Status.IN_REVIEW, by=drafter)
    client.force_login(drafter)
    # the session with its user, statuses, delegations, those the user manages, debates of the
    # delegation
    with django_assert_num_queries(5):
        page = client.get(reverse("drafting:debate-list")).content.decode()
    for debate in debates:
        assert debate.title in page
    assert "In review" in page
    assert "Not started" in page


def test_debate_address_takes_a_delegate_with_one_delegation_to_the_statement(
    client, drafter, debate, romania
):
    client.force_login(drafter)
    response = client.get(debate.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == statement_url(debate, romania)


def test_editor_sees_the_debate_read_only(client, editor, debate):
    client.force_login(editor)
    response = client.get(debate.get_absolute_url())
    assert response.status_code == 200
    assert "Question 1?" in response.content.decode()


def test_debate_address_is_not_found_for_outsiders(client, debate, db):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get(debate.get_absolute_url()).status_code == 404


def test_pages_send_a_content_security_policy_and_no_inline_script(client, drafter, debate):
    client.force_login(drafter)
    response = client.get(debate.get_absolute_url(), follow=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    page = response.content.decode()
    for script in re.findall(r"<script[^>]*>", page):
        # JSON is read by the page's script, never run.
        assert "src=" in script or 'type="application/json"' in script, f"inline script: {script}"
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_status_moves_and_lead_reopens_a_final_statement(client, drafter, lead, debate, romania):
    statement = open_statement(debate, romania)
    url = reverse("drafting:statement-status", args=[debate.slug, romania.code])

    client.force_login(drafter)
    client.post(url, {"status": "in_review"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.IN_REVIEW
    response = client.post(url, {"status": "final"}, follow=True)
    assert "You cannot move this statement" in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.IN_REVIEW

    client.force_login(lead)
    make_ready(statement)
    client.post(url, {"status": "final"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.FINAL
    page = client.get(statement_url(debate, romania)).content.decode()
    assert "read-only until a lead reopens it" in page
    assert "textarea" in page
    assert 'data-hx-trigger="input changed' not in page
    assert "Reopen as draft" in page

    client.force_login(drafter)
    assert "Reopen as draft" not in client.get(statement_url(debate, romania)).content.decode()

    client.force_login(lead)
    client.post(url, {"status": "draft"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_member_of_two_delegations_chooses_which_statement(client, debate, romania, france):
    user = make_member(romania)
    Membership.objects.create(user=user, delegation=france)
    client.force_login(user)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert statement_url(debate, romania) in page
    assert statement_url(debate, france) in page


def test_editor_finds_every_debate_with_its_compendium_downloads(
    client, editor, django_assert_num_queries
):
    debates = [make_debate() for _ in range(3)]
    client.force_login(editor)
    # the session with its user, editors group, statuses, all debates
    with django_assert_num_queries(4):
        page = client.get(reverse("drafting:debate-list")).content.decode()
    for debate in debates:
        assert reverse("jobs:compendium", args=[debate.slug, "pdf"]) in page


def test_delegates_see_no_compendium_links(client, drafter, debate):
    client.force_login(drafter)
    page = client.get(reverse("drafting:debate-list")).content.decode()
    assert "compendium" not in page


def test_opening_a_statement_or_exporting_it_creates_nothing(client, drafter, debate, romania):
    client.force_login(drafter)
    page = client.get(statement_url(debate, romania)).content.decode()
    assert "Not started" in page
    export = reverse("jobs:statement", args=[debate.slug, romania.code, "md"])
    assert client.get(export).status_code == 200
    assert not Statement.objects.exists()
    assert not Answer.objects.exists()
    listing = client.get(reverse("drafting:debate-list")).content.decode()
    assert "Not started" in listing


def test_the_first_save_starts_the_statement(client, drafter, debate, romania):
    client.force_login(drafter)
    question = debate.questions.get(order=2)
    url = reverse(
        "drafting:answer-save", args=[debate.slug, romania.code, f"question-{question.pk}"]
    )
    response = client.post(url, {"text": "Our first words.", "version": 0}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.DRAFT
    assert [a.text for a in statement.answers.all()] == ["Our first words."]


def test_an_empty_first_save_starts_nothing(client, drafter, debate, romania):
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=[debate.slug, romania.code, "opening"])
    assert client.post(url, {"text": "", "version": 0}).status_code == 302
    assert not Statement.objects.exists()


def test_an_unknown_place_in_a_statement_is_not_found(client, drafter, debate, romania):
    client.force_login(drafter)
    other_question = make_debate().questions.first()
    for slot in ("preamble", f"question-{other_question.pk}", "question-x"):
        url = reverse("drafting:answer-save", args=[debate.slug, romania.code, slot])
        assert client.post(url, {"text": "x", "version": 0}).status_code == 404


def test_editor_reads_a_statement_read_only_with_history_and_exports(
    client, drafter, editor, debate, romania
):
    answer = open_statement(debate, romania).answers.get(question__order=1)
    answer.save_text("Romania's position.", base_version=0, by=drafter)
    client.force_login(editor)
    response = client.get(statement_url(debate, romania))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Romania&#x27;s position." in page
    assert "data-hx-post" not in page
    assert 'class="save"' not in page
    assert "statement-status" in page
    assert "Mark final" not in page
    history = reverse("drafting:answer-history", args=answer.url_args)
    assert "Romania&#x27;s position." in client.get(history).content.decode()
    assert "Restore this version" not in client.get(history).content.decode()


def test_editor_cannot_change_a_delegations_text_or_status(
    client, drafter, editor, debate, romania
):
    statement = open_statement(debate, romania)
    answer = statement.answers.get(question__order=1)
    answer.save_text("Romania's position.", base_version=0, by=drafter)
    client.force_login(editor)
    save = reverse("drafting:answer-save", args=answer.url_args)
    assert client.post(save, {"text": "Edited by the editor", "version": 1}).status_code == 403
    status = reverse("drafting:statement-status", args=[debate.slug, romania.code])
    assert client.post(status, {"status": "final"}).status_code == 403
    answer.refresh_from_db()
    statement.refresh_from_db()
    assert (answer.text, statement.status) == ("Romania's position.", Statement.Status.DRAFT)


def test_admin_view_on_site_of_an_answer_opens_its_statement(client, editor, debate, romania):
    answer = open_statement(debate, romania).answers.get(question__order=1)
    client.force_login(editor)
    response = client.get(answer.get_absolute_url())
    assert response.status_code == 200
    assert f'id="{answer.anchor}"' in response.content.decode()


def test_the_first_save_updates_the_statements_status_and_offers_its_moves(
    client, lead, debate, romania
):
    client.force_login(lead)
    url = reverse("drafting:answer-save", args=[debate.slug, romania.code, "opening"])
    body = client.post(url, {"text": "Mr. President,", "version": 0}, HTTP_HX_REQUEST="true")
    body = body.content.decode()
    assert re.search(r'<div id="statement-state" data-hx-swap-oob="true">', body)
    assert "Mark final" in body
    second = client.post(
        url, {"text": "Mr. President, thank you.", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert "statement-state" not in second.content.decode()


def test_the_debate_list_leads_to_the_delegations_members(client, drafter, lead, romania):
    members = reverse("delegations:members", args=[romania.code])
    client.force_login(drafter)
    page = client.get(reverse("drafting:debate-list")).content.decode()
    assert f'<a href="{members}">Members of Romania</a>' in page
    client.force_login(lead)
    page = client.get(reverse("drafting:debate-list")).content.decode()
    assert "Members of Romania: invite colleagues and change roles" in page
