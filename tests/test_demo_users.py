import re
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse


def create_demo_users(*args) -> dict[str, str]:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return dict(re.findall(r"^(\w+): password (\S+) ", out.getvalue(), re.MULTILINE))


def log_in(client, username: str, password: str) -> None:
    """As a person does, through the log-in form (which is where log-ins are throttled)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()
    assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


def test_demo_editor_and_delegate_log_in_with_the_printed_passwords(client, db):
    call_command("load_delegations", stdout=StringIO())
    passwords = create_demo_users()
    assert set(passwords) == {"editor", "delegate"}

    log_in(client, "editor", passwords["editor"])
    assert client.get(reverse("admin:debates_debate_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).context["user"].is_superuser is False

    log_in(client, "delegate", passwords["delegate"])
    assert "Romania" in client.get(reverse("drafting:debate-list")).content.decode()


def test_running_again_keeps_passwords_unless_reset(db):
    call_command("load_delegations", stdout=StringIO())
    first = create_demo_users()
    assert create_demo_users() == {}
    second = create_demo_users("--reset")
    assert set(second) == {"editor", "delegate"}
    assert second != first
