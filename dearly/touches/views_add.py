"""Setting a task by hand, from the tasks page or a contact's page (`?contact=<id>`).

Without a chosen contact, the "Contact" box is searched within the member's scope: one match
is taken, several are offered to pick from, none is an error on the box. Works without
JavaScript; the form's one-time token makes a double click add the task once.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dearly.contacts.models import Contact
from dearly.contacts.queries import get_contact_for_member
from dearly.contacts.views.common import member_of
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import member_required
from dearly.core.models import Membership
from dearly.core.once import first_submission
from dearly.touches.forms import TaskForm
from dearly.touches.models import Task
from dearly.touches.queries import assignable_members, find_contacts_for_member
from dearly.touches.services import TouchError, add_task

MATCHES = 10


@member_required(Can.EDIT_CONTACTS)
def task_new(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    data = request.POST if request.method == "POST" else None
    chosen = (data or request.GET).get("contact", "")
    contact = get_contact_for_member(member, chosen) if chosen else None
    assignees = assignable_members(member, contact)
    form = TaskForm(data, assignees=[(m.pk, _name(m)) for m in assignees], me=member.pk)
    matches: list[Contact] = []
    if data is not None and form.is_valid():
        if contact is None:
            contact, matches = _find(member, form)
        if contact is not None:
            done = _save(request, form, contact, {m.pk: m for m in assignees})
            if done is not None:
                return done
    from_contact = contact is not None and (
        "contact" in request.GET or request.POST.get("back") == "contact"
    )
    context = {
        "form": form,
        "contact": contact,
        "matches": matches,
        "from_contact": from_contact,
        "nav": "tasks",
    }
    return render(request, "touches/task_new.html", context)


def _find(member: Membership, form: TaskForm) -> tuple[Contact | None, list[Contact]]:
    text = form.cleaned_data["find"].strip()
    if not text:
        form.add_error("find", "Say who it is for: a name, email or phone number.")
        return None, []
    found = find_contacts_for_member(member, text, limit=MATCHES)
    if len(found) == 1:
        return found[0], []
    if not found:
        form.add_error("find", f"No contact you can see matches “{text}”.")
    elif len(found) > MATCHES:
        form.add_error("find", f"More than {MATCHES} contacts match; type more of it.")
    else:
        form.add_error("find", f"{len(found)} contacts match: choose one below.")
    return None, found[:MATCHES]


def _save(
    request: HttpRequest, form: TaskForm, contact: Contact, assignees: dict[int, Membership]
) -> HttpResponse | None:
    picked = form.cleaned_data["assigned_to"]
    assignee = assignees.get(int(picked)) if picked.isdigit() else None
    if picked and assignee is None:
        form.add_error("assigned_to", "They cannot see this contact; choose someone else.")
        return None
    try:
        with first_submission(form.cleaned_data["submission"]) as first:
            task = _add(request, form, contact, assignee) if first else None
    except TouchError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, f"{exc}.".capitalize())
        return None
    if task is None:
        messages.info(request, "That task was already added.")
    else:
        messages.success(request, f"Added a task for {contact.display_name}: {task.title}.")
    if request.POST.get("back") == "contact":
        return redirect(reverse("contacts:detail", args=[contact.public_id]) + "#touches")
    return redirect("touches:tasks")


def _add(
    request: HttpRequest, form: TaskForm, contact: Contact, assignee: Membership | None
) -> Task:
    return add_task(
        actor=Actor.from_request(request),
        contact=contact,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        due_at=form.due_at(),
        note=form.cleaned_data["note"],
        assignee=assignee,
    )


def _name(member: Membership) -> str:
    user = member.user
    return user.get_full_name() or user.get_username()
