"""Long exports as background jobs: started, followed, downloaded, reused, limited, private."""

import html
import json
import re
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from debateprep.delegations.models import AuditEntry, Membership
from debateprep.drafting.models import Answer
from debateprep.jobs import building
from debateprep.jobs.models import ExportJob, WorkerBeat
from tests.factories import make_delegation, make_member, write_statement

HTMX = {"HTTP_HX_REQUEST": "true"}
WORDS = "We welcome the cooperation of the Council with regional organizations. " * 4


@pytest.fixture
def worker(db):
    """A worker that said it is alive; the tests run its queue themselves (run_worker)."""
    return WorkerBeat.objects.create(worker_id="test-worker", seen_at=timezone.now())


def run_worker() -> None:
    """What `manage.py export_worker` does with the queue, once, in this process. Between
    tasks a worker closes its connection as a request would; inside the test's transaction
    that would drop the transaction, as the test client's requests do not."""
    with mock.patch(f"{db_worker.__name__}.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def written(debate, romania, france):
    write_statement(debate, romania, WORDS, WORDS, WORDS, opening="Thank you, President.")
    write_statement(debate, france, WORDS, closing="Thank you.")
    return debate


def compendium_url(debate, fmt="csv"):
    return reverse("jobs:compendium", args=[debate.slug, fmt])


def statement_url(debate, delegation, fmt="pdf", query=""):
    url = reverse("jobs:statement", args=[debate.slug, delegation.code, fmt])
    return f"{url}?{query}" if query else url


def test_compendium_export_is_built_by_the_worker_with_progress_then_downloaded(
    client, editor, written, worker
):
    client.force_login(editor)
    response = client.get(compendium_url(written))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ExportJob.Status.QUEUED

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="status"' in page
    assert "<progress" in page
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0.4)
    partial = client.get(job.get_absolute_url(), **HTMX).content.decode()
    assert '<progress id="export-progress-bar" max="100" value="40">' in partial
    assert "Being built: 40%" in partial
    assert 'data-hx-trigger="every 1s"' in partial
    assert "<html" not in partial
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED, progress=0)

    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.progress == 1
    partial = client.get(job.get_absolute_url(), **HTMX).content.decode()
    download = reverse("jobs:download", args=[job.pk])
    assert f'href="{download}"' in partial
    assert "data-hx-trigger" not in partial  # the polling stops

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{written.slug}-compendium.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert "Romania" in body
    assert "France" in body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert entry.changes == {"compendium": "csv", "job": str(job.pk)}


def test_the_same_export_of_unchanged_text_is_served_from_the_built_file(
    client, editor, written, worker
):
    client.force_login(editor)
    client.get(compendium_url(written, "docx"))
    run_worker()
    built = ExportJob.objects.get()

    response = client.get(compendium_url(written, "docx"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bytes(
        ExportJob.objects.values_list("content", flat=True).get()
    )
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [built.pk]
    # Another format is another file.
    client.get(compendium_url(written, "md"))
    assert ExportJob.objects.count() == 2


def test_a_changed_answer_makes_a_new_file(client, editor, written, romania, worker):
    client.force_login(editor)
    client.get(compendium_url(written))
    run_worker()
    Answer.objects.filter(statement__delegation=romania, part=Answer.Part.OPENING).update(
        text="Mr. President, thank you.", version=F("version") + 1, updated_at=timezone.now()
    )
    response = client.get(compendium_url(written))
    new = ExportJob.objects.exclude(status=ExportJob.Status.DONE).get()
    assert response["Location"] == new.get_absolute_url()
    run_worker()
    new.refresh_from_db()
    assert "Mr. President, thank you." in bytes(
        ExportJob.objects.values_list("content", flat=True).get(pk=new.pk)
    ).decode("utf-8")


def test_a_question_reworded_by_an_editor_makes_a_new_file(client, editor, written, worker):
    client.force_login(editor)
    client.get(compendium_url(written))
    run_worker()
    written.questions.filter(order=1).update(text="Reworded?")
    client.get(compendium_url(written))
    assert ExportJob.objects.count() == 2
    run_worker()
    written.questions.filter(order=1).update(marker="(a)")
    client.get(compendium_url(written))
    assert ExportJob.objects.count() == 3


def test_a_delegation_renamed_makes_a_new_file(
    client, editor, drafter, written, romania, worker, settings
):
    settings.EXPORT_BACKGROUND_WORDS = 100
    client.force_login(editor)
    client.get(compendium_url(written))
    client.force_login(drafter)
    client.get(statement_url(written, romania, "md", "reading_copy=1"))
    run_worker()
    romania.name = "Republic of Moldova"
    romania.save()

    client.get(statement_url(written, romania, "md", "reading_copy=1"))
    client.force_login(editor)
    client.get(compendium_url(written))
    run_worker()
    assert ExportJob.objects.count() == 4
    newest = ExportJob.objects.order_by("-created_at")[:2]
    for job in newest:
        content = bytes(ExportJob.objects.values_list("content", flat=True).get(pk=job.pk))
        assert "Republic of Moldova" in content.decode("utf-8")


def test_a_delegation_recoded_or_speaking_another_language_makes_a_new_compendium(
    client, editor, written, romania, france, worker
):
    written.invited_only = True
    written.save()
    ghana = make_delegation("Ghana", "GHA")
    written.invited_delegations.add(romania, france, ghana)
    client.force_login(editor)

    def compendium() -> dict:
        client.get(compendium_url(written, "json"))
        run_worker()
        newest = ExportJob.objects.order_by("-created_at").first()
        return json.loads(bytes(newest.content))

    compendium()
    # Ghana has not started: it is listed in its delegation's language.
    ghana.language = "fr"
    ghana.save()
    languages = {
        entry["delegation_code"]: entry["language"] for entry in compendium()["statements"]
    }
    assert languages["GHA"] == "fr"
    romania.code = "ROM"
    romania.save()
    codes = {entry["delegation_code"] for entry in compendium()["statements"]}
    assert codes == {"ROM", "FRA", "GHA"}
    assert ExportJob.objects.count() == 3


def test_a_third_long_export_under_way_is_refused_with_a_message(client, editor, written, worker):
    client.force_login(editor)
    for fmt in ("csv", "json"):
        assert client.get(compendium_url(written, fmt)).status_code == 302
    response = client.get(compendium_url(written, "md"))
    assert response.status_code == 429
    text = response.content.decode()
    assert "Your exports are still being built" in text
    assert "Wait for one of these to finish" in text
    for job in ExportJob.objects.all():
        assert job.get_absolute_url() in text
    # Asking again for one already under way is no new job: it is followed.
    assert client.get(compendium_url(written, "csv")).status_code == 302

    run_worker()
    assert client.get(compendium_url(written, "md")).status_code == 302


def test_the_previews_download_counts_against_the_exports_under_way(
    client, drafter, debate, romania, worker, settings
):
    settings.EXPORT_BACKGROUND_WORDS = 100
    write_statement(debate, romania, WORDS, WORDS, WORDS)
    client.force_login(drafter)
    for query in ("reading_copy=1", "reading_copy=1&headings=0"):
        assert client.get(statement_url(debate, romania, "md", query)).status_code == 302
    preview = reverse("drafting:statement-preview", args=[debate.slug, romania.code])
    page = client.get(f"{preview}?marking=verbatim").content.decode()
    link = html.unescape(re.search(r'<a href="([^"]+)">Download PDF</a>', page)[1])

    response = client.get(link)
    assert response.status_code == 429
    assert "Your exports are still being built" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite serialises whole transactions"
)
@pytest.mark.django_db(transaction=True)
def test_two_exports_asked_for_at_once_do_not_pass_the_limit_together(
    editor, debate, romania, monkeypatch
):
    write_statement(debate, romania, WORDS)
    WorkerBeat.objects.create(worker_id="test-worker", seen_at=timezone.now())
    building.request_export(editor, debate, "csv")
    # The first request has counted one export under way and is about to add its own when
    # the second comes.
    create, counted, second_done = ExportJob.objects.create, threading.Event(), threading.Event()

    def create_after_the_second(**fields):
        if threading.current_thread() is not threading.main_thread():
            counted.set()
            second_done.wait(1)
        return create(**fields)

    monkeypatch.setattr(ExportJob.objects, "create", create_after_the_second)

    def first():
        try:
            building.request_export(editor, debate, "json")
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    counted.wait(5)
    with pytest.raises(building.TooManyJobs):
        building.request_export(editor, debate, "md")
    second_done.set()
    thread.join(5)
    assert ExportJob.objects.count() == 2


def test_a_job_lost_with_its_worker_stops_counting_after_its_timeout(
    client, editor, written, worker, settings
):
    client.force_login(editor)
    client.get(compendium_url(written, "csv"))
    client.get(compendium_url(written, "json"))
    long_ago = timezone.now() - timedelta(minutes=settings.EXPORT_JOB_TIMEOUT_MINUTES + 1)
    ExportJob.objects.update(created_at=long_ago)
    assert client.get(compendium_url(written, "md")).status_code == 302


def test_without_a_worker_the_export_is_built_in_the_request_and_kept(client, editor, written):
    client.force_login(editor)
    response = client.get(compendium_url(written, "txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    # A worker silent for longer than EXPORT_WORKER_SILENCE_SECONDS counts as gone.
    WorkerBeat.objects.create(worker_id="gone", seen_at=timezone.now() - timedelta(minutes=5))
    assert client.get(compendium_url(written, "md")).status_code == 200


def test_a_long_statement_pdf_is_a_job_and_a_short_one_or_another_format_is_not(
    client, drafter, debate, romania, worker, settings
):
    settings.EXPORT_BACKGROUND_WORDS = 100
    write_statement(debate, romania, "A short answer.")
    client.force_login(drafter)
    assert client.get(statement_url(debate, romania)).status_code == 200
    write_statement(debate, romania, WORDS, WORDS, WORDS)
    assert client.get(statement_url(debate, romania, "md")).status_code == 200
    assert not ExportJob.objects.exists()

    response = client.get(statement_url(debate, romania, "md", "reading_copy=1&marking=verbatim"))
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.options == {"marking": "verbatim", "headings": True, "reading_copy": True}
    assert client.get(statement_url(debate, romania)).status_code == 302
    run_worker()
    pdf = ExportJob.objects.get(format="pdf")
    response = client.get(reverse("jobs:download", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{debate.slug}-romania-statement.pdf"' in response["Content-Disposition"]


def test_a_statement_job_is_seen_by_its_delegation_and_editors_only(
    client, drafter, other_drafter, editor, debate, romania, worker, settings
):
    settings.EXPORT_BACKGROUND_WORDS = 10
    write_statement(debate, romania, WORDS)
    client.force_login(drafter)
    client.get(statement_url(debate, romania))
    run_worker()
    job = ExportJob.objects.get()
    urls = [job.get_absolute_url(), reverse("jobs:download", args=[job.pk])]

    reviewer = make_member(romania, Membership.Role.REVIEWER, username="reviewer")
    for reader in (drafter, reviewer, editor):
        client.force_login(reader)
        assert [client.get(url).status_code for url in urls] == [200, 200]
    client.force_login(other_drafter)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.get(statement_url(debate, romania)).status_code == 404
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
        assert client.get(url, **HTMX).status_code == 401


def test_a_compendium_job_is_seen_by_editors_only(
    client, drafter, editor, written, romania, worker
):
    client.force_login(editor)
    client.get(compendium_url(written))
    job = ExportJob.objects.get()
    client.force_login(drafter)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(compendium_url(written)).status_code == 404


def test_an_unknown_job_or_format_is_not_found(client, editor, written):
    client.force_login(editor)
    assert client.get(compendium_url(written, "exe")).status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("jobs:job", args=[unknown])).status_code == 404


def test_the_progress_partial_runs_a_fixed_number_of_queries(
    client, editor, drafter, written, romania, worker, settings, django_assert_num_queries
):
    client.force_login(editor)
    client.get(compendium_url(written))
    job = ExportJob.objects.get()
    # the session with its user, the job with its debate, the editors group
    with django_assert_num_queries(3):
        client.get(job.get_absolute_url(), **HTMX)

    settings.EXPORT_BACKGROUND_WORDS = 10
    client.force_login(drafter)
    client.get(statement_url(written, romania))
    job = ExportJob.objects.get(kind=ExportJob.Kind.STATEMENT)
    # the session with its user, the job, the role in its delegation, its debate in reach
    with django_assert_num_queries(4):
        client.get(job.get_absolute_url(), **HTMX)


def test_a_poll_of_a_job_that_has_not_moved_changes_nothing_on_the_page(
    client, editor, written, worker
):
    client.force_login(editor)
    client.get(compendium_url(written))
    job = ExportJob.objects.get()
    partial = client.get(job.get_absolute_url(), **HTMX).content.decode()
    assert """data-hx-vals='{"shown": "queued 0"}'""" in partial
    response = client.get(job.get_absolute_url(), {"shown": "queued 0"}, **HTMX)
    assert response.status_code == 204
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0.4)
    response = client.get(job.get_absolute_url(), {"shown": "queued 0"}, **HTMX)
    assert "Being built: 40%" in response.content.decode()


def test_a_failed_export_says_so(client, editor, written, worker, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(building.exports, "compendium_download", broken)
    client.force_login(editor)
    client.get(compendium_url(written, "pdf"))
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert "the printer is on fire" in job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The export failed" in page
    assert "Try again" in page
    # A failed build is not reused: asking again makes a new job.
    client.get(compendium_url(written, "pdf"))
    assert ExportJob.objects.count() == 2


def test_a_build_in_the_request_cut_short_by_the_server_fails_and_is_not_followed(
    client, editor, written, monkeypatch
):
    # gunicorn ends a request past its timeout with SystemExit, which is no Exception.
    def cut_short(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(building.exports, "compendium_download", cut_short)
    client.force_login(editor)
    with pytest.raises(SystemExit):
        client.get(compendium_url(written, "pdf"))
    assert ExportJob.objects.get().status == ExportJob.Status.FAILED
    monkeypatch.undo()
    assert client.get(compendium_url(written, "pdf")).status_code == 200


def test_files_past_their_retention_period_are_deleted(client, editor, written, settings):
    client.force_login(editor)
    client.get(compendium_url(written, "csv"))
    client.get(compendium_url(written, "json"))
    old = timezone.now() - timedelta(hours=settings.EXPORT_RETENTION_HOURS + 1)
    ExportJob.objects.filter(format="csv").update(finished_at=old)
    assert building.prune() == 1
    assert list(ExportJob.objects.values_list("format", flat=True)) == ["json"]
    # An expired file is not served again: it is built anew.
    client.get(compendium_url(written, "csv"))
    assert ExportJob.objects.count() == 2


def test_the_admin_action_builds_the_compendium_or_hands_it_to_the_worker(
    client, editor, written, worker
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:debates_debate_changelist"),
        {"action": "export_compendium_csv", "_selected_action": [written.pk]},
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()


def test_the_debates_page_links_the_compendium_through_its_job(client, editor, written):
    client.force_login(editor)
    page = client.get(reverse("drafting:debate-list")).content.decode()
    assert f'href="{compendium_url(written, "pdf")}"' in page
