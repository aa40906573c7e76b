"""The write path for import jobs: upload, configure, start, resume. Views and the command
call these; the engine does the rows."""

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.template.defaultfilters import pluralize
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Business
from dearly.core.text import FORBIDDEN
from dearly.imports.engine.conflicts import Scan, scan
from dearly.imports.engine.formats import (
    Format,
    by_key,
    opts_in_every_row,
    recognise,
    suppression_for,
)
from dearly.imports.engine.mapping import OPT_IN_TARGETS, mapping_errors, suggest_mapping
from dearly.imports.engine.plan import Plan
from dearly.imports.engine.runner import run
from dearly.imports.engine.sources import (
    FileInfo,
    UnreadableFile,
    count_lines_estimate,
    inspect_file,
)
from dearly.imports.engine.writer import Who
from dearly.imports.models import DuplicatePolicy, ImportJob, JobStatus

log = logging.getLogger("dearly.imports")
# A running job beats its heart at every committed chunk; silence this long means its
# runner died (a restart, a crash) and the job may be resumed.
STALE_AFTER = timedelta(minutes=2)
ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".vcf"}


class ImportError_(ValueError):
    """A request about an import that was refused, with a message for the person."""


def default_region() -> str:
    business = Business.objects.filter(pk=1).first()
    return (business.default_country if business else settings.DEFAULT_COUNTRY).upper()


def store_upload(*, actor: Actor, name: str, chunks: Any, size: int) -> ImportJob:
    """Stream the upload to UPLOAD_DIR, check what it is, and make a job waiting for mapping."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportError_(f"The file is larger than {settings.IMPORT_MAX_BYTES // 1_000_000} MB.")
    if Path(name).suffix.lower() == ".xls":
        raise ImportError_("This is an old Excel (.xls) file: save it as .xlsx or CSV UTF-8.")
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ImportError_("Choose a .csv, .xlsx or .vcf (vCard) file.")
    path = Path(settings.UPLOAD_DIR) / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    try:
        return _job_for_file(actor=actor, name=name, path=path)
    except ImportError_:
        path.unlink()  # a refused file is not kept: it may hold personal data
        raise


def store_path(*, actor: Actor, source: Path) -> ImportJob:
    """The command line's door: copy is not needed, the job reads the file where it is."""
    return _job_for_file(actor=actor, name=source.name, path=source.resolve())


def _printable_name(name: str) -> str:
    return FORBIDDEN.sub("", name).strip()[:255] or "upload"


def _job_for_file(*, actor: Actor, name: str, path: Path) -> ImportJob:
    try:
        info = inspect_file(path, name)
    except UnreadableFile as exc:
        raise ImportError_(str(exc)) from None
    if len(info.headers) > settings.IMPORT_MAX_COLUMNS:
        raise ImportError_(
            f"This file has {len(info.headers):,} columns; Dearly maps at most "
            f"{settings.IMPORT_MAX_COLUMNS:,}. Remove the columns you do not need and upload "
            "it again."
        )
    estimate = count_lines_estimate(path, info)
    if estimate > settings.IMPORT_MAX_ROWS * 1.05:
        raise ImportError_(f"The file has more than {settings.IMPORT_MAX_ROWS:,} rows; split it.")
    fmt = recognise(info.headers, info.file_format)
    return ImportJob.objects.create(
        **_recognised(fmt, info.headers, name),
        created_by_id=actor.user_id,
        actor_label=actor.label,
        source="import",
        file_name=_printable_name(name),
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        file_format=info.file_format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        headers=info.headers,
        file_notices=info.notices,
        total_rows_estimate=estimate,
    )


def _recognised(fmt: Format | None, headers: list[str], name: str) -> dict[str, Any]:
    """The mapping, and the consent evidence an export carries, for the person to check."""
    if fmt is None:
        return {"mapping": suggest_mapping(headers)}
    mapping = fmt.mapping(headers)
    every_row = opts_in_every_row(fmt, headers)
    opt_in_column = bool(OPT_IN_TARGETS & set(mapping.values()))
    evidence = every_row or opt_in_column
    return {
        "recognised_as": fmt.key,
        "mapping": mapping,
        "grants": [["email", "marketing"]] if every_row else [],
        "consent_wording": fmt.wording if evidence else "",
        "consent_source": f"{fmt.name}: {Path(name).name}"[:200] if evidence else "",
    }


def recognised_format(job: ImportJob) -> Format | None:
    return by_key(job.recognised_as) if job.recognised_as else None


def file_info(job: ImportJob) -> FileInfo:
    return FileInfo(
        file_format=job.file_format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        headers=list(job.headers),
        notices=list(job.file_notices),
    )


def plan_for(job: ImportJob) -> Plan:
    names = dict(Branch.objects.values_list("pk", "name"))
    branches = {name.lower(): pk for pk, name in names.items()}
    return Plan(
        headers=tuple(job.headers),
        mapping=dict(job.mapping),
        region=default_region(),
        existing=job.existing,
        grants=tuple((c, p) for c, p in job.grants),
        wording=job.consent_wording,
        consent_source=job.consent_source,
        file_name=job.file_name,
        default_branch_id=job.default_branch_id,
        branches=branches,
        branch_names=names,
        duplicates=job.duplicates,
        suppress_reason=suppression_for(recognised_format(job), list(job.headers)),
    )


def configure(*, job: ImportJob, options: dict[str, Any]) -> list[str]:
    """Save the mapping and choices; returns what is wrong with them (empty when ready)."""
    for name in ("mapping", "grants", "consent_wording", "consent_source", "existing"):
        setattr(job, name, options[name])
    job.duplicates = options.get("duplicates", job.duplicates)
    job.default_branch_id = options.get("default_branch_id")
    errors = mapping_errors(job.mapping)
    if job.duplicates not in DuplicatePolicy.values:
        errors.append("Choose what to do with a person named twice in the file.")
    opt_in_columns = OPT_IN_TARGETS & set(job.mapping.values())
    granting = job.grants or opt_in_columns
    if granting and not (job.consent_wording.strip() and job.consent_source.strip()):
        errors.append(
            "Granting consent needs its evidence: the wording people agreed to and where "
            "they agreed to it."
        )
    job.save(
        update_fields=[
            "mapping", "grants", "consent_wording", "consent_source", "existing",
            "duplicates", "default_branch", "updated_at",
        ]
    )  # fmt: skip
    return errors


def conflicts(job: ImportJob) -> Scan:
    """What the run would change in existing contacts, and the people named twice."""
    return scan(plan_for(job), Path(job.stored_path), file_info(job))


def refusals_to_run(job: ImportJob, *, accepted: str) -> list[str]:
    """A run that changes existing contacts, or merges repeated rows, waits until a person
    has seen those changes and accepted exactly that many (the figure may move when the
    choices change)."""
    found = conflicts(job)
    if not found.total or accepted == str(found.total):
        return []
    parts = []
    if found.updates:
        parts.append(f"changes {found.updates:,} existing contact{pluralize(found.updates)}")
    if found.duplicates:
        people = "person" if found.duplicates == 1 else "people"
        parts.append(f"names {found.duplicates:,} {people} more than once")
    return [
        f"This import {' and '.join(parts)}: check them under “Changes to check” and tick "
        "“Make these changes” to go ahead."
    ]


def is_interrupted(job: ImportJob) -> bool:
    stale = timezone.now() - STALE_AFTER
    return job.status in (JobStatus.RUNNING, JobStatus.QUEUED) and (
        job.heartbeat_at is None or job.heartbeat_at < stale
    )


def claim(job: ImportJob) -> bool:
    """Mark the job running unless another runner holds it (conditional UPDATE)."""
    now = timezone.now()
    fresh = ImportJob.objects.filter(pk=job.pk, heartbeat_at__gte=now - STALE_AFTER)
    claimable = ImportJob.objects.filter(pk=job.pk).exclude(
        pk__in=fresh.filter(status=JobStatus.RUNNING)
    )
    claimed = claimable.exclude(status=JobStatus.DONE).update(
        status=JobStatus.RUNNING, heartbeat_at=now, started_at=job.started_at or now
    )
    return bool(claimed)


def who_for(job: ImportJob) -> Who:
    return Who(user_id=job.created_by_id, label=job.actor_label, source=job.source)


def run_job(
    job: ImportJob, *, workers: int = 0, on_progress: Callable[[int], None] | None = None
) -> ImportJob:
    """Run (or resume) a job to the end in this thread; failures are recorded, not raised."""
    if not claim(job):
        raise ImportError_("This import is already running.")
    job.refresh_from_db()
    who = who_for(job)
    try:
        run(
            plan_for(job),
            Path(job.stored_path),
            file_info(job),
            job=job,
            who=who,
            after_line=job.checkpoint_line,
            max_rows=settings.IMPORT_MAX_ROWS,
            workers=workers,
            on_progress=on_progress,
        )
    except UnreadableFile as exc:
        _finish(job, JobStatus.FAILED, str(exc))
    except Exception:
        log.exception("import.failed job=%s", job.public_id)
        _finish(job, JobStatus.FAILED, "The import stopped because of an internal error.")
    else:
        _finish(job, JobStatus.DONE, "")
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, status: str, failure: str) -> None:
    job.refresh_from_db()
    job.status, job.failure, job.finished_at = status, failure, timezone.now()
    job.save(update_fields=["status", "failure", "finished_at", "updated_at"])
    log.info("import.finished job=%s status=%s rows=%s", job.public_id, status, job.rows_seen)
    record_event(
        actor=Actor(source=job.source, label=job.actor_label, user=job.created_by),
        action="import.finished",
        subject=job,
        subject_type="import",
        new={
            "file": job.file_name, "status": status, "created": job.created_count,
            "updated": job.updated_count, "bad_rows": job.bad_count,
        },
    )  # fmt: skip


def start_in_background(job: ImportJob) -> None:
    """Run the job in a thread of this process (there is no worker yet); its heartbeat lets
    a later request see that it died and offer to resume it."""
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, heartbeat_at=timezone.now())
    workers = 1 if job.total_rows_estimate > 50_000 else 0
    thread = threading.Thread(target=_thread_main, args=(job.pk, workers), daemon=True)
    thread.start()


def _thread_main(job_pk: int, workers: int) -> None:
    close_old_connections()
    try:
        run_job(ImportJob.objects.get(pk=job_pk), workers=workers)
    except ImportError_:
        pass
    finally:
        connection.close()
