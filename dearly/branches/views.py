"""Branch pages: every member sees the branches; owners and managers edit them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dearly.branches import queries, services
from dearly.branches.forms import BranchForm, initial_for
from dearly.branches.hours import week
from dearly.branches.models import Branch
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import add_service_error
from dearly.core.services import ManageError
from dearly.core.views import actor, settings_page


@member_required()
def branch_list(request: HttpRequest) -> HttpResponse:
    branches = [(b, week(b.opening_hours)) for b in queries.branches_with_staff_count()]
    return settings_page(request, "branches/list.html", {"branches": branches}, tab="branches")


def _save(request: HttpRequest, form: BranchForm, branch: Branch | None) -> HttpResponse | None:
    if not (request.method == "POST" and form.is_valid()):
        return None
    try:
        if branch is None:
            saved = services.create_branch(actor=actor(request), values=form.cleaned_data)
        else:
            saved = services.update_branch(
                actor=actor(request), branch=branch, values=form.cleaned_data
            )
    except ManageError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, f"Saved the branch “{saved.name}”.")
    return redirect("core:branch_list")


@member_required(Can.MANAGE_BRANCHES)
def branch_new(request: HttpRequest) -> HttpResponse:
    form = BranchForm(request.POST or None)
    done = _save(request, form, None)
    return done or settings_page(request, "branches/form.html", {"form": form}, tab="branches")


@member_required(Can.MANAGE_BRANCHES)
def branch_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    branch = queries.get_branch(public_id)
    form = BranchForm(request.POST or None, initial=initial_for(branch))
    done = _save(request, form, branch)
    context = {"form": form, "branch": branch}
    return done or settings_page(request, "branches/form.html", context, tab="branches")
