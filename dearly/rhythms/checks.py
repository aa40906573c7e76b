"""What the fill checks before it queues a rhythm's message, for a whole batch at once.

The floor never pushes anyone over the ceiling: a contact whose contact budget (or their own
frequency choice) is full, who paused marketing, or who has no consent for the channel and
purpose gets a conflict with the reason instead of a message. The policy gate checks all of
it again when the message is about to leave; this is so the floor is honest about who it
could not reach, and why.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone

from dearly.contacts.models import Consent, ConsentStatus, Contact
from dearly.delivery.facts import FREQUENCY_BUDGETS
from dearly.delivery.models import DeliverySettings, MessagePurpose, OutboxMessage, Status
from dearly.delivery.policy import Budget
from dearly.messaging.models import TemplateVersion
from dearly.preferences.models import ContactPreference
from dearly.rhythms.models import ConflictReason, Rhythm

CHANNEL = "email"


@dataclass(frozen=True, slots=True)
class Blocked:
    reason: str  # ConflictReason
    detail: str
    retry_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Batch:
    """Facts about a batch of contacts for one rhythm, loaded in a few queries."""

    now: dt.datetime
    consented: set[int]
    paused: dict[int, dt.datetime]
    own_budget: dict[int, Budget]
    budget: Budget
    counted: dict[int, list[dt.datetime]]
    pool: list[tuple[int, int]]  # (template id, latest version id), oldest template first
    last_got: dict[tuple[int, int], dt.datetime]  # (contact, template) -> last queued

    def blocked(self, contact: Contact, consent_purpose: str) -> Blocked | None:
        retry = self.now + dt.timedelta(days=1)
        if not contact.email:
            return Blocked(ConflictReason.NO_ADDRESS, f"no {CHANNEL} address", retry)
        if contact.pk not in self.consented:
            detail = f"no consent on {CHANNEL} for {consent_purpose}"
            return Blocked(ConflictReason.NO_CONSENT, detail, retry)
        paused = self.paused.get(contact.pk)
        if paused and paused > self.now:
            return Blocked(ConflictReason.PAUSED, f"paused until {_day(paused)}", paused)
        for limit in (self.budget, self.own_budget.get(contact.pk)):
            frees = limit and full_until(self.counted.get(contact.pk, []), self.now, limit)
            if frees:
                return Blocked(ConflictReason.BUDGET, f"budget full until {_day(frees)}", frees)
        if not self.pool:
            return Blocked(ConflictReason.NO_CONTENT, "no template in the content pool", retry)
        return None

    def next_version(self, contact_id: int) -> int:
        """The pool's template this contact got least recently, or never, in pool order."""
        never = dt.datetime.min.replace(tzinfo=dt.UTC)
        _template, version_id = min(
            self.pool, key=lambda tv: self.last_got.get((contact_id, tv[0]), never)
        )
        return version_id

    def took(self, contact_id: int) -> None:
        self.counted.setdefault(contact_id, []).append(self.now)


def full_until(
    times: Sequence[dt.datetime], now: dt.datetime, budget: Budget
) -> dt.datetime | None:
    """When the budget has room again, or None when it has room now (as delivery.policy)."""
    counted = sorted(t for t in times if t > now - budget.period)
    if len(counted) < budget.max_messages:
        return None
    return counted[len(counted) - budget.max_messages] + budget.period


def load(rhythm: Rhythm, contact_ids: Sequence[int], *, now: dt.datetime) -> Batch:
    settings = DeliverySettings.current()
    budget = Budget(settings.budget_max, settings.budget_days)
    prefs = ContactPreference.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "paused_until", "frequency"
    )
    own = {cid: FREQUENCY_BUDGETS[f] for cid, _, f in prefs if f in FREQUENCY_BUDGETS}
    widest = max([budget, *own.values()], key=lambda b: b.days)
    pool = _pool(rhythm)
    return Batch(
        now=now,
        consented=set(
            Consent.objects.filter(
                contact_id__in=contact_ids,
                channel=CHANNEL,
                purpose=rhythm.consent_purpose,
                status=ConsentStatus.GRANTED,
            ).values_list("contact_id", flat=True)
        ),
        paused={cid: p for cid, p, _ in prefs if p},
        own_budget=own,
        budget=budget,
        counted=_counted(contact_ids, since=now - widest.period, now=now),
        pool=pool,
        last_got=_last_got(contact_ids, pool),
    )


def _pool(rhythm: Rhythm) -> list[tuple[int, int]]:
    latest = (
        TemplateVersion.objects.filter(template__in=rhythm.templates.filter(archived=False))
        .values("template_id")
        .annotate(version=Max("id"))
        .order_by("template_id")
    )
    return [(row["template_id"], row["version"]) for row in latest]


def _counted(
    contact_ids: Sequence[int], *, since: dt.datetime, now: dt.datetime
) -> dict[int, list[dt.datetime]]:
    """Marketing messages per contact that use up the budget: sent or in flight lately, and
    everything still queued (at the time it may go)."""
    rows = (
        OutboxMessage.objects.filter(
            contact_id__in=contact_ids,
            status__in=[Status.QUEUED, Status.SENDING, Status.SENT],
        )
        .exclude(purpose=MessagePurpose.SERVICE)
        .annotate(
            at=Coalesce(F("sent_at"), F("claimed_at"), Greatest(F("not_before"), F("created_at")))
        )
        .filter(at__gt=since)
        .values_list("contact_id", "at", "status")
    )
    counted: dict[int, list[dt.datetime]] = defaultdict(list)
    for contact_id, at, status in rows:
        counted[contact_id].append(max(at, now) if status == Status.QUEUED else at)
    return counted


def _last_got(
    contact_ids: Sequence[int], pool: list[tuple[int, int]]
) -> dict[tuple[int, int], dt.datetime]:
    if not pool:
        return {}
    versions = dict(
        TemplateVersion.objects.filter(template_id__in=[t for t, _ in pool]).values_list(
            "id", "template_id"
        )
    )
    rows = (
        OutboxMessage.objects.filter(contact_id__in=contact_ids, template_version_id__in=versions)
        .values("contact_id", "template_version_id")
        .annotate(last=Max("created_at"))
        .values_list("contact_id", "template_version_id", "last")
    )
    out: dict[tuple[int, int], dt.datetime] = {}
    for contact_id, version_id, last in rows:
        key = (contact_id, versions[version_id])
        out[key] = max(last, out.get(key, last))
    return out


def _day(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "j M Y")
