"""Exports as a user asks for them: started here, followed on the job's page, downloaded from
it. A job is seen only by who may read what it exports (the policy); to anyone else, 404."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from debateprep.debates.models import Debate
from debateprep.delegations import audit, policy
from debateprep.delegations.models import Delegation
from debateprep.drafting import exports
from debateprep.drafting.forms import ExportForm
from debateprep.drafting.models import Statement
from debateprep.jobs.building import TooManyJobs, request_export
from debateprep.jobs.models import ExportJob
from debateprep.lib.htmx import HtmxHttpRequest

NO_SUCH_JOB = "No such export."


def _may_read(user, debate_id: int, delegation_id: int | None) -> bool:
    """The job's object in the user's reach: the compendium for editors, a statement for who
    may open it."""
    if delegation_id is None:
        return policy.can_read_compendium(user)
    # A debate in reach for the delegation implies the delegation in reach (its member's, or
    # an editor's), as on the statement's own page.
    debates = Debate.objects.filter(policy.debates_in_reach(user, delegation_id), pk=debate_id)
    return debates.exists()


def _job_for(request: HtmxHttpRequest, pk) -> ExportJob:
    jobs = ExportJob.objects.without_file().select_related("debate", "delegation")
    job = get_object_or_404(jobs, pk=pk)
    if not _may_read(request.user, job.debate_id, job.delegation_id):
        raise Http404(NO_SUCH_JOB)
    return job


def respond(request: HtmxHttpRequest, result: ExportJob | exports.Download) -> HttpResponse:
    """The file when it is there (built now, or before from the same text), otherwise the
    job's page to follow it."""
    if isinstance(result, exports.Download):
        return result.response()
    if result.status == ExportJob.Status.DONE:
        return _deliver(request, result)
    return redirect(result)


def start_compendium(request: HtmxHttpRequest, debate: Debate, fmt: str) -> HttpResponse:
    """For an editor (the caller checks): also the admin's compendium action."""
    try:
        result = request_export(request.user, debate, fmt)
    except TooManyJobs as error:
        return _too_many(request, error)
    return respond(request, result)


def _too_many(request: HtmxHttpRequest, error: TooManyJobs) -> HttpResponse:
    context = {"pending": error.pending}
    return render(request, "jobs/too_many.html", context, status=429)


@require_GET
def statement_export(request: HtmxHttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    """A statement's export with the options of its page's form: a short one at once, a long
    PDF or reading copy through a job (building.is_long)."""
    if fmt not in exports.STATEMENT_FORMATS:
        raise Http404("No such export format.")
    delegations = Delegation.objects.filter(policy.delegations_in_reach(request.user))
    delegation = get_object_or_404(delegations, code=code)
    debates = Debate.objects.filter(policy.debates_in_reach(request.user, delegation))
    debate = get_object_or_404(debates, slug=slug)
    statement = Statement.of(debate, delegation)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.problem, content_type="text/plain; charset=utf-8")
    try:
        result = request_export(
            request.user, debate, fmt, statement=statement, options=form.options
        )
    except TooManyJobs as error:
        return _too_many(request, error)
    if isinstance(result, exports.Download):
        # A statement nobody has written in yet has no row to name: its debate stands for it.
        audit.record(
            request.user,
            audit.Action.EXPORTED,
            statement if statement.is_started else debate,
            delegation=delegation,
            changes={"format": fmt},
        )
    return respond(request, result)


@require_GET
def compendium_export(request: HtmxHttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every delegation's answers, for editors, always through a job; nobody else learns that
    the address exists."""
    if not policy.can_read_compendium(request.user) or fmt not in exports.COMPENDIUM_FORMATS:
        raise Http404("No such compendium.")
    return start_compendium(request, get_object_or_404(Debate, slug=slug), fmt)


@require_GET
def job(request: HtmxHttpRequest, pk) -> HttpResponse:
    """The job's page; polled by htmx, its progress alone, until the file is ready, and
    nothing while the page already shows where the job is."""
    export_job = _job_for(request, pk)
    context = {"job": export_job, "retention_hours": settings.EXPORT_RETENTION_HOURS}
    if request.htmx:
        if request.GET.get("shown") == f"{export_job.status} {export_job.percent}":
            return HttpResponse(status=204)
        return render(request, "jobs/job.html#progress", context)
    return render(request, "jobs/job.html", context)


@require_GET
def download(request: HtmxHttpRequest, pk) -> HttpResponse:
    export_job = _job_for(request, pk)
    if export_job.status != ExportJob.Status.DONE:
        return redirect(export_job)
    return _deliver(request, export_job)


def _deliver(request: HtmxHttpRequest, export_job: ExportJob) -> HttpResponse:
    """The kept file, recorded as exported by whoever downloads it."""
    content = ExportJob.objects.values_list("content", flat=True).get(pk=export_job.pk)
    if export_job.kind == ExportJob.Kind.COMPENDIUM:
        formats, target = exports.COMPENDIUM_FORMATS, export_job.debate
        changes = {"compendium": export_job.format, "job": str(export_job.pk)}
    else:
        formats = exports.STATEMENT_FORMATS
        statements = Statement.objects.filter(
            debate=export_job.debate, delegation=export_job.delegation
        )
        target = statements.first() or export_job.debate
        changes = {"format": export_job.format, "job": str(export_job.pk)}
    audit.record(
        request.user,
        audit.Action.EXPORTED,
        target,
        delegation=export_job.delegation,
        changes=changes,
    )
    file = exports.Download(
        bytes(content),
        formats[export_job.format],
        filename=export_job.filename,
        display_name=export_job.display_name,
    )
    return file.response()
