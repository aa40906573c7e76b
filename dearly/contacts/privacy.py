"""A person's rights: a full export of what we hold (Arts. 15 and 20) and erasure (Art. 17)."""

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from dearly.contacts.models import Contact, PointKind, SuppressionReason
from dearly.contacts.services import snapshot
from dearly.contacts.suppression import suppress
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import AuditEvent

JSON_ENCODER = DjangoJSONEncoder


def personal_data(contact: Contact) -> dict[str, Any]:
    """Everything held about one person, in a machine-readable shape."""
    return {
        "exported_at": timezone.now(),
        "contact": {
            "id": str(contact.public_id),
            **snapshot(contact),
            "household": contact.household,
            "custom_fields": contact.custom_fields,
            "branch_chosen": contact.branch_chosen,
            "created_at": contact.created_at,
            "updated_at": contact.updated_at,
        },
        "tags": sorted(contact.tags.values_list("name", flat=True)),
        "contact_points": list(contact.points.values("kind", "label", "value", "created_at")),
        "lifecycle_history": list(
            contact.lifecycle_changes.values("from_stage", "to_stage", "reason", "changed_at")
        ),
        "consents": list(contact.consents.values("channel", "purpose", "status", "updated_at")),
        "consent_ledger": list(
            contact.consent_events.values(
                "channel",
                "purpose",
                "action",
                "occurred_at",
                "method",
                "source",
                "form_name",
                "wording_version",
                "wording",
                "note",
                "ip_address",
                "user_agent",
            )
        ),
        "history": list(
            contact.audit_events.values("occurred_at", "action", "source", "old", "new")
        ),
    }


@transaction.atomic
def erase_contact(*, actor: Actor, contact: Contact) -> None:
    """Remove a person's data; keep only keyed hashes of their addresses on the suppression list.

    1. Every email and phone number of theirs is suppressed as 'erased', so a later import,
       API upsert or signup cannot silently bring them back.
    2. Audit events about them lose their values (they hold personal data) but stay as facts.
    3. The contact and everything hanging off it (consents, ledger, points) is deleted.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    addresses: list[tuple[str, str | None]] = [
        (PointKind.EMAIL, contact.email),
        (PointKind.PHONE, contact.phone),
    ]
    addresses += [
        (p.kind, p.value)
        for p in contact.points.filter(kind__in=[PointKind.EMAIL, PointKind.PHONE])
    ]
    for kind, value in addresses:
        if value:
            suppress(kind=kind, value=value, reason=SuppressionReason.ERASED, source=actor.source)
    public_id = str(contact.public_id)
    AuditEvent.objects.filter(contact=contact).update(
        old={}, new={"redacted": "erased"}, contact=None
    )
    contact.delete()
    record_event(
        actor=actor,
        action="contact.erased",
        subject_type="contact",
        subject_id=public_id,
        new={"suppressed_addresses": sum(1 for _, v in addresses if v)},
    )
