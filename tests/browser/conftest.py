import os
import time
from pathlib import Path

import pytest
from django.db import connection

from debateprep.delegations.models import Membership
from tests.factories import make_debate, make_delegation, make_member

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# there to set up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def unavailable(reason: str) -> None:
    """Skip a test whose tool is missing here; in CI, where `make test` installs it, fail."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()
    wait_for_the_live_server()


def wait_for_the_live_server(seconds: float = 5) -> None:
    """Until the requests the page left running (an autosave, the team's pulse) are done: the
    database is emptied after each test, and a TRUNCATE that meets a request holding a row
    deadlocks with it on PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)


@pytest.fixture
def console_errors(context):
    """Errors the page logs, such as Content Security Policy violations."""
    errors = []
    context.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


@pytest.fixture
def statement_url(live_server):
    debate = make_debate(questions=3)
    romania = make_delegation("Romania", "ROU")
    make_member(romania, Membership.Role.DRAFTER, username="ana")
    return f"{live_server.url}/debates/{debate.slug}/ROU/"


def log_in(page, live_server, next_url, username="ana"):
    page.goto(f"{live_server.url}/login/?next={next_url.removeprefix(live_server.url)}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(next_url)


def answer_box(page, number):
    return (
        page.locator("article.answer")
        .filter(has_text=f"Question {number}?")
        .locator("textarea[data-answer-text]")
    )
