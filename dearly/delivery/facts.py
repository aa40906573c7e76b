"""Load the policy gate's facts for a batch of messages: a few set-based queries, no loops
over the database."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce

from dearly.contacts.models import Consent, ConsentStatus, Contact, Suppression
from dearly.contacts.suppression import address_hash, point_kind_for_channel
from dearly.delivery.models import MessagePurpose, OutboxMessage, Status
from dearly.delivery.policy import Budget, Facts
from dearly.preferences.models import ContactPreference, Frequency
from dearly.tracking.besttime import hours_for

TEST_ORIGIN = "template_test"  # a member testing a template on themselves
ADDRESS_FIELD = {"email": "email", "sms": "phone", "phone": "phone"}


def gather(
    messages: Sequence[OutboxMessage],
    *,
    now: dt.datetime,
    budget: Budget,
    usual_hours: bool = True,
) -> dict[int, Facts]:
    """Facts per message id. The caller holds the contacts' row locks (see claim). With
    `usual_hours` off (send windows switched off) nobody waits for their usual hour."""
    contact_ids = {m.contact_id for m in messages if m.contact_id}
    contacts: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in Contact.objects.filter(pk__in=contact_ids).values(
            "pk", "email", "phone", "time_zone"
        )
    }
    consents = _granted(contact_ids)
    suppressed = _suppressions(messages, contacts)
    own = _own_choices(contact_ids)
    widest = max([budget, *(b for _, b in own.values() if b)], key=lambda b: b.days)
    recent = _recent_marketing(contact_ids, now - widest.period)
    usual = hours_for(
        m.contact_id for m in messages if usual_hours and m.best_hour and m.contact_id
    )
    facts = {}
    for m in messages:
        contact = contacts.get(m.contact_id or 0)
        if m.origin_type == TEST_ORIGIN and m.contact_id is None:
            # A test a member sends to themselves: their own address, no contact, no consent.
            facts[m.pk] = Facts(address=m.to_address, time_zone="UTC")
            continue
        if contact is None:
            facts[m.pk] = Facts(contact_exists=False)
            continue
        address = contact.get(ADDRESS_FIELD.get(m.channel, "email"))
        facts[m.pk] = Facts(
            address=address,
            time_zone=contact["time_zone"],
            consented=(m.channel, m.consent_purpose) in consents[contact["pk"]],
            suppression=suppressed.get((m.channel, address or ""), frozenset()),
            recent_marketing=tuple(recent[contact["pk"]]),
            paused_until=own.get(contact["pk"], (None, None))[0],
            own_budget=own.get(contact["pk"], (None, None))[1],
            usual_hour=usual.get(contact["pk"]) if m.best_hour else None,
        )
    return facts


# What "at most weekly / monthly" in the preference centre means for the contact budget.
FREQUENCY_BUDGETS: dict[str, Budget] = {
    Frequency.WEEKLY: Budget(1, 7),
    Frequency.MONTHLY: Budget(1, 30),
}


def _own_choices(contact_ids: set[int]) -> dict[int, tuple[dt.datetime | None, Budget | None]]:
    """Each contact's pause and frequency from the preference centre, when they chose one."""
    rows = ContactPreference.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "paused_until", "frequency"
    )
    return {cid: (paused, FREQUENCY_BUDGETS.get(freq)) for cid, paused, freq in rows}


def _granted(contact_ids: set[int]) -> dict[int, set[tuple[str, str]]]:
    granted: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows = Consent.objects.filter(contact_id__in=contact_ids, status=ConsentStatus.GRANTED)
    for contact_id, channel, purpose in rows.values_list("contact_id", "channel", "purpose"):
        granted[contact_id].add((channel, purpose))
    return granted


def _suppressions(
    messages: Sequence[OutboxMessage], contacts: dict[int, dict[str, Any]]
) -> dict[tuple[str, str], frozenset[str]]:
    wanted: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, hash) -> (channel, address)
    for m in messages:
        contact = contacts.get(m.contact_id or 0)
        kind = point_kind_for_channel(m.channel)
        address = contact and contact.get(ADDRESS_FIELD.get(m.channel, "email"))
        if kind and address:
            wanted[(kind, address_hash(kind, address))] = (m.channel, address)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    hashes = {h for _, h in wanted}
    for kind, key_hash, reason in Suppression.objects.filter(key_hash__in=hashes).values_list(
        "kind", "key_hash", "reason"
    ):
        if (kind, key_hash) in wanted:
            found[wanted[(kind, key_hash)]].add(reason)
    return {key: frozenset(reasons) for key, reasons in found.items()}


def _recent_marketing(contact_ids: set[int], since: dt.datetime) -> dict[int, list[dt.datetime]]:
    """Marketing messages sent, or claimed and in flight, to each contact since `since`."""
    recent: dict[int, list[dt.datetime]] = defaultdict(list)
    rows = (
        OutboxMessage.objects.filter(
            contact_id__in=contact_ids, status__in=[Status.SENDING, Status.SENT]
        )
        .exclude(purpose=MessagePurpose.SERVICE)
        .annotate(at=Coalesce(F("sent_at"), F("claimed_at")))
        .filter(at__gt=since)
        .values_list("contact_id", "at")
    )
    for contact_id, at in rows:
        recent[contact_id].append(at)
    return recent
