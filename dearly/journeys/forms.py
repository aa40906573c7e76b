"""The journey builder's form: rows of steps read from and written to plain input names.

The whole form is posted for every change ("add a step", "move up", a type changed), parsed
back into rows, changed and drawn again, so it works without JavaScript and htmx only saves
the page reload. Input names: the journey's own fields by name (`trigger_type`, `goal_type`…)
and each step's fields as `s<row>-<field>`. The rules live in journeys.definition: a row's
text is turned into the definition as it is (a number that is not one stays text), and the
validator's errors, which name a JSON path, are put back beside the row and field they name.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from dearly.journeys.definition import EXIT, STEP_ID

STEP_TYPES = [
    ("wait", "Wait"),
    ("wait_until", "Wait until a day and time"),
    ("branch", "If… (a condition)"),
    ("send", "Send a message"),
    ("task", "Create a staff task"),
    ("add_tag", "Add a tag"),
    ("remove_tag", "Remove a tag"),
    ("set_field", "Set a field"),
    ("exit", "Exit"),
]
TRIGGER_TYPES = [
    ("consent_granted", "Someone confirms their consent (signs up)"),
    ("lifecycle", "Someone's lifecycle stage changes"),
    ("date", "A date of theirs comes round (birthday, anniversary…)"),
    ("overdue", "Someone is overdue on a rhythm"),
    ("event", "An event is reported (purchase, order_delayed…)"),
    ("survey", "Someone answers a survey"),
]
CONDITION_KINDS = [
    ("opened_last", "they opened the last message"),
    ("clicked_last", "they clicked in the last message"),
    ("replied", "they replied"),
    ("has_tag", "they have a tag"),
    ("lifecycle", "their lifecycle stage is"),
    ("field", "a field of theirs"),
]
FIELD_OPS = [("set", "is filled in"), ("empty", "is empty"), ("eq", "is exactly")]
REENTRY = [
    ("never", "Never: once in a lifetime"),
    ("after_exit", "Yes, once they have left it"),
    ("after_days", "Yes, but not within…"),
]
GOALS = [("none", "No goal"), ("event", "An event is reported"), ("tag", "They get a tag")]
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
META_FIELDS = (
    "name",
    "trigger_type",
    "trigger_purpose",
    "trigger_to",
    "trigger_from",
    "trigger_field",
    "trigger_days_before",
    "trigger_at",
    "trigger_rhythm",
    "trigger_event",
    "reentry",
    "reentry_days",
    "goal_type",
    "goal_value",
)
ROW_DEFAULTS = {
    "wait": {"days": "1", "hours": "0"},
    "wait_until": {"start": "09:00", "end": "11:00"},
    "branch": {"cond_kind": "opened_last", "cond_op": "set"},
    "send": {"purpose": "informational", "consent_purpose": "marketing"},
    "task": {"task_kind": "call", "due_days": "1"},
}
META_DEFAULTS = {
    "trigger_type": "consent_granted",
    "trigger_at": "09:00",
    "trigger_days_before": "0",
    "trigger_field": "birthday",
    "trigger_to": "customer",
    "reentry": "never",
    "reentry_days": "365",
    "goal_type": "none",
}
# A validator path's step key → the row input it belongs to.
STEP_ERROR_FIELDS = {
    "condition.kind": "cond_kind",
    "condition.tag": "cond_tag",
    "condition.stage": "cond_stage",
    "condition.field": "cond_field",
    "condition.op": "cond_op",
    "condition.value": "cond_value",
    "kind": "task_kind",
}
META_ERROR_FIELDS = {
    "rhythm_id": "trigger_rhythm",
    "name": "trigger_event",
    "days_before": "trigger_days_before",
}
STEP_PATH = re.compile(r"^steps\[(\d+)\](?:\.([\w.]+))?$")


@dataclass
class Row:
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)
    index: int = 0

    @property
    def names(self) -> dict[str, str]:
        """Each field's input name, for the template."""
        return {f: f"s{self.index}-{f}" for f in (*ROW_FIELDS, "weekdays")}

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def type(self) -> str:
        return str(self.values.get("type", ""))

    @property
    def weekdays(self) -> list[int]:
        return [int(d) for d in self.values.get("weekdays", []) if str(d).isdigit()]

    @property
    def general_errors(self) -> list[str]:
        return self.errors.get("", [])


@dataclass
class Builder:
    meta: dict[str, str]
    rows: list[Row]
    errors: dict[str, list[str]] = field(default_factory=dict)  # meta field → messages
    top_errors: list[str] = field(default_factory=list)
    focus: str = ""

    @property
    def numbered(self) -> list[Row]:
        for i, row in enumerate(self.rows):
            row.index = i
        return self.rows

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.top_errors or any(r.errors for r in self.rows))

    # Reading -------------------------------------------------------------------------

    @classmethod
    def blank(cls) -> "Builder":
        return cls(meta={**META_DEFAULTS, "name": ""}, rows=[])

    @classmethod
    def from_post(cls, data: QueryDict) -> "Builder":
        meta = {name: data.get(name, "").strip() for name in META_FIELDS}
        count = _int(data.get("steps", "0"), 0)
        rows = []
        for i in range(min(count, 100)):
            values: dict[str, Any] = {f: data.get(f"s{i}-{f}", "").strip() for f in ROW_FIELDS}
            values["weekdays"] = data.getlist(f"s{i}-weekdays")
            rows.append(Row(values))
        return cls(meta=meta, rows=rows)

    @classmethod
    def from_definition(cls, name: str, definition: Mapping[str, Any]) -> "Builder":
        meta = {**META_DEFAULTS, "name": name, **_meta_values(definition)}
        rows = [Row(_row_values(step)) for step in definition.get("steps", [])]
        return cls(meta=meta, rows=rows)

    # Changing ------------------------------------------------------------------------

    def apply(self, action: str, new_type: str = "wait") -> None:
        """ "add", "remove:<i>", "up:<i>", "down:<i>"; anything else only redraws."""
        for row in self.rows:  # a row whose type changed gets that type's starting values
            for key, value in ROW_DEFAULTS.get(row.type, {}).items():
                row.values[key] = row.values.get(key) or value
        verb, _, where = action.partition(":")
        i = _int(where, -1)
        if verb == "add":
            kind = new_type if new_type in dict(STEP_TYPES) else "wait"
            self.rows.append(Row(self.new_row(kind)))
            self.focus = f"s{len(self.rows) - 1}-type"
        elif verb == "remove" and 0 <= i < len(self.rows):
            removed = self.rows.pop(i).values.get("id")
            for row in self.rows:  # a branch to a removed step goes on to the next instead
                for key in ("then", "else"):
                    if row.values.get(key) == removed:
                        row.values[key] = ""
        elif verb in ("up", "down") and 0 <= i < len(self.rows):
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(self.rows):
                self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
                self.focus = f"s{j}-{verb}"

    def new_row(self, kind: str) -> dict[str, Any]:
        taken = {str(r.values.get("id")) for r in self.rows}
        n = len(self.rows) + 1
        while f"step{n}" in taken:
            n += 1
        values: dict[str, Any] = dict.fromkeys(ROW_FIELDS, "")
        values.update({"id": f"step{n}", "type": kind, "weekdays": []})
        values.update(ROW_DEFAULTS.get(kind, {}))
        return values

    # Writing -------------------------------------------------------------------------

    def definition(self) -> dict[str, Any]:
        for row in self.rows:  # a row whose id was lost gets a fresh one
            if not STEP_ID.match(str(row.values.get("id", ""))):
                row.values["id"] = self.new_row("wait")["id"]
        return {
            "trigger": _trigger(self.meta),
            "reentry": _reentry(self.meta),
            "goal": _goal(self.meta),
            "steps": [_step(row.values) for row in self.rows],
        }

    def definition_json(self) -> str:
        return json.dumps(self.definition(), indent=2, ensure_ascii=False)

    def add_errors(self, errors: list[str]) -> None:
        """Put each "path: message" beside the field it names."""
        for error in errors:
            path, _, message = error.partition(": ")
            self.add_error(path, message or error)

    def add_error(self, path: str, message: str) -> None:
        match = STEP_PATH.match(path)
        if match and int(match[1]) < len(self.rows):
            row = self.rows[int(match[1])]
            key = match[2] or ""
            if key == "value" and row.type == "set_field":
                key = "field_value"
            row.errors.setdefault(STEP_ERROR_FIELDS.get(key, key), []).append(message)
        elif path.startswith("trigger"):
            key = path.partition(".")[2] or "type"
            name = META_ERROR_FIELDS.get(key, f"trigger_{key}")
            self.errors.setdefault(name, []).append(message)
        elif path.split(".")[0] in ("reentry", "goal", "name"):
            name = {"goal": "goal_value"}.get(path.split(".")[0], path.split(".")[0])
            self.errors.setdefault(name, []).append(message)
        else:
            self.top_errors.append(f"{path}: {message}" if path else message)

    # Drawing -------------------------------------------------------------------------

    def targets(self) -> list[tuple[str, str]]:
        """Where a branch may go: any step by number, or out of the journey."""
        kinds = dict(STEP_TYPES)
        steps = [
            (str(r.values.get("id")), f"step {n}: {kinds.get(r.type, r.type).lower()}")
            for n, r in enumerate(self.rows, start=1)
        ]
        return [("", "the next step"), *steps, (EXIT, "exit the journey")]


def parse_json(text: str) -> tuple[dict[str, Any] | None, str]:
    try:
        value = json.loads(text)
    except ValueError as e:
        return None, f"This is not valid JSON: {e}"
    if not isinstance(value, dict):
        return None, "The definition must be a JSON object."
    return value, ""


def _int(text: Any, default: int) -> int:
    try:
        return int(str(text))
    except ValueError:
        return default


def _number(text: Any, *, blank: Any = 0) -> Any:
    """Whole numbers become ints; anything else is left for the validator to name."""
    text = str(text).strip()
    if text == "":
        return blank
    return int(text) if re.fullmatch(r"-?\d{1,12}", text) else text


def _trigger(meta: Mapping[str, str]) -> dict[str, Any]:
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
        trigger["days_before"] = _number(meta.get("trigger_days_before", ""))
        trigger["at"] = meta.get("trigger_at", "") or "09:00"
    elif kind == "overdue":
        trigger["rhythm_id"] = _number(meta.get("trigger_rhythm", ""), blank=None)
    elif kind == "event":
        trigger["name"] = meta.get("trigger_event", "").lower()
    return trigger


def _reentry(meta: Mapping[str, str]) -> Any:
    if meta.get("reentry") == "after_days":
        return {"after_days": _number(meta.get("reentry_days", ""))}
    return meta.get("reentry") or "never"


def _goal(meta: Mapping[str, str]) -> dict[str, str] | None:
    kind, value = meta.get("goal_type"), meta.get("goal_value", "")
    if kind == "event":
        return {"event": value.lower()}
    if kind == "tag":
        return {"tag": value}
    return None


def _condition(v: Mapping[str, Any]) -> dict[str, Any]:
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


def _step(v: Mapping[str, Any]) -> dict[str, Any]:
    kind = v.get("type", "")
    step: dict[str, Any] = {"id": v.get("id", ""), "type": kind}
    if kind == "wait":
        step.update(days=_number(v.get("days")), hours=_number(v.get("hours")))
    elif kind == "wait_until":
        weekdays = [_number(d) for d in v.get("weekdays", [])]
        step.update(weekdays=weekdays, start=v.get("start", ""), end=v.get("end", ""))
    elif kind == "branch":
        step["condition"] = _condition(v)
        for key in ("then", "else"):
            if v.get(key):
                step[key] = v[key]
    elif kind == "send":
        step.update(
            template_id=_number(v.get("template_id"), blank=None),
            purpose=v.get("purpose", ""),
            consent_purpose=v.get("consent_purpose", ""),
            value=v.get("value", ""),
        )
    elif kind == "task":
        step.update(
            kind=v.get("task_kind", ""),
            title=v.get("title", ""),
            due_days=_number(v.get("due_days")),
        )
    elif kind in ("add_tag", "remove_tag"):
        step["tag"] = v.get("tag", "")
    elif kind == "set_field":
        step.update(field=v.get("field", ""), value=v.get("field_value", ""))
    return step


def _meta_values(definition: Mapping[str, Any]) -> dict[str, str]:
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
    meta.update({name: _text(trigger.get(key)) for key, name in keys.items() if key in trigger})
    reentry = definition.get("reentry", "never")
    if isinstance(reentry, dict):
        meta.update(reentry="after_days", reentry_days=_text(reentry.get("after_days")))
    else:
        meta["reentry"] = str(reentry)
    goal = definition.get("goal") or {}
    if goal.get("event"):
        meta.update(goal_type="event", goal_value=str(goal["event"]))
    elif goal.get("tag"):
        meta.update(goal_type="tag", goal_value=str(goal["tag"]))
    return meta


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _row_values(step: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(ROW_FIELDS, "")
    condition = step.get("condition") or {}
    renamed = {
        "kind": "task_kind",
        "value": "field_value" if step.get("type") == "set_field" else "value",
    }
    for key, value in step.items():
        if key in ("condition", "weekdays"):
            continue
        values[renamed.get(key, key)] = _text(value)
    for key, value in condition.items():
        values[f"cond_{key}"] = _text(value)
    values["weekdays"] = [str(d) for d in step.get("weekdays", [])]
    return values
