"""Small builders for template tests."""

from typing import Any

from dearly.messaging.context import SAMPLE_LINKS, branch_context, build_context
from dearly.messaging.models import TemplateVersion

POSTAL = "1 High Street, Leeds"


def draft_version(html: str = "<p>Hello</p>", **kw: Any) -> TemplateVersion:
    """An unsaved version: rendering and checks need no database row."""
    kw.setdefault("subject", "Hello")
    kw.setdefault("preheader", "")
    kw.setdefault("text_source", "")
    kw.setdefault("fallbacks", {})
    kw.setdefault("missing_data_policy", "fallback")
    return TemplateVersion(html_source=html, **kw)


def person(**contact: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "preferred_name": "",
        "name": contact.get("preferred_name") or contact.get("first_name", "Ada"),
        "email": "ada@example.net",
        "town": "Leeds",
        "postcode": "",
        "country": "GB",
        "language": "",
        "birthday": None,
        "anniversary": None,
        "lifecycle_stage": "customer",
        "tags": [],
        "custom": {},
    }
    values.update(contact)
    return build_context(
        contact=values,
        branch=branch_context(None) | {"name": "North", "phone": "0113 496 0000"},
        business={"name": "Corner Café", "postal_address": POSTAL},
        links=SAMPLE_LINKS,
    )
