from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dearly.contacts.custom_fields import definitions
from dearly.contacts.forms import ContactForm
from dearly.contacts.models import Contact
from dearly.contacts.queries import get_contact_for_member
from dearly.contacts.services import ContactError, save_contact
from dearly.contacts.views.common import member_of
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required

FIX_LATER = "Correct it when you can."


@member_required(Can.EDIT_CONTACTS)
def contact_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@member_required(Can.EDIT_CONTACTS)
def contact_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _edit(request, get_contact_for_member(member_of(request), public_id))


def _edit(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, member=member_of(request), contact=contact, definitions=definitions())
    if data is not None and form.is_valid() and form.changes is not None:
        try:
            saved = save_contact(
                actor=Actor.from_request(request), contact=contact, changes=form.changes
            )
        except ContactError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{saved.display_name} was saved.")
            for label, problem in form.warning_lines():
                messages.warning(request, f"{label} was kept as it was: {problem}. {FIX_LATER}")
            return redirect("contacts:detail", public_id=saved.public_id)
    context = {"form": form, "contact": contact, "nav": "contacts"}
    return render(request, "contacts/form.html", context)
