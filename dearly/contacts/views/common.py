from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from dearly.core.models import Membership


def member_of(request: HttpRequest) -> Membership:
    """The member that `member_required` put on the request."""
    member: Membership = request.member  # type: ignore[attr-defined]
    return member


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap wants the fragment; a history restore (back button) wants the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def page_or_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    name = f"{template}#{fragment}" if wants_fragment(request) else template
    response = render(request, name, context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
