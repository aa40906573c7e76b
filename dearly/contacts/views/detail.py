from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dearly.contacts import custom_fields, panels
from dearly.contacts.forms import ConsentForm
from dearly.contacts.models import Channel, ConsentEvent, ConsentStatus, Contact, Purpose
from dearly.contacts.queries import get_contact_for_member
from dearly.contacts.services import ContactError, current_consents, record_consent
from dearly.contacts.views.common import member_of, page_or_fragment
from dearly.core import audit_words
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required
from dearly.core.models import Source
from dearly.core.once import first_submission

HISTORY_LIMIT = 200
SOURCES = dict(Source.choices)


@member_required(Can.VIEW_CONTACTS)
def contact_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    contact = get_contact_for_member(member_of(request), public_id)
    context = {
        **details(contact, log_kind=request.GET.get("log", "")),
        **consent_context(contact, ConsentForm()),
    }
    return page_or_fragment(request, "contacts/detail.html", "consent", context)


@member_required(Can.EDIT_CONTACTS)
@require_POST
def consent(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record a grant or withdrawal with its evidence; errors stay next to the form."""
    contact = get_contact_for_member(member_of(request), public_id)
    form = ConsentForm(request.POST)
    recorded, repeat = None, False
    if form.is_valid():
        try:
            with first_submission(form.cleaned_data["submission"]) as first:
                repeat = not first
                recorded = None if repeat else _record(request, contact, form)
        except ContactError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    done = recorded is not None or repeat
    if done and not request.htmx:  # type: ignore[attr-defined]
        return redirect("contacts:detail", public_id=contact.public_id)
    context = {
        **details(contact),
        **consent_context(contact, ConsentForm() if done else form),
        "recorded": recorded,
        "repeat": repeat,
    }
    return page_or_fragment(request, "contacts/detail.html", "consent", context)


def _record(request: HttpRequest, contact: Contact, form: ConsentForm) -> ConsentEvent:
    return record_consent(
        actor=Actor.from_request(request),
        contact=contact,
        channel=form.cleaned_data["channel"],
        purpose=form.cleaned_data["purpose"],
        action=form.cleaned_data["action"],
        evidence=form.evidence(),
        occurred_at=form.cleaned_data["occurred_at"],
    )


def details(contact: Contact, *, log_kind: str = "") -> dict[str, Any]:
    return {
        **panels.context_for(contact, log_kind=log_kind),
        "contact": contact,
        "nav": "contacts",
        "tags": list(contact.tags.all()),
        "points": list(contact.points.all()),
        "custom": custom_values(contact),
        "lifecycle": list(contact.lifecycle_changes.select_related("actor")),
        "history": history(contact),
    }


def custom_values(contact: Contact) -> list[tuple[str, str]]:
    return [
        (field.label, custom_fields.display_value(field, contact.custom_fields[field.key]))
        for field in custom_fields.definitions()
        if field.key in contact.custom_fields
    ]


def consent_context(contact: Contact, form: ConsentForm) -> dict[str, Any]:
    state = current_consents(contact)
    grid = [
        (channel, [(purpose, state.get((channel.value, purpose.value))) for purpose in Purpose])
        for channel in Channel
    ]
    ledger = list(contact.consent_events.select_related("staff"))
    for event in ledger:
        event.source_label = SOURCES.get(event.source, event.source)  # type: ignore[attr-defined]
    return {
        "contact": contact,
        "consent_form": form,
        "purposes": list(Purpose),
        "grid": grid,
        "granted": ConsentStatus.GRANTED,
        "ledger": ledger,
    }


def history(contact: Contact) -> list[audit_words.Described]:
    """The contact's audit events in people's words (core.audit_words)."""
    events = list(contact.audit_events.select_related("actor", "contact")[:HISTORY_LIMIT])
    return audit_words.describe(events)
