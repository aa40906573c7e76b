"""Trying a journey on one contact with time fast-forwarded: the contact picker and the path.

The rehearsal (journeys.rehearse) walks the journey's steps in memory and writes nothing;
this page only finds the contact, in the member's branch scope, and draws the path in the
contact's own local time.
"""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from dearly.audiences.dates import zone
from dearly.contacts.models import Contact
from dearly.contacts.queries import get_contact_for_member
from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, member_required
from dearly.journeys.models import Journey
from dearly.journeys.queries import get_journey_for_member
from dearly.journeys.rehearse import rehearse
from dearly.journeys.waits import from_wall
from dearly.messaging.context import SAMPLE_LINKS, context_for_contact
from dearly.messaging.models import TemplateVersion
from dearly.messaging.queries import preview_contacts
from dearly.messaging.render import TemplateProblem, render_version

PAGE = "journeys/rehearsal.html"


@member_required(Can.SEND_CAMPAIGNS)
@require_GET
def contact_picker(request: MemberRequest, public_id: str) -> HttpResponse:
    get_journey_for_member(request.member, public_id)
    contacts = preview_contacts(request.member, request.GET.get("q", ""))
    return render(request, "journeys/_picker_options.html", {"contacts": contacts})


@member_required(Can.SEND_CAMPAIGNS)
@require_GET
def journey_rehearse(request: MemberRequest, public_id: str) -> HttpResponse:
    journey = get_journey_for_member(request.member, public_id)
    q = request.GET.get("q", "")
    context: dict[str, Any] = {
        "journey": journey,
        "nav": "journeys",
        "start_text": "",
        "q": q,
        "contacts": preview_contacts(request.member, q),
    }
    chosen = request.GET.get("contact", "")
    if chosen and journey.version is not None:
        contact = get_contact_for_member(request.member, chosen)
        start, start_text = _start(request.GET.get("start", ""), contact)
        context.update(
            contact=contact,
            start=start.astimezone(zone(contact.time_zone)),
            start_text=start_text,
            path=_path(journey, contact, start),
        )
        if contact not in context["contacts"]:
            context["contacts"] = [contact, *context["contacts"]]
    wanted = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{PAGE}#result" if wanted else PAGE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _start(text: str, contact: Contact) -> tuple[dt.datetime, str]:
    """The moment to start from: "2026-10-23T09:00" on the contact's clock, or now."""
    try:
        wall = dt.datetime.fromisoformat(text)
    except ValueError:
        return timezone.now(), ""
    return from_wall(wall.replace(tzinfo=None), zone(contact.time_zone)), text


def _path(journey: Journey, contact: Contact, start: dt.datetime) -> list[dict[str, Any]]:
    assert journey.version is not None
    steps = {s["id"]: s for s in journey.version.definition["steps"]}
    numbers = {sid: n for n, sid in enumerate(steps, start=1)}
    wanted = {s["template_id"] for s in steps.values() if s["type"] == "send"}
    subjects = subjects_for(contact, wanted)
    tz = zone(contact.time_zone)
    rows = []
    for ran in rehearse(journey, contact, start):
        step = steps.get(ran.step_id, {})
        sends = step.get("type") == "send" and ran.what.startswith("would send")
        rows.append(
            {
                "at": ran.at.astimezone(tz),
                "number": numbers.get(ran.step_id),
                "label": ran.label,
                "what": ran.what,
                "subject": subjects.get(step.get("template_id", 0), "") if sends else "",
            }
        )
    return rows


def subjects_for(contact: Contact, template_ids: set[int]) -> dict[int, str]:
    """Each template's newest version's subject, written out for this contact."""
    versions = TemplateVersion.objects.filter(template_id__in=template_ids).order_by(
        "template_id", "-number"
    )
    newest: dict[int, TemplateVersion] = {}
    for version in versions:
        newest.setdefault(version.template_id, version)
    context = context_for_contact(contact, links=SAMPLE_LINKS)
    subjects = {}
    for template_id, version in newest.items():
        try:
            subjects[template_id] = render_version(version, context).subject
        except TemplateProblem:
            subjects[template_id] = version.subject
    return subjects
