from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dearly.branches.models import Branch
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required
from dearly.imports import queries, reports, services
from dearly.imports.engine.mapping import targets
from dearly.imports.forms import GRANT_CHOICES, options_from_post
from dearly.imports.models import DuplicatePolicy, ExistingPolicy, ImportJob, JobStatus


@member_required(Can.IMPORT)
def start(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a file to upload."
        else:
            try:
                job = services.store_upload(
                    actor=Actor.from_request(request),
                    name=upload.name or "upload.csv",
                    chunks=upload.chunks(),
                    size=upload.size or 0,
                )
            except services.ImportError_ as exc:
                error = str(exc)
            else:
                return redirect("imports:job", job.public_id)
    jobs = queries.jobs_for_member(request.member)[:10]  # type: ignore[attr-defined]
    context = {"nav": "import", "jobs": jobs, "error": error}
    return render(request, "imports/start.html", context, status=400 if error else 200)


def _job_context(job: ImportJob, **extra: object) -> dict[str, object]:
    return {
        "nav": "import",
        "job": job,
        "interrupted": services.is_interrupted(job),
        "format": services.recognised_format(job),
        "targets": targets(),
        # (position, header, chosen target): one pass, so the page is linear in columns.
        "columns": [(i, h, job.mapping.get(h, "")) for i, h in enumerate(job.headers)],
        "grant_choices": GRANT_CHOICES,
        "granted": {f"{c}:{p}" for c, p in job.grants},
        "branches": Branch.objects.all(),
        "policies": ExistingPolicy.choices,
        "duplicate_policies": DuplicatePolicy.choices,
        "issues": job.issues.all()[:200],
        **extra,
    }


@member_required(Can.IMPORT)
def job_page(request: HttpRequest, public_id: str) -> HttpResponse:
    job = queries.get_job_for_member(request.member, public_id)  # type: ignore[attr-defined]
    if request.method != "POST" or job.status != JobStatus.UPLOADED:
        return render(request, "imports/job.html", _job_context(job))
    errors = services.configure(job=job, options=options_from_post(job, request.POST))
    if request.POST.get("action") == "run" and not errors:
        accepted = request.POST.get("accept_changes", "")
        errors = services.refusals_to_run(job, accepted=accepted)
        if not errors:
            services.start_in_background(job)
            return redirect("imports:job", job.public_id)
    context = _job_context(job, errors=errors, preview=queries.preview(job))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/job.html#preview", context)
    return render(request, "imports/job.html", context)


@member_required(Can.IMPORT)
def progress(request: HttpRequest, public_id: str) -> HttpResponse:
    job = queries.get_job_for_member(request.member, public_id)  # type: ignore[attr-defined]
    return render(request, "imports/job.html#progress", _job_context(job))


@require_POST
@member_required(Can.IMPORT)
def resume(request: HttpRequest, public_id: str) -> HttpResponse:
    job = queries.get_job_for_member(request.member, public_id)  # type: ignore[attr-defined]
    if services.is_interrupted(job):
        services.start_in_background(job)
        messages.success(request, "Resumed: rows already imported are not imported twice.")
    return redirect("imports:job", job.public_id)


@member_required(Can.IMPORT)
def error_report(request: HttpRequest, public_id: str) -> HttpResponse:
    job = queries.get_job_for_member(request.member, public_id)  # type: ignore[attr-defined]
    response: HttpResponse = StreamingHttpResponse(  # type: ignore[assignment]
        reports.csv_lines(reports.issue_rows(job)), content_type="text/csv; charset=utf-8"
    )
    name = job.file_name.rsplit(".", 1)[0].replace('"', "")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}-errors.csv"'
    return response
