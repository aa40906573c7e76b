"""The demo's keep-in-touch set-up: starter playbooks installed three weeks ago, and contacts
part-way through their journeys.

The playbooks go through the same install service as the playbooks page. The enrolments are
written in bulk, each contact sleeping in one of the journey's wait steps (as the stepper would
have left them), so the journey pages show people at several steps and the worker carries
them on when their wait ends, not all at once on first start.
"""

import datetime as dt
import random
from typing import Any

from django.db.models import QuerySet

from dearly.contacts.models import Consent, ConsentStatus, Contact
from dearly.conversions.models import ContactEvent
from dearly.core.actor import Actor
from dearly.journeys.models import Enrollment, EnrollmentStatus, Journey
from dearly.plans.models import Plan
from dearly.plans.playbooks.install import install, installed

PLAYBOOKS = ("welcome", "newsletter", "post-purchase", "win-back")
INSTALLED_DAYS_AGO = 21
PER_JOURNEY = 24


def install_playbooks(actor: Actor, *, today: dt.date) -> list[Plan]:
    done = installed()
    return [
        done[key]
        if key in done
        else install(actor=actor, key=key, today=today - dt.timedelta(days=INSTALLED_DAYS_AGO))
        for key in PLAYBOOKS
    ]


def candidates(trigger: dict[str, Any]) -> QuerySet[Contact]:
    """Contacts the journey's trigger could have enrolled."""
    kind = trigger.get("type")
    if kind == "consent_granted":
        granted = Consent.objects.filter(
            status=ConsentStatus.GRANTED, purpose=trigger.get("purpose", "marketing")
        ).values("contact_id")
        return Contact.objects.filter(pk__in=granted)
    if kind == "lifecycle":
        return Contact.objects.filter(lifecycle_stage=trigger.get("to", ""))
    if kind == "event":
        named = ContactEvent.objects.filter(name=trigger.get("name", "")).values("contact_id")
        return Contact.objects.filter(pk__in=named)
    return Contact.objects.none()


def enrol_some(rng: random.Random, journey: Journey, *, now: dt.datetime) -> int:
    """Put up to 24 contacts into the journey: most asleep in a wait step, some finished."""
    version = journey.version
    if version is None or Enrollment.objects.filter(journey=journey).exists():
        return 0
    steps = version.definition.get("steps", [])
    waits = [(i, s) for i, s in enumerate(steps) if s.get("type") == "wait"]
    if not waits:
        return 0
    pool = list(
        candidates(version.definition.get("trigger", {}))
        .filter(email__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    for n, pk in enumerate(rng.sample(pool, k=min(len(pool), PER_JOURNEY))):
        entered = now - dt.timedelta(
            days=rng.randint(1, INSTALLED_DAYS_AGO), hours=rng.randint(0, 9)
        )
        row = Enrollment(
            journey=journey,
            version=version,
            contact_id=pk,
            occurrence=f"demo:{journey.pk}:{pk}",
            entered_at=entered,
        )
        if n % 5 == 4:
            row.status = EnrollmentStatus.DONE
            row.finished_at = entered + dt.timedelta(days=rng.randint(1, 3))
            row.exit_reason = "Reached the end"
            row.seq = len(steps)
        else:
            index, step = waits[n % len(waits)]
            days = int(step.get("days", 1)) or 1
            row.step_id = step["id"]
            row.waiting = True
            row.seq = index
            row.next_run_at = now + dt.timedelta(hours=rng.randint(6, 24 * days))
        rows.append(row)
    Enrollment.objects.bulk_create(rows)
    return len(rows)


def load(rng: random.Random, actor: Actor, *, now: dt.datetime) -> list[Plan]:
    plans = install_playbooks(actor, today=now.date())
    for journey in Journey.objects.filter(status="active").select_related("version"):
        enrol_some(rng, journey, now=now)
    return plans
