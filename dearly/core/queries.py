"""Reads for the management pages. Access is checked by the views' capability first."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dearly.core.models import ApiKey, AuditEvent, Business, Membership


def team_members() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "branch").order_by(
        "-user__is_active", "user__first_name", "user__username"
    )


def get_team_member(member_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "branch"), pk=member_id)


def get_business() -> Business:
    """The saved business, or an unsaved one with defaults before the first save."""
    return Business.objects.filter(pk=1).first() or Business(
        pk=1, default_country=settings.DEFAULT_COUNTRY
    )


def api_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by").order_by("-created_at", "-id")


def get_api_key(public_id: object) -> ApiKey:
    return get_object_or_404(ApiKey, public_id=public_id)


@dataclass(frozen=True, slots=True)
class AuditFilters:
    q: str = ""
    action: str = ""
    actor: str = ""
    source: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(f: AuditFilters) -> QuerySet[AuditEvent]:
    """The log, newest first, narrowed by the filters; dates are whole local days."""
    qs = AuditEvent.objects.select_related("contact")
    if f.q:
        qs = qs.filter(Q(subject_id__icontains=f.q) | Q(actor_label__icontains=f.q))
    if f.action:
        qs = qs.filter(action=f.action)
    if f.actor:
        qs = qs.filter(actor_id=int(f.actor))
    if f.source:
        qs = qs.filter(source=f.source)
    if f.since:
        qs = qs.filter(occurred_at__gte=_start_of(f.since))
    if f.until:
        qs = qs.filter(occurred_at__lt=_start_of(f.until + dt.timedelta(days=1)))
    return qs


def audit_actions() -> list[str]:
    # Walks the (action, occurred_at) index; a handful of distinct values.
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_actors() -> list[tuple[str, str]]:
    """Team members to filter by (the API, imports and the system are filtered by source)."""
    users = User.objects.filter(membership__isnull=False).order_by("username")
    return [(str(u.pk), u.get_full_name() or u.username) for u in users]


LOCKOUT_ALERT_HOURS = 24
LOCKOUT_ALERT_SHOWN = 10


def recent_lockouts() -> list[AuditEvent]:
    """Sign-in lockouts of the last day, newest first, for the owner's dashboard alert."""
    since = timezone.now() - dt.timedelta(hours=LOCKOUT_ALERT_HOURS)
    events = AuditEvent.objects.filter(action="login.locked_out", occurred_at__gte=since)
    return list(events[:LOCKOUT_ALERT_SHOWN])
