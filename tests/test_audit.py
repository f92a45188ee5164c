"""The audit log: what was done, by whom, to what, with what changed; only ever added to, and
read by editors in the admin."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from debateprep.debates.models import Debate
from debateprep.delegations import audit, policy, services
from debateprep.delegations.models import AuditEntry, Delegation, Invitation, Membership
from tests.factories import debate_admin_form, make_member, open_statement

Action = AuditEntry.Action


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x")


def only(action) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def test_an_entry_names_who_did_what_to_which_object(debate, romania, drafter):
    statement = open_statement(debate, romania)
    entry = audit.record(
        drafter,
        audit.Action.STATUS_CHANGED,
        statement,
        changes={"status": ["draft", "final"], "reason": "Agreed"},
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (drafter, "drafter")
    assert entry.delegation == romania  # read from the statement
    assert entry.debate == str(debate)
    assert (entry.target_type.model, entry.target_id) == ("statement", str(statement.pk))
    assert entry.target_repr == str(statement)
    assert entry.changes == {"status": ["draft", "final"], "reason": "Agreed"}


def test_an_entry_outlives_the_person_and_the_delegation_it_names(romania, lead):
    membership = lead.memberships.get()
    audit.record(lead, Action.MEMBER_ROLE_CHANGED, membership, changes={"role": ["a", "b"]})
    lead.delete()
    Delegation.objects.filter(pk=romania.pk).delete()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name, entry.delegation) == (None, "lead", None)
    assert entry.target_repr == "lead (Lead, Romania)"


def test_an_entry_is_never_changed_or_deleted(romania, lead):
    entry = audit.record(lead, Action.EXPORTED, romania, changes={"format": "pdf"})
    entry.changes = {"format": "docx"}
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    assert AuditEntry.objects.get().changes == {"format": "pdf"}


def test_the_system_can_be_the_actor(romania):
    entry = audit.record(None, Action.EXPORTED, romania)
    assert (entry.actor, entry.actor_name) == (None, "")


def test_invitations_and_membership_changes_are_recorded(client, romania, lead, other_drafter):
    invitation, _ = services.invite(
        delegation=romania, email="ana@mae.ro", role="reviewer", by=lead
    )
    sent = only(Action.INVITATION_SENT)
    assert (sent.actor, sent.delegation) == (lead, romania)
    assert sent.changes == {"email": "ana@mae.ro", "role": "reviewer"}
    assert sent.target_repr == "ana@mae.ro to Romania as reviewer"

    renewed, _ = services.renew_invitation(invitation=invitation, by=lead)
    assert only(Action.INVITATION_REVOKED).target_id == str(invitation.pk)
    assert AuditEntry.objects.filter(action=Action.INVITATION_SENT).count() == 2

    membership = services.accept_invitation(invitation=renewed, user=other_drafter)
    accepted = only(Action.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.target_id) == (other_drafter, str(renewed.pk))
    joined = only(Action.MEMBER_JOINED)
    assert (joined.actor, joined.delegation) == (other_drafter, romania)
    assert joined.changes == {"role": [None, "reviewer"]}

    client.force_login(lead)
    client.post(
        reverse("delegations:member-role", args=["ROU", membership.pk]), {"role": "drafter"}
    )
    changed = only(Action.MEMBER_ROLE_CHANGED)
    assert (changed.actor, changed.target_id) == (lead, str(membership.pk))
    assert changed.changes == {"role": ["reviewer", "drafter"]}

    client.post(reverse("delegations:member-remove", args=["ROU", membership.pk]))
    removed = only(Action.MEMBER_REMOVED)
    assert removed.changes == {"user": "other", "role": ["drafter", None]}
    assert removed.target_repr == "other (Drafter, Romania)"


def test_a_refused_change_records_nothing(client, lead):
    client.force_login(lead)
    client.post(
        reverse("delegations:member-role", args=["ROU", lead.memberships.get().pk]),
        {"role": "drafter"},
    )
    assert not AuditEntry.objects.exists()


def test_a_lead_revoking_an_invitation_is_recorded(client, romania, lead):
    invitation, _ = services.invite(delegation=romania, email="a@mae.ro", role="lead", by=lead)
    client.force_login(lead)
    client.post(reverse("delegations:invitation-revoke", args=["ROU", invitation.pk]))
    revoked = only(Action.INVITATION_REVOKED)
    assert (revoked.actor, revoked.delegation) == (lead, romania)


def test_an_editor_revoking_an_invitation_in_the_admin_is_recorded(client, romania, lead, editor):
    invitation, _ = services.invite(delegation=romania, email="a@mae.ro", role="lead", by=lead)
    client.force_login(editor)
    client.post(
        reverse("admin:delegations_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    assert only(Action.INVITATION_REVOKED).actor == editor


# The admin: every addition, change and deletion, with what changed.


def debate_form(debate, **changes) -> dict:
    """The debate's admin form, its questions' labels kept as they are."""
    form = debate_admin_form(debate, **changes)
    for index, question in enumerate(debate.questions.all()):
        form[f"questions-{index}-label"] = question.label
    return form


def test_an_admin_edit_of_a_debate_records_old_and_new_values(client, editor, debate):
    client.force_login(editor)
    old_title = debate.title
    form = debate_form(debate, title="Maintenance of peace", presidency="France")
    response = client.post(reverse("admin:debates_debate_change", args=[debate.pk]), form)
    assert response.status_code == 302
    entry = only(Action.ADMIN_CHANGED)
    assert entry.actor == editor
    assert entry.changes == {
        "title": [old_title, "Maintenance of peace"],
        "presidency": ["Romania", "France"],
    }
    debate.refresh_from_db()
    assert entry.debate == entry.target_repr == str(debate)
    assert "Maintenance of peace" in entry.debate


def test_an_admin_edit_of_a_question_inline_is_recorded_with_its_debate(client, editor, debate):
    client.force_login(editor)
    form = debate_form(debate)
    form["questions-1-text"] = "A sharper question?"
    client.post(reverse("admin:debates_debate_change", args=[debate.pk]), form)
    entry = only(Action.ADMIN_CHANGED)
    assert entry.changes == {"text": ["Question 2?", "A sharper question?"]}
    assert entry.target_type.model == "question"
    assert entry.debate == str(Debate.objects.get())


def test_an_admin_change_of_a_membership_records_the_roles(client, editor, romania, drafter):
    membership = drafter.memberships.get()
    client.force_login(editor)
    response = client.post(
        reverse("admin:delegations_membership_change", args=[membership.pk]),
        {"user": drafter.pk, "delegation": romania.pk, "role": "lead"},
    )
    assert response.status_code == 302
    entry = only(Action.ADMIN_CHANGED)
    assert entry.changes == {"role": ["drafter", "lead"]}
    assert entry.delegation == romania


def test_an_admin_addition_names_related_rows(client, editor, romania, france):
    person = make_member(france, username="ana")
    client.force_login(editor)
    client.post(
        reverse("admin:delegations_membership_add"),
        {"user": person.pk, "delegation": romania.pk, "role": "reviewer"},
    )
    entry = only(Action.ADMIN_ADDED)
    assert entry.changes == {
        "user": [None, "ana"],
        "delegation": [None, "Romania"],
        "role": [None, "reviewer"],
    }
    assert entry.delegation == romania


def test_admin_deletions_are_recorded_one_by_one(client, editor, romania, drafter, lead):
    client.force_login(editor)
    memberships = list(Membership.objects.all())
    client.post(
        reverse("admin:delegations_membership_delete", args=[memberships[0].pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:delegations_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [memberships[1].pk], "post": "yes"},
    )
    assert not Membership.objects.exists()
    deleted = AuditEntry.objects.filter(action=Action.ADMIN_DELETED)
    assert sorted(deleted.values_list("target_repr", flat=True)) == sorted(
        str(m) for m in memberships
    )
    assert {entry.delegation for entry in deleted} == {romania}


def test_no_password_nor_hash_reaches_the_log(client, editor, romania):
    client.force_login(editor)
    passphrase = "a-long-and-rare-passphrase-7"
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ana",
            "usable_password": "true",
            "password1": passphrase,
            "password2": passphrase,
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
            "memberships-0-delegation": romania.pk,
            "memberships-0-role": "drafter",
        },
    )
    assert response.status_code == 302
    ana = User.objects.get(username="ana")
    new = {"password1": passphrase + "x", "password2": passphrase + "x"}
    client.post(reverse("admin:auth_user_password_change", args=[ana.pk]), new)
    ana.refresh_from_db()
    log = json.dumps(list(AuditEntry.objects.values("changes", "target_repr")))
    assert passphrase not in log
    assert ana.password not in log
    assert "pbkdf2" not in log
    assert "md5" not in log
    added = AuditEntry.objects.filter(action=Action.ADMIN_ADDED)
    assert {entry.target_type.model for entry in added} == {"user", "membership"}
    assert added.get(target_type__model="user").changes == {"username": [None, "ana"]}
    assert added.get(target_type__model="membership").delegation == romania
    assert only(Action.ADMIN_CHANGED).changes == {"password": "set"}


# Reading the log.


@pytest.fixture
def entries(debate, romania, lead, drafter):
    statement = open_statement(debate, romania)
    audit.record(drafter, Action.STATUS_CHANGED, statement, changes={"status": ["draft", "x"]})
    audit.record(lead, Action.EXPORTED, statement, changes={"format": "pdf"})
    return AuditEntry.objects.all()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?action__exact=exported",
        "?delegation__id__exact={romania}",
        "?actor__id__exact={lead}",
        "?debate={debate}",
        "?q=drafter",
        "?at__year=2026",
    ],
)
def test_editors_read_and_filter_the_log(client, editor, entries, romania, lead, debate, query):
    client.force_login(editor)
    url = reverse("admin:delegations_auditentry_changelist") + query.format(
        romania=romania.pk, lead=lead.pk, debate=str(debate).replace(" ", "+")
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_the_action_filter_keeps_only_that_action(client, editor, entries):
    client.force_login(editor)
    url = reverse("admin:delegations_auditentry_changelist") + "?action__exact=exported"
    assert [e.action for e in client.get(url).context["cl"].result_list] == ["exported"]


def test_editors_open_an_entry(client, editor, entries):
    client.force_login(editor)
    url = reverse("admin:delegations_auditentry_change", args=[entries.first().pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_nobody_writes_the_log_in_the_admin_not_even_a_superuser(
    client, editor, superuser, entries, who
):
    person = editor if who == "editor" else superuser
    client.force_login(person)
    entry = entries.first()
    for action in ("add", "change", "delete"):
        assert not policy.can_admin(person, action, AuditEntry)
    assert client.get(reverse("admin:delegations_auditentry_add")).status_code == 403
    change = reverse("admin:delegations_auditentry_change", args=[entry.pk])
    client.post(change, {"action": "exported", "actor_name": "someone else"})
    delete = reverse("admin:delegations_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:delegations_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.count() == 2
    entry.refresh_from_db()
    assert entry.actor_name != "someone else"


def test_delegates_do_not_read_the_log(client, entries, lead):
    assert not policy.can_read_audit(lead)
    client.force_login(lead)
    response = client.get(reverse("admin:delegations_auditentry_changelist"))
    assert response.status_code == 302


def test_editors_read_the_log_as_the_policy_says(editor, superuser, db):
    for person in (editor, superuser):
        assert policy.can_read_audit(person)
        assert policy.can_admin(person, "view", AuditEntry)
    assert policy.can_admin(editor, "revoke", Invitation)
    assert not policy.can_admin(superuser, "add", Invitation)


def test_the_log_reads_changes_as_old_to_new(client, editor, romania, lead):
    entry = audit.record(
        lead,
        audit.Action.STATUS_CHANGED,
        romania,
        changes={"status": ["in_review", "final"], "reason": "Agreed", "overridden": []},
    )
    assert entry.what_changed == "overridden: —; reason: Agreed; status: in_review → final"
    client.force_login(editor)
    page = client.get(reverse("admin:delegations_auditentry_change", args=[entry.pk]))
    assert "overridden: —; reason: Agreed; status: in_review → final" in page.content.decode()
