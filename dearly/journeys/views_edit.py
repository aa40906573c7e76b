"""Building a journey: the new and edit pages, one form drawn from rows of steps.

Every button posts the whole form (see forms.Builder). "Save" writes through the services: a
new journey, or for an existing one a new version when its steps changed, so contacts on their
way finish the version they started. The validator's errors come back beside their fields.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from dearly.campaigns.models import Value
from dearly.contacts.models import CustomField, FieldType, Lifecycle, Purpose
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.delivery.models import MessagePurpose
from dearly.journeys import forms
from dearly.journeys.definition import CONTACT_FIELDS, DefinitionError
from dearly.journeys.editing import Saved, save_journey
from dearly.journeys.models import Journey, JourneyStatus
from dearly.journeys.queries import get_journey_for_member
from dearly.journeys.services import JourneyError, create_journey
from dearly.journeys.words import WEEKDAY_NAMES
from dearly.messaging.queries import templates_for_member
from dearly.rhythms.models import Rhythm
from dearly.touches.models import TaskKind

FORM = "journeys/form.html"


@member_required(Can.SEND_CAMPAIGNS)
def journey_new(request: MemberRequest) -> HttpResponse:
    return _builder(request, None)


@member_required(Can.SEND_CAMPAIGNS)
def journey_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    journey = get_journey_for_member(request.member, public_id)
    if journey.status == JourneyStatus.ARCHIVED:
        messages.error(request, "An archived journey cannot be changed.")
        return redirect("journeys:detail", public_id=journey.public_id)
    return _builder(request, journey)


def _builder(request: MemberRequest, journey: Journey | None) -> HttpResponse:
    json_text, json_errors = "", []
    if request.method != "POST":
        builder = _initial(journey)
    else:
        builder = forms.Builder.from_post(request.POST)
        action = request.POST.get("action", "")
        if action in ("save", "save_json"):
            definition: dict[str, Any] | None = builder.definition()
            if action == "save_json":
                json_text = request.POST.get("definition_json", "")
                definition, problem = forms.parse_json(json_text)
                json_errors = [problem] if problem else []
            if definition is not None:
                done = _save(request, builder, journey, definition, as_json=action == "save_json")
                if isinstance(done, HttpResponse):
                    return done
                json_errors = done if action == "save_json" else []
        else:
            builder.apply(action, request.POST.get("new_type", "wait"))
    context = {
        **choices(request),
        "builder": builder,
        "focus": builder.focus,
        "goal_value_label": "Event name" if builder.meta.get("goal_type") == "event" else "Tag",
        "journey": journey,
        "json_text": json_text or builder.definition_json(),
        "json_errors": json_errors,
        "nav": "journeys",
    }
    wanted = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{FORM}#editor" if wanted else FORM, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _initial(journey: Journey | None) -> forms.Builder:
    if journey is None or journey.version is None:
        builder = forms.Builder.blank()
        builder.apply("add", "wait")
        builder.apply("add", "send")
        return builder
    return forms.Builder.from_definition(journey.name, journey.version.definition)


def _save(
    request: MemberRequest,
    builder: forms.Builder,
    journey: Journey | None,
    definition: dict[str, Any],
    *,
    as_json: bool,
) -> HttpResponse | list[str]:
    """The redirect when saved; otherwise the errors, also put beside the form's fields."""
    actor = Actor.from_request(request)
    name = builder.meta.get("name", "")
    try:
        if journey is None:
            active = request.POST.get("start") == "active"
            journey = create_journey(actor=actor, name=name, definition=definition, active=active)
            messages.success(request, _created_message(journey))
        else:
            definition = _unless_unchanged(journey, definition)
            saved = save_journey(actor=actor, journey=journey, name=name, definition=definition)
            messages.success(request, _saved_message(saved))
    except DefinitionError as e:
        if not as_json:
            builder.add_errors(e.errors)
        return e.errors
    except JourneyError as e:
        if not as_json:
            builder.add_error(e.field, str(e))
        return [f"{e.field}: {e}"]
    url = reverse("journeys:detail", kwargs={"public_id": journey.public_id})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _unless_unchanged(journey: Journey, definition: dict[str, Any]) -> dict[str, Any]:
    """The current definition when the form only spelled it differently (an "hours": 0 the
    original left out), so saving an untouched form publishes no version."""
    if journey.version is None:
        return definition
    current = journey.version.definition
    drawn = forms.Builder.from_definition(journey.name, current).definition()
    return dict(current) if drawn == definition else definition


def _created_message(journey: Journey) -> str:
    if journey.status == JourneyStatus.ACTIVE:
        return "Journey created and active: contacts enter it from now on."
    return "Journey saved as a draft: activate it when it is ready."


def _saved_message(saved: Saved) -> str:
    if saved.version is None:
        return "Saved." if saved.renamed else "Nothing changed."
    said = f"Saved as version {saved.version.number}: new entrants follow it."
    if saved.staying:
        people = "contact" if saved.staying == 1 else "contacts"
        said += f" {saved.staying} {people} already on their way stay on their earlier version."
    return said


def choices(request: MemberRequest) -> dict[str, Any]:
    """What the form's selects offer: the member's templates, fields, rhythms and the fixed
    lists of the definition."""
    templates = templates_for_member(request.member).filter(versions__isnull=False).distinct()
    custom = list(CustomField.objects.order_by("label").values_list("key", "label", "field_type"))
    return {
        "step_types": forms.STEP_TYPES,
        "trigger_types": forms.TRIGGER_TYPES,
        "condition_kinds": forms.CONDITION_KINDS,
        "field_ops": forms.FIELD_OPS,
        "reentry_choices": forms.REENTRY,
        "goal_choices": forms.GOALS,
        "lifecycles": Lifecycle.choices,
        "consent_purposes": Purpose.choices,
        "message_purposes": MessagePurpose.choices,
        "values": Value.choices,
        "task_kinds": TaskKind.choices,
        "weekdays": list(enumerate(WEEKDAY_NAMES)),
        "templates": list(templates.order_by("name").values_list("pk", "name")),
        "rhythms": list(Rhythm.objects.order_by("name").values_list("pk", "name")),
        "date_fields": [
            ("birthday", "Birthday"),
            ("anniversary", "Anniversary"),
            ("created_at", "Customer since (added to Dearly)"),
            *[(k, label) for k, label, t in custom if t == FieldType.DATE],
        ],
        "contact_fields": [
            *[(f, f.replace("_", " ").capitalize()) for f in CONTACT_FIELDS],
            ("lifecycle_stage", "Lifecycle stage"),
            *[(k, label) for k, label, _ in custom],
        ],
        "settable_fields": [
            ("lifecycle_stage", "Lifecycle stage"),
            *[(k, label) for k, label, _ in custom],
        ],
    }
