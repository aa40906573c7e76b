"""Reads for the API. A key acts for the whole business, so no branch scope applies here."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from dearly.api.cursor import BadCursor, make_cursor, read_cursor
from dearly.branches.models import Branch
from dearly.contacts.models import Channel, Consent, ConsentStatus, Contact, Purpose
from dearly.contacts.upsert import find_branch
from dearly.core.normalize import InvalidValue, normalize_email


class BadFilter(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class ContactFilter:
    q: str | None = None
    email: str | None = None
    tag: str | None = None
    lifecycle_stage: str | None = None
    branch: str | None = None
    consent: str | None = None
    updated_since: dt.datetime | None = None


def contacts_with_details() -> QuerySet[Contact]:
    """Contacts with branch, tags and consents loaded in three queries, however many."""
    consents = Consent.objects.only("contact_id", "channel", "purpose", "status", "updated_at")
    return Contact.objects.select_related("branch").prefetch_related(
        "tags", Prefetch("consents", queryset=consents)
    )


def get_contact(public_id: UUID | str) -> Contact:
    try:
        return contacts_with_details().get(public_id=UUID(str(public_id)))
    except (Contact.DoesNotExist, ValueError):
        raise Http404("no contact with this id") from None


def contact_page(
    filters: ContactFilter, *, cursor: str | None, limit: int
) -> tuple[list[Contact], str | None]:
    """One page in id order, and the cursor for the next page (None on the last one)."""
    qs = filter_contacts(contacts_with_details(), filters)
    if cursor:
        try:
            qs = qs.filter(id__gt=read_cursor(cursor))
        except BadCursor as exc:
            raise BadFilter(str(exc), field="cursor") from None
    rows = list(qs.order_by("id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, make_cursor(rows[-1].pk) if more else None


def filter_contacts(qs: QuerySet[Contact], f: ContactFilter) -> QuerySet[Contact]:
    if f.q and (q := f.q.strip()):
        qs = qs.filter(_text_match(q))
    if f.email is not None:
        qs = qs.filter(email=_email(f.email))
    if f.tag:
        tagged = Contact.tags.through.objects.filter(
            contact_id=OuterRef("pk"), tag__name__iexact=f.tag.strip()
        )
        qs = qs.filter(Exists(tagged))
    if f.lifecycle_stage:
        qs = qs.filter(lifecycle_stage=f.lifecycle_stage)
    if f.branch:
        qs = qs.filter(branch=_branch(f.branch))
    if f.consent:
        qs = qs.filter(Exists(_granted(f.consent)))
    if f.updated_since:
        qs = qs.filter(updated_at__gte=f.updated_since)
    return qs


def _text_match(q: str) -> Q:
    fields = ("first_name", "last_name", "preferred_name", "email", "phone")
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": q})
    return match


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidValue as exc:
        raise BadFilter(str(exc), field="email") from None


def _branch(ref: str) -> Branch:
    branch = find_branch(ref)
    if branch is None:
        raise BadFilter("no branch with this name or id", field="branch")
    return branch


def _granted(spec: str) -> QuerySet[Consent]:
    channel, _, purpose = spec.strip().partition(":")
    if channel not in Channel.values or purpose not in Purpose.values:
        raise BadFilter(
            f"use channel:purpose, e.g. email:marketing (channels: {', '.join(Channel.values)};"
            f" purposes: {', '.join(Purpose.values)})",
            field="consent",
        )
    return Consent.objects.filter(
        contact_id=OuterRef("pk"), channel=channel, purpose=purpose, status=ConsentStatus.GRANTED
    )
