"""Exports: the contacts list as CSV (streamed, safe to open in a spreadsheet) and one
person's data as JSON. Both are audited: who exported, what, and how many."""

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dearly.contacts.models import Consent, ConsentStatus, Contact, CustomField
from dearly.contacts.privacy import JSON_ENCODER, personal_data
from dearly.core.actor import Actor
from dearly.core.audit import record_event

FIELDS = [
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "time_zone",
    "language",
    "birthday",
    "anniversary",
    "lifecycle_stage",
    "notes",
    "source",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def header(custom_keys: list[str]) -> list[str]:
    tail = ["branch", "tags", "consents", "created_at", *(f"custom_{k}" for k in custom_keys)]
    return ["id", *FIELDS, *tail]


def row(contact: Contact, custom_keys: list[str]) -> list[Any]:
    granted = getattr(contact, "granted_consents", [])
    return [
        str(contact.public_id),
        *(getattr(contact, name) for name in FIELDS),
        contact.branch.name if contact.branch else "",
        ", ".join(tag.name for tag in contact.tags.all()),
        ", ".join(sorted(f"{c.channel}/{c.purpose}" for c in granted)),
        contact.created_at,
        *(contact.custom_fields.get(key) for key in custom_keys),
    ]


def export_queryset(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    granted = Consent.objects.filter(status=ConsentStatus.GRANTED).only(
        "contact_id", "channel", "purpose"
    )
    return qs.select_related("branch").prefetch_related(
        "tags", Prefetch("consents", queryset=granted, to_attr="granted_consents")
    )


class _Echo:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, value: str) -> str:
        return value


def csv_lines(qs: QuerySet[Contact], *, bom: bool = False) -> Iterator[str]:
    custom_keys = list(CustomField.objects.values_list("key", flat=True))
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"  # so spreadsheet programs read the download as UTF-8
    yield writer.writerow(header(custom_keys))
    for contact in export_queryset(qs).iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([safe_cell(v) for v in row(contact, custom_keys)])


def export_contacts(
    *, actor: Actor, queryset: QuerySet[Contact], filters: dict[str, Any], bom: bool = False
) -> tuple[int, Iterator[str]]:
    """Audit the export (who, which filters, how many rows), then stream it."""
    count = queryset.count()
    record_event(
        actor=actor,
        action="contacts.exported",
        subject_type="contact",
        new={"rows": count, "filters": {k: v for k, v in filters.items() if v}},
    )
    return count, csv_lines(queryset, bom=bom)


def export_filename(now: dt.datetime | None = None) -> str:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y-%m-%d-%H%M")
    return f"contacts-{stamp}.csv"


def person_export(*, actor: Actor, contact: Contact) -> str:
    """One person's data as JSON (GDPR Arts. 15 and 20); the export itself is audited."""
    data = json.dumps(personal_data(contact), cls=JSON_ENCODER, indent=2, ensure_ascii=False)
    record_event(
        actor=actor,
        action="contact.data_exported",
        subject=contact,
        contact=contact,
        new={"format": "json"},
    )
    return data
