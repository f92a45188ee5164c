from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import make_editor, make_user

LOCKED_OUT = "Too many failed log-in attempts"


@pytest.fixture
def alice(db):
    return make_user("alice")


def log_in(client, username: str, password: str, url: str = "", address: str = "127.0.0.1"):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def assert_locked_out(response, client):
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT in page
    assert "try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def assert_logged_in(response, client, user):
    assert response.status_code == 302, response.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, alice):
    for _ in range(4):
        refused = log_in(client, "alice", "guess")
        assert refused.status_code == 200
        assert LOCKED_OUT not in refused.content.decode()
    assert_locked_out(log_in(client, "alice", "guess"), client)

    assert_locked_out(log_in(client, "alice", "pw-alice"), client)
    # From another address too: the lock is on the account, not only on where the guesses came from.
    assert_locked_out(log_in(client, "alice", "pw-alice", address="198.51.100.20"), client)


def test_five_failures_from_one_address_lock_it_out_whichever_names_it_tries(client, alice):
    attacker = "203.0.113.9"
    for name in ["bob", "carol", "dave", "erin", "frank"]:
        log_in(client, name, "guess", address=attacker)

    assert_locked_out(log_in(client, "alice", "pw-alice", address=attacker), client)
    # Alice herself, elsewhere, is not locked out by someone else's guessing.
    assert_logged_in(log_in(client, "alice", "pw-alice", address="198.51.100.20"), client, alice)


def test_the_admin_login_is_throttled_too(client, db):
    editor = make_user("editor", is_staff=True)
    admin_login = reverse("admin:login")
    for _ in range(5):
        log_in(client, "editor", "guess", url=admin_login)

    assert_locked_out(log_in(client, "editor", "pw-editor", url=admin_login), client)
    assert_locked_out(log_in(client, "editor", "pw-editor"), client)
    editor.refresh_from_db()
    assert editor.last_login is None


def test_the_right_password_works_again_once_the_cool_off_has_passed(client, alice):
    for _ in range(5):
        log_in(client, "alice", "guess")

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert_locked_out(log_in(client, "alice", "pw-alice"), client)

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert_logged_in(log_in(client, "alice", "pw-alice"), client, alice)


def test_another_persons_log_in_from_the_same_address_does_not_wipe_the_failures(client, alice):
    mallory = make_user("mallory")
    for _ in range(4):
        log_in(client, "alice", "guess")
    assert_logged_in(log_in(client, "mallory", "pw-mallory"), client, mallory)
    client.post(reverse("logout"))
    log_in(client, "alice", "guess", address="10.0.0.9")
    assert_locked_out(log_in(client, "alice", "pw-alice", address="10.0.0.9"), client)


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, alice, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": f"someone{_}", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7",
        )
    # The proxy's own address is not locked out: another visitor behind it logs in.
    other_visitor = client.post(
        reverse("login"),
        {"username": "alice", "password": "pw-alice"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert_logged_in(other_visitor, client, alice)
    client.post(reverse("logout"))
    attacker = client.post(
        reverse("login"),
        {"username": "alice", "password": "pw-alice"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert_locked_out(attacker, client)


def test_the_lockout_page_is_a_page_of_the_site(client, alice):
    for _ in range(5):
        log_in(client, "alice", "guess")

    response = log_in(client, "alice", "pw-alice")
    names = [template.name for template in response.templates]
    assert names[names.index("registration/locked_out.html") + 1] == "base.html"
    assert f'href="{reverse("login")}"' in response.content.decode()


def test_an_editor_lifts_the_pause_in_the_admin(client, alice):
    for _ in range(5):
        log_in(client, "alice", "guess")
    editor = make_editor()
    client.force_login(editor)
    attempts = AccessAttempt.objects.filter(username="alice")
    url = reverse("admin:axes_accessattempt_delete", args=[attempts.get().pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()
    assert_logged_in(log_in(client, "alice", "pw-alice"), client, alice)
