"""The write path for custom field definitions: create, change and delete, each audited.

The values contacts hold live in Contact.custom_fields; `contacts.custom_fields` cleans them.
"""

import re
from typing import Any

from django.db import transaction

from dearly.contacts.fields import FIELDS
from dearly.contacts.models import Contact, CustomField, FieldType
from dearly.core.actor import Actor
from dearly.core.audit import diff, record_event
from dearly.core.services import ManageError

# Keys become merge fields and CSV column names, so they stay plain.
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _clean_choices(field_type: str, choices: list[str]) -> list[str]:
    if field_type != FieldType.CHOICE:
        return []
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if not cleaned:
        raise ManageError("list at least one choice, one per line", field="choices")
    return cleaned


def _check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise ManageError(
            "use lower-case letters, digits and underscores, starting with a letter", field="key"
        )
    if key in FIELDS:
        raise ManageError(f"“{key}” is a built-in contact field; pick another key", field="key")
    if CustomField.objects.filter(key=key).exists():
        raise ManageError("another custom field already uses this key", field="key")
    return key


def field_usage(field: CustomField) -> int:
    """How many contacts hold a value for this field."""
    return Contact.objects.filter(custom_fields__has_key=field.key).count()


@transaction.atomic
def create_custom_field(
    *, actor: Actor, key: str, label: str, field_type: str, choices: list[str]
) -> CustomField:
    if field_type not in FieldType.values:
        raise ManageError("choose a type", field="field_type")
    field = CustomField.objects.create(
        key=_check_key(key.strip().lower()),
        label=label.strip(),
        field_type=field_type,
        choices=_clean_choices(field_type, choices),
    )
    record_event(
        actor=actor,
        action="custom_field.created",
        subject_type="custom_field",
        subject_id=field.key,
        new=_describe(field),
    )
    return field


def _describe(field: CustomField) -> dict[str, Any]:
    return {"label": field.label, "type": field.field_type, "choices": field.choices}


@transaction.atomic
def update_custom_field(
    *, actor: Actor, field: CustomField, label: str, field_type: str, choices: list[str]
) -> CustomField:
    """Change the label, type or choices. The key is fixed: contacts' values are stored by it."""
    if field_type != field.field_type and field_usage(field):
        raise ManageError("contacts already hold values of this type", field="field_type")
    before = _describe(field)
    field.label = label.strip()
    field.field_type = field_type
    field.choices = _clean_choices(field_type, choices)
    old, new = diff(before, _describe(field))
    if new:
        field.save(update_fields=["label", "field_type", "choices"])
        record_event(
            actor=actor,
            action="custom_field.changed",
            subject_type="custom_field",
            subject_id=field.key,
            old=old,
            new=new,
        )
    return field


@transaction.atomic
def delete_custom_field(*, actor: Actor, field: CustomField) -> int:
    """Delete the definition and the values contacts hold for it; returns how many had one."""
    holders = list(Contact.objects.select_for_update().filter(custom_fields__has_key=field.key))
    for contact in holders:
        contact.custom_fields.pop(field.key, None)
    Contact.objects.bulk_update(holders, ["custom_fields"], batch_size=500)
    record_event(
        actor=actor,
        action="custom_field.deleted",
        subject_type="custom_field",
        subject_id=field.key,
        old={**_describe(field), "contacts_with_value": len(holders)},
    )
    field.delete()
    return len(holders)
