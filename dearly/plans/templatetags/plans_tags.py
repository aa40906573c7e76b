from django import template

from dearly.contacts.models import Contact
from dearly.plans.value import Ratio, value_ratio_for_contact

register = template.Library()


@register.simple_tag
def value_ratio(contact: Contact) -> Ratio:
    """What the person's marketing mail of the last 90 days gave them (D3), one query."""
    return value_ratio_for_contact(contact)
