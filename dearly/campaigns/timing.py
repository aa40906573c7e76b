"""What a campaign's schedule means in the recipients' own time (F1), for the review step."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet

from dearly.campaigns.models import Campaign, Schedule
from dearly.contacts.models import Contact
from dearly.delivery.models import MessagePurpose
from dearly.delivery.timing import EVERY_DAY, Window, next_allowed, windows_in_force, zone

DASH = "\N{EN DASH}"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The gate reads a blank time zone as UTC (delivery.policy.judge); say the same here.
GATE_DEFAULT_ZONE = "UTC"
ZONES_SHOWN = 6


@dataclass(frozen=True, slots=True)
class ZoneStart:
    time_zone: str  # blank: the contact has none, and the gate uses UTC
    recipients: int
    first_send: dt.datetime | None  # aware, in that zone; None if the window never opens


def window_for(purpose: str) -> Window:
    """The window the outbox will apply to this purpose (any time when windows are off)."""
    return windows_in_force()[purpose]


def windows_are_on() -> bool:
    return bool(settings.SEND_WINDOWS)


def describe_days(days: frozenset[int]) -> str:
    """'every day', 'Tue-Thu' (with an en dash), 'Fri and Sun', 'Mon, Wed and Fri'."""
    if days == EVERY_DAY:
        return "every day"
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}{DASH}{DAY_NAMES[ordered[-1]]}"
    names = [DAY_NAMES[d] for d in ordered]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_window(window: Window) -> str:
    """'Tue-Thu 09:00-20:00' (with en dashes) or 'any time'."""
    if window.days == EVERY_DAY and window.start == dt.time(0) and window.end >= dt.time(23, 59):
        return "any time"
    return f"{describe_days(window.days)} {window.start:%H:%M}{DASH}{window.end:%H:%M}"


def marketing_windows() -> list[tuple[str, str]]:
    """[("Informational", "Fri and Sun 09:00-20:00"), ("Promotional", …)]; empty when send
    windows are switched off, so the forms say that marketing goes at any time."""
    if not windows_are_on():
        return []
    marketing = [MessagePurpose.INFORMATIONAL, MessagePurpose.PROMOTIONAL]
    return [(p.label, describe_window(window_for(p))) for p in marketing]


def starts_from(campaign: Campaign, now: dt.datetime) -> dt.datetime:
    """The earliest instant the outbox may release a message of this campaign."""
    if campaign.schedule == Schedule.AT and campaign.send_at and campaign.send_at > now:
        return campaign.send_at
    return now


def first_sends(
    recipients: QuerySet[Contact], campaign: Campaign, now: dt.datetime
) -> list[ZoneStart]:
    """For the largest time zones among the recipients, when the first message may go."""
    rows = (
        recipients.order_by()
        .values("time_zone")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "time_zone")[:ZONES_SHOWN]
    )
    start = starts_from(campaign, now)
    window = window_for(campaign.purpose)
    found = []
    for row in rows:
        name = row["time_zone"] or GATE_DEFAULT_ZONE
        opens = next_allowed(start, name, window)
        found.append(
            ZoneStart(
                time_zone=row["time_zone"],
                recipients=row["n"],
                first_send=opens.astimezone(zone(name)) if opens else None,
            )
        )
    return found
