"""Logging a call or a visit from the contact page, and paging its touch timeline.

Anyone who may see the contact may log a touch with them; staff of another branch get 404.
"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dearly.contacts.forms import ConsentForm
from dearly.contacts.models import Contact
from dearly.contacts.queries import get_contact_for_member
from dearly.contacts.views.common import member_of, page_or_fragment, wants_fragment
from dearly.contacts.views.detail import consent_context, details
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required
from dearly.core.once import first_submission
from dearly.touches.contact_card import parse_offset, touches_context
from dearly.touches.forms import LOGGABLE, LogTouchForm
from dearly.touches.models import Touch
from dearly.touches.queries import OUTCOMES
from dearly.touches.services import TouchError, log_touch

PAGE = "contacts/detail.html"


@member_required(Can.VIEW_CONTACTS)
@require_GET
def touches(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The "Touches" card: `?log=call|visit` opens the log form, `?offset=` pages older rows."""
    contact = get_contact_for_member(member_of(request), public_id)
    log_kind = request.GET.get("log", "")
    offset = parse_offset(request.GET.get("offset"))
    context = touches_context(contact, offset=offset, log_kind=log_kind)
    if offset and wants_fragment(request):  # "Show older touches" appends rows in place
        return page_or_fragment(request, PAGE, "touch_rows", context)
    return render_card(request, contact, context)


@member_required(Can.EDIT_CONTACTS)
@require_POST
def log(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Save a call or visit through touches.services; errors stay next to their field."""
    contact = get_contact_for_member(member_of(request), public_id)
    log_kind = request.POST.get("kind", "")
    form = LogTouchForm(request.POST, auto_id="log_%s")
    if log_kind not in LOGGABLE:
        form.add_error(None, "Choose whether this was a call or a visit.")
        log_kind = "call"
    logged, repeat = None, False
    if form.is_valid():
        kind, channel, _ = LOGGABLE[log_kind]
        try:
            with first_submission(form.cleaned_data["submission"]) as first:
                repeat = not first
                logged = None if repeat else _log(request, contact, form, kind, channel)
        except TouchError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    done = logged is not None or repeat
    if done and not wants_fragment(request):
        return redirect(contact_url(contact) + "#touches")
    contact.refresh_from_db(fields=["last_touch_at"])
    context = touches_context(
        contact, log_kind="" if done else log_kind, log_form=None if done else form
    )
    notice = "That was already logged; it is in the timeline once." if repeat else ""
    context.update(logged=logged, oob=True, notice=notice)
    return render_card(request, contact, context)


def _log(
    request: HttpRequest, contact: Contact, form: LogTouchForm, kind: str, channel: str
) -> Touch:
    touch = log_touch(
        contact=contact,
        kind=kind,
        channel=channel,
        direction="out",
        occurred_at=form.cleaned_data["occurred_at"],
        actor=Actor.from_request(request),
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"].strip(),
    )
    touch.outcome_label = OUTCOMES.get(touch.outcome, "")  # type: ignore[attr-defined]
    return touch


def render_card(request: HttpRequest, contact: Contact, context: dict[str, Any]) -> HttpResponse:
    """The card as a fragment for htmx, or inside the whole page without it."""
    if not wants_fragment(request):
        context = {**details(contact), **consent_context(contact, ConsentForm()), **context}
    return page_or_fragment(request, PAGE, "touches", context)


def contact_url(contact: Contact) -> str:
    return reverse("contacts:detail", kwargs={"public_id": contact.public_id})
