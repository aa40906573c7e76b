from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dearly.contacts.export import person_export
from dearly.contacts.privacy import erase_contact
from dearly.contacts.queries import get_contact_for_member
from dearly.contacts.views.common import member_of
from dearly.core.access import Can, require
from dearly.core.actor import Actor
from dearly.core.decorators import member_required


@member_required(Can.EXPORT)
@require_POST
def person_data(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Everything held about one person as a JSON file (a subject access request)."""
    contact = get_contact_for_member(member_of(request), public_id)
    body = person_export(actor=Actor.from_request(request), contact=contact)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"contact-{contact.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required(Can.VIEW_CONTACTS)
def erase(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirm, then erase. The contact is looked up before the role is checked, so another
    branch's staff get "not found" like everywhere else, and never learn the contact exists."""
    member = member_of(request)
    contact = get_contact_for_member(member, public_id)
    require(member, Can.ERASE)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        name = contact.display_name
        erase_contact(actor=Actor.from_request(request), contact=contact)
        messages.success(request, f"{name} was erased. Their addresses stay suppressed.")
        return redirect("contacts:list")
    context = {
        "contact": contact,
        "nav": "contacts",
        "missing_confirmation": request.method == "POST",
        "counts": {
            "consent_events": contact.consent_events.count(),
            "points": contact.points.count(),
            "history": contact.audit_events.count(),
        },
    }
    return render(request, "contacts/erase.html", context)
