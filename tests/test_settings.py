import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from debateprep.settings import env_bool, env_int

# Variables that settings.py or Django reads; each subprocess starts without them so that what
# the developer's shell, `make test-postgres` or another test (the browser tests set
# DJANGO_ALLOW_ASYNC_UNSAFE) exports cannot change the outcome.
READ_BY_SETTINGS = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "CONN_MAX_AGE",
    "DATABASE_POOL",
    "DATABASE_POOL_SIZE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "DJANGO_SETTINGS_MODULE",
}

# 50+ characters, many of them different, no "django-insecure-" prefix: what check --deploy wants.
PRODUCTION_KEY = "q7#Vt!2mZx9@Lr4$Kp8^Wn3&Hs6*Jd1(Fb5)Gc0-Ny=Ue+Ta;Oi:Pl,Mk.Qj/Rh"

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "debateprep.example.org",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python in the project root as a deployment would: without pytest, so not TESTING."""
    clean = {name: value for name, value in os.environ.items() if name not in READ_BY_SETTINGS}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "debateprep.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_with(**env: str) -> dict:
    """The settings module as a deployment with these variables would load it."""
    result = run(
        [
            "-c",
            "import json; from django.conf import settings as s; print(json.dumps({"
            "'HSTS': [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
            " s.SECURE_HSTS_PRELOAD], 'SSL_REDIRECT': s.SECURE_SSL_REDIRECT,"
            " 'PROXY_SSL_HEADER': s.SECURE_PROXY_SSL_HEADER,"
            " 'ENGINE': s.DATABASES['default']['ENGINE'],"
            " 'OPTIONS': s.DATABASES['default'].get('OPTIONS', {}),"
            " 'THROTTLE': [s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds() / 60]}))",
        ],
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Booleans and numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        ("YES", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("OFF", False),
    ],
)
def test_boolean_variables_take_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env_bool("SOME_FLAG", not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_an_empty_or_unset_boolean_keeps_its_default(monkeypatch, default):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default) is default
    monkeypatch.setenv("SOME_FLAG", "")
    assert env_bool("SOME_FLAG", default) is default


@pytest.mark.parametrize("value", ["ture", "2", "y", "enabled"])
def test_a_mistyped_boolean_is_refused_naming_the_variable_and_the_accepted_values(
    monkeypatch, value
):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("SOME_FLAG", False)
    message = str(refused.value)
    assert "SOME_FLAG" in message
    assert repr(value) in message
    for accepted in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        assert accepted in message


def test_a_number_that_is_not_an_integer_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_SECONDS", "30s")
    with pytest.raises(ImproperlyConfigured, match=r"SOME_SECONDS.*'30s'.*whole number"):
        env_int("SOME_SECONDS", 5)
    monkeypatch.setenv("SOME_SECONDS", " 45 ")
    assert env_int("SOME_SECONDS", 5) == 45
    monkeypatch.setenv("SOME_SECONDS", "")
    assert env_int("SOME_SECONDS", 5) == 5


def test_a_mistyped_debug_stops_the_app_naming_debug():
    result = run(["manage.py", "check"], DEBUG="ture", SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    assert "'ture'" in result.stderr


# The secret key ---------------------------------------------------------------------------------


def test_production_without_a_secret_key_refuses_to_start():
    result = run(["manage.py", "check"], DEBUG="0")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run(["manage.py", "check"], DEBUG="1")
    assert result.returncode == 0, result.stderr


# Deployment -------------------------------------------------------------------------------------


def test_production_variables_pass_the_deployment_check_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output


def test_https_hardening_is_off_until_the_deployment_turns_it_on():
    default = settings_with(DEBUG="1")
    assert default["HSTS"] == [0, False, False]
    assert default["SSL_REDIRECT"] is False
    assert default["PROXY_SSL_HEADER"] is None
    production = settings_with(**PRODUCTION)
    assert production["HSTS"] == [31536000, True, True]
    assert production["SSL_REDIRECT"] is True
    assert production["PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


# The database -----------------------------------------------------------------------------------


def test_sqlite_waits_for_a_lock_and_takes_the_write_lock_when_a_transaction_starts():
    loaded = settings_with(DEBUG="1")
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["OPTIONS"] == {"timeout": 5, "transaction_mode": "IMMEDIATE"}
    assert settings_with(DEBUG="1", DATABASE_CONNECT_TIMEOUT="12")["OPTIONS"]["timeout"] == 12


def test_postgresql_connections_and_statements_time_out():
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    loaded = settings_with(DEBUG="1", DATABASE_URL=url)
    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["OPTIONS"]["connect_timeout"] == 5
    assert loaded["OPTIONS"]["options"] == "-c statement_timeout=30000"
    changed = settings_with(
        DEBUG="1", DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="2", DATABASE_STATEMENT_TIMEOUT="0"
    )
    assert changed["OPTIONS"]["connect_timeout"] == 2
    assert changed["OPTIONS"]["options"] == "-c statement_timeout=0"


def test_postgresql_connections_are_pooled_unless_kept_with_conn_max_age():
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    pool = settings_with(DEBUG="1", DATABASE_URL=url)["OPTIONS"]["pool"]
    assert pool == {"min_size": 1, "max_size": 8, "timeout": 5}
    sized = settings_with(DEBUG="1", DATABASE_URL=url, DATABASE_POOL_SIZE="20")
    assert sized["OPTIONS"]["pool"]["max_size"] == 20
    assert "pool" not in settings_with(DEBUG="1", DATABASE_URL=url, DATABASE_POOL="0")["OPTIONS"]
    assert "pool" not in settings_with(DEBUG="1", DATABASE_URL=url, CONN_MAX_AGE="60")["OPTIONS"]
    both = run(
        ["-c", "import django; django.setup()"],
        DEBUG="1",
        DATABASE_URL=url,
        CONN_MAX_AGE="60",
        DATABASE_POOL="1",
    )
    assert "leave CONN_MAX_AGE unset" in both.stderr


def test_the_test_database_takes_the_write_lock_when_a_transaction_starts():
    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        assert options["transaction_mode"] == "IMMEDIATE"
    else:
        assert options["options"] == "-c statement_timeout=30000"


def test_the_login_throttle_is_five_failures_and_fifteen_minutes_unless_set():
    assert settings_with(DEBUG="1")["THROTTLE"] == [5, 15]
    changed = settings_with(DEBUG="1", AXES_FAILURE_LIMIT="10", AXES_COOLOFF_MINUTES="60")
    assert changed["THROTTLE"] == [10, 60]


# Logging ----------------------------------------------------------------------------------------


def test_server_errors_and_warnings_are_logged_to_stderr_in_production():
    result = run(
        [
            "-c",
            "import django, logging; django.setup();"
            " logging.getLogger('django.request').error('Internal Server Error: /debates/');"
            " logging.getLogger('django.request').warning('Not Found: /nowhere/');"
            " logging.getLogger('debateprep.drafting').warning('Export took 40 s');"
            " logging.getLogger('debateprep.drafting').info('Saved an answer')",
        ],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "ERROR django.request: Internal Server Error: /debates/" in result.stderr
    assert "WARNING django.request: Not Found: /nowhere/" in result.stderr
    assert "WARNING debateprep.drafting: Export took 40 s" in result.stderr
    assert "Saved an answer" not in result.stderr
    assert result.stdout == ""
