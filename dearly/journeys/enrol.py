"""Putting a contact into a journey, under its re-entry rule.

1. The occurrence key names the cause: the event's id (or name and instant) for event-like
   triggers, the year for date triggers. UNIQUE(journey, contact, occurrence) refuses the same
   cause twice, and a partial UNIQUE(journey, contact) WHERE status='active' refuses a second
   walk while one is in progress.
2. The re-entry rule narrows further: "never" refuses a contact who was ever enrolled;
   "after_exit" only needs the previous walk finished; {"after_days": n} also needs n days
   since the last entry.
3. Inserts use ON CONFLICT DO NOTHING (bulk_create ignore_conflicts), so a duplicate is a
   no-op inside the caller's transaction rather than an error that would spoil it.
"""

import datetime as dt
from typing import Any

from django.db.models import Q

from dearly.journeys.models import Enrollment, Journey, JourneyVersion


def first_step(definition: dict[str, Any]) -> str:
    return str(definition["steps"][0]["id"])


def reentry_blocks(
    version: JourneyVersion, journey_id: int, contact_id: int, now: dt.datetime
) -> bool:
    rule = version.definition.get("reentry", "never")
    earlier = Enrollment.objects.filter(journey_id=journey_id, contact_id=contact_id)
    if rule == "never":
        return earlier.exists()
    if isinstance(rule, dict):
        since = now - dt.timedelta(days=int(rule["after_days"]))
        return earlier.filter(Q(status="active") | Q(entered_at__gt=since)).exists()
    return earlier.filter(status="active").exists()


def enrol(*, journey: Journey, contact_id: int, occurrence: str, now: dt.datetime) -> bool:
    """Enrol one contact on the journey's current version; False when a rule refused it."""
    version = journey.version
    if version is None or reentry_blocks(version, journey.pk, contact_id, now):
        return False
    rows = Enrollment.objects.bulk_create(
        [
            Enrollment(
                journey_id=journey.pk,
                version=version,
                contact_id=contact_id,
                step_id=first_step(version.definition),
                occurrence=occurrence[:120],
                next_run_at=now,
                entered_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    # With ignore_conflicts the row carries no pk either way; look for the one we meant.
    return (
        bool(rows)
        and Enrollment.objects.filter(
            journey_id=journey.pk,
            contact_id=contact_id,
            occurrence=occurrence[:120],
            entered_at=now,
        ).exists()
    )
