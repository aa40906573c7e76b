"""The audit log: filtered, paged, and refreshed in place by htmx as the filters change."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.core import queries
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import AuditFilterForm
from dearly.core.models import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Change:
    """One field of an event; old is None for a creation, new is None for a deletion."""

    field: str
    old: str | None
    new: str | None


def readable(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {readable(v)}" for k, v in value.items())
    return str(value)


def changes(event: AuditEvent) -> list[Change]:
    """One line per field named in the event, old beside new, in a stable order."""
    fields = list(dict.fromkeys([*event.old, *event.new]))
    return [
        Change(
            f.replace("_", " "),
            readable(event.old.get(f)) if event.old else None,
            readable(event.new.get(f)) if event.new else None,
        )
        for f in fields
    ]


def _filters(form: AuditFilterForm) -> queries.AuditFilters:
    # An invalid filter (a mistyped date) is left out and reported beside its field.
    form.is_valid()
    return queries.AuditFilters(**getattr(form, "cleaned_data", {}))


@member_required(Can.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None, actions=queries.audit_actions(), actors=queries.audit_actors()
    )
    paginator = Paginator(queries.audit_events(_filters(form)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(event, changes(event)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "nav": "audit"}
    template = "core/audit.html#results" if request.htmx else "core/audit.html"  # type: ignore[attr-defined]
    return render(request, template, context)
