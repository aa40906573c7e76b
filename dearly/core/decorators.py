"""View decorators: sign-in, membership and capability, decided through core.access."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from dearly.core.access import Can, member_for, require
from dearly.core.models import Membership
from dearly.core.two_factor import CODE, owed

View = Callable[..., HttpResponseBase]


class MemberRequest(HttpRequest):
    """What a view behind `member_required` receives: annotate views with it for typing."""

    member: Membership
    htmx: HtmxDetails


def member_required(capability: Can | None = None) -> Callable[[View], View]:
    """Sign-in required (with two-factor where owed); the member is put on request.member;
    the capability is checked; the page is rendered in the member's own language (dates and
    numbers)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if debt := owed(request.session):
                # Signed in with the password only: the code, or setting one up, comes first.
                to = "login_code" if debt == CODE else "core:two_factor_setup"
                return redirect_to_login(request.get_full_path(), reverse(to))
            member = member_for(request.user)
            if member is None:
                raise PermissionDenied("This account is not a member of the business.")
            if capability is not None:
                require(member, capability)
            request.member = member  # type: ignore[attr-defined]
            if not member.language:
                return view(request, *args, **kwargs)
            with translation.override(member.language):  # dates and numbers as they chose
                return view(request, *args, **kwargs)

        return wrapper

    return decorate
