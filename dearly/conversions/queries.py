"""Reads of conversions: what a campaign, journey or plan earned."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from dearly.contacts.models import Contact
from dearly.conversions.models import ContactEvent

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Totals:
    """`value` is in `currency`, the currency most of the events were in; every currency's sum
    is in `by_currency` (amounts in different currencies are never added together)."""

    count: int = 0
    value: Decimal = Decimal("0.00")
    currency: str = ""
    by_currency: tuple[tuple[str, Decimal], ...] = field(default=())


def totals(
    *,
    origin_type: str,
    origin_ids: list[int],
    name: str = "purchase",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Totals:
    """Events credited to these origins (e.g. "campaign", [12]), occurred in [since, until)."""
    if not origin_ids:
        return Totals()
    qs = ContactEvent.objects.filter(origin_type=origin_type, origin_id__in=origin_ids, name=name)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    rows = list(qs.values("currency").annotate(n=Count("id"), v=Sum("value")).order_by())
    if not rows:
        return Totals()
    rows.sort(key=lambda r: (-r["n"], -(r["v"] or 0), r["currency"]))
    by_currency = tuple(
        (r["currency"], Decimal(r["v"]).quantize(CENT))
        for r in rows
        if r["currency"] and r["v"] is not None
    )
    leading = by_currency[0] if by_currency else ("", Decimal("0.00"))
    return Totals(
        count=sum(r["n"] for r in rows),
        value=leading[1],
        currency=leading[0],
        by_currency=by_currency,
    )


def events_for_contact(
    contact: Contact, *, name: str | None = None, limit: int = 50
) -> list[ContactEvent]:
    """Newest first, with the credited touch (served by event_contact)."""
    qs = ContactEvent.objects.filter(contact=contact).select_related("touch")
    if name:
        qs = qs.filter(name=name)
    return list(qs.order_by("-occurred_at", "-pk")[:limit])
