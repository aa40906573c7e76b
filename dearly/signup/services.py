"""Signup with double opt-in: the request, which sends the confirmation email.

1. A signup finds or creates the contact and records a PendingSignup citing the form
   version the person saw. No consent is recorded, and an existing contact's details are
   not changed: anyone can type anyone's address into a form.
2. The confirmation email is a service message in the outbox (origin "signup"); this is why
   the request sits above delivery while the confirmation (preferences.signup) sits below it.
3. The click on its link grants consent: preferences.signup.confirm_signups.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.contacts.services import (
    ContactError,
    create_contact,
)
from dearly.core.actor import Actor
from dearly.delivery.outbox import enqueue_one
from dearly.messaging.models import MessagePurpose
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
