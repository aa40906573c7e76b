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
from django.utils import timezone

from dearly.contacts.models import Consent, ConsentStatus, Contact
from dearly.conversions.models import ContactEvent
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.delivery.models import OutboxMessage, Status
from dearly.demo.history import PRODUCTS
from dearly.journeys.models import Enrollment, EnrollmentStatus, Journey, StepRun
from dearly.messaging.models import TemplateVersion
from dearly.plans.metrics import CREDITED, business_tz
from dearly.plans.models import Plan
from dearly.plans.playbooks.install import install, installed
from dearly.touches.models import Direction, Kind, Touch, TouchChannel
from dearly.touches.services import bump_last_touch

PLAYBOOKS = ("welcome", "newsletter", "post-purchase", "win-back")
INSTALLED_DAYS_AGO = 21
PER_JOURNEY = 24


def install_playbooks(actor: Actor, *, today: dt.date) -> list[Plan]:
    """The playbooks as if installed three weeks ago: a plan counts only from when it was
    made, so its creation moves back with its period."""
    done = installed()
    start = today - dt.timedelta(days=INSTALLED_DAYS_AGO)
    plans = [
        done[key] if key in done else install(actor=actor, key=key, today=start)
        for key in PLAYBOOKS
    ]
    made = dt.datetime.combine(start, dt.time(0), tzinfo=business_tz())
    Plan.objects.filter(pk__in=[p.pk for p in plans], created_at__gt=made).update(created_at=made)
    return plans


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
    _walked(rng, journey, steps, now=now)
    return len(rows)


def _walked(
    rng: random.Random, journey: Journey, steps: list[dict[str, Any]], *, now: dt.datetime
) -> None:
    """The steps each contact has passed, as the stepper records them; a send step passed is
    a message sent (outbox row, delivered touch), so the journey's figures add up."""
    versions: dict[Any, int | None] = {
        s["template_id"]: TemplateVersion.objects.filter(template_id=s["template_id"])
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
        for s in steps
        if s.get("type") == "send" and s.get("template_id")
    }
    runs, messages = [], []
    enrollments = list(Enrollment.objects.filter(journey=journey).order_by("pk"))
    for e in enrollments:
        upto = len(steps) if e.status == EnrollmentStatus.DONE else e.seq
        span = max(
            (now if e.finished_at is None else e.finished_at) - e.entered_at, dt.timedelta(hours=1)
        )
        for i, step in enumerate(steps[:upto]):
            at = e.entered_at + span * (i / max(upto, 1))
            kind = str(step.get("type", ""))
            outcome, detail = {
                "wait": ("waiting", "waited"),
                "wait_until": ("in window", ""),
                "send": ("sent", "email message queued"),
                "task": ("task", "task created"),
                "branch": ("no", "not met"),
            }.get(kind, ("set", ""))
            runs.append(
                StepRun(
                    enrollment=e,
                    seq=i,
                    step_id=step["id"],
                    outcome=outcome,
                    detail=detail,
                    ran_at=at,
                )
            )
            version_id = versions.get(step.get("template_id", 0))
            if kind == "send" and version_id:
                messages.append((e.contact_id, version_id, step, at))
    StepRun.objects.bulk_create(runs, ignore_conflicts=True)
    _sent(rng, journey, messages)


def _sent(
    rng: random.Random,
    journey: Journey,
    messages: list[tuple[int, int, dict[str, Any], dt.datetime]],
) -> None:
    if not messages:
        return
    branches = dict(
        Contact.objects.filter(pk__in=[m[0] for m in messages]).values_list("pk", "branch_id")
    )
    emails = dict(
        Contact.objects.filter(pk__in=[m[0] for m in messages]).values_list("pk", "email")
    )
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                origin_type="journey",
                origin_id=journey.pk,
                contact_id=contact_id,
                purpose=step.get("purpose", "informational"),
                consent_purpose=step.get("consent_purpose", "marketing"),
                template_version_id=version_id,
                value=step.get("value", ""),
                status=Status.SENT,
                not_before=at,
                sent_at=at,
                attempts=1,
                to_address=emails.get(contact_id) or "",
            )
            for contact_id, version_id, step, at in messages
        ]
    )
    if any(r.pk is None for r in rows):  # a backend without RETURNING: read them back
        rows = list(OutboxMessage.objects.filter(origin_type="journey", origin_id=journey.pk))
    Touch.objects.bulk_create(
        [
            Touch(
                contact_id=r.contact_id,
                occurred_at=r.sent_at,
                kind=Kind.MESSAGE,
                channel=TouchChannel.EMAIL,
                direction=Direction.OUTBOUND,
                branch_id=branches.get(r.contact_id or 0),
                origin_type="journey",
                origin_id=journey.pk,
                message_id=r.pk,
            )
            for r in rows
            if r.contact_id is not None and r.sent_at is not None
        ],
        ignore_conflicts=True,
    )
    for r in rows:
        if r.contact_id is not None and r.sent_at is not None:
            bump_last_touch([r.contact_id], r.sent_at)


def load(rng: random.Random, actor: Actor, *, now: dt.datetime) -> list[Plan]:
    plans = install_playbooks(actor, today=now.date())
    for journey in Journey.objects.filter(status="active").select_related("version"):
        enrol_some(rng, journey, now=now)
    bought_after(rng, actor, plans, now=now)
    return plans


def bought_after(rng: random.Random, actor: Actor, plans: list[Plan], *, now: dt.datetime) -> int:
    """A few people bought a day or two after a plan's journey wrote to them, so the plans
    that count purchases have some credited to them (a plan counts no other purchase)."""
    journey_ids = {j.pk for plan in plans if plan.metric in CREDITED for j in plan.journeys.all()}
    touches = list(
        Touch.objects.filter(origin_type="journey", origin_id__in=journey_ids, kind=Kind.MESSAGE)
        .order_by("pk")
        .values_list("contact_id", "occurred_at")
    )
    made = 0
    for n, (contact_id, sent_at) in enumerate(rng.sample(touches, k=min(len(touches), 12))):
        at = sent_at + dt.timedelta(hours=rng.randint(6, 40))
        if at >= now:
            continue
        item, price = rng.choice(PRODUCTS)
        record_event(
            contact=Contact.objects.get(pk=contact_id),
            name="purchase",
            event_id=f"demo-plan-order-{n}",
            occurred_at=at,
            value=price,
            currency="GBP",
            properties={"item": item},
            actor=actor,
        )
        made += 1
    _settle_new_enrolments(rng)
    return made


def _settle_new_enrolments(rng: random.Random) -> None:
    """The purchases just enrolled their buyers in the thank-you journey, due at once; as
    with the other enrolments, let the worker take them on over the coming hours instead."""
    now = timezone.now()
    due = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, next_run_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        later = now + dt.timedelta(hours=rng.randint(1, 12))
        Enrollment.objects.filter(pk=pk).update(next_run_at=later)
