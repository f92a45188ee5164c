"""django-tasks-db's `db_worker`, which also says every few seconds that it is alive and
deletes export files past their retention period.

The heartbeat is what lets a request tell whether a long export will be picked up: with no
worker seen for EXPORT_WORKER_SILENCE_SECONDS, `building.request_export` builds it inline.
"""

import logging
import os
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import autoreload, timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.models import DBTaskResult

from debateprep.jobs import building
from debateprep.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)
PRUNE_EVERY = 60  # heartbeats


class Command(DatabaseWorkerCommand):
    help = "Run the export worker: django-tasks-db's db_worker with a heartbeat and clean-up"

    def handle(self, *, worker_id: str, reload: bool, batch: bool, **options) -> None:
        # Under --reload the outer process only watches files; the worker runs in its child.
        watcher = reload and not batch and not os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV)
        if watcher:
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
            return
        stop = threading.Event()
        beat = threading.Thread(target=self.beat, args=(worker_id, stop), daemon=True)
        beat.start()
        try:
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
        finally:
            stop.set()
            beat.join(timeout=5)
            WorkerBeat.objects.filter(worker_id=worker_id).delete()

    def beat(self, worker_id: str, stop: threading.Event) -> None:
        beats = 0
        interval = max(1, settings.EXPORT_WORKER_SILENCE_SECONDS // 3)
        while not stop.is_set():
            try:
                close_old_connections()
                WorkerBeat.objects.update_or_create(
                    worker_id=worker_id, defaults={"seen_at": timezone.now()}
                )
                if beats % PRUNE_EVERY == 0:
                    self.prune()
            except Exception:
                logger.exception("The export worker's heartbeat failed; trying again")
            beats += 1
            stop.wait(interval)
        connection.close()

    def prune(self) -> None:
        deleted = building.prune()
        cutoff = timezone.now() - timedelta(hours=settings.EXPORT_RETENTION_HOURS)
        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
        WorkerBeat.objects.filter(seen_at__lt=cutoff).delete()
        if deleted:
            logger.info("Deleted %d export jobs past their retention period", deleted)
