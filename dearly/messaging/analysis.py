"""What a template uses, read from its syntax tree rather than by rendering it.

A merge field "needs data" when its value is printed with nothing to fall back on. Uses that
do not need data: inside `| default(...)`, on the left of `or`, in a condition (`{% if %}`,
`x if test else y`, `is defined`, comparisons), as the thing a loop walks over, and inside the
body of an `{% if %}` whose condition is that same field.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import nodes

from dearly.messaging.fields import CONTACT_FIELDS, NAMESPACES, is_known

# Never empty for a recipient, or empty harmlessly (an empty tag list prints nothing).
NEVER_MISSING = {"contact.tags", "contact.custom", "contact.lifecycle_stage", "contact"}


@dataclass(frozen=True, slots=True)
class Use:
    field: str
    line: int
    needs_data: bool


@dataclass(frozen=True, slots=True)
class _State:
    exempt: bool = False
    guarded: frozenset[str] = frozenset()


def path_of(node: nodes.Node) -> str | None:
    """'contact.first_name' for contact.first_name or contact["first_name"]; else None."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            parts.append(str(node.arg.value))
            node = node.node
        elif isinstance(node, nodes.Name):
            return ".".join([node.name, *reversed(parts)])
        else:
            return None


def uses(tree: nodes.Template) -> list[Use]:
    return list(_visit(tree, _State()))


def _visit(node: nodes.Node, state: _State) -> Iterator[Use]:
    path = path_of(node) if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name) else None
    if path is not None:
        field = _field(path)
        yield Use(field, node.lineno, not state.exempt and field not in state.guarded)
        return
    if isinstance(node, nodes.Call) and _is_dict_method(node.node):
        yield from _visit(node.node.node, state)  # type: ignore[attr-defined]
        yield from _children(node, state, skip=node.node)
    elif isinstance(node, nodes.If):
        yield from _visit_if(node, state)
    elif isinstance(node, nodes.CondExpr):
        yield from _visit(node.test, _State(True, state.guarded))
        yield from _visit(node.expr1, _State(state.exempt, state.guarded | _guards(node.test)))
        if node.expr2 is not None:
            yield from _visit(node.expr2, state)
    elif isinstance(node, nodes.Filter) and node.name == "default":
        yield from _visit(node.node, _State(True, state.guarded))  # type: ignore[arg-type]
        yield from _children(node, state, skip=node.node)
    elif isinstance(node, nodes.Or):
        yield from _visit(node.left, _State(True, state.guarded))
        yield from _visit(node.right, state)
    elif isinstance(node, nodes.Test | nodes.Compare):
        yield from _children(node, _State(True, state.guarded))
    elif isinstance(node, nodes.For):
        yield from _visit(node.iter, _State(True, state.guarded))
        yield from _children(node, state, skip=node.iter)
    else:
        yield from _children(node, state)


def _is_dict_method(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Getattr) and node.attr in {"items", "keys", "values", "get"}


def _visit_if(node: nodes.If, state: _State) -> Iterator[Use]:
    yield from _visit(node.test, _State(True, state.guarded))
    inner = _State(state.exempt, state.guarded | _guards(node.test))
    for child in node.body:
        yield from _visit(child, inner)
    for branch in node.elif_:
        yield from _visit_if(branch, state)
    for child in node.else_:
        yield from _visit(child, state)


def _children(node: nodes.Node, state: _State, skip: nodes.Node | None = None) -> Iterator[Use]:
    for child in node.iter_child_nodes():
        if child is not skip:
            yield from _visit(child, state)


def _guards(test: nodes.Node) -> frozenset[str]:
    """Fields a condition proves present: `if contact.x`, `if contact.x is defined`, and `and`."""
    if isinstance(test, nodes.And):
        return _guards(test.left) | _guards(test.right)
    if isinstance(test, nodes.Test) and test.name == "defined":
        test = test.node
    path = path_of(test)
    return frozenset({_field(path)}) if path else frozenset()


def _field(path: str) -> str:
    """Fields are named to the depth the merge data has: contact.x, contact.custom.key."""
    parts = path.split(".")
    depth = 3 if parts[:2] == ["contact", "custom"] else 2
    return ".".join(parts[:depth])


def local_names(tree: nodes.Template) -> set[str]:
    """Names the template makes itself: {% set x %}, loop targets, and `loop`."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return names | {"loop"}


@dataclass(frozen=True, slots=True)
class Unknown:
    field: str
    line: int


def unknown_fields(tree: nodes.Template, custom_keys: frozenset[str]) -> list[Unknown]:
    local = local_names(tree)
    found: dict[str, int] = {}
    for use in uses(tree):
        root = use.field.split(".")[0]
        if root in local:
            continue
        if root not in NAMESPACES or not is_known(use.field, custom_keys):
            found.setdefault(use.field, use.line)
    return [Unknown(field, line) for field, line in found.items()]


def needs_data(tree: nodes.Template) -> set[str]:
    """Contact fields printed with no fallback: a recipient lacking one needs the policy."""
    local = local_names(tree)
    return {
        use.field
        for use in uses(tree)
        if use.needs_data and _is_contact_field(use.field) and "contact" not in local
    }


def _is_contact_field(field: str) -> bool:
    namespace, _, rest = field.partition(".")
    return (
        namespace == "contact"
        and rest.split(".")[0] in CONTACT_FIELDS
        and (field not in NEVER_MISSING)
    )
