"""What a template sees: dicts of primitives built from the database, never model instances.

Keeping the context primitive is what lets the sandbox stay small: there is no method on a
model, manager or user object for a template to reach, and the delivery layer can build the
same dicts in bulk without loading models at all.
"""

import datetime as dt
from typing import Any

from dearly.branches.hours import week
from dearly.branches.models import Branch
from dearly.contacts.models import Contact, CustomField
from dearly.core.models import Business
from dearly.core.queries import get_business

Context = dict[str, Any]
PRIMITIVES = (str, int, float, bool, dt.date, type(None))

SAMPLE = "https://sample.invalid"
SAMPLE_LINKS = {
    "unsubscribe_url": f"{SAMPLE}/unsubscribe",
    "preferences_url": f"{SAMPLE}/preferences",
}


def custom_keys() -> frozenset[str]:
    return frozenset(CustomField.objects.values_list("key", flat=True))


def contact_context(contact: Contact, *, keys: frozenset[str], tags: list[str]) -> Context:
    first = contact.first_name
    return {
        "first_name": first,
        "last_name": contact.last_name,
        "preferred_name": contact.preferred_name,
        "name": contact.preferred_name or first,
        "email": contact.email or "",
        "town": contact.town,
        "postcode": contact.postcode,
        "country": contact.country,
        "language": contact.language,
        "birthday": contact.birthday,
        "anniversary": contact.anniversary,
        "lifecycle_stage": contact.lifecycle_stage,
        "tags": list(tags),
        "custom": {key: _primitive(contact.custom_fields.get(key)) for key in sorted(keys)},
    }


def branch_context(branch: Branch | None) -> Context:
    if branch is None:
        return dict.fromkeys(("name", "address", "town", "phone", "email", "opening_hours"), "")
    hours = week(branch.opening_hours) if branch.opening_hours else []
    return {
        "name": branch.name,
        "address": branch.address,
        "town": branch.town,
        "phone": branch.phone,
        "email": branch.email,
        "opening_hours": "\n".join(f"{day}: {periods}" for day, periods in hours),
    }


def business_context(business: Business) -> Context:
    # One line: an address typed on several lines would otherwise run together in HTML.
    lines = [line.strip(" ,") for line in business.postal_address.splitlines()]
    return {"name": business.name, "postal_address": ", ".join(line for line in lines if line)}


def build_context(
    *, contact: Context, branch: Context, business: Context, links: dict[str, str]
) -> Context:
    context = {"contact": contact, "branch": branch, "business": business, "links": links}
    _check_primitive(context)
    return context


def context_for_contact(contact: Contact, *, links: dict[str, str]) -> Context:
    """The full context for one real contact (previews; delivery builds these in bulk)."""
    tags = list(contact.tags.values_list("name", flat=True))
    return build_context(
        contact=contact_context(contact, keys=custom_keys(), tags=tags),
        branch=branch_context(contact.branch),
        business=business_context(get_business()),
        links=links,
    )


def sample_context() -> Context:
    """A made-up person for previews before any contact is chosen; clearly sample data."""
    sample = Contact(
        first_name="Sam",
        last_name="Sample",
        email="sam.sample@sample.invalid",
        town="Sampletown",
        birthday=dt.date(1990, 6, 1),
    )
    return build_context(
        contact=contact_context(sample, keys=custom_keys(), tags=["sample"]),
        branch=branch_context(None) | {"name": "Your branch"},
        business=business_context(get_business()),
        links=SAMPLE_LINKS,
    )


def _primitive(value: Any) -> Any:
    return value if isinstance(value, PRIMITIVES) else str(value)


def _check_primitive(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _check_primitive(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_primitive(item)
    elif not isinstance(value, PRIMITIVES):
        raise TypeError(f"template context must hold primitives, not {type(value).__name__}")
