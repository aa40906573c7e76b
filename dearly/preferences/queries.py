"""Reads for the customer pages and for the delivery policy."""

import datetime as dt
import uuid
from collections.abc import Iterable

from dearly.contacts.models import Contact
from dearly.preferences.models import ContactPreference, Frequency
from dearly.preferences.tokens import read_preferences_token, read_unsubscribe_token


def contact_by_public_id(public_id: uuid.UUID | None) -> Contact | None:
    if public_id is None:
        return None
    return Contact.objects.filter(public_id=public_id).first()


def contact_for_preferences_token(token: str) -> Contact | None:
    """The person a preference link belongs to; None for a bad token or an erased person.
    Callers show the same neutral page for both, so a token reveals nobody."""
    return contact_by_public_id(read_preferences_token(token))


def contact_for_unsubscribe_token(token: str) -> tuple[Contact, uuid.UUID | None] | None:
    read = read_unsubscribe_token(token)
    contact = contact_by_public_id(read[0]) if read else None
    return (contact, read[1]) if contact and read else None


def preference_for(contact: Contact) -> ContactPreference:
    """The contact's saved preference, or the defaults (unsaved) when they never chose."""
    return ContactPreference.objects.filter(contact=contact).first() or ContactPreference(
        contact=contact
    )


def paused_contact_ids(contact_ids: Iterable[int], *, now: dt.datetime) -> set[int]:
    """Of these contacts, those who paused marketing until after `now` (for the policy gate)."""
    return set(
        ContactPreference.objects.filter(
            contact_id__in=list(contact_ids), paused_until__gt=now
        ).values_list("contact_id", flat=True)
    )


def frequencies(contact_ids: Iterable[int]) -> dict[int, str]:
    """Each contact's chosen frequency when it is not "as it comes" (for the contact budget)."""
    return dict(
        ContactPreference.objects.filter(contact_id__in=list(contact_ids))
        .exclude(frequency=Frequency.ANY)
        .values_list("contact_id", "frequency")
    )
