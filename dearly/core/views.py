"""The settings area's entry point and the helpers its views share."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dearly.core.access import Can, can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def settings_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, tab: str
) -> HttpResponse:
    """Render a page of the settings area with its sub-navigation marked."""
    return render(request, template, {**context, "tab": tab, "nav": "manage"})


@member_required()
def settings_home(request: HttpRequest) -> HttpResponse:
    """Send each member to the first settings page their role opens (everyone sees branches)."""
    if can(request.member, Can.MANAGE_TEAM):  # type: ignore[attr-defined]
        return redirect("core:team")
    return redirect("core:branch_list")
