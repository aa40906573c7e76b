"""The contacts list's search and filters, shared by the list and the CSV export."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from dearly.branches.models import Branch
from dearly.contacts.models import (
    Channel,
    Consent,
    ConsentStatus,
    Contact,
    ContactPoint,
    Lifecycle,
    Purpose,
    Tag,
)
from dearly.core.models import Business, Membership
from dearly.core.normalize import InvalidValue, normalize_phone
from dearly.core.textforms import TextCheckedForm

# Something a person types when looking for a phone number: digits, spaces, + ( ) - .
PHONE_LIKE = re.compile(r"^\s*\+?[\d\s().-]{4,}$")
SORTS = {
    "name": ("last_name", "first_name", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


def business_region() -> str:
    """The region a phone number typed without +country code is read in."""
    business = Business.objects.filter(pk=1).only("default_country").first()
    return (business.default_country if business else "") or settings.DEFAULT_COUNTRY


class ContactFilterForm(TextCheckedForm):
    """The list's search and filters; `apply()` narrows an already member-scoped queryset."""

    q = forms.CharField(label="Search", required=False)
    tag = forms.ChoiceField(label="Tag", required=False)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Lifecycle.choices]
    )
    branch = forms.ChoiceField(label="Branch", required=False)
    channel = forms.ChoiceField(
        label="Consent on", required=False, choices=[("", "Any channel"), *Channel.choices]
    )
    purpose = forms.ChoiceField(
        label="Consent for", required=False, choices=[("", "Any purpose"), *Purpose.choices]
    )
    sort = forms.ChoiceField(
        label="Sort",
        required=False,
        choices=[("name", "Name"), ("newest", "Newest first"), ("updated", "Recently updated")],
    )

    def __init__(self, data: Any, *, member: Membership) -> None:
        super().__init__(data)
        self.member = member
        tags = Tag.objects.values_list("name", flat=True)
        self.fields["tag"].choices = [("", "Any tag"), *((t, t) for t in tags)]  # type: ignore[attr-defined]
        if member.sees_all_branches:
            branches = [(str(b.pk), b.name) for b in Branch.objects.all()]
            choices = [("", "All branches"), *branches, ("none", "No branch")]
            self.fields["branch"].choices = choices  # type: ignore[attr-defined]
        else:
            del self.fields["branch"]

    @property
    def consent_filtered(self) -> bool:
        return bool(
            self.is_valid() and (self.cleaned_data["channel"] or self.cleaned_data["purpose"])
        )

    def apply(self, qs: QuerySet[Contact]) -> QuerySet[Contact]:
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(search_q(data["q"], business_region()))
        if data["tag"]:
            qs = qs.filter(tags__name=data["tag"])
        if data["stage"]:
            qs = qs.filter(lifecycle_stage=data["stage"])
        if data.get("branch") == "none":
            qs = qs.filter(branch__isnull=True)
        elif data.get("branch"):
            qs = qs.filter(branch_id=data["branch"])
        if data["channel"] or data["purpose"]:
            qs = qs.filter(_granted(data["channel"], data["purpose"]))
        return qs.order_by(*SORTS[data["sort"] or "name"])


def _granted(channel: str, purpose: str) -> Exists:
    consents = Consent.objects.filter(contact=OuterRef("pk"), status=ConsentStatus.GRANTED)
    if channel:
        consents = consents.filter(channel=channel)
    if purpose:
        consents = consents.filter(purpose=purpose)
    return Exists(consents)


def search_q(text: str, region: str) -> Q:
    """Every word must match a name or the email; a phone number matches in any format."""
    query = Q()
    for word in text.split()[:6]:
        query &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(email__icontains=word)
        )
    points = ContactPoint.objects.filter(contact=OuterRef("pk"), value__icontains=text.strip())
    return query | Q(Exists(points)) | _phone_q(text, region)


def _phone_q(text: str, region: str) -> Q:
    """A whole number in any format matches exactly; a few digits match part of a number
    (national trunk zeros dropped, so "07911 12" finds +447911123456)."""
    if not PHONE_LIKE.match(text):
        return Q()
    try:
        phone = normalize_phone(text, region)
    except InvalidValue:
        digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0")
        return Q(phone__contains=digits) if len(digits) >= 4 else Q()
    same_number = ContactPoint.objects.filter(contact=OuterRef("pk"), value=phone)
    return Q(phone=phone) | Q(Exists(same_number))
