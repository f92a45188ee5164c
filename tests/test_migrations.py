from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as OldSessionStore
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def test_no_model_change_is_missing_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


LANGUAGES_BEFORE = [
    ("delegations", "0003_invitations_and_audit_log"),
    ("debates", "0002_letter_sender_and_symbol"),
    ("drafting", "0003_answer_words"),
]


@pytest.mark.django_db(transaction=True)
def test_statements_get_a_language_and_every_text_is_counted_again_in_its_unit():
    """Statements drafted before they had a language: one in Chinese was counted a "word" per
    sentence; the migration takes it for Chinese, by its script, and counts it in characters."""
    executor = MigrationExecutor(connection)
    executor.migrate(LANGUAGES_BEFORE)
    old = executor.loader.project_state(LANGUAGES_BEFORE).apps
    debate = old.get_model("debates", "Debate").objects.create(slug="d", title="Debate")
    Delegation = old.get_model("delegations", "Delegation")
    Statement = old.get_model("drafting", "Statement")
    Answer = old.get_model("drafting", "Answer")
    Revision = old.get_model("drafting", "Revision")
    texts = {
        "CHN": ["联合国。", "主席先生，我国支持联合国。安理会应当行动。"],
        "EGY": ["السيد الرئيس، نشكركم."],
        "ROU": ["Mr. President, we agree — fully."],
    }
    for code, versions in texts.items():
        delegation = Delegation.objects.create(code=code, name=code)
        statement = Statement.objects.create(debate=debate, delegation=delegation)
        answer = Answer.objects.create(
            statement=statement, part="opening", text=versions[-1], version=len(versions), words=2
        )
        for version, text in enumerate(versions, start=1):
            Revision.objects.create(
                answer=answer, version=version, created_at=timezone.now(), text=text, words=2
            )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from debateprep.drafting.models import Statement as NowStatement

    found = {
        statement.delegation.code: (
            statement.language,
            [a.words for a in statement.answers.all()],
            [r.words for r in revisions_of(statement)],
            [a.text for a in statement.answers.all()],
        )
        for statement in NowStatement.objects.select_related("delegation")
    }
    assert found == {
        "CHN": ("zh-hans", [18], [3, 18], [texts["CHN"][-1]]),
        "EGY": ("ar", [3], [3], texts["EGY"]),
        "ROU": ("en", [5], [5], texts["ROU"]),
    }


def revisions_of(statement):
    from debateprep.drafting.models import Revision

    return Revision.objects.filter(answer__statement=statement).order_by("version")


@pytest.mark.django_db(transaction=True)
def test_people_logged_in_before_sessions_named_their_user_stay_logged_in():
    """Sessions moved to a table whose rows name their user: the open ones move with them."""
    before = [("delegations", "0005_profile")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="delegate", is_active=True)
    store = OldSessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
            HASH_SESSION_KEY: "",
        }
    )
    store.create()
    expired = OldSessionStore()
    expired.update({SESSION_KEY: str(user.pk)})
    expired.set_expiry(-1)
    expired.create()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from debateprep.delegations.models import Session

    assert list(Session.objects.values_list("session_key", "user_id")) == [
        (store.session_key, user.pk)
    ]
