"""A journey's definition: the JSON format, and the validator that names what is wrong where.

Errors read "steps[2].template_id: no such template": a JSON path, a colon, what is wrong, so a
form or the API can point at the field. Weekdays count from Monday = 0 (Python's weekday()).
"""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from dearly.campaigns.models import Value
from dearly.contacts.models import CustomField, FieldType, Lifecycle, Purpose
from dearly.core.text import text_problems
from dearly.delivery.models import MessagePurpose
from dearly.messaging.models import TemplateVersion
from dearly.touches.models import TaskKind

TRIGGERS = ("consent_granted", "lifecycle", "date", "overdue", "event", "survey")
DATE_FIELDS = ("birthday", "anniversary", "created_at")
STEP_TYPES = (
    "wait",
    "wait_until",
    "branch",
    "send",
    "task",
    "add_tag",
    "remove_tag",
    "set_field",
    "exit",
)
CONDITIONS = ("opened_last", "clicked_last", "replied", "has_tag", "lifecycle", "field")
FIELD_OPS = ("set", "empty", "eq")
CONTACT_FIELDS = ("first_name", "last_name", "preferred_name", "email", "phone", "town", "postcode")
STEP_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
EVENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
EXIT = "exit"
MAX_STEPS = 100

Errors = list[str]


class DefinitionError(ValueError):
    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_time(text: Any) -> dt.time | None:
    """ "09:00" → time(9, 0); anything else → None."""
    if not isinstance(text, str) or not re.fullmatch(r"\d{2}:\d{2}", text):
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return None


def is_int(value: Any, *, low: int = 0, high: int = 10_000) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def custom_date_keys() -> set[str]:
    return set(CustomField.objects.filter(field_type=FieldType.DATE).values_list("key", flat=True))


def existing_templates(ids: set[int]) -> set[int]:
    """Templates that can be sent: not archived, with at least one saved version."""
    return set(
        TemplateVersion.objects.filter(template_id__in=ids, template__archived=False)
        .values_list("template_id", flat=True)
        .distinct()
    )


def validate_definition(
    definition: Any,
    *,
    templates: Callable[[set[int]], set[int]] = existing_templates,
) -> Errors:
    """Every problem in the definition, each with its path; an empty list means valid."""
    if not isinstance(definition, dict):
        return ["definition: must be an object"]
    if unreadable := _unreadable(definition):
        return unreadable
    errors: Errors = []
    unknown = set(definition) - {"trigger", "reentry", "goal", "steps"}
    errors += [f"{key}: unknown key" for key in sorted(unknown)]
    errors += _trigger(definition.get("trigger"))
    errors += _reentry(definition.get("reentry", "never"))
    errors += _goal(definition.get("goal"))
    errors += _steps(definition.get("steps"), templates)
    return errors


_INDEX = re.compile(r"[.](\d+)")


def _unreadable(definition: dict[str, Any]) -> Errors:
    """Text that cannot be stored, at paths written as the other errors are: steps[0].tag."""
    return [f"{_INDEX.sub(r'[\1]', path)}: {why}" for path, why in text_problems(definition)]


def check_definition(definition: Any) -> dict[str, Any]:
    errors = validate_definition(definition)
    if errors:
        raise DefinitionError(errors)
    return dict(definition)


def _trigger(trigger: Any) -> Errors:
    if not isinstance(trigger, dict):
        return ["trigger: must be an object"]
    kind = trigger.get("type")
    if kind not in TRIGGERS:
        return [f"trigger.type: must be one of {', '.join(TRIGGERS)}"]
    if kind == "consent_granted":
        purpose = trigger.get("purpose")
        if purpose is not None and purpose not in Purpose.values:
            return [f"trigger.purpose: must be one of {', '.join(Purpose.values)}"]
    if kind == "lifecycle":
        errors = []
        if trigger.get("to") not in Lifecycle.values:
            errors.append(f"trigger.to: must be one of {', '.join(Lifecycle.values)}")
        if trigger.get("from") not in (None, "", *Lifecycle.values):
            errors.append(f"trigger.from: must be one of {', '.join(Lifecycle.values)}")
        return errors
    if kind == "date":
        return _date_trigger(trigger)
    rhythm = trigger.get("rhythm_id")
    if kind == "overdue" and rhythm is not None and not is_int(rhythm, low=1, high=2**62):
        return ["trigger.rhythm_id: must be a rhythm id or null"]
    if kind == "event" and not EVENT_NAME.match(str(trigger.get("name") or "")):
        return ["trigger.name: must be an event name such as purchase"]
    return []


def _date_trigger(trigger: dict[str, Any]) -> Errors:
    errors = []
    field = trigger.get("field")
    if field not in DATE_FIELDS and field not in custom_date_keys():
        errors.append("trigger.field: must be birthday, anniversary, created_at or a date field")
    if not is_int(trigger.get("days_before", 0), high=365):
        errors.append("trigger.days_before: must be a whole number of days from 0 to 365")
    if parse_time(trigger.get("at", "09:00")) is None:
        errors.append("trigger.at: must be a time like 09:00")
    return errors


def _reentry(reentry: Any) -> Errors:
    if reentry in ("never", "after_exit"):
        return []
    if isinstance(reentry, dict) and set(reentry) == {"after_days"}:
        if is_int(reentry["after_days"], low=1, high=3650):
            return []
        return ["reentry.after_days: must be a whole number of days from 1 to 3650"]
    return ['reentry: must be "never", "after_exit" or {"after_days": n}']


def _goal(goal: Any) -> Errors:
    if goal is None:
        return []
    if isinstance(goal, dict) and set(goal) == {"event"}:
        if EVENT_NAME.match(str(goal["event"] or "")):
            return []
        return ["goal.event: must be an event name such as purchase"]
    if isinstance(goal, dict) and set(goal) == {"tag"}:
        return [] if _is_tag(goal["tag"]) else ["goal.tag: must be a tag name"]
    return ['goal: must be null, {"event": name} or {"tag": name}']


def _is_tag(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= 60


def _steps(steps: Any, templates: Callable[[set[int]], set[int]]) -> Errors:
    if not isinstance(steps, list) or not steps:
        return ["steps: must be a list with at least one step"]
    if len(steps) > MAX_STEPS:
        return [f"steps: at most {MAX_STEPS} steps"]
    errors: Errors = []
    ids: set[str] = set()
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            errors.append(f"steps[{i}]: must be an object")
            continue
        sid = step.get("id")
        if not isinstance(sid, str) or not STEP_ID.match(sid) or sid == EXIT:
            errors.append(f"steps[{i}].id: must be letters, digits, - or _ (not exit)")
        elif sid in ids:
            errors.append(f"steps[{i}].id: {sid} is used twice")
        else:
            ids.add(sid)
    wanted = {
        s["template_id"]
        for s in steps
        if isinstance(s, dict)
        and s.get("type") == "send"
        and is_int(s.get("template_id"), high=2**62)
    }
    found = templates(wanted) if wanted else set()
    for i, step in enumerate(steps):
        if isinstance(step, dict):
            errors += [f"steps[{i}]{e}" for e in _step(step, ids, found)]
    return errors


def _step(step: dict[str, Any], ids: set[str], templates: set[int]) -> Errors:
    kind = step.get("type")
    if kind not in STEP_TYPES:
        return [f".type: must be one of {', '.join(STEP_TYPES)}"]
    check = STEP_CHECKS.get(kind)
    if check is None:
        return []
    return check(step, ids, templates)


def _wait(step: dict[str, Any], _ids: set[str], _t: set[int]) -> Errors:
    days, hours = step.get("days", 0), step.get("hours", 0)
    errors = []
    if not is_int(days, high=3650):
        errors.append(".days: must be a whole number of days")
    if not is_int(hours, high=24 * 3650):
        errors.append(".hours: must be a whole number of hours")
    if not errors and days == 0 and hours == 0:
        errors.append(".days: a wait must last at least an hour")
    return errors


def _wait_until(step: dict[str, Any], _ids: set[str], _t: set[int]) -> Errors:
    errors = []
    weekdays = step.get("weekdays")
    ok = isinstance(weekdays, list) and weekdays and all(is_int(d, high=6) for d in weekdays)
    if not ok:
        errors.append(".weekdays: must list days from 0 (Monday) to 6 (Sunday)")
    start, end = parse_time(step.get("start")), parse_time(step.get("end"))
    if start is None:
        errors.append(".start: must be a time like 09:00")
    if end is None:
        errors.append(".end: must be a time like 11:00")
    if start is not None and end is not None and end <= start:
        errors.append(".end: must be after the start")
    return errors


def _target(value: Any, ids: set[str], name: str) -> Errors:
    if value is None or value == EXIT or value in ids:
        return []
    return [f".{name}: no such step {value}"]


def _branch(step: dict[str, Any], ids: set[str], _t: set[int]) -> Errors:
    errors = _target(step.get("then"), ids, "then") + _target(step.get("else"), ids, "else")
    condition = step.get("condition")
    if not isinstance(condition, dict) or condition.get("kind") not in CONDITIONS:
        return [f".condition.kind: must be one of {', '.join(CONDITIONS)}", *errors]
    kind = condition["kind"]
    if kind == "has_tag" and not _is_tag(condition.get("tag")):
        errors.append(".condition.tag: must be a tag name")
    if kind == "lifecycle" and condition.get("stage") not in Lifecycle.values:
        errors.append(f".condition.stage: must be one of {', '.join(Lifecycle.values)}")
    if kind == "field":
        field = condition.get("field")
        if not isinstance(field, str) or not (
            field in CONTACT_FIELDS or field == "lifecycle_stage" or _is_custom(field)
        ):
            errors.append(".condition.field: no such field")
        if condition.get("op") not in FIELD_OPS:
            errors.append(".condition.op: must be set, empty or eq")
        elif condition["op"] == "eq" and not isinstance(condition.get("value"), str):
            errors.append(".condition.value: must be text")
    return errors


def _is_custom(key: str) -> bool:
    return CustomField.objects.filter(key=key).exists()


def _send(step: dict[str, Any], _ids: set[str], templates: set[int]) -> Errors:
    errors = []
    if step.get("template_id") not in templates:
        errors.append(".template_id: no such template")
    purpose = step.get("purpose", MessagePurpose.INFORMATIONAL)
    if purpose not in MessagePurpose.values:
        errors.append(f".purpose: must be one of {', '.join(MessagePurpose.values)}")
    consent = step.get("consent_purpose", "")
    if purpose != MessagePurpose.SERVICE and consent not in Purpose.values:
        errors.append(f".consent_purpose: must be one of {', '.join(Purpose.values)}")
    if step.get("value", "") not in ("", *Value.values):
        errors.append(f".value: must be one of {', '.join(Value.values)}")
    return errors


def _task(step: dict[str, Any], _ids: set[str], _t: set[int]) -> Errors:
    errors = []
    if step.get("kind") not in TaskKind.values:
        errors.append(f".kind: must be one of {', '.join(TaskKind.values)}")
    title = step.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        errors.append(".title: must be text of up to 200 characters")
    if not is_int(step.get("due_days", 0), high=365):
        errors.append(".due_days: must be a whole number of days")
    return errors


def _tag(step: dict[str, Any], _ids: set[str], _t: set[int]) -> Errors:
    return [] if _is_tag(step.get("tag")) else [".tag: must be a tag name"]


def _set_field(step: dict[str, Any], _ids: set[str], _t: set[int]) -> Errors:
    field, value = step.get("field"), step.get("value")
    if field == "lifecycle_stage":
        if value in Lifecycle.values:
            return []
        return [f".value: must be one of {', '.join(Lifecycle.values)}"]
    if not isinstance(field, str) or not _is_custom(field):
        return [".field: must be lifecycle_stage or a custom field"]
    if not isinstance(value, str | int | float | bool):
        return [".value: must be text, a number or yes/no"]
    return []


STEP_CHECKS: dict[str, Callable[[dict[str, Any], set[str], set[int]], Errors]] = {
    "wait": _wait,
    "wait_until": _wait_until,
    "branch": _branch,
    "send": _send,
    "task": _task,
    "add_tag": _tag,
    "remove_tag": _tag,
    "set_field": _set_field,
}


def trigger_key(definition: dict[str, Any]) -> str:
    """The contact event name that starts this journey (see Journey.trigger_key)."""
    trigger = definition["trigger"]
    return {
        "consent_granted": "consent.granted",
        "lifecycle": "lifecycle.changed",
        "overdue": "rhythm.overdue",
        "survey": "survey",
        "date": "date",
    }.get(trigger["type"]) or f"event.{trigger['name']}"
