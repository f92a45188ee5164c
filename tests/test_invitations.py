"""A lead invites a colleague by e-mail; the link makes their account, or brings the one they
have, into the delegation with the role chosen, once."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from debateprep.delegations import services
from debateprep.delegations.models import Invitation, Membership
from tests.factories import make_editor, make_member

PASSWORD = "a-long-and-rare-passphrase-7"


def members_url(delegation) -> str:
    return reverse("delegations:members", args=[delegation.code])


def invite(client, delegation, email="ana.popescu@mae.ro", role="drafter"):
    url = reverse("delegations:invite", args=[delegation.code])
    return client.post(url, {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def invitation(romania, lead):
    """An open invitation and its link."""
    invitation, token = services.invite(
        delegation=romania, email="ana.popescu@mae.ro", role="reviewer", by=lead
    )
    return invitation, reverse("delegations:invitation", args=[token])


def test_invited_colleague_makes_an_account_and_lands_on_the_debates_as_a_member(
    client, romania, lead
):
    client.force_login(lead)
    response = invite(client, romania, role="reviewer")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.popescu@mae.ro"]
    assert "Romania" in mail.outbox[0].subject
    link = link_in(mail.outbox[0])
    page = client.get(members_url(romania)).content.decode()
    assert f"http://testserver{link}" in page  # shown to the lead to copy...
    assert link not in client.get(members_url(romania)).content.decode()  # ...once

    client.logout()
    form = client.get(link)
    assert form.status_code == 200
    assert 'value="ana.popescu"' in form.content.decode()  # username from the address
    response = client.post(
        link,
        {
            "username": "ana.popescu",
            "first_name": "Ana",
            "last_name": "Popescu",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("drafting:debate-list")
    ana = User.objects.get(username="ana.popescu")
    assert response.context["user"] == ana
    assert ana.email == "ana.popescu@mae.ro"
    assert ana.check_password(PASSWORD)
    assert Membership.objects.get(user=ana).role == Membership.Role.REVIEWER
    assert "you are a reviewer of Romania" in response.content.decode()
    assert Invitation.objects.get().accepted_by == ana


def test_a_used_link_says_so_and_does_nothing(client, invitation, other_drafter):
    invitation, link = invitation
    client.force_login(other_drafter)
    client.post(link)
    client.logout()
    for response in (client.get(link), client.post(link, {"username": "x"})):
        assert response.status_code == 410
        assert "used already" in response.content.decode()
    assert Membership.objects.filter(delegation=invitation.delegation).count() == 2


def test_an_expired_link_says_so(client, invitation):
    invitation, link = invitation
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "It expired on" in response.content.decode()


def test_a_revoked_link_says_so(client, invitation, lead):
    invitation, link = invitation
    client.force_login(lead)
    revoke = reverse("delegations:invitation-revoke", args=["ROU", invitation.pk])
    assert client.post(revoke).status_code == 302
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_invitation_lasts_fourteen_days(invitation):
    invitation, _ = invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


def test_a_link_nobody_made_is_not_found(client, db):
    assert client.get(reverse("delegations:invitation", args=["made-up"])).status_code == 404


def test_a_new_link_replaces_the_old_one(client, invitation, lead):
    invitation, old_link = invitation
    client.force_login(lead)
    client.post(reverse("delegations:invitation-renew", args=["ROU", invitation.pk]))
    new_link = link_in(mail.outbox[-1])
    client.logout()
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200
    renewed = Invitation.objects.get(accepted_at=None, revoked_at=None)
    assert (renewed.email, renewed.role) == ("ana.popescu@mae.ro", "reviewer")


def test_only_a_hash_of_the_link_is_kept(invitation):
    invitation, link = invitation
    token = link.split("/")[-2]
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash
    assert len(token) >= 40


def test_a_delegate_joins_with_the_account_they_have(client, invitation, other_drafter):
    invitation, link = invitation
    client.force_login(other_drafter)
    page = client.get(link).content.decode()
    assert "Join Romania as other" in page
    response = client.post(link)
    assert response.status_code == 302
    assert other_drafter.memberships.get(delegation__code="ROU").role == "reviewer"
    assert other_drafter.memberships.filter(delegation__code="FRA").exists()


def test_a_staff_account_cannot_join(client, invitation, editor):
    invitation, link = invitation
    client.force_login(editor)
    assert client.get(link).status_code == 403
    response = client.post(link)
    assert response.status_code == 403
    assert "staff account" in response.content.decode()
    assert not editor.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_a_member_already_cannot_use_the_link_up(client, invitation, drafter):
    invitation, link = invitation
    client.force_login(drafter)
    assert "a member of Romania already" in client.get(link).content.decode()
    response = client.post(link, follow=True)
    assert "already a member of Romania" in response.content.decode()
    assert drafter.memberships.get().role == "drafter"
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_a_weak_password_is_refused_and_nothing_is_made(client, invitation):
    invitation, link = invitation
    data = {"username": "ana", "first_name": "Ana", "last_name": "Popescu"}
    response = client.post(link, {**data, "password1": "password", "password2": "password"})
    assert response.status_code == 422
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="ana").exists()
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_every_field_of_the_join_form_has_a_label(client, invitation):
    _, link = invitation
    page = client.get(link).content.decode()
    for field in ("username", "first_name", "last_name", "password1", "password2"):
        assert f'<label for="id_{field}"' in page


def test_the_second_of_two_acceptances_at_once_changes_nothing(invitation, france, other_drafter):
    invitation, _ = invitation
    late = make_member(france)
    # Both loaded the invitation while it was open; the conditional update lets one in.
    services.accept_invitation(invitation=invitation, user=other_drafter)
    with pytest.raises(services.InvitationClosed):
        services.accept_invitation(invitation=invitation, user=late)
    assert not late.memberships.filter(delegation=invitation.delegation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == other_drafter


def test_a_new_account_is_not_kept_when_the_link_was_used_meanwhile(client, invitation, drafter):
    invitation, link = invitation
    page = client.get(link)  # the form is open in the visitor's browser...
    assert page.status_code == 200
    Invitation.objects.update(accepted_at=timezone.now())  # ...when someone else uses the link
    data = {"username": "ana", "first_name": "A", "last_name": "P"}
    response = client.post(link, {**data, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(username="ana").exists()


def test_inviting_a_member_is_refused(client, romania, lead, drafter):
    User.objects.filter(pk=drafter.pk).update(email="drafter@mae.ro")
    client.force_login(lead)
    response = invite(client, romania, email="Drafter@MAE.ro")
    assert response.status_code == 422
    assert "already a member of Romania" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_a_staff_account_address_is_refused(client, romania, lead):
    User.objects.filter(pk=make_editor("ed").pk).update(email="ed@un.org")
    client.force_login(lead)
    response = invite(client, romania, email="ed@un.org")
    assert response.status_code == 422
    assert "belongs to a staff account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_address_again_replaces_its_open_invitation(client, romania, lead):
    client.force_login(lead)
    invite(client, romania, role="reviewer")
    invite(client, romania, role="lead")
    old, new = Invitation.objects.order_by("created_at", "pk")
    assert (old.state, new.state, new.role) == ("revoked", "pending", "lead")
    assert client.get(link_in(mail.outbox[0])).status_code == 410


def test_the_lead_gets_the_link_when_the_e_mail_cannot_be_sent(client, romania, lead):
    client.force_login(lead)
    with mock.patch("debateprep.delegations.views.send_mail", side_effect=OSError("no server")):
        response = invite(client, romania, email="ana@mae.ro")
    assert response.status_code == 302
    page = client.get(members_url(romania)).content.decode()
    assert "could not be e-mailed" in page
    assert "http://testserver/invitations/" in page
    assert Invitation.objects.get().state == "pending"


def test_a_drafter_or_reviewer_cannot_invite(client, romania, drafter):
    reviewer = make_member(romania, Membership.Role.REVIEWER)
    for person in (drafter, reviewer):
        client.force_login(person)
        assert invite(client, romania).status_code == 403
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_editors_see_and_revoke_invitations_in_the_admin(client, invitation, editor):
    invitation, link = invitation
    client.force_login(editor)
    listing = client.get(reverse("admin:delegations_invitation_changelist"))
    assert "ana.popescu@mae.ro" in listing.content.decode()
    response = client.post(
        reverse("admin:delegations_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    client.logout()
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_nobody_makes_or_edits_an_invitation_in_the_admin(client, invitation, editor, who):
    invitation, _ = invitation
    person = editor if who == "editor" else User.objects.create_superuser("root", password="x")
    client.force_login(person)
    assert client.get(reverse("admin:delegations_invitation_add")).status_code == 403
    change = reverse("admin:delegations_invitation_change", args=[invitation.pk])
    client.post(change, {"email": "someone@else.org", "role": "lead"})
    delete = reverse("admin:delegations_invitation_delete", args=[invitation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role) == ("ana.popescu@mae.ro", "reviewer")


def test_an_address_too_long_for_any_mailbox_is_refused_with_a_message(client, romania, lead):
    client.force_login(lead)
    response = invite(client, romania, email=f"{'a' * 300}@mae.ro")
    assert "Ensure this value has at most 254 characters" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_delegation_sends_a_bounded_number_of_invitations_a_day(client, romania, lead):
    client.force_login(lead)
    for n in range(services.INVITATIONS_PER_DAY):
        assert invite(client, romania, email=f"colleague{n}@mae.ro").status_code == 302
    response = invite(client, romania, email="one.more@mae.ro")
    assert "invitations in the last 24 hours, the most it may" in response.content.decode()
    assert Invitation.objects.count() == services.INVITATIONS_PER_DAY
