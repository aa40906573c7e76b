"""The write path for contacts, consent and erasure. Views, API, imports and commands call these.

Each function validates, writes with update_fields, and appends its audit event in one
transaction. Consent is only ever changed here: the ledger row first, then the current state.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from django.db import transaction
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.contacts.fields import FIELDS
from dearly.contacts.models import (
    Channel,
    Consent,
    ConsentAction,
    ConsentEvent,
    ConsentMethod,
    ConsentStatus,
    Contact,
    ContactPoint,
    LifecycleChange,
    PointKind,
    Purpose,
    SuppressionReason,
    Tag,
)
from dearly.contacts.suppression import lift, point_kind_for_channel, reasons_for, suppress
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.signals import emit_contact_event


class ContactError(ValueError):
    """A write that was refused; `field` names what was wrong when one field is to blame."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# Methods where the person themselves told us: these may lift an earlier unsubscribe.
DIRECT_METHODS = frozenset(
    {
        ConsentMethod.WEB_FORM,
        ConsentMethod.PAPER_FORM,
        ConsentMethod.IN_PERSON,
        ConsentMethod.PHONE_CALL,
        ConsentMethod.EMAIL,
        ConsentMethod.PREFERENCE_CENTRE,
    }
)
# Suppressions a direct, evidenced grant lifts. A hard bounce means the address does not work.
LIFTABLE: set[str] = {
    SuppressionReason.UNSUBSCRIBED,
    SuppressionReason.ERASED,
    SuppressionReason.COMPLAINT,
    SuppressionReason.DO_NOT_CALL,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """How a consent decision reached us: enough to prove it later."""

    method: str
    form_name: str = ""
    wording_version: str = ""
    wording: str = ""
    note: str = ""
    ip_address: str | None = None
    user_agent: str = ""


def snapshot(contact: Contact) -> dict[str, Any]:
    values = {name: getattr(contact, name) for name in FIELDS}
    values["branch"] = contact.branch.name if contact.branch_id and contact.branch else None
    return values


def _check_unique(*, contact: Contact | None, email: str | None, phone: str | None) -> None:
    others = Contact.objects.exclude(pk=contact.pk) if contact else Contact.objects.all()
    if email and others.filter(email=email).exists():
        raise ContactError("another contact already has this email address", field="email")
    if phone and others.filter(phone=phone).exists():
        raise ContactError("another contact already has this phone number", field="phone")


def _apply_lifecycle(
    *, contact: Contact, from_stage: str, stage: str, reason: str, actor: Actor, now: dt.datetime
) -> None:
    LifecycleChange.objects.create(
        contact=contact,
        from_stage=from_stage,
        to_stage=stage,
        reason=reason,
        changed_at=now,
        actor_id=actor.user_id,
    )
    emit_contact_event(
        contact_id=contact.pk,
        name="lifecycle.changed",
        occurred_at=now,
        properties={"from": from_stage, "to": stage, "reason": reason},
    )


@transaction.atomic
def create_contact(
    *,
    actor: Actor,
    values: dict[str, Any],
    branch: Branch | None = None,
    branch_chosen: bool = False,
    tags: Iterable[str] = (),
    lifecycle_reason: str = "",
) -> Contact:
    """Create a contact from cleaned values (see contacts.fields.clean_values)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ContactError(f"unknown field {sorted(unknown)[0]}", field=sorted(unknown)[0])
    _check_unique(contact=None, email=values.get("email"), phone=values.get("phone"))
    now = timezone.now()
    contact = Contact(**values, branch=branch, branch_chosen=branch_chosen)
    contact.lifecycle_changed_at = now
    contact.save()
    _apply_lifecycle(
        contact=contact,
        from_stage="",
        stage=contact.lifecycle_stage,
        reason=lifecycle_reason or "created",
        actor=actor,
        now=now,
    )
    if tags:
        contact.tags.set(get_or_create_tags(tags))
    record_event(
        actor=actor,
        action="contact.created",
        subject=contact,
        contact=contact,
        new={**snapshot(contact), "tags": sorted(tags)},
    )
    return contact


@transaction.atomic
def update_contact(
    *,
    actor: Actor,
    contact: Contact,
    values: dict[str, Any],
    branch: Branch | EllipsisType | None = ...,
    branch_chosen: bool | None = None,
    lifecycle_reason: str = "",
) -> Contact:
    """Change some fields of a contact; only what changed is written and audited."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ContactError(f"unknown field {sorted(unknown)[0]}", field=sorted(unknown)[0])
    # Lock only the contact: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
    locked = Contact.objects.select_for_update(of=("self",)).select_related("branch")
    contact = locked.get(pk=contact.pk)
    before = snapshot(contact)
    _check_unique(contact=contact, email=values.get("email"), phone=values.get("phone"))
    changed = [name for name, value in values.items() if getattr(contact, name) != value]
    now = timezone.now()
    if "lifecycle_stage" in changed:
        _apply_lifecycle(
            contact=contact,
            from_stage=contact.lifecycle_stage,
            stage=values["lifecycle_stage"],
            reason=lifecycle_reason,
            actor=actor,
            now=now,
        )
        contact.lifecycle_changed_at = now
        changed.append("lifecycle_changed_at")
    for name in changed:
        if name in values:
            setattr(contact, name, values[name])
    if branch is not ... and branch != contact.branch:
        contact.branch = branch
        changed.append("branch")
    if branch_chosen is not None and branch_chosen != contact.branch_chosen:
        contact.branch_chosen = branch_chosen
        changed.append("branch_chosen")
    if not changed:
        return contact
    contact.save(update_fields=[*changed, "updated_at"])
    old, new = diff(before, snapshot(contact))
    if "lifecycle_stage" in new and lifecycle_reason:
        new["lifecycle_reason"] = lifecycle_reason
    record_event(
        actor=actor, action="contact.updated", subject=contact, contact=contact, old=old, new=new
    )
    return contact


def get_or_create_tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = raw.strip()[:60]
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


@transaction.atomic
def set_tags(*, actor: Actor, contact: Contact, names: Iterable[str]) -> None:
    before = sorted(contact.tags.values_list("name", flat=True))
    tags = get_or_create_tags(names)
    contact.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        record_event(
            actor=actor,
            action="contact.tags_changed",
            subject=contact,
            contact=contact,
            old={"tags": before},
            new={"tags": after},
        )


@transaction.atomic
def add_contact_point(
    *, actor: Actor, contact: Contact, kind: str, value: str, label: str = ""
) -> ContactPoint:
    point, created = ContactPoint.objects.get_or_create(
        contact=contact, kind=kind, value=value, defaults={"label": label}
    )
    if created:
        record_event(
            actor=actor,
            action="contact.point_added",
            subject=contact,
            contact=contact,
            new={"kind": kind, "label": label, "value": value},
        )
    return point


def _address_for(contact: Contact, channel: str) -> tuple[str | None, str | None]:
    kind = point_kind_for_channel(channel)
    if kind == PointKind.EMAIL:
        return kind, contact.email
    if kind == PointKind.PHONE:
        return kind, contact.phone
    return None, None


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    contact: Contact,
    channel: str,
    purpose: str,
    action: str,
    evidence: Evidence,
    occurred_at: dt.datetime | None = None,
) -> ConsentEvent:
    """Append a grant or withdrawal to the ledger, then bring the current state in line.

    1. The contact row is locked, so two decisions about one person apply in order.
    2. A grant for an address on the suppression list is refused unless the person told us
       directly (a form, in person, on the phone); then the unsubscribe is lifted and audited.
    3. A withdrawal that leaves no purpose granted on email, SMS or phone adds the address to
       the suppression list, so no later import or API call can quietly resubscribe it.
    """
    if channel not in Channel.values:
        raise ContactError(f"unknown channel {channel!r}", field="channel")
    if purpose not in Purpose.values:
        raise ContactError(f"unknown purpose {purpose!r}", field="purpose")
    if action not in ConsentAction.values:
        raise ContactError(f"unknown action {action!r}", field="action")
    if evidence.method not in ConsentMethod.values:
        raise ContactError(f"unknown method {evidence.method!r}", field="method")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    kind, address = _address_for(contact, channel)
    if action == ConsentAction.GRANT:
        if kind and not address:
            raise ContactError(f"this contact has no {kind} to send {channel} to", field="channel")
        _check_suppression_for_grant(
            kind=kind, address=address, evidence=evidence, actor=actor, contact=contact
        )
    now = timezone.now()
    event = ConsentEvent.objects.create(
        contact=contact,
        channel=channel,
        purpose=purpose,
        action=action,
        occurred_at=occurred_at or now,
        source=actor.source,
        method=evidence.method,
        form_name=evidence.form_name,
        wording_version=evidence.wording_version,
        wording=evidence.wording,
        note=evidence.note,
        ip_address=evidence.ip_address,
        user_agent=evidence.user_agent[:400],
        staff_id=actor.user_id,
        actor_label=actor.label,
    )
    status = ConsentStatus.GRANTED if action == ConsentAction.GRANT else ConsentStatus.WITHDRAWN
    previous = Consent.objects.filter(contact=contact, channel=channel, purpose=purpose).first()
    Consent.objects.update_or_create(
        contact=contact,
        channel=channel,
        purpose=purpose,
        defaults={"status": status, "updated_at": now, "last_event": event},
    )
    if action == ConsentAction.WITHDRAW and kind and address:
        still_granted = Consent.objects.filter(
            contact=contact, channel=channel, status=ConsentStatus.GRANTED
        ).exists()
        if not still_granted:
            reason = (
                SuppressionReason.DO_NOT_CALL
                if channel == Channel.PHONE
                else SuppressionReason.UNSUBSCRIBED
            )
            suppress(kind=kind, value=address, reason=reason, source=actor.source)
    if action == ConsentAction.GRANT and (previous is None or previous.status != status):
        emit_contact_event(
            contact_id=contact.pk,
            name="consent.granted",
            occurred_at=event.occurred_at,
            properties={"channel": channel, "purpose": purpose, "method": evidence.method},
        )
    record_event(
        actor=actor,
        action=f"consent.{action}",
        subject=event,
        subject_type="consent",
        contact=contact,
        old={f"{channel}/{purpose}": previous.status if previous else None},
        new={f"{channel}/{purpose}": status, "method": evidence.method},
    )
    return event


def _check_suppression_for_grant(
    *, kind: str | None, address: str | None, evidence: Evidence, actor: Actor, contact: Contact
) -> None:
    if not kind or not address:
        return
    reasons = reasons_for(kind=kind, value=address)
    if not reasons:
        return
    if SuppressionReason.HARD_BOUNCE in reasons:
        raise ContactError("this address bounced permanently; it cannot be used", field="channel")
    if evidence.method not in DIRECT_METHODS:
        raise ContactError(
            "this address is on the suppression list ("
            + ", ".join(sorted(reasons))
            + "); only the person themselves can opt back in",
            field="channel",
        )
    lift(kind=kind, value=address, reasons=LIFTABLE)
    record_event(
        actor=actor,
        action="suppression.lifted",
        subject_type="suppression",
        contact=contact,
        old={"reasons": sorted(reasons)},
        new={"method": evidence.method},
    )


def current_consents(contact: Contact) -> dict[tuple[str, str], str]:
    return {
        (c.channel, c.purpose): c.status
        for c in Consent.objects.filter(contact=contact).only("channel", "purpose", "status")
    }


@transaction.atomic
def remove_contact_point(*, actor: Actor, contact: Contact, point: ContactPoint) -> None:
    if point.contact_id != contact.pk:
        raise ContactError("this address belongs to another contact", field="points")
    old = {"kind": point.kind, "label": point.label, "value": point.value}
    point.delete()
    record_event(
        actor=actor, action="contact.point_removed", subject=contact, contact=contact, old=old
    )


def set_contact_points(
    *, actor: Actor, contact: Contact, kinds: Iterable[str], points: Iterable[tuple[str, str, str]]
) -> None:
    """Make the contact's points of these kinds exactly `points` (kind, label, value)."""
    wanted = {(kind, value): label for kind, label, value in points}
    for point in contact.points.filter(kind__in=list(kinds)):
        label = wanted.pop((point.kind, point.value), None)
        if label is None:
            remove_contact_point(actor=actor, contact=contact, point=point)
        elif label != point.label:
            _relabel_point(actor=actor, contact=contact, point=point, label=label)
    for (kind, value), label in wanted.items():
        add_contact_point(actor=actor, contact=contact, kind=kind, value=value, label=label)


def _relabel_point(*, actor: Actor, contact: Contact, point: ContactPoint, label: str) -> None:
    old = {"kind": point.kind, "label": point.label, "value": point.value}
    point.label = label
    point.save(update_fields=["label"])
    record_event(
        actor=actor,
        action="contact.point_changed",
        subject=contact,
        contact=contact,
        old=old,
        new={**old, "label": label},
    )


@transaction.atomic
def set_household(*, actor: Actor, contact: Contact, household: dict[str, str]) -> None:
    """Household facts ("Children's ages": "4, 7"): free-form keys, audited as a whole."""
    if household == contact.household:
        return
    old = contact.household
    contact.household = household
    contact.save(update_fields=["household", "updated_at"])
    record_event(
        actor=actor,
        action="contact.household_changed",
        subject=contact,
        contact=contact,
        old={"household": old},
        new={"household": household},
    )


@transaction.atomic
def set_custom_fields(*, actor: Actor, contact: Contact, values: dict[str, Any]) -> None:
    """Replace the contact's custom field values (cleaned by contacts.custom_fields)."""
    before = dict(contact.custom_fields)
    if values == before:
        return
    contact.custom_fields = values
    contact.save(update_fields=["custom_fields", "updated_at"])
    keys = sorted(set(before) | set(values))
    changed = [k for k in keys if before.get(k) != values.get(k)]
    record_event(
        actor=actor,
        action="contact.custom_fields_changed",
        subject=contact,
        contact=contact,
        old={f"custom.{k}": before.get(k) for k in changed},
        new={f"custom.{k}": values.get(k) for k in changed},
    )


@dataclass(frozen=True, slots=True)
class ContactChanges:
    """Everything the contact form may change; None means "leave as it is"."""

    values: dict[str, Any]
    branch: Branch | EllipsisType | None = ...
    branch_chosen: bool | None = None
    lifecycle_reason: str = ""
    tags: list[str] | None = None
    household: dict[str, str] | None = None
    custom_fields: dict[str, Any] | None = None
    # (kind, label, value) for every extra email, phone and social handle the contact has.
    points: list[tuple[str, str, str]] | None = None


@transaction.atomic
def save_contact(*, actor: Actor, contact: Contact | None, changes: ContactChanges) -> Contact:
    """Create or update a contact and everything around it in one transaction: all or nothing."""
    if contact is None:
        branch = None if changes.branch is ... else changes.branch
        contact = create_contact(
            actor=actor,
            values=changes.values,
            branch=branch,
            branch_chosen=bool(changes.branch_chosen),
            tags=changes.tags or (),
            lifecycle_reason=changes.lifecycle_reason,
        )
    else:
        contact = update_contact(
            actor=actor,
            contact=contact,
            values=changes.values,
            branch=changes.branch,
            branch_chosen=changes.branch_chosen,
            lifecycle_reason=changes.lifecycle_reason,
        )
        if changes.tags is not None:
            set_tags(actor=actor, contact=contact, names=changes.tags)
    if changes.household is not None:
        set_household(actor=actor, contact=contact, household=changes.household)
    if changes.custom_fields is not None:
        set_custom_fields(actor=actor, contact=contact, values=changes.custom_fields)
    if changes.points is not None:
        set_contact_points(
            actor=actor, contact=contact, kinds=PointKind.values, points=changes.points
        )
    return contact
