"""The task a worker runs (`manage.py export_worker`, django-tasks-db's `db_worker` with a
heartbeat); `building.request_export` enqueues it."""

from django.tasks import task

from debateprep.jobs import building
from debateprep.jobs.models import ExportJob


@task()
def build_export(job_id: str) -> str:
    job = ExportJob.objects.without_file().select_related("debate", "delegation").get(pk=job_id)
    if job.status == ExportJob.Status.QUEUED:
        building.build(job)
    return job.status
