import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from debateprep.delegations.models import Membership
from debateprep.jobs.models import ExportJob, WorkerBeat
from tests.browser.conftest import log_in
from tests.factories import make_debate, make_delegation, make_member, pdf_text, write_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "We welcome the cooperation of the Council with regional organizations."


@pytest.fixture
def written_url(live_server, settings):
    """Ana's statement page, her delegation's statement written: 33 words, long enough here
    for its PDF to be built by a worker when one is alive."""
    settings.EXPORT_BACKGROUND_WORDS = 20
    debate = make_debate(questions=3)
    romania = make_delegation("Romania", "ROU")
    make_member(romania, Membership.Role.DRAFTER, username="ana")
    write_statement(debate, romania, ANSWER, ANSWER, ANSWER, opening="Thank you, President.")
    return f"{live_server.url}/debates/{debate.slug}/ROU/"


@pytest.fixture
def worker(db):
    """A worker that said it is alive; the tests run its queue themselves (run_worker)."""
    return WorkerBeat.objects.create(worker_id="test-worker", seen_at=timezone.now())


def run_worker() -> None:
    """What `manage.py export_worker` does with the queue, once, in the test's thread. With no
    test transaction around it (transaction=True) the worker may close its connection between
    tasks, as it does in production."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def export_pdf_in_the_background(page, live_server, url) -> ExportJob:
    log_in(page, live_server, url)
    page.get_by_role("button", name="PDF").click()
    page.wait_for_url(re.compile(r"/exports/[0-9a-f-]+/$"))
    job = ExportJob.objects.get()
    assert page.url == f"{live_server.url}{job.get_absolute_url()}"
    return job


def next_poll(page) -> tuple[int, int]:
    """Wait for the progress page's next poll: its status, and how many changes it made in the
    live region, each of which a screen reader may read out."""
    return tuple(
        page.evaluate(
            """() => new Promise(resolve => {
                const region = document.querySelector("[role=status]");
                let changes = 0;
                const observer = new MutationObserver(records => { changes += records.length; });
                observer.observe(region, {childList: true, subtree: true, characterData: true});
                document.body.addEventListener("htmx:afterRequest", event => {
                    changes += observer.takeRecords().length;
                    observer.disconnect();
                    resolve([event.detail.xhr.status, changes]);
                }, {once: true});
            })"""
        )
    )


def downloaded_pdf_text(download) -> str:
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    return " ".join(pdf_text(content).split())


def test_a_long_export_shows_its_progress_then_its_download_link_by_itself(
    live_server, context, written_url, worker, console_errors
):
    page = context.new_page()
    job = export_pdf_in_the_background(page, live_server, written_url)
    assert job.status == ExportJob.Status.QUEUED
    status = page.get_by_role("status")
    bar = status.get_by_role("progressbar", name="Waiting for a worker: 0%")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "0")
    expect(status).to_contain_text("This page follows the export as it is built.")
    # While the job waits, the page asks again and again; nothing is read out again.
    assert next_poll(page) == (204, 0)
    # A mark the page keeps only if it is never reloaded: what follows comes by itself.
    page.evaluate("window.notReloaded = true")

    run_worker()
    filename = f"{job.debate.slug}-romania-statement.pdf"
    link = status.get_by_role("link", name=f"Download {filename}")
    expect(link).to_be_visible()
    expect(status).to_contain_text("The file is ready")
    expect(bar).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == filename
    text = downloaded_pdf_text(download)
    assert "Thank you, President." in text
    assert ANSWER in text
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
    assert console_errors == []


def test_a_keyboard_user_keeps_their_place_while_the_progress_moves(
    live_server, context, written_url, worker, console_errors
):
    page = context.new_page()
    job = export_pdf_in_the_background(page, live_server, written_url)
    check_again = page.get_by_role("link", name="Check again")
    check_again.focus()

    # A worker part-way through: the bar moves, and the focus stays on the link.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0.4)
    bar = page.get_by_role("progressbar", name="Being built: 40%")
    expect(bar).to_have_attribute("value", "40")
    expect(check_again).to_be_focused()
    assert console_errors == []


def test_without_a_worker_the_same_button_downloads_the_file_at_once(
    live_server, context, written_url, console_errors
):
    page = context.new_page()
    log_in(page, live_server, written_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF").click()
    download = info.value
    assert download.suggested_filename.endswith("-romania-statement.pdf")
    assert ANSWER in downloaded_pdf_text(download)
    expect(page).to_have_url(written_url)
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
    assert console_errors == []
