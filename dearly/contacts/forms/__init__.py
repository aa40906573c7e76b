"""Forms of the contacts UI. They parse what was typed; contacts.fields and
contacts.custom_fields decide what is valid; contacts.services writes."""

from dearly.contacts.forms.consent import ConsentForm
from dearly.contacts.forms.contact import ContactForm
from dearly.contacts.forms.filters import ContactFilterForm, business_region, search_q

__all__ = ["ConsentForm", "ContactFilterForm", "ContactForm", "business_region", "search_q"]
