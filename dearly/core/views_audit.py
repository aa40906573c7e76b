"""The audit log: filtered, paged, and refreshed in place by htmx as the filters change."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.core import audit_words, queries
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import AuditFilterForm

PAGE_SIZE = 50


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
    rows = audit_words.describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "nav": "audit"}
    template = "core/audit.html#results" if request.htmx else "core/audit.html"  # type: ignore[attr-defined]
    return render(request, template, context)
