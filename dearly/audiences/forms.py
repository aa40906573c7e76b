"""The builder's form state is the rule tree itself, spelled as input names.

An input's name is the path of the value it holds ("rules.2.rules.0.value"), the same path a
RuleError carries, so `tree_from_form(form_data(tree)) == tree` and each error finds its input.
Editing actions (add or remove a condition or group) are applied to the parsed tree, which is
then rendered again: the server holds no builder state between requests.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from dearly.audiences.rules import RuleError, is_group, join
from dearly.audiences.schema import CHANNELS, MAX_DEPTH, OPERATORS, PURPOSES, Field, Schema

INDEX = re.compile(r"(\d+)\.")
NEW_CONDITION = {"field": "first_name", "op": "is", "value": ""}


def tree_from_form(data: QueryDict, schema: Schema) -> dict[str, Any]:
    return _group(data, "", schema, 1)


def _group(data: QueryDict, path: str, schema: Schema, depth: int) -> dict[str, Any]:
    prefix = join(path, "rules") + "."
    indices = sorted({int(m[1]) for key in data if (m := INDEX.match(key.removeprefix(prefix)))})
    rules: list[dict[str, Any]] = []
    for index in indices:
        child = f"{prefix}{index}"
        if f"{child}.match" in data and depth < MAX_DEPTH + 1:
            rules.append(_group(data, child, schema, depth + 1))
        elif f"{child}.field" in data:
            rules.append(_condition(data, child, schema))
    return {"match": data.get(join(path, "match"), "all"), "rules": rules}


def _condition(data: QueryDict, path: str, schema: Schema) -> dict[str, Any]:
    name = data.get(f"{path}.field", "")
    spec = schema.fields.get(name)
    op = data.get(f"{path}.op", "")
    if spec and op not in spec.operators:
        op = spec.operators[0]  # the field changed: start from its first comparison
    node: dict[str, Any] = {"field": name, "op": op}
    if spec is None:
        return node
    kind = spec.value_kind(op)
    if kind != "none":
        node["value"] = parse_value(kind, data, f"{path}.value")
    return node


def parse_value(kind: str, data: QueryDict, name: str) -> Any:
    """A value from its input, typed when it parses; left as typed otherwise, for validation."""
    if kind in ("choices", "tags"):
        return [v for v in data.getlist(name) if v]
    if kind == "consent":
        return {"channel": data.get(f"{name}.channel", ""), "purpose": data.get(f"{name}.purpose")}
    raw = data.get(name, "").strip()
    if kind in ("days", "branch") and raw.isdigit():
        return int(raw)
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    return raw


def form_data(tree: dict[str, Any], path: str = "") -> QueryDict:
    """The POST data a browser sends for this tree (used to test the round trip)."""
    data = QueryDict(mutable=True)
    data[join(path, "match")] = tree["match"]
    for index, node in enumerate(tree["rules"]):
        child = join(join(path, "rules"), index)
        if is_group(node):
            for key, values in form_data(node, child).lists():
                data.setlist(key, values)
            continue
        data[f"{child}.field"] = node["field"]
        data[f"{child}.op"] = node["op"]
        value = node.get("value")
        if isinstance(value, dict):
            for key, item in value.items():
                data[f"{child}.value.{key}"] = item
        elif isinstance(value, list):
            data.setlist(f"{child}.value", [str(v) for v in value])
        elif value is not None:
            data[f"{child}.value"] = str(value)
    return data


def apply_action(tree: dict[str, Any], action: str) -> tuple[dict[str, Any], str]:
    """Apply "add:<group path>", "group:<group path>" or "remove:<path>"; return the tree and
    the path of the input to focus next."""
    verb, _, path = action.partition(":")
    if verb not in ("add", "group", "remove"):
        return tree, ""
    parts = path.split(".") if path else []
    if verb == "remove" and len(parts) >= 2:
        parent = _node_at(tree, parts[:-2])
        index = int(parts[-1])
        if parent is not None and index < len(parent["rules"]):
            del parent["rules"][index]
        return tree, join(".".join(parts[:-2]), "add")
    group = _node_at(tree, parts)
    if group is None:
        return tree, ""
    new = {"match": "any", "rules": [dict(NEW_CONDITION)]} if verb == "group" else NEW_CONDITION
    group["rules"].append(dict(new))
    return tree, join(join(path, "rules"), len(group["rules"]) - 1)


def _node_at(tree: dict[str, Any], parts: list[str]) -> dict[str, Any] | None:
    node: Any = tree
    for key, index in zip(parts[::2], parts[1::2], strict=False):
        if key != "rules" or not index.isdigit() or not is_group(node):
            return None
        items = node["rules"]
        node = items[int(index)] if int(index) < len(items) else None
    return node if is_group(node) else None


@dataclass
class Condition:
    is_group = False
    path: str
    node: dict[str, Any]
    spec: Field | None
    number: int
    errors: dict[str, str]

    @property
    def id(self) -> str:
        return "c-" + self.path.replace(".", "-")

    @property
    def operators(self) -> list[tuple[str, str]]:
        return [(op, OPERATORS[op].label) for op in self.spec.operators] if self.spec else []

    @property
    def value_kind(self) -> str:
        return self.spec.value_kind(self.node["op"]) if self.spec else "none"

    @property
    def value(self) -> Any:
        return self.node.get("value")

    @property
    def values(self) -> list[str]:
        value = self.value
        return [str(v) for v in value] if isinstance(value, list) else []


@dataclass
class Group:
    is_group = True
    path: str
    match: str
    depth: int
    children: list["Group | Condition"] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "g-" + (self.path.replace(".", "-") or "top")

    @property
    def can_nest(self) -> bool:
        return self.depth < MAX_DEPTH

    @property
    def match_name(self) -> str:
        return join(self.path, "match")

    @property
    def add_path(self) -> str:
        return join(self.path, "add")


def view_model(tree: dict[str, Any], schema: Schema, errors: list[RuleError]) -> Group:
    """The tree as nested Groups and numbered Conditions, each holding its own errors."""
    by_path = {e.path: e.message for e in errors}
    counter = iter(range(1, 10_000))
    return _view_group(tree, "", 1, schema, by_path, counter)


def _view_group(
    node: dict[str, Any],
    path: str,
    depth: int,
    schema: Schema,
    errors: dict[str, str],
    counter: Any,
) -> Group:
    own = {k: v for k, v in errors.items() if k in (join(path, "match"), join(path, "rules"))}
    group = Group(path=path, match=node.get("match", "all"), depth=depth, errors=own)
    for index, child in enumerate(node.get("rules", [])):
        child_path = join(join(path, "rules"), index)
        if is_group(child):
            group.children.append(
                _view_group(child, child_path, depth + 1, schema, errors, counter)
            )
            continue
        mine = {
            k.rpartition(".")[2]: v for k, v in errors.items() if k.startswith(child_path + ".")
        }
        if child_path in errors:
            mine["field"] = errors[child_path]
        spec = schema.fields.get(child.get("field", ""))
        group.children.append(Condition(child_path, child, spec, next(counter), mine))
    return group


def describe(tree: Any, schema: Schema, errors: list[RuleError]) -> list[str]:
    """Errors as a person reads them: "Condition 2: enter a value"."""
    conditions: list[Condition] = []
    if is_group(tree):
        _collect(view_model(tree, schema, []), conditions)
    lines = []
    for error in errors:
        owner = next((c for c in conditions if error.path.startswith(c.path + ".")), None)
        lines.append(f"Condition {owner.number}: {error.message}" if owner else error.message)
    return lines


def _collect(group: Group, into: list[Condition]) -> None:
    for child in group.children:
        if isinstance(child, Group):
            _collect(child, into)
        else:
            into.append(child)


def field_groups(schema: Schema) -> list[tuple[str, list[Field]]]:
    groups: dict[str, list[Field]] = {}
    for spec in schema.fields.values():
        groups.setdefault(spec.group, []).append(spec)
    return list(groups.items())


CONSENT_CHOICES = {"channels": CHANNELS, "purposes": PURPOSES}
