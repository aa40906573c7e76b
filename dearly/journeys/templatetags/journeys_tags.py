"""`{% contact_journeys contact %}`: the journeys a contact is in, for the contact page."""

from typing import Any

from django import template

from dearly.contacts.models import Contact
from dearly.journeys.figures import contact_journeys as rows_for

register = template.Library()


@register.inclusion_tag("journeys/_contact_journeys.html", takes_context=True)
def contact_journeys(context: template.Context, contact: Contact) -> dict[str, Any]:
    """Links to the journeys only for members who may open them (they need send_campaigns)."""
    can = context.get("can") or {}
    linked = bool(can.get("send_campaigns")) if isinstance(can, dict) else False
    return {"rows": rows_for(contact), "contact": contact, "linked": linked}
