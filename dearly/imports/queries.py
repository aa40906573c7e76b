"""Reads of import jobs. Anyone who may import sees the business's imports."""

from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.core.access import Can, can
from dearly.core.models import Membership
from dearly.imports import services
from dearly.imports.engine.plan import FIELD_ORDER
from dearly.imports.engine.sources import UnreadableFile, iter_rows
from dearly.imports.engine.validation import Validator
from dearly.imports.models import ImportJob

PREVIEW_ROWS = 10


def jobs_for_member(member: Membership) -> QuerySet[ImportJob]:
    if not can(member, Can.IMPORT):
        return ImportJob.objects.none()
    return ImportJob.objects.all()


def get_job_for_member(member: Membership, public_id: UUID | str) -> ImportJob:
    try:
        return jobs_for_member(member).get(public_id=public_id)
    except (ImportJob.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such import") from None


def preview(job: ImportJob) -> dict[str, Any]:
    """The first rows as they would be stored, with the reasons any of them would fail."""
    plan = services.plan_for(job)
    fields = [t for _, _, t in plan.columns()]
    validator = Validator(plan)
    rows: list[dict[str, Any]] = []
    try:
        raw = list(islice(iter_rows(Path(job.stored_path), services.file_info(job)), PREVIEW_ROWS))
    except UnreadableFile as exc:
        return {"fields": fields, "rows": [], "error": str(exc)}
    for line, cells in raw:
        row, issues = validator.row(line, cells)
        values = dict(zip(FIELD_ORDER, row.values, strict=True)) if row else {}
        if row:
            values.update(tags=", ".join(row.tags), branch=row.branch_id)
        rows.append({"line": line, "values": [values.get(f) for f in fields], "issues": issues})
    return {"fields": fields, "rows": rows, "error": ""}
