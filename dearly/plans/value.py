"""D3, value before selling: of the marketing messages sent, how many give the reader
something (a free resource, useful information, an invitation, a competition, inspiration)
rather than only sell (an offer, or nothing said).

    plan_ratio(origins) -> Ratio          the plan's messages, sent or on their way
    value_ratio_for_contact(contact)      one person's marketing mail in the last 90 days
    distribution(origins)                 the plan's recipients, by their own 90-day ratio

A plan is flagged as "only sells" when it has sent marketing messages and fewer than half of
them give value (with none at all giving value as the plainest case).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dearly.campaigns.models import Value
from dearly.contacts.models import Contact
from dearly.delivery.models import MessagePurpose, OutboxMessage, Status
from dearly.plans.origins import Origins

THRESHOLD = Decimal("0.5")
CONTACT_DAYS = 90
VALUE_KINDS = tuple(v for v in Value.values if v != Value.OFFER)
ON_THE_WAY = (Status.QUEUED, Status.SENDING, Status.SENT)
BUCKETS = (
    ("none", "Nothing that gave value"),
    ("little", "Less than half gave value"),
    ("half", "Half or more gave value"),
    ("all", "Everything gave value"),
)


@dataclass(frozen=True, slots=True)
class Ratio:
    value: int = 0
    selling: int = 0

    @property
    def total(self) -> int:
        return self.value + self.selling

    @property
    def share(self) -> Decimal | None:
        """The value share, 0..1, or None when nothing was sent."""
        if not self.total:
            return None
        return (Decimal(self.value) / self.total).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)

    @property
    def only_sells(self) -> bool:
        share = self.share
        return share is not None and share < THRESHOLD


GIVES_VALUE = Q(value__in=VALUE_KINDS)


def _marketing() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.exclude(purpose=MessagePurpose.SERVICE)


def _ratio(qs: QuerySet[OutboxMessage]) -> Ratio:
    row = qs.aggregate(value=Count("id", filter=GIVES_VALUE), total=Count("id"))
    return Ratio(value=row["value"], selling=row["total"] - row["value"])


def plan_ratio(origins: Origins) -> Ratio:
    return _ratio(_marketing().filter(origins.q(), status__in=ON_THE_WAY))


def value_ratio_for_contact(contact: Contact, *, now: dt.datetime | None = None) -> Ratio:
    """The marketing messages sent to this person in the last 90 days: value against selling."""
    since = (now or timezone.now()) - dt.timedelta(days=CONTACT_DAYS)
    sent = _marketing().filter(contact=contact, status=Status.SENT, sent_at__gte=since)
    return _ratio(sent)


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    label: str
    contacts: int
    share: int  # percent of the recipients, for a bar


def distribution(origins: Origins, *, now: dt.datetime | None = None) -> list[Bucket]:
    """The plan's recipients of the last 90 days, grouped by the value share of all the
    marketing mail they received in that time (not only the plan's): one grouped query."""
    since = (now or timezone.now()) - dt.timedelta(days=CONTACT_DAYS)
    sent = _marketing().filter(status=Status.SENT, sent_at__gte=since)
    recipients = sent.filter(origins.q()).values("contact_id")
    rows = (
        sent.filter(contact_id__in=recipients)
        .values("contact_id")
        .annotate(value=Count("id", filter=GIVES_VALUE), total=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys((key for key, _ in BUCKETS), 0)
    for row in rows.iterator():
        counts[_bucket(row["value"], row["total"])] += 1
    everyone = sum(counts.values()) or 1
    return [
        Bucket(
            key=key, label=label, contacts=counts[key], share=round(counts[key] * 100 / everyone)
        )
        for key, label in BUCKETS
    ]


def _bucket(value: int, total: int) -> str:
    if value == 0:
        return "none"
    if value == total:
        return "all"
    return "little" if value * 2 < total else "half"
