"""The rule tree and its strict validation.

    {"match": "all" | "any", "rules": [condition | group, …]}
    condition: {"field": "tag", "op": "has", "value": "VIP"}

Groups nest up to MAX_DEPTH deep (the top group counts as one). Every error carries the path of
the thing that is wrong ("rules.2.rules.0.value"), which is also the name of the form input that
holds it, so the builder shows it beside the right condition. A tree with any error never compiles.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dearly.audiences.schema import CHANNELS, MAX_DAYS, MAX_DEPTH, PURPOSES, Field, Schema

MATCHES = ("all", "any")
MAX_RULES = 50
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class RuleError:
    path: str
    message: str


class InvalidRules(ValueError):
    def __init__(self, errors: list[RuleError]) -> None:
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors


def empty_tree() -> dict[str, Any]:
    return {"match": "all", "rules": []}


def is_group(node: Any) -> bool:
    return isinstance(node, dict) and "rules" in node


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def validate_rules(rules: Any, schema: Schema | None = None) -> list[RuleError]:
    """Every problem in the tree, each at its path; an empty list means it may compile."""
    errors: list[RuleError] = []
    _group(rules, "", 1, schema or Schema.load(), errors)
    return errors


def _group(node: Any, path: str, depth: int, schema: Schema, errors: list[RuleError]) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("rules"), list):
        errors.append(RuleError(path or "rules", "a group needs a list of rules"))
        return
    if extra := set(node) - {"match", "rules"}:
        errors.append(RuleError(join(path, sorted(extra)[0]), "unknown key"))
    if node.get("match") not in MATCHES:
        errors.append(RuleError(join(path, "match"), "choose all or any"))
    rules_path = join(path, "rules")
    children = node["rules"]
    if depth > 1 and not children:
        errors.append(RuleError(rules_path, "add a condition to this group or remove it"))
    if len(children) > MAX_RULES:
        errors.append(RuleError(rules_path, f"a group may hold at most {MAX_RULES} rules"))
    for index, child in enumerate(children):
        child_path = join(rules_path, index)
        if is_group(child):
            if depth >= MAX_DEPTH:
                errors.append(RuleError(child_path, f"groups nest at most {MAX_DEPTH} deep"))
            else:
                _group(child, child_path, depth + 1, schema, errors)
        else:
            _condition(child, child_path, schema, errors)


def _condition(node: Any, path: str, schema: Schema, errors: list[RuleError]) -> None:
    if not isinstance(node, dict):
        errors.append(RuleError(path, "a condition needs a field, an operator and a value"))
        return
    if extra := set(node) - {"field", "op", "value"}:
        errors.append(RuleError(join(path, sorted(extra)[0]), "unknown key"))
    spec = schema.fields.get(node.get("field"))  # type: ignore[arg-type]
    if spec is None:
        errors.append(RuleError(join(path, "field"), "choose a field"))
        return
    op = node.get("op")
    if op not in spec.operators:
        errors.append(RuleError(join(path, "op"), "choose how to compare"))
        return
    message = value_error(spec, op, node.get("value"), schema)
    if message:
        errors.append(RuleError(join(path, "value"), message))


def value_error(spec: Field, op: str, value: Any, schema: Schema) -> str:
    """What is wrong with a condition's value, or "" when it is right for the operator."""
    kind = spec.value_kind(op)
    checker = CHECKERS[kind]
    return checker(value, spec, schema)


def _none(value: Any, _spec: Field, _schema: Schema) -> str:
    return "" if value in (None, "") else "this comparison takes no value"


def _text(value: Any, _spec: Field, _schema: Schema) -> str:
    if not isinstance(value, str) or not value.strip():
        return "enter a value"
    return f"at most {MAX_TEXT} characters" if len(value) > MAX_TEXT else ""


def _days(value: Any, _spec: Field, _schema: Schema) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        return f"enter a whole number of days from 1 to {MAX_DAYS}"
    return ""


def _date(value: Any, _spec: Field, _schema: Schema) -> str:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return "enter a date (YYYY-MM-DD)"
    return ""


def _number(value: Any, _spec: Field, _schema: Schema) -> str:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    return "" if ok and abs(value) < 1e15 else "enter a number"


def _choice(value: Any, spec: Field, _schema: Schema) -> str:
    return "" if value in {key for key, _ in spec.choices} else "choose one of the options"


def _choices(value: Any, spec: Field, schema: Schema) -> str:
    if not isinstance(value, list) or not value:
        return "choose at least one option"
    return next((m for m in (_choice(v, spec, schema) for v in value) if m), "")


def _branch(value: Any, _spec: Field, schema: Schema) -> str:
    return "" if value in schema.branch_ids and not isinstance(value, bool) else "choose a branch"


def _tag(value: Any, _spec: Field, _schema: Schema) -> str:
    ok = isinstance(value, str) and value.strip() and len(value) <= 60
    return "" if ok else "choose a tag"


def _tags(value: Any, spec: Field, schema: Schema) -> str:
    if not isinstance(value, list) or not value:
        return "choose at least one tag"
    return "choose tags" if any(_tag(v, spec, schema) for v in value) else ""


def _consent(value: Any, _spec: Field, _schema: Schema) -> str:
    if not isinstance(value, dict) or set(value) != {"channel", "purpose"}:
        return "choose a channel and a purpose"
    if value["channel"] not in dict(CHANNELS):
        return "choose a channel"
    return "" if value["purpose"] in dict(PURPOSES) else "choose a purpose"


CHECKERS = {
    "none": _none,
    "text": _text,
    "days": _days,
    "date": _date,
    "number": _number,
    "choice": _choice,
    "choices": _choices,
    "branch": _branch,
    "tag": _tag,
    "tags": _tags,
    "consent": _consent,
}
