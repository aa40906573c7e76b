"""Reads of templates and versions. Templates belong to the whole business (no branch scope);
the capability is checked here so no view can forget it."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from dearly.contacts.models import Contact
from dearly.contacts.queries import contacts_for_member, get_contact_for_member
from dearly.core.access import Can, require
from dearly.core.models import Membership
from dearly.messaging.models import EmailTemplate, TemplateVersion

PICKER_LIMIT = 20


def templates_for_member(member: Membership, *, archived: bool = False) -> QuerySet[EmailTemplate]:
    require(member, Can.VIEW_TEMPLATES)
    latest = TemplateVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
    return (
        EmailTemplate.objects.filter(archived=archived)
        .annotate(latest_number=Max("versions__number"))
        .annotate(latest_subject=Subquery(latest.values("subject")[:1]))
        .select_related("created_by")
    )


def get_template_for_member(member: Membership, public_id: UUID | str) -> EmailTemplate:
    require(member, Can.VIEW_TEMPLATES)
    try:
        return EmailTemplate.objects.get(public_id=public_id)
    except (EmailTemplate.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such template") from None


def versions_of(template: EmailTemplate) -> QuerySet[TemplateVersion]:
    return template.versions.select_related("created_by").order_by("-number")


def latest_version(template: EmailTemplate) -> TemplateVersion:
    version = versions_of(template).first()
    if version is None:
        raise Http404("This template has no versions")
    return version


def get_version(template: EmailTemplate, number: int) -> TemplateVersion:
    try:
        return versions_of(template).get(number=number)
    except TemplateVersion.DoesNotExist:
        raise Http404("No such version") from None


def preview_contacts(member: Membership, query: str) -> list[Contact]:
    """Contacts to preview as, found by name or email, within the member's branch scope."""
    query = query.strip()
    contacts = contacts_for_member(member)
    if query:
        contacts = contacts.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(email__icontains=query)
        )
    return list(contacts.order_by("last_name", "first_name", "id")[:PICKER_LIMIT])


def get_preview_contact(member: Membership, public_id: str) -> Contact | None:
    if not public_id:
        return None
    return get_contact_for_member(member, public_id)
