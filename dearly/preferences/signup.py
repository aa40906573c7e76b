"""Signup with double opt-in: the confirmation (the request is dearly.signup's).

1. A signup finds or creates the contact and records a PendingSignup citing the form
   version the person saw. No consent is recorded, and an existing contact's details are
   not changed: anyone can type anyone's address into a form.
2. The confirmation email is a service message in the outbox (origin "signup").
3. The click on its link grants email consent for the form's purposes, with the form's
   name, wording and wording version, the time, IP address and user agent as evidence.
   record_consent lets this method ("web_form", the person themselves) lift an earlier
   unsubscribe or erasure; nothing else can.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dearly.contacts.models import Channel, ConsentAction, ConsentMethod, ConsentStatus, Contact
from dearly.contacts.services import (
    Evidence,
    current_consents,
    record_consent,
)
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.preferences.models import PendingSignup


def _evidence(signup: PendingSignup, actor: Actor) -> Evidence:
    version = signup.form_version
    asked = f"{signup.requested_at:%Y-%m-%d %H:%M} UTC from {signup.ip_address or 'unknown IP'}"
    return Evidence(
        method=ConsentMethod.WEB_FORM,
        form_name=version.form_name,
        wording_version=version.wording_version,
        wording=version.wording,
        note=f"Signed up {asked}; confirmed by the link in the confirmation email.",
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
    )


@transaction.atomic
def confirm_signups(*, actor: Actor, contact: Contact, now: dt.datetime | None = None) -> int:
    """Confirm every open signup of this contact; returns how many were open (0: nothing to
    do, e.g. a second click). Raises ContactError when the address cannot be used."""
    now = now or timezone.now()
    open_signups = list(
        PendingSignup.objects.select_for_update()
        .filter(contact=contact, confirmed_at__isnull=True)
        .select_related("form_version")
        .order_by("requested_at")
    )
    state = current_consents(contact)
    for signup in open_signups:
        for purpose in signup.form_version.purposes:
            if state.get((Channel.EMAIL, purpose)) == ConsentStatus.GRANTED:
                continue
            record_consent(
                actor=actor,
                contact=contact,
                channel=Channel.EMAIL,
                purpose=purpose,
                action=ConsentAction.GRANT,
                evidence=_evidence(signup, actor),
                occurred_at=now,
            )
            state[(Channel.EMAIL, purpose)] = ConsentStatus.GRANTED
        signup.confirmed_at = now
        signup.save(update_fields=["confirmed_at"])
        record_event(
            actor=actor,
            action="signup.confirmed",
            subject=signup,
            contact=contact,
            new={"form": signup.form_version.form_name, "version": signup.form_version.number},
        )
    return len(open_signups)
