"""The builder's text ⇄ a journey definition: each row's inputs to a step, and back.

A whole number typed as text becomes an int; anything else is passed on as typed, so the
validator (journeys.definition) names it beside its field instead of this module guessing.
"""

import re
from collections.abc import Mapping
from typing import Any

ROW_FIELDS = (
    "id",
    "type",
    "days",
    "hours",
    "start",
    "end",
    "cond_kind",
    "cond_tag",
    "cond_stage",
    "cond_field",
    "cond_op",
    "cond_value",
    "then",
    "else",
    "template_id",
    "purpose",
    "consent_purpose",
    "value",
    "task_kind",
    "title",
    "due_days",
    "tag",
    "field",
    "field_value",
)


def number(text: Any, *, blank: Any = 0) -> Any:
    """Whole numbers become ints; anything else is left for the validator to name."""
    text = str(text).strip()
    if text == "":
        return blank
    return int(text) if re.fullmatch(r"-?\d{1,12}", text) else text


def trigger_from(meta: Mapping[str, str]) -> dict[str, Any]:
    kind = meta.get("trigger_type", "")
    trigger: dict[str, Any] = {"type": kind}
    if kind == "consent_granted" and meta.get("trigger_purpose"):
        trigger["purpose"] = meta["trigger_purpose"]
    elif kind == "lifecycle":
        trigger["to"] = meta.get("trigger_to", "")
        if meta.get("trigger_from"):
            trigger["from"] = meta["trigger_from"]
    elif kind == "date":
        trigger["field"] = meta.get("trigger_field", "")
        trigger["days_before"] = number(meta.get("trigger_days_before", ""))
        trigger["at"] = meta.get("trigger_at", "") or "09:00"
    elif kind == "overdue":
        trigger["rhythm_id"] = number(meta.get("trigger_rhythm", ""), blank=None)
    elif kind == "event":
        trigger["name"] = meta.get("trigger_event", "").lower()
    return trigger


def reentry_from(meta: Mapping[str, str]) -> Any:
    if meta.get("reentry") == "after_days":
        return {"after_days": number(meta.get("reentry_days", ""))}
    return meta.get("reentry") or "never"


def goal_from(meta: Mapping[str, str]) -> dict[str, str] | None:
    kind, value = meta.get("goal_type"), meta.get("goal_value", "")
    if kind == "event":
        return {"event": value.lower()}
    if kind == "tag":
        return {"tag": value}
    return None


def condition_from(v: Mapping[str, Any]) -> dict[str, Any]:
    kind = v.get("cond_kind", "")
    condition: dict[str, Any] = {"kind": kind}
    if kind == "has_tag":
        condition["tag"] = v.get("cond_tag", "")
    elif kind == "lifecycle":
        condition["stage"] = v.get("cond_stage", "")
    elif kind == "field":
        condition.update(field=v.get("cond_field", ""), op=v.get("cond_op", ""))
        if v.get("cond_op") == "eq":
            condition["value"] = v.get("cond_value", "")
    return condition


def step_from(v: Mapping[str, Any]) -> dict[str, Any]:
    kind = v.get("type", "")
    step: dict[str, Any] = {"id": v.get("id", ""), "type": kind}
    if kind == "wait":
        step.update(days=number(v.get("days")), hours=number(v.get("hours")))
    elif kind == "wait_until":
        weekdays = [number(d) for d in v.get("weekdays", [])]
        step.update(weekdays=weekdays, start=v.get("start", ""), end=v.get("end", ""))
    elif kind == "branch":
        step["condition"] = condition_from(v)
        for key in ("then", "else"):
            if v.get(key):
                step[key] = v[key]
    elif kind == "send":
        step.update(
            template_id=number(v.get("template_id"), blank=None),
            purpose=v.get("purpose", ""),
            consent_purpose=v.get("consent_purpose", ""),
            value=v.get("value", ""),
        )
    elif kind == "task":
        step.update(
            kind=v.get("task_kind", ""),
            title=v.get("title", ""),
            due_days=number(v.get("due_days")),
        )
    elif kind in ("add_tag", "remove_tag"):
        step["tag"] = v.get("tag", "")
    elif kind == "set_field":
        step.update(field=v.get("field", ""), value=v.get("field_value", ""))
    return step


def meta_values(definition: Mapping[str, Any]) -> dict[str, str]:
    trigger = definition.get("trigger") or {}
    meta = {"trigger_type": str(trigger.get("type", ""))}
    keys = {
        "purpose": "trigger_purpose",
        "to": "trigger_to",
        "from": "trigger_from",
        "field": "trigger_field",
        "days_before": "trigger_days_before",
        "at": "trigger_at",
        "rhythm_id": "trigger_rhythm",
        "name": "trigger_event",
    }
    meta.update({name: text(trigger.get(key)) for key, name in keys.items() if key in trigger})
    reentry = definition.get("reentry", "never")
    if isinstance(reentry, dict):
        meta.update(reentry="after_days", reentry_days=text(reentry.get("after_days")))
    else:
        meta["reentry"] = str(reentry)
    goal = definition.get("goal") or {}
    if goal.get("event"):
        meta.update(goal_type="event", goal_value=str(goal["event"]))
    elif goal.get("tag"):
        meta.update(goal_type="tag", goal_value=str(goal["tag"]))
    return meta


def text(value: Any) -> str:
    return "" if value is None else str(value)


def row_values(step: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(ROW_FIELDS, "")
    condition = step.get("condition") or {}
    renamed = {
        "kind": "task_kind",
        "value": "field_value" if step.get("type") == "set_field" else "value",
    }
    for key, value in step.items():
        if key in ("condition", "weekdays"):
            continue
        values[renamed.get(key, key)] = text(value)
    for key, value in condition.items():
        values[f"cond_{key}"] = text(value)
    values["weekdays"] = [str(d) for d in step.get("weekdays", [])]
    if step.get("type") == "wait":  # a wait may leave out its zero days or hours
        values["days"], values["hours"] = values["days"] or "0", values["hours"] or "0"
    return values
