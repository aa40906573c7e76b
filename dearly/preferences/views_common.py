"""What every customer page shares: the customer as actor, the branded page, the neutral
answer to a bad link."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dearly.core.actor import Actor
from dearly.core.models import Source
from dearly.core.queries import get_business


def customer_actor(request: HttpRequest, label: str) -> Actor:
    """The person behind a signed link. Never the signed-in user: staff opening a customer's
    link in their own browser must not be recorded as the one who chose."""
    return Actor(
        source=Source.CUSTOMER,
        label=label,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
    )


def customer_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    return render(request, template, {"business": get_business(), **(context or {})}, status=status)


def invalid_link(request: HttpRequest) -> HttpResponse:
    """The one answer to a tampered, truncated, foreign or unknown token: 200, and no hint
    whether the person exists."""
    return customer_page(request, "preferences/invalid.html")


def masked_email(email: str | None) -> str:
    """a•••@example.com: enough to recognise, not enough to read off a forwarded link."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
