"""Signup with double opt-in: the form's versions, the request, and the confirmation.

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

from django.db import IntegrityError, transaction
from django.utils import timezone

from dearly.contacts.models import Channel, ConsentAction, ConsentMethod, ConsentStatus, Contact
from dearly.contacts.services import (
    ContactError,
    Evidence,
    create_contact,
    current_consents,
    record_consent,
)
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.delivery.models import MessagePurpose
from dearly.delivery.outbox import enqueue_one
from dearly.preferences.models import PendingSignup, SignupFormVersion
from dearly.preferences.system_template import confirmation_version_id

# A second signup for the same address within this gap sends no second email: a form cannot
# be used to flood someone's inbox with confirmations.
RESEND_GAP = dt.timedelta(minutes=10)


def _find_or_create(*, actor: Actor, email: str, first_name: str, form_name: str) -> Contact:
    found = Contact.objects.filter(email=email).first()
    if found:
        return found
    values = {"email": email, "source": f"Signup form: {form_name}"[:100]}
    if first_name:
        values["first_name"] = first_name
    try:
        return create_contact(actor=actor, values=values, lifecycle_reason="signed up")
    except (ContactError, IntegrityError):  # the same address signed up a moment ago
        return Contact.objects.get(email=email)


@transaction.atomic
def request_signup(
    *,
    actor: Actor,
    version: SignupFormVersion,
    email: str,
    first_name: str = "",
    now: dt.datetime | None = None,
) -> PendingSignup:
    """Record a signup and queue its confirmation email; `email` is already normalised."""
    now = now or timezone.now()
    contact = _find_or_create(
        actor=actor, email=email, first_name=first_name, form_name=version.form_name
    )
    recent = PendingSignup.objects.filter(
        contact=contact, confirmed_at__isnull=True, requested_at__gt=now - RESEND_GAP
    ).first()
    if recent:
        return recent
    pending = PendingSignup.objects.create(
        contact=contact,
        form_version=version,
        requested_at=now,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent[:400],
    )
    enqueue_one(
        contact=contact,
        origin_type="signup",
        origin_id=pending.pk,
        purpose=MessagePurpose.SERVICE,
        template_version_id=confirmation_version_id(),
        idempotency_key=f"signup:{pending.public_id}",
    )
    return pending


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
