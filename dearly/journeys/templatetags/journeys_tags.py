"""`{% contact_journeys contact %}`: the journeys a contact is in, for the contact page."""

from typing import Any

from django import template

from dearly.contacts.models import Contact
from dearly.journeys.figures import contact_journeys as rows_for

register = template.Library()


@register.inclusion_tag("journeys/_contact_journeys.html")
def contact_journeys(contact: Contact) -> dict[str, Any]:
    return {"rows": rows_for(contact), "contact": contact}
