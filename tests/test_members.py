"""A delegation's members page: its members see who is in it; its leads change roles, remove
members and manage invitations, and can never leave the delegation without a lead.

Editors manage memberships in the admin; the page is the members' own, so they get 404 there
as any outsider does.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from debateprep.delegations import services
from debateprep.delegations.models import Membership
from tests.factories import make_member

Role = Membership.Role


def members_url(code="ROU") -> str:
    return reverse("delegations:members", args=[code])


def role_url(membership, code="ROU") -> str:
    return reverse("delegations:member-role", args=[code, membership.pk])


def remove_url(membership, code="ROU") -> str:
    return reverse("delegations:member-remove", args=[code, membership.pk])


@pytest.fixture
def people(romania, france, lead, drafter, other_drafter, editor):
    return {
        "anonymous": None,
        "outsider": other_drafter,
        "reviewer": make_member(romania, Role.REVIEWER, username="reviewer"),
        "drafter": drafter,
        "lead": lead,
        "editor": editor,
        "superuser": User.objects.create_superuser("root", password="x"),
    }


@pytest.fixture
def pending(romania, lead):
    invitation, _ = services.invite(delegation=romania, email="ana@mae.ro", role="drafter", by=lead)
    return invitation


ROLES = ["anonymous", "outsider", "reviewer", "drafter", "lead", "editor", "superuser"]
# name: (url(drafter's membership, pending invitation), data, codes in ROLES order)
TABLE = {
    "members page": (lambda m, i: members_url(), None, (302, 404, 200, 200, 200, 404, 404)),
    "invite": (lambda m, i: reverse("delegations:invite", args=["ROU"]),
               {"email": "new@mae.ro", "role": "drafter"}, (302, 404, 403, 403, 302, 404, 404)),
    "change a role": (lambda m, i: role_url(m), {"role": "reviewer"},
                      (302, 404, 403, 403, 302, 404, 404)),
    "remove a member": (lambda m, i: remove_url(m), {}, (302, 404, 403, 403, 302, 404, 404)),
    "revoke an invitation": (
        lambda m, i: reverse("delegations:invitation-revoke", args=["ROU", i.pk]), {},
        (302, 404, 403, 403, 302, 404, 404)),
    "new link": (lambda m, i: reverse("delegations:invitation-renew", args=["ROU", i.pk]), {},
                 (302, 404, 403, 403, 302, 404, 404)),
    # Everyone chooses the language they read, visitors on the login page included.
    "choose a language": (lambda m, i: reverse("delegations:language"), {"language": "fr"},
                          (302, 302, 302, 302, 302, 302, 302)),
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        pytest.param(name, role, codes[index], id=f"{name} | {role}")
        for name, (_, _, codes) in TABLE.items()
        for index, role in enumerate(ROLES)
    ],
)
def test_who_may_reach_the_members_page_and_its_forms(
    client, people, pending, drafter, name, role, expected
):
    url, data, _ = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    membership = drafter.memberships.get()
    method = client.get if data is None else client.post
    response = method(url(membership, pending), data)
    assert response.status_code == expected
    if response.status_code == 302 and role == "anonymous" and name != "choose a language":
        assert response["Location"].startswith(reverse("login"))


def test_the_table_covers_every_delegations_address():
    from debateprep.delegations.urls import urlpatterns

    covered = {"members", "invite", "member-role", "member-remove"}
    covered |= {"invitation-revoke", "invitation-renew", "invitation"}  # test_invitations.py
    covered |= {"language"}
    assert {pattern.name for pattern in urlpatterns} == covered


def test_members_see_who_is_in_their_delegation_but_not_the_forms(client, romania, lead, pending):
    reviewer = make_member(romania, Role.REVIEWER, first_name="Ioana", last_name="Radu")
    client.force_login(reviewer)
    page = client.get(members_url()).content.decode()
    assert "Ioana Radu (you)" in page
    assert "lead" in page
    assert "ana@mae.ro" in page  # the invitation not yet accepted
    assert "Change role" not in page
    assert "Invite a colleague" not in page
    assert "<form" not in page.split('id="main"')[1]


def test_a_lead_sees_a_labelled_form_for_each_member_and_invitation(client, lead, drafter, pending):
    client.force_login(lead)
    page = client.get(members_url()).content.decode()
    for membership in Membership.objects.all():
        assert f'<label for="member-{membership.pk}-role"' in page
        assert f'id="member-{membership.pk}-role"' in page
    assert '<label for="invite-email"' in page
    assert '<label for="invite-role"' in page
    assert "Remove<span" in page
    assert "New link<span" in page
    assert "Revoke<span" in page


def test_a_lead_changes_a_members_role(client, lead, drafter):
    client.force_login(lead)
    response = client.post(role_url(drafter.memberships.get()), {"role": "lead"}, follow=True)
    assert drafter.memberships.get().role == Role.LEAD
    assert "drafter is a lead of Romania." in response.content.decode()


def test_the_last_lead_cannot_be_demoted(client, lead, drafter):
    client.force_login(lead)
    response = client.post(role_url(lead.memberships.get()), {"role": "drafter"}, follow=True)
    assert "the only lead of Romania" in response.content.decode()
    assert lead.memberships.get().role == Role.LEAD


def test_the_last_lead_cannot_be_removed(client, lead):
    client.force_login(lead)
    response = client.post(remove_url(lead.memberships.get()), follow=True)
    assert "the only lead of Romania" in response.content.decode()
    assert lead.memberships.exists()


def test_one_of_two_leads_steps_down_and_the_other_then_cannot(client, romania, lead):
    second = make_member(romania, Role.LEAD, username="second")
    client.force_login(lead)
    client.post(role_url(lead.memberships.get()), {"role": "drafter"})
    assert lead.memberships.get().role == Role.DRAFTER
    client.force_login(second)
    client.post(role_url(second.memberships.get()), {"role": "reviewer"})
    assert second.memberships.get().role == Role.LEAD


def test_a_removed_member_no_longer_reaches_the_delegation(client, lead, drafter):
    client.force_login(lead)
    response = client.post(remove_url(drafter.memberships.get()), follow=True)
    assert "drafter is no longer a member of Romania." in response.content.decode()
    client.force_login(drafter)
    assert client.get(members_url()).status_code == 404


def test_a_lead_who_leaves_goes_back_to_their_debates(client, romania, lead):
    make_member(romania, Role.LEAD)
    client.force_login(lead)
    response = client.post(remove_url(lead.memberships.get()))
    assert response["Location"] == reverse("home")
    assert not lead.memberships.exists()


def test_a_lead_cannot_touch_another_delegations_members(client, lead, other_drafter):
    client.force_login(lead)
    membership = other_drafter.memberships.get()
    assert client.post(role_url(membership), {"role": "lead"}).status_code == 404
    assert client.post(remove_url(membership)).status_code == 404
    assert client.post(role_url(membership, "FRA"), {"role": "lead"}).status_code == 404
    assert other_drafter.memberships.get().role == Role.DRAFTER


def test_an_unknown_role_changes_nothing(client, lead, drafter):
    client.force_login(lead)
    response = client.post(role_url(drafter.memberships.get()), {"role": "owner"}, follow=True)
    assert "Choose one of the roles." in response.content.decode()
    assert drafter.memberships.get().role == Role.DRAFTER


def test_the_page_never_shows_staff_or_other_delegations(client, lead, other_drafter, editor):
    client.force_login(lead)
    page = client.get(members_url()).content.decode()
    assert "other" not in page.split("<tbody>")[1].split("</tbody>")[0]
    assert "editor" not in page.split('id="main"')[1]


@pytest.mark.parametrize("count", [2, 10])
def test_members_page_query_count_does_not_grow_with_members(
    client, romania, lead, count, django_assert_num_queries
):
    for number in range(count - 1):
        make_member(romania, username=f"member{number}")
        services.invite(delegation=romania, email=f"new{number}@mae.ro", role="drafter", by=lead)
    client.force_login(lead)
    client.get(members_url())
    # the session with its user, delegation, role, members, invitations with who invited
    with django_assert_num_queries(5):
        response = client.get(members_url())
    assert response.status_code == 200
    assert len(response.context["members"]) == count
