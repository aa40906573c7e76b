"""Small helpers for segment tests: one-condition trees and the names that match them."""

from typing import Any

from dearly.audiences.queries import audience_for
from dearly.contacts.models import Contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.access import member_for
from dearly.core.actor import Actor


def cond(field: str, op: str, value: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = {"field": field, "op": op}
    if value is not None:
        node["value"] = value
    return node


def tree(*rules: dict[str, Any], match: str = "all") -> dict[str, Any]:
    return {"match": match, "rules": list(rules)}


def names(user: Any, rules: dict[str, Any]) -> set[str]:
    member = member_for(user)
    assert member is not None
    return set(audience_for(member, rules).values_list("first_name", flat=True))


def grant(contact: Contact, channel: str = "email", purpose: str = "newsletter") -> None:
    record_consent(
        actor=Actor.system("tests"),
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="grant",
        evidence=Evidence(method="paper_form", wording="Yes please"),
    )


def withdraw(contact: Contact, channel: str = "email", purpose: str = "newsletter") -> None:
    record_consent(
        actor=Actor.system("tests"),
        contact=contact,
        channel=channel,
        purpose=purpose,
        action="withdraw",
        evidence=Evidence(method="email", wording="Stop"),
    )
