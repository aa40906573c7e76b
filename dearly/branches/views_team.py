"""Team pages: the owner adds staff accounts, changes roles and branches, deactivates."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.branches.forms_team import NewMemberForm, PlacementForm
from dearly.core import queries, services, two_factor
from dearly.core.access import Can
from dearly.core.decorators import member_required
from dearly.core.forms import add_service_error
from dearly.core.views import actor, settings_page


@member_required(Can.MANAGE_TEAM)
def team(request: HttpRequest) -> HttpResponse:
    context = {
        "members": queries.team_members(),
        "with_two_factor": two_factor.users_with_two_factor(),
        "required": two_factor.is_required(),
    }
    return settings_page(request, "core/team.html", context, tab="team")


@member_required(Can.MANAGE_TEAM)
def member_new(request: HttpRequest) -> HttpResponse:
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(actor=actor(request), **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {member.user.username}. Give them their password.")
            return redirect("core:team")
    return settings_page(request, "core/member_new.html", {"form": form}, tab="team")


@member_required(Can.MANAGE_TEAM)
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = queries.get_team_member(member_id)
    initial = {"role": member.role, "branch": member.branch}
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_member(actor=actor(request), member=member, **form.cleaned_data)
        except services.ManageError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved {member.user.username}'s role and branch.")
            return redirect("core:team")
    context = {"form": form, "subject": member}
    return settings_page(request, "core/member_edit.html", context, tab="team")


@require_POST
@member_required(Can.MANAGE_TEAM)
def member_active(request: HttpRequest, member_id: int) -> HttpResponse:
    member = queries.get_team_member(member_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_member_active(actor=actor(request), member=member, active=active)
    except services.ManageError as exc:
        messages.error(request, f"{member.user.username}: {exc}.")
    else:
        state = "reactivated" if active else "deactivated; they can no longer log in"
        messages.success(request, f"{member.user.username} {state}.")
    return redirect("core:team")
