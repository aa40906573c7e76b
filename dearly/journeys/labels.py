"""Short human labels for steps, for step counts, the rehearsal and the pages."""

from typing import Any

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CONDITIONS = {
    "opened_last": "opened the last message",
    "clicked_last": "clicked in the last message",
    "replied": "replied",
}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def condition_label(condition: dict[str, Any]) -> str:
    kind = condition.get("kind", "")
    if kind in CONDITIONS:
        return CONDITIONS[kind]
    if kind == "has_tag":
        return f"has the tag {condition.get('tag')}"
    if kind == "lifecycle":
        return f"is a {condition.get('stage')}"
    op = {"set": "is filled in", "empty": "is empty"}.get(condition.get("op", ""))
    return f"{condition.get('field')} {op or 'is ' + repr(condition.get('value'))}"


def step_label(step: dict[str, Any], templates: dict[int, str] | None = None) -> str:
    kind = step.get("type")
    if kind == "wait":
        parts = [plural(step[k], k[:-1]) for k in ("days", "hours") if step.get(k)]
        return "Wait " + " and ".join(parts)
    if kind == "wait_until":
        days = ", ".join(DAYS[d] for d in sorted(step["weekdays"]))
        return f"Wait until {days} {step['start']}-{step['end']}"
    if kind == "branch":
        return f"If {condition_label(step['condition'])}"
    if kind == "send":
        name = (templates or {}).get(step["template_id"], f"template {step['template_id']}")
        return f"Send “{name}”"
    if kind == "task":
        return f"Task: {step['title']}"
    if kind == "add_tag":
        return f"Add the tag {step['tag']}"
    if kind == "remove_tag":
        return f"Remove the tag {step['tag']}"
    if kind == "set_field":
        return f"Set {step['field']} to {step['value']}"
    return "Exit"


def template_names(definitions: list[dict[str, Any]]) -> dict[int, str]:
    from dearly.messaging.models import EmailTemplate

    ids = {s["template_id"] for d in definitions for s in d["steps"] if s["type"] == "send"}
    return dict(EmailTemplate.objects.filter(pk__in=ids).values_list("pk", "name"))
