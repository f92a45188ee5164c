import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from debateprep.debates.models import Debate, Question
from debateprep.delegations import policy
from debateprep.delegations.models import Membership
from debateprep.drafting.models import Statement
from tests.factories import (
    debate_admin_form,
    make_debate,
    make_delegation,
    make_editor,
    open_statement,
)


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def test_editors_are_a_group_not_superusers(editor):
    assert not editor.is_superuser
    assert policy.is_editor(editor)
    assert policy.can_admin(editor, "change", Debate)
    assert policy.can_admin(editor, "view", Statement)
    assert not policy.can_admin(editor, "change", Statement)


@pytest.mark.parametrize(
    "name",
    [
        "admin:debates_debate_changelist",
        "admin:debates_debate_add",
        "admin:delegations_delegation_changelist",
        "admin:delegations_membership_changelist",
        "admin:drafting_statement_changelist",
        "admin:auth_user_changelist",
    ],
)
def test_editor_opens_the_admin_pages(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_editor_edits_a_debate_with_its_questions(admin_client, debate):
    response = admin_client.get(reverse("admin:debates_debate_change", args=[debate.pk]))
    page = response.content.decode()
    assert "Question 2?" in page
    assert 'name="questions-0-order"' in page


def test_editor_swaps_two_questions(admin_client, db):
    debate = make_debate(questions=2)
    first, second = debate.questions.order_by("order")
    url = reverse("admin:debates_debate_change", args=[debate.pk])
    form = debate_admin_form(debate, [first, second])
    form["questions-0-order"], form["questions-1-order"] = 2, 1
    response = admin_client.post(url, form)
    assert response.status_code == 302
    assert list(debate.questions.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_a_question_with_answers_cannot_be_deleted(admin_client, debate, romania):
    open_statement(debate, romania)
    first, second, third = debate.questions.order_by("order")
    form = debate_admin_form(debate, [first, second, third])
    form["questions-0-DELETE"] = "on"
    response = admin_client.post(reverse("admin:debates_debate_change", args=[debate.pk]), form)
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Question.objects.filter(pk=first.pk).exists()


def test_a_question_nobody_answered_can_be_deleted_after_delegates_looked(
    client, editor, drafter, debate, romania
):
    client.force_login(drafter)
    client.get(reverse("drafting:statement", args=[debate.slug, romania.code]))
    client.force_login(editor)
    first, second, third = debate.questions.order_by("order")
    form = debate_admin_form(debate, [first, second, third])
    form["questions-2-DELETE"] = "on"
    response = client.post(reverse("admin:debates_debate_change", args=[debate.pk]), form)
    assert response.status_code == 302
    assert not Question.objects.filter(pk=third.pk).exists()


def test_editor_searches_and_filters_statements(admin_client, debate, romania, france, drafter):
    ours = open_statement(debate, romania)
    open_statement(debate, france)
    answer = ours.answers.get(question__order=1)
    answer.save_text("Subsidiarity matters to us", base_version=0, by=drafter)
    url = reverse("admin:drafting_statement_changelist")
    page = admin_client.get(url, {"q": "Subsidiarity"}).content.decode()
    assert "Romania" in page
    assert "France" not in page
    page = admin_client.get(url, {"status__exact": Statement.Status.FINAL}).content.decode()
    assert "0 statements" in page


def test_editor_cannot_see_superusers_or_grant_superuser(admin_client, db):
    root = User.objects.create_superuser("root", password="x")
    page = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert ">root<" not in page
    response = admin_client.get(reverse("admin:auth_user_change", args=[root.pk]))
    assert response.status_code in (302, 404)
    other = make_delegation("Chile", "CHL")
    assert other.pk
    page = admin_client.get(reverse("admin:auth_user_add")).content.decode()
    assert "is_superuser" not in page


def test_delegates_cannot_open_the_admin(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_editor_gives_a_person_a_role_in_a_delegation(admin_client, romania):
    person = User.objects.create_user("ana")
    url = reverse("admin:auth_user_change", args=[person.pk])
    page = admin_client.get(url).content.decode()
    assert "Delegations and roles" in page
    form = {
        "username": "ana",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-delegation": romania.pk,
        "memberships-0-role": "lead",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    assert person.memberships.get().role == "lead"


@pytest.mark.parametrize("count", [3, 12])
def test_statement_list_query_count_does_not_grow_with_statements(
    admin_client, count, django_assert_num_queries
):
    debate = make_debate(questions=2)
    for number in range(count):
        open_statement(debate, make_delegation(f"Delegation {number}", f"D{number}"))
    url = reverse("admin:drafting_statement_changelist")
    admin_client.get(url)
    # the session with its user, editors group, the debate filter, the count, permissions (2),
    # the page
    with django_assert_num_queries(7):
        response = admin_client.get(url)
    assert response.status_code == 200


def test_editor_cannot_set_a_statements_status_in_the_admin(admin_client, debate, romania):
    statement = open_statement(debate, romania)
    url = reverse("admin:drafting_statement_change", args=[statement.pk])
    assert 'name="status"' not in admin_client.get(url).content.decode()
    admin_client.post(url, {"status": Statement.Status.FINAL})
    statement.refresh_from_db()
    assert (statement.status, statement.status_changed_by) == (Statement.Status.DRAFT, None)


def test_not_even_a_superuser_changes_a_statement_in_the_admin(client, debate, romania):
    statement = open_statement(debate, romania)
    client.force_login(User.objects.create_superuser("root", password="x"))
    url = reverse("admin:drafting_statement_change", args=[statement.pk])
    client.post(url, {"status": Statement.Status.FINAL})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    delete = reverse("admin:drafting_statement_delete", args=[statement.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_editor_cannot_give_anyone_a_group_or_staff_status(admin_client, editor, db):
    person = User.objects.create_user("ana")
    for target in (person, editor):
        url = reverse("admin:auth_user_change", args=[target.pk])
        page = admin_client.get(url).content.decode()
        assert 'name="groups"' not in page
        assert 'name="is_staff"' not in page
        admin_client.post(
            url,
            {
                "username": target.username,
                "is_active": "on",
                "is_staff": "on",
                "groups": [Group.objects.get(name="Editors").pk],
                "date_joined_0": "2026-01-01",
                "date_joined_1": "10:00:00",
                "memberships-TOTAL_FORMS": 0,
                "memberships-INITIAL_FORMS": 0,
            },
        )
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.exists()


def test_editor_sets_a_delegates_password_but_not_another_editors(admin_client, db):
    delegate = User.objects.create_user("ana")
    other_editor = make_editor("otto")
    new = {"password1": "a-long-new-passphrase-9", "password2": "a-long-new-passphrase-9"}
    ok = admin_client.post(reverse("admin:auth_user_password_change", args=[delegate.pk]), new)
    assert ok.status_code == 302
    refused = admin_client.post(
        reverse("admin:auth_user_password_change", args=[other_editor.pk]), new
    )
    assert refused.status_code == 403
    other_editor.refresh_from_db()
    assert not other_editor.check_password("a-long-new-passphrase-9")


def test_staff_accounts_cannot_join_a_delegation(admin_client, editor, romania):
    response = admin_client.post(
        reverse("admin:delegations_membership_add"),
        {"user": editor.pk, "delegation": romania.pk, "role": "lead"},
    )
    assert response.status_code == 200
    assert "cannot be a member of a delegation" in response.content.decode()
    assert not editor.memberships.exists()


def test_editor_cannot_take_over_a_delegate_who_has_logged_in(admin_client, drafter):
    drafter.last_login = timezone.now()
    drafter.save()
    new = {"password1": "a-long-new-passphrase-9", "password2": "a-long-new-passphrase-9"}
    url = reverse("admin:auth_user_password_change", args=[drafter.pk])
    assert admin_client.post(url, new).status_code == 403
    drafter.refresh_from_db()
    assert not drafter.check_password("a-long-new-passphrase-9")


def test_a_superuser_account_without_staff_status_cannot_join_a_delegation(
    client, admin_client, romania, debate
):
    root = User.objects.create_user("su2", password="x", is_superuser=True)
    response = admin_client.post(
        reverse("admin:delegations_membership_add"),
        {"user": root.pk, "delegation": romania.pk, "role": "lead"},
    )
    assert "cannot be a member of a delegation" in response.content.decode()
    Membership.objects.create(user=root, delegation=romania, role="lead")
    client.force_login(root)
    assert client.get(reverse("drafting:statement", args=[debate.slug, "ROU"])).status_code == 404
