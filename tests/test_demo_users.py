import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse


def create_demo_users(*args) -> dict[str, str]:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return dict(re.findall(r"^(\w+): password (\S+) ", out.getvalue(), re.MULTILINE))


def test_demo_editor_and_delegate_log_in_with_the_printed_passwords(client, db):
    call_command("load_delegations", stdout=StringIO())
    passwords = create_demo_users()
    assert set(passwords) == {"editor", "delegate"}

    assert client.login(username="editor", password=passwords["editor"])
    assert client.get(reverse("admin:debates_debate_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).context["user"].is_superuser is False

    assert client.login(username="delegate", password=passwords["delegate"])
    assert "Romania" in client.get(reverse("drafting:debate-list")).content.decode()


def test_running_again_keeps_passwords_unless_reset(db):
    call_command("load_delegations", stdout=StringIO())
    first = create_demo_users()
    assert create_demo_users() == {}
    second = create_demo_users("--reset")
    assert set(second) == {"editor", "delegate"}
    assert second != first
