"""Sign-in bookkeeping: the sessions a member has open, and what a lockout leaves behind.

1. Signing in writes a SignIn row for the new session; signing out removes it.
2. django-axes counts wrong passwords per username and per address. When one of them reaches
   the limit it sends `user_locked_out`, and again on every refused try while the lock lasts;
   the first of those in a cool-off writes one `login.locked_out` audit event (owners see
   recent ones on their dashboard), the rest only answer with the lockout page.
"""

import datetime as dt
import logging
from importlib import import_module
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import AuditEvent, SignIn, Source

LOCKED_OUT = "login.locked_out"
log = logging.getLogger("dearly.signin")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with PROXY_COUNT proxies in front, the address
    the farthest trusted proxy saw (X-Forwarded-For, that many entries from the right)."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    return chain[-hops] if len(chain) >= hops else remote


@receiver(user_logged_in, dispatch_uid="dearly.signin.opened")
def _opened(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if request is None or session is None or not session.session_key:
        return
    SignIn.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
        },
    )


@receiver(user_logged_out, dispatch_uid="dearly.signin.closed")
def _closed(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        SignIn.objects.filter(session_key=session.session_key).delete()


def cooloff() -> dt.timedelta:
    return settings.AXES_COOLOFF_TIME  # type: ignore[no-any-return]


@receiver(user_locked_out, dispatch_uid="dearly.signin.locked_out")
def _locked_out(
    sender: object, request: HttpRequest, username: str | None, ip_address: str | None, **kw: Any
) -> None:
    username = (username or "")[:150]
    already = AuditEvent.objects.filter(
        action=LOCKED_OUT,
        subject_id=username,
        new__ip_address=ip_address,
        occurred_at__gte=timezone.now() - cooloff(),
    )
    if already.exists():
        return
    log.warning("login.locked_out")
    record_event(
        actor=Actor(source=Source.UI, label=username, ip_address=ip_address),
        action=LOCKED_OUT,
        subject_type="sign_in",
        subject_id=username,
        new={
            "username": username,
            "ip_address": ip_address,
            "failures": settings.AXES_FAILURE_LIMIT,
        },
    )


def lockout_message() -> str:
    until = timezone.localtime(timezone.now() + cooloff())
    minutes = int(cooloff().total_seconds() // 60)
    return (
        f"Too many wrong passwords. Signing in to this account, or from this address, is "
        f"paused for {minutes} minutes after the last try; try again after "
        f"{time_format(until, 'H:i')}. The owner has been told."
    )


def locked_out(request: HttpRequest, response: object = None, credentials: object = None) -> Any:
    """django-axes' lockout answer: the sign-in page again, saying why and until when."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "locked_out": lockout_message(), "next": request.GET.get("next", "")}
    result: HttpResponse = render(request, "web/login.html", context, status=429)
    return result


# --- Open sessions ----------------------------------------------------------------------


def open_sign_ins(user: User) -> QuerySet[SignIn]:
    """The member's signed-in browsers whose session is still alive, newest first."""
    from django.contrib.sessions.models import Session

    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignIn.objects.filter(user=user, session_key__in=alive)


def _drop(sign_ins: QuerySet[SignIn]) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(sign_ins)
    for row in rows:
        store(session_key=row.session_key).delete()
        row.delete()
    return len(rows)


def end_sign_in(*, actor: Actor, user: User, sign_in_id: int) -> int:
    """Sign one of the member's own browsers out; 0 when it was not theirs or is gone."""
    ended = _drop(SignIn.objects.filter(user=user, pk=sign_in_id))
    if ended:
        record_event(
            actor=actor,
            action="session.ended",
            subject_type="user",
            subject_id=user.get_username(),
            old={"sign_in": sign_in_id},
        )
    return ended


def end_all_sign_ins(users: QuerySet[Any]) -> int:
    """Sign these users out everywhere (deactivated, or owing two-factor they do not have)."""
    return _drop(SignIn.objects.filter(user__in=users))
