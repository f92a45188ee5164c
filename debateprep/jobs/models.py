"""Exports built in the background: what was asked, by whom, how far it got, and the file.

The file is kept in the database (a bytea on PostgreSQL), not on a disk: any app server behind
a load balancer serves what any worker built, with nothing shared but the database, and the
retention period (settings.EXPORT_RETENTION_HOURS) keeps the table small.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debateprep.debates.models import Debate
from debateprep.delegations.models import Delegation

# Who may see a job is the object's business (views.job_for); here, only what a job is.


class ExportJobQuerySet(models.QuerySet["ExportJob"]):
    def pending(self) -> ExportJobQuerySet:
        """Queued or running, and not abandoned: a job whose worker died mid-way stops
        counting against its requester's limit after EXPORT_JOB_TIMEOUT_MINUTES."""
        since = timezone.now() - timedelta(minutes=settings.EXPORT_JOB_TIMEOUT_MINUTES)
        return self.filter(status__in=ExportJob.PENDING, created_at__gte=since)

    def reusable(self) -> ExportJobQuerySet:
        """Built, or on its way, and not yet past the retention period."""
        built_since = timezone.now() - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
        return self.pending() | self.filter(
            status=ExportJob.Status.DONE, finished_at__gte=built_since
        )

    def expired(self) -> ExportJobQuerySet:
        now = timezone.now()
        return self.filter(
            Q(finished_at__lt=now - timedelta(hours=settings.EXPORT_RETENTION_HOURS))
            | Q(created_at__lt=now - timedelta(minutes=settings.EXPORT_JOB_TIMEOUT_MINUTES))
            & Q(status__in=ExportJob.PENDING)
        )

    def without_file(self) -> ExportJobQuerySet:
        return self.defer("content")


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        COMPENDIUM = "compendium", _("Compendium")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    PENDING = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("id")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(max_length=10, choices=Kind, verbose_name=_("kind"))
    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, related_name="+", verbose_name=_("debate")
    )
    # A statement is named by its debate and delegation: one not started yet has no row.
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegation"),
    )
    format = models.CharField(max_length=10, verbose_name=_("format"))
    options = models.JSONField(default=dict, blank=True, verbose_name=_("options"))
    # What the file was built from (drafting.exports' inputs, their versions and times), with
    # the format and options: the same fingerprint means the same file.
    fingerprint = models.CharField(max_length=64, verbose_name=_("fingerprint"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.QUEUED, verbose_name=_("status")
    )
    progress = models.FloatField(default=0, verbose_name=_("progress"))
    content = models.BinaryField(null=True, blank=True, verbose_name=_("content"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    filename = models.CharField(max_length=300, blank=True, verbose_name=_("filename"))
    display_name = models.CharField(max_length=300, blank=True, verbose_name=_("display name"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["fingerprint", "status"], name="exportjob_fingerprint"),
            models.Index(fields=["requested_by", "status"], name="exportjob_requester"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=1), name="exportjob_progress_fraction"
            ),
            models.CheckConstraint(
                condition=Q(kind="compendium", delegation__isnull=True)
                | Q(kind="statement", delegation__isnull=False),
                name="exportjob_statement_has_delegation",
            ),
        ]

    def __str__(self) -> str:
        what = self.debate.title if self.kind == self.Kind.COMPENDIUM else str(self.delegation)
        return f"{self.get_kind_display()} ({self.format.upper()}): {what}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class WorkerBeat(models.Model):
    """A task worker's sign of life (commands/export_worker.py): with none recent, long
    exports are built in the request instead of waiting for a worker that is not there."""

    worker_id = models.CharField(max_length=64, unique=True, verbose_name=_("worker id"))
    seen_at = models.DateTimeField(verbose_name=_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
