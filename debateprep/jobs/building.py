"""Asking for an export: the same file again if nothing it is built from changed, a job for a
worker if it is long and a worker is alive, or the file built here and now."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from debateprep.debates.models import Debate
from debateprep.drafting import exports
from debateprep.drafting.models import Answer, Statement
from debateprep.jobs.models import ExportJob, WorkerBeat

logger = logging.getLogger(__name__)


class TooManyJobs(Exception):
    """The user already has EXPORT_JOBS_PER_USER exports queued or running."""

    def __init__(self, pending: list[ExportJob]):
        super().__init__(f"{len(pending)} exports already under way")
        self.pending = pending


def fingerprint(
    debate: Debate, fmt: str, *, statement: Statement | None = None, options: dict | None = None
) -> str:
    """What goes into the file, in a few small queries: the debate (its row, whose `updated_at`
    an admin save touches, and its questions' wording) and every answer's version and time
    (each save adds one to its version), every statement's status and language, and the
    name, code and language of each delegation shown."""
    answers = Answer.objects.filter(statement__debate=debate)
    statements = Statement.objects.filter(debate=debate)
    if statement is not None:
        answers = answers.filter(statement__delegation=statement.delegation_id)
        statements = statements.filter(delegation=statement.delegation_id)
    state = {
        "debate": [debate.pk, debate.updated_at.isoformat() if debate.updated_at else None],
        "questions": list(debate.questions.values_list("order", "marker", "label", "text")),
        "answers": _aggregate(answers, Count("pk"), Sum("version"), Max("updated_at")),
        "statements": _aggregate(statements, Count("pk"), Max("status_changed_at"), Max("status")),
        # A statement's language changes how it is counted and laid out, not its answers; its
        # delegation's name and code are in the byline, the coverage, the data and file names.
        "shown": list(
            statements.order_by("pk").values_list(
                "pk", "language", "delegation__name", "delegation__code"
            )
        ),
        "delegation": (
            [statement.delegation_id, statement.delegation.name, statement.delegation.code]
            if statement is not None
            else None
        ),
        "format": fmt,
        "options": options or {},
    }
    if statement is None and debate.invited_only:
        # Those not started yet are listed too, in their delegation's language.
        state["invited"] = list(
            debate.invited_delegations.order_by("pk").values_list("pk", "name", "code", "language")
        )
    encoded = json.dumps(state, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _aggregate(queryset, *aggregates) -> list:
    values = queryset.aggregate(**{f"a{n}": a for n, a in enumerate(aggregates)})
    return [values[f"a{n}"] for n in range(len(aggregates))]


def is_long(
    kind: str, fmt: str, *, statement: Statement | None = None, options: dict | None = None
) -> bool:
    """A compendium always is; a statement when it is laid out in pages (a PDF, or a reading
    copy in any format) and has at least EXPORT_BACKGROUND_WORDS words (characters, for a
    statement in Chinese)."""
    if kind == ExportJob.Kind.COMPENDIUM:
        return True
    if fmt != "pdf" and not (options or {}).get("reading_copy"):
        return False
    if statement is None or statement.pk is None:
        return False
    return statement.speaking_time().words >= settings.EXPORT_BACKGROUND_WORDS


def worker_alive() -> bool:
    since = timezone.now() - timedelta(seconds=settings.EXPORT_WORKER_SILENCE_SECONDS)
    return WorkerBeat.objects.filter(seen_at__gte=since).exists()


def request_export(
    user,
    debate: Debate,
    fmt: str,
    *,
    statement: Statement | None = None,
    options: exports.ExportOptions | None = None,
) -> ExportJob | exports.Download:
    """The job that builds (or built) this export, or the download itself when it is short.

    Short exports are built in the request, as before, and not kept. A long one is kept: the
    same request on unchanged text gets the job that built it, or is building it; otherwise a
    new job is queued for a worker, or built here when no worker is alive.
    """
    kind = ExportJob.Kind.STATEMENT if statement is not None else ExportJob.Kind.COMPENDIUM
    options_data = dataclasses.asdict(options) if options is not None else {}
    if not is_long(kind, fmt, statement=statement, options=options_data):
        if statement is not None:
            return exports.statement_download(statement, fmt, options)
        return exports.compendium_download(debate, fmt)
    print_ = fingerprint(debate, fmt, statement=statement, options=options_data)
    with transaction.atomic():
        # One of the user's requests at a time from the count to the new job: two at once
        # would each count the exports under way before either added its own.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").get()
        same = ExportJob.objects.without_file().reusable().filter(fingerprint=print_).first()
        if same is not None:
            return same
        pending = list(ExportJob.objects.without_file().pending().filter(requested_by=user))
        if len(pending) >= settings.EXPORT_JOBS_PER_USER:
            raise TooManyJobs(pending)
        job = ExportJob.objects.create(
            requested_by=user,
            kind=kind,
            debate=debate,
            delegation=statement.delegation if statement is not None else None,
            format=fmt,
            options=options_data,
            fingerprint=print_,
        )
        queued = worker_alive()
        if queued:
            from debateprep.jobs.tasks import build_export

            build_export.enqueue(str(job.pk))
    if not queued:
        build(job)
    return job


def build(job: ExportJob) -> None:
    """Build the job's file and keep it, reporting progress as the writer goes; a failure is
    kept on the job for the page to show, and logged."""
    job.status, job.started_at = ExportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        download = _download(job, _progress_recorder(job))
        job.content = download.content
        job.content_type = download.format.content_type
        job.filename, job.display_name = download.filename, download.display_name
        job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 1, timezone.now()
        # Kept with the rest: a job that could not be kept fails rather than stays "running",
        # counted against its requester until it times out.
        job.save(
            update_fields=[
                "content",
                "content_type",
                "filename",
                "display_name",
                "status",
                "progress",
                "finished_at",
            ]
        )
    # Also a build stopped from outside (gunicorn ends a request past its timeout with
    # SystemExit; a worker stopped with Ctrl-C): left "running", the job would be followed, and
    # counted against its requester, until EXPORT_JOB_TIMEOUT_MINUTES.
    except BaseException as error:
        logger.exception("Export job %s failed", job.pk)
        job.status, job.error = ExportJob.Status.FAILED, f"{type(error).__name__}: {error}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        if not isinstance(error, Exception):
            raise


def _download(job: ExportJob, progress) -> exports.Download:
    debate = job.debate
    if job.kind == ExportJob.Kind.COMPENDIUM:
        return exports.compendium_download(debate, job.format, progress)
    statement = Statement.of(debate, job.delegation)
    options = exports.ExportOptions(**job.options)
    return exports.statement_download(statement, job.format, options, progress)


def _progress_recorder(job: ExportJob, *, step: float = 0.02, every: float = 0.5):
    """A writer reports often; the row is written when the bar would visibly move, at most
    twice a second."""
    last = {"fraction": 0.0, "at": 0.0}

    def record(fraction: float) -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        now = time.monotonic()
        if fraction - last["fraction"] < step or now - last["at"] < every:
            return
        last.update(fraction=fraction, at=now)
        ExportJob.objects.filter(pk=job.pk).update(progress=fraction)

    return record


def prune() -> int:
    """Delete the files past the retention period and jobs abandoned by a dead worker."""
    deleted, _ = ExportJob.objects.expired().delete()
    return deleted
