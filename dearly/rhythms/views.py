"""The rhythms pages: the list, the editor, and the overdue list (page and htmx rows)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from dearly.branches.models import Branch
from dearly.core.access import Can, can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.rhythms import queries
from dearly.rhythms.forms import (
    RhythmForm,
    Row,
    attach_errors,
    initial_for,
    phases_from_rows,
    rows_from_phases,
    rows_from_post,
)
from dearly.rhythms.models import Rhythm
from dearly.rhythms.services import RhythmError, save_rhythm

NAV = "overdue"
FORMER_EXAMPLE = [Row("30", "180"), Row("90", "")]


@member_required(Can.SEND_CAMPAIGNS)
@require_GET
def rhythm_list(request: MemberRequest) -> HttpResponse:
    rhythms = list(queries.rhythms_with_counts(request.member).select_related("segment"))
    context = {"rhythms": rhythms, "health": queries.health(request.member), "nav": NAV}
    return render(request, "rhythms/list.html", context)


@member_required(Can.SEND_CAMPAIGNS)
def rhythm_new(request: MemberRequest) -> HttpResponse:
    return _editor(request, None)


@member_required(Can.SEND_CAMPAIGNS)
def rhythm_edit(request: MemberRequest, public_id: UUID) -> HttpResponse:
    return _editor(request, queries.get_rhythm_for_member(request.member, public_id))


def _editor(request: MemberRequest, rhythm: Rhythm | None) -> HttpResponse:
    initial = initial_for(rhythm) if rhythm else {}
    form = RhythmForm(request.POST or None, member=request.member, initial=initial)
    phases_error = ""
    if request.method != "POST":
        rows = (
            rows_from_phases(rhythm.phases)
            if rhythm
            else [Row(r.every, r.lasts) for r in FORMER_EXAMPLE]
        )
    else:
        rows = rows_from_post(request.POST)
        editing_rows = request.POST.get("add_phase") or request.POST.get("remove_phase")
        if not editing_rows and form.is_valid():
            try:
                saved = save_rhythm(
                    actor=Actor.from_request(request),
                    rhythm=rhythm,
                    spec=form.spec(phases_from_rows(rows)),
                )
            except RhythmError as e:
                form.add_service_errors(e)
                phases_error = attach_errors(rows, e)
            else:
                messages.success(request, f"Rhythm “{saved.name}” was saved.")
                return redirect("rhythms:list")
    context = {
        "form": form,
        "rhythm": rhythm,
        "rows": rows,
        "phases_error": phases_error,
        "nav": NAV,
    }
    return render(request, "rhythms/form.html", context)


@member_required(Can.VIEW_CONTACTS)
@require_GET
def overdue(request: MemberRequest) -> HttpResponse:
    member = request.member
    rhythms = list(queries.active_rhythms())
    rhythm = _pick(rhythms, request.GET.get("rhythm", ""))
    branches = list(Branch.objects.all()) if member.sees_all_branches else []
    branch = _pick(branches, request.GET.get("branch", ""))
    page_number = int(p) if (p := request.GET.get("page", "1")).isdigit() else 1
    page = queries.overdue_for_member(member, rhythm=rhythm, branch=branch, page=page_number)
    context: dict[str, Any] = {
        "page": page,
        "rhythms": rhythms,
        "rhythm": rhythm,
        "branches": branches,
        "branch": branch,
        "health": queries.health(member),
        "can_edit": can(member, Can.SEND_CAMPAIGNS),
        "filters": _filters(rhythm, branch),
        "nav": NAV,
    }
    wanted = request.htmx and not request.htmx.history_restore_request
    template = "rhythms/overdue.html#rows" if wanted else "rhythms/overdue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _pick[T: (Rhythm, Branch)](items: list[T], public_id: str) -> T | None:
    if not public_id:
        return None
    for item in items:
        if str(item.public_id) == public_id:
            return item
    raise Http404("No such filter")


def _filters(rhythm: Rhythm | None, branch: Branch | None) -> str:
    parts = [
        f"rhythm={rhythm.public_id}" if rhythm else "",
        f"branch={branch.public_id}" if branch else "",
    ]
    return "&".join(p for p in parts if p)
