"""A journey's definition in plain words, for its pages: "Wait 2 days", "Send 'Welcome'".

Templates are named by a lookup the caller passes in (id → name), so drawing a journey of
twenty steps costs one query, not twenty.
"""

from collections.abc import Mapping
from typing import Any

from dearly.campaigns.models import Value
from dearly.contacts.models import Lifecycle, Purpose
from dearly.journeys.definition import EXIT

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_FIELD_NAMES = {
    "birthday": "birthday",
    "anniversary": "anniversary",
    "created_at": "customer-since date",
}
TASK_WORDS = {"call": "call", "card": "card", "visit": "visit", "follow_up": "follow-up"}
CONDITION_WORDS = {
    "opened_last": "they opened the last message",
    "clicked_last": "they clicked in the last message",
    "replied": "they replied",
}


def label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def trigger_words(trigger: Mapping[str, Any]) -> str:
    kind = trigger.get("type")
    if kind == "consent_granted":
        purpose = trigger.get("purpose")
        what = f" to {label(Purpose.choices, purpose).lower()}" if purpose else ""
        return f"When someone confirms their consent{what} (signs up)"
    if kind == "lifecycle":
        to = stage_words(trigger.get("to"))
        since = trigger.get("from")
        was = f" after being {stage_words(since)}" if since else ""
        return f"When someone becomes {to}{was}"
    if kind == "date":
        field = str(trigger.get("field", ""))
        name = DATE_FIELD_NAMES.get(field, field.replace("_", " "))
        before = int(trigger.get("days_before") or 0)
        when = f"{plural(before, 'day')} before" if before else "On"
        at = trigger.get("at", "09:00")
        return f"{when} their {name}, at {at} their local time"
    if kind == "overdue":
        return "When someone is overdue on a rhythm" + (
            "" if trigger.get("rhythm_id") is None else f" (rhythm #{trigger['rhythm_id']})"
        )
    if kind == "event":
        return f"When the “{trigger.get('name')}” event is reported"
    if kind == "survey":
        return "When someone answers a survey"
    return "Unknown trigger"


def stage_words(stage: Any) -> str:
    """ "former" → "a former customer"."""
    name = label(Lifecycle.choices, stage).lower()
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def reentry_words(reentry: Any) -> str:
    if reentry == "after_exit":
        return "Can enter again once they have left"
    if isinstance(reentry, dict) and "after_days" in reentry:
        return f"Can enter again {plural(int(reentry['after_days']), 'day')} after entering"
    return "Enters once only"


def goal_words(goal: Any) -> str:
    if isinstance(goal, dict) and goal.get("event"):
        return f"Leaves when the “{goal['event']}” event is reported"
    if isinstance(goal, dict) and goal.get("tag"):
        return f"Leaves when tagged {goal['tag']}"
    return "No goal: walks to the end"


def condition_words(condition: Mapping[str, Any]) -> str:
    kind = condition.get("kind", "")
    if kind in CONDITION_WORDS:
        return CONDITION_WORDS[kind]
    if kind == "has_tag":
        return f"they are tagged {condition.get('tag')}"
    if kind == "lifecycle":
        return f"they are {stage_words(condition.get('stage'))}"
    field = str(condition.get("field", "")).replace("_", " ")
    op = condition.get("op")
    if op == "set":
        return f"their {field} is filled in"
    if op == "empty":
        return f"their {field} is empty"
    return f"their {field} is “{condition.get('value', '')}”"


def target_words(target: Any, numbers: Mapping[str, int]) -> str:
    if target is None or target == "":
        return "next"
    if target == EXIT:
        return "exit"
    return f"step {numbers[target]}" if target in numbers else str(target)


def window_words(step: Mapping[str, Any]) -> str:
    days = [WEEKDAY_NAMES[d] for d in step.get("weekdays", []) if 0 <= d < 7]
    if len(days) == 7:
        when = "any day"
    elif len(days) > 1:
        when = ", ".join(days[:-1]) + " or " + days[-1]
    else:
        when = "".join(days)
    return f"Wait until {when} {step.get('start')}\u2013{step.get('end')} (their local time)"


def step_words(
    step: Mapping[str, Any], *, numbers: Mapping[str, int], templates: Mapping[int, str]
) -> str:
    kind = step.get("type")
    if kind == "wait":
        days, hours = int(step.get("days") or 0), int(step.get("hours") or 0)
        parts = [plural(days, "day")] if days else []
        parts += [plural(hours, "hour")] if hours else []
        return "Wait " + " and ".join(parts)
    if kind == "wait_until":
        return window_words(step)
    if kind == "branch":
        then = target_words(step.get("then"), numbers)
        other = target_words(step.get("else"), numbers)
        return f"If {condition_words(step.get('condition') or {})} → {then}, otherwise → {other}"
    if kind == "send":
        name = templates.get(step.get("template_id") or 0, f"template #{step.get('template_id')}")
        value = step.get("value")
        gives = f" ({label(Value.choices, value).lower()})" if value else ""
        return f"Send “{name}”{gives}"
    if kind == "task":
        what = TASK_WORDS.get(str(step.get("kind")), str(step.get("kind")))
        due = int(step.get("due_days") or 0)
        when = f", due in {plural(due, 'day')}" if due else ""
        return f"Create a {what} task: “{step.get('title')}”{when}"
    if kind == "add_tag":
        return f"Add tag {step.get('tag')}"
    if kind == "remove_tag":
        return f"Remove tag {step.get('tag')}"
    if kind == "set_field":
        return f"Set {str(step.get('field', '')).replace('_', ' ')} to {step.get('value')}"
    return "Exit"


def step_numbers(definition: Mapping[str, Any]) -> dict[str, int]:
    return {s["id"]: i for i, s in enumerate(definition.get("steps", []), start=1)}


def template_ids(definition: Mapping[str, Any]) -> set[int]:
    return {
        s["template_id"]
        for s in definition.get("steps", [])
        if s.get("type") == "send" and isinstance(s.get("template_id"), int)
    }
