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
from dearly.imports.engine.mapping import targets
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
    """The first rows as they would be stored, with the reasons any of them would fail, and
    the changes to existing contacts and repeated people a person must see before a run."""
    plan = services.plan_for(job)
    labels = dict(targets())
    fields = [t for _, _, t in plan.columns()]
    headings = [labels.get(f, f) for f in fields]
    validator = Validator(plan)
    rows: list[dict[str, Any]] = []
    try:
        raw = list(islice(iter_rows(Path(job.stored_path), services.file_info(job)), PREVIEW_ROWS))
        found = services.conflicts(job)
    except UnreadableFile as exc:
        return {"fields": headings, "rows": [], "error": str(exc), "conflicts": None}
    for line, cells in raw:
        row, issues = validator.row(line, cells)
        values = dict(zip(FIELD_ORDER, row.values, strict=True)) if row else {}
        if row:
            branch = plan.branch_names.get(row.branch_id) if row.branch_id else None
            values.update(tags=", ".join(row.tags), branch=branch)
        problems = [(labels.get(_target(plan, i[1]), i[1]), i[3]) for i in issues]
        rows.append({"line": line, "values": [values.get(f) for f in fields], "issues": problems})
    return {"fields": headings, "rows": rows, "error": "", "conflicts": found}


def _target(plan: Any, column: str) -> str:
    """A problem names the file's column; the preview's headings are fields."""
    return column if not column else plan.mapping.get(column, column)
