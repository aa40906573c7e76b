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

from dearly.journeys import forms_convert as convert
from dearly.journeys.definition import EXIT, STEP_ID
from dearly.journeys.forms_convert import ROW_FIELDS

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
    def type_label(self) -> str:
        return f"Step {self.number}"

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
        meta = {**META_DEFAULTS, "name": name, **convert.meta_values(definition)}
        rows = [Row(convert.row_values(step)) for step in definition.get("steps", [])]
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
            "trigger": convert.trigger_from(self.meta),
            "reentry": convert.reentry_from(self.meta),
            "goal": convert.goal_from(self.meta),
            "steps": [convert.step_from(row.values) for row in self.rows],
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
        elif path.split(".")[0] in ("reentry", "goal", "name", "steps"):
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
