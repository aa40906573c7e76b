"""Create or update a contact found by email or phone, with its tags and consents, in one go.

Another system (through the API) calls this with whatever it knows about a person:

1. Every field, the branch and every consent are checked before anything is written, and all
   problems are reported together, each under the path of the field to blame
   ("email", "consents.0.wording").
2. The contact is matched on its normalised email first, then on its E.164 phone; with no
   match it is created. Only the fields given are changed; a blank value clears a field.
3. The writes go through the contact services inside one transaction, so the audit log names
   the actor's source and a refusal part-way (a suppressed address) leaves nothing behind.
4. Another system cannot speak for the person: a grant for a suppressed address (unsubscribed,
   erased, complained, bounced) is refused whatever method it claims. Only the person opting
   back in through one of our own forms may lift that.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.contacts.fields import clean_values
from dearly.contacts.models import ConsentAction, ConsentEvent, Contact, PointKind
from dearly.contacts.services import (
    ContactError,
    Evidence,
    create_contact,
    record_consent,
    set_tags,
    update_contact,
)
from dearly.contacts.suppression import point_kind_for_channel, reasons_for
from dearly.core.actor import Actor
from dearly.core.models import Business

# A clock a few minutes fast on the other system is not a reason to refuse its evidence.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """One grant or withdrawal another system reports, with the evidence it holds."""

    channel: str
    purpose: str
    action: str
    evidence: Evidence
    occurred_at: dt.datetime | None = None


class UpsertRefused(ContactError):
    """Nothing was written; `errors` maps each field path to what was wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def default_region() -> str:
    """The country national phone numbers are read in: the business's, else the setting."""
    country = Business.objects.filter(pk=1).values_list("default_country", flat=True).first()
    return country or settings.DEFAULT_COUNTRY


def find_branch(ref: str) -> Branch | None:
    """A branch by its public id or its exact name (case-insensitive)."""
    ref = ref.strip()
    try:
        return Branch.objects.filter(public_id=UUID(ref)).first()
    except ValueError:
        return Branch.objects.filter(name__iexact=ref).first()


@dataclass(frozen=True, slots=True)
class _Checked:
    """An upsert whose every part passed the checks, ready to write."""

    values: dict[str, Any]
    branch: Branch | None
    branch_given: bool
    tags: Sequence[str] | None
    consents: Sequence[ConsentRequest]


def upsert_contact(
    *,
    actor: Actor,
    values: dict[str, Any],
    branch: str | None = None,
    tags: Sequence[str] | None = None,
    consents: Sequence[ConsentRequest] = (),
) -> tuple[Contact, bool]:
    """Create or update the contact; returns (contact, created). Raises UpsertRefused."""
    checked = _check(values=values, branch=branch, tags=tags, consents=consents)
    try:
        with transaction.atomic():
            return _apply(actor=actor, checked=checked)
    except IntegrityError:
        # Another request created the same person between our lookup and our insert (two
        # webhooks for one order); the lookup now finds it, so the second try updates.
        with transaction.atomic():
            return _apply(actor=actor, checked=checked)


def _check(
    *,
    values: dict[str, Any],
    branch: str | None,
    tags: Sequence[str] | None,
    consents: Sequence[ConsentRequest],
) -> _Checked:
    branch = (branch or "").strip() or None  # blank means "not given", not "no branch"
    cleaned, errors = clean_values(values, default_region())
    if not errors and not cleaned.get("email") and not cleaned.get("phone"):
        errors["email"] = "give an email address or a phone number to find the contact by"
    target = find_branch(branch) if branch else None
    if branch and target is None:
        errors["branch"] = "no branch with this name or id"
    for index, request in enumerate(consents):
        errors |= {f"consents.{index}.{k}": v for k, v in consent_errors(request).items()}
    if errors:
        raise UpsertRefused(errors)
    return _Checked(cleaned, target, branch is not None, tags, consents)


def consent_errors(request: ConsentRequest) -> dict[str, str]:
    """What is wrong with a reported consent before we look at the contact, by field."""
    errors: dict[str, str] = {}
    evidence = request.evidence
    if request.action == ConsentAction.GRANT and not (
        evidence.wording.strip() or evidence.note.strip()
    ):
        errors["wording"] = (
            "a grant needs evidence: the wording the person agreed to, or a note of how they agreed"
        )
    if request.occurred_at and request.occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = "is in the future"
    return errors


def _match(cleaned: dict[str, Any]) -> Contact | None:
    for key in ("email", "phone"):
        if value := cleaned.get(key):
            contact = Contact.objects.filter(**{key: value}).first()
            if contact:
                return contact
    return None


def _apply(*, actor: Actor, checked: _Checked) -> tuple[Contact, bool]:
    found = _match(checked.values)
    try:
        if found is None:
            contact = create_contact(
                actor=actor,
                values=checked.values,
                branch=checked.branch,
                branch_chosen=checked.branch_given,
                tags=checked.tags or (),
            )
        else:
            contact = _update(actor=actor, contact=found, checked=checked)
    except ContactError as exc:
        raise UpsertRefused({exc.field or "email": str(exc)}) from None
    for index, request in enumerate(checked.consents):
        record_reported_consent(
            actor=actor, contact=contact, request=request, path=f"consents.{index}"
        )
    return contact, found is None


def _update(*, actor: Actor, contact: Contact, checked: _Checked) -> Contact:
    contact = update_contact(
        actor=actor,
        contact=contact,
        values=checked.values,
        branch=checked.branch if checked.branch_given else ...,
        branch_chosen=True if checked.branch_given else None,
    )
    if checked.tags is not None:
        set_tags(actor=actor, contact=contact, names=checked.tags)
    return contact


def record_reported_consent(
    *, actor: Actor, contact: Contact, request: ConsentRequest, path: str = ""
) -> ConsentEvent:
    """Record a consent another system reports; refused for a suppressed address (see 4.)."""
    prefix = f"{path}." if path else ""
    errors = consent_errors(request)
    if errors:
        raise UpsertRefused({prefix + k: v for k, v in errors.items()})
    try:
        if request.action == ConsentAction.GRANT:
            _refuse_if_suppressed(contact, request.channel)
        return record_consent(
            actor=actor,
            contact=contact,
            channel=request.channel,
            purpose=request.purpose,
            action=request.action,
            evidence=request.evidence,
            occurred_at=request.occurred_at,
        )
    except ContactError as exc:
        raise UpsertRefused({prefix + (exc.field or "channel"): str(exc)}) from None


def _refuse_if_suppressed(contact: Contact, channel: str) -> None:
    kind = point_kind_for_channel(channel)
    address = contact.email if kind == PointKind.EMAIL else contact.phone
    reasons = reasons_for(kind=kind, value=address) if kind else set()
    if reasons:
        raise ContactError(
            f"this address is on the suppression list ({', '.join(sorted(reasons))}); another"
            " system cannot opt it back in, only the person themselves can",
            field="channel",
        )
