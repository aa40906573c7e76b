"""Reads of contacts, always through the member's scope (see core.access)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.contacts.models import Contact
from dearly.core.access import scope_to_member
from dearly.core.models import Membership


def contacts_for_member(member: Membership) -> QuerySet[Contact]:
    return scope_to_member(Contact.objects.all(), member)


def get_contact_for_member(member: Membership, public_id: UUID | str) -> Contact:
    """The contact, if this member may see it; otherwise 404, exactly as if it did not exist."""
    try:
        return contacts_for_member(member).select_related("branch").get(public_id=public_id)
    except (Contact.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("No such contact") from None
