"""The preference centre's writes: topics per channel, frequency, a pause, and own details.

Every topic a customer switches is its own ledger entry (method "preferences", source
"customer") carrying the exact sentence shown beside the box and the page's wording version.
"""

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dearly.contacts.models import (
    Channel,
    ConsentAction,
    ConsentMethod,
    ConsentStatus,
    Contact,
    Purpose,
)
from dearly.contacts.services import Evidence, current_consents, record_consent, update_contact
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.preferences.models import ContactPreference, Frequency

WORDING_VERSION = "centre-v1"
CHANNEL_LABELS: dict[str, str] = {
    Channel.EMAIL: "Email",
    Channel.SMS: "Text messages",
    Channel.PHONE: "Phone calls",
    Channel.POST: "Post",
}
TOPICS = {
    Purpose.MARKETING: ("Offers and events", "Occasional offers, invitations and events."),
    Purpose.NEWSLETTER: ("Newsletter", "News and useful information."),
    Purpose.SURVEYS: ("Surveys", "Now and then, a short question about how we did."),
}
# What each channel is offered for; a topic already granted elsewhere is shown too, so it
# can always be switched off.
CHANNEL_TOPICS: dict[str, tuple[str, ...]] = {
    Channel.EMAIL: (Purpose.MARKETING, Purpose.NEWSLETTER, Purpose.SURVEYS),
    Channel.SMS: (Purpose.MARKETING, Purpose.SURVEYS),
    Channel.PHONE: (Purpose.MARKETING, Purpose.SURVEYS),
    Channel.POST: (Purpose.MARKETING, Purpose.NEWSLETTER),
}
# How to switch on what this page may only switch off.
HOW_TO_GRANT = {
    Channel.SMS: "To start getting texts, reply START to one of ours or ask us in person.",
    Channel.PHONE: "To hear from us by phone, ask us in person or when we next speak.",
}
# A link that arrived by email proves the person reads that address, and their own postal
# address is theirs to give. It proves nothing about a phone: texts and calls are switched
# on by the phone itself (START) or in person, never pushed through an email link.
GRANTABLE = frozenset({Channel.EMAIL, Channel.POST})
PAUSE_MONTHS = (1, 3, 6)
DETAIL_FIELDS = ("first_name", "last_name", "preferred_name", "email", "phone")


@dataclass(frozen=True, slots=True)
class Topic:
    channel: str
    purpose: str
    label: str
    description: str
    granted: bool
    can_grant: bool

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.purpose}"

    @property
    def wording(self) -> str:
        return f"{CHANNEL_LABELS[self.channel]}: {self.label}. {self.description}"


def channels_for(contact: Contact) -> list[str]:
    """The channels we have an address for: nobody is asked about texts without a phone."""
    have = {
        Channel.EMAIL: bool(contact.email),
        Channel.SMS: bool(contact.phone),
        Channel.PHONE: bool(contact.phone),
        Channel.POST: bool(contact.address_line1 and contact.postcode),
    }
    return [channel for channel, present in have.items() if present]


def topics_for(contact: Contact) -> list[Topic]:
    state = current_consents(contact)
    return [
        Topic(
            channel=channel,
            purpose=purpose,
            label=label,
            description=description,
            granted=state.get((channel, purpose)) == ConsentStatus.GRANTED,
            can_grant=channel in GRANTABLE,
        )
        for channel in channels_for(contact)
        for purpose, (label, description) in TOPICS.items()
        if purpose in CHANNEL_TOPICS[channel] or (channel, purpose) in state
    ]


@transaction.atomic
def save_topics(*, actor: Actor, contact: Contact, wanted: set[str]) -> int:
    """Bring each shown topic in line with the ticked keys ("email:newsletter"); returns
    how many changed. A topic that may not be granted here is only ever switched off.
    The contact is locked before the state is read, so a double click writes once."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    changed = 0
    for topic in topics_for(contact):
        want = topic.key in wanted
        if want == topic.granted or (want and not topic.can_grant):
            continue
        record_consent(
            actor=actor,
            contact=contact,
            channel=topic.channel,
            purpose=topic.purpose,
            action=ConsentAction.GRANT if want else ConsentAction.WITHDRAW,
            evidence=Evidence(
                method=ConsentMethod.PREFERENCE_CENTRE,
                form_name="Preference centre",
                wording=topic.wording,
                wording_version=WORDING_VERSION,
                ip_address=actor.ip_address,
                user_agent=actor.user_agent,
            ),
        )
        changed += 1
    return changed


def _preference(contact: Contact) -> ContactPreference:
    pref, _ = ContactPreference.objects.select_for_update().get_or_create(contact=contact)
    return pref


@transaction.atomic
def set_frequency(*, actor: Actor, contact: Contact, frequency: str) -> bool:
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    pref = _preference(contact)
    if pref.frequency == frequency:
        return False
    old = pref.frequency
    pref.frequency = frequency
    pref.save(update_fields=["frequency", "updated_at"])
    record_event(
        actor=actor,
        action="preferences.frequency_changed",
        subject=contact,
        contact=contact,
        old={"frequency": old},
        new={"frequency": frequency},
    )
    return True


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later, or the month's last day (31 January + 1 → 28/29 February)."""
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


@transaction.atomic
def pause_marketing(
    *, actor: Actor, contact: Contact, months: int | None, now: dt.datetime | None = None
) -> ContactPreference:
    """Pause all marketing for 1, 3 or 6 months; `months=None` resumes now."""
    if months is not None and months not in PAUSE_MONTHS:
        raise ValueError(f"a pause lasts {PAUSE_MONTHS} months, not {months}")
    pref = _preference(contact)
    old = pref.paused_until
    pref.paused_until = add_months(now or timezone.now(), months) if months else None
    pref.save(update_fields=["paused_until", "updated_at"])
    record_event(
        actor=actor,
        action="preferences.paused" if months else "preferences.resumed",
        subject=contact,
        contact=contact,
        old={"paused_until": old},
        new={"paused_until": pref.paused_until},
    )
    return pref


def correct_details(*, actor: Actor, contact: Contact, values: Mapping[str, Any]) -> Contact:
    """The customer's own corrections, cleaned by contacts.fields; audited by update_contact."""
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not a detail a customer corrects: {sorted(unknown)}")
    changed = {k: v for k, v in values.items() if getattr(contact, k) != v}
    if not changed:
        return contact
    return update_contact(actor=actor, contact=contact, values=changed)
