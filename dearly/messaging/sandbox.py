"""The sandbox every email template runs in.

1. Jinja2's ImmutableSandboxedEnvironment, with no globals at all (no range, lipsum, cycler,
   namespace…) and only the filters and tests listed below.
2. Before compiling, the syntax tree is inspected: constructs an email never needs and that
   widen the attack surface (include, import, extends, macros, call and filter blocks,
   `{% autoescape %}`, recursive loops, `self`, names starting with "_") are refused with the
   line they are on.
3. Work is bounded per render: loop iterations and every string the template builds (`~`, `+`,
   `*`, join) are charged to a budget; `**` and `%` on strings are refused; the output has a
   size cap. Calls are refused except a few harmless methods (dict.items, loop.cycle…).
"""

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, UndefinedError, nodes, pass_context, pass_eval_context
from jinja2.filters import (
    do_capitalize,
    do_join,
    do_lower,
    do_title,
    do_trim,
    do_truncate,
    do_upper,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, LoopContext, Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS

MAX_SOURCE = 100_000  # characters per part of a template
MAX_OUTPUT = 1_000_000  # characters one part may render to
WORK_BUDGET = 2_000_000  # loop iterations plus characters built, per render
MAX_REPEAT = 10_000  # the longest string or list `*` may build
NOT_ALLOWED = "This template uses something that is not available in email templates."


class Refused(Exception):
    """The template asked for something the sandbox will not do; the message is for people."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_budget: ContextVar[list[int] | None] = ContextVar("template_work_budget", default=None)


@contextmanager
def work_budget() -> Iterator[None]:
    token = _budget.set([WORK_BUDGET])
    try:
        yield
    finally:
        _budget.reset(token)


def charge(units: int) -> None:
    remaining = _budget.get()
    if remaining is None:
        return
    remaining[0] -= units
    if remaining[0] < 0:
        raise Refused("This template repeats or builds too much to send as an email.")


def is_missing(value: Any) -> bool:
    """None and blank text count as missing: that is what an empty contact field looks like."""
    if isinstance(value, Undefined):
        return True
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def default(value: Any, fallback: Any = "") -> Any:
    return fallback if is_missing(value) else value


def format_date(value: Any, fmt: str = "%-d %B %Y") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        raise Refused("The date filter needs a date.")
    try:
        return value.strftime(fmt)
    except ValueError:
        raise Refused("That date format cannot be used.") from None


@pass_eval_context
def join(eval_ctx: EvalContext, value: Iterable[Any], separator: str = "") -> str:
    items = list(value)
    charge(sum(len(str(item)) for item in items) + len(separator) * len(items))
    return do_join(eval_ctx, items, separator)


def length(value: Any) -> int:
    return len(value)


# The documented allow-list: everything a template author can put after a "|".
FILTERS: dict[str, Callable[..., Any]] = {
    "default": default,
    "upper": do_upper,
    "lower": do_lower,
    "title": do_title,
    "capitalize": do_capitalize,
    "trim": do_trim,
    "truncate": do_truncate,
    "date": format_date,
    "join": join,
    "length": length,
}
ALLOWED_TESTS = ("defined", "undefined", "none", "number", "string", "even", "odd", "in")


@pass_context
def _loop(context: Context, iterable: Any) -> Iterator[Any]:
    for item in iterable:
        charge(1)
        yield item


@pass_context
def _concat(context: Context, items: list[Any]) -> str:
    charge(sum(len(str(item)) for item in items))
    return markup_join(items) if context.eval_ctx.autoescape else str_join(items)


INTERNAL_FILTERS = {"_loop": _loop, "_concat": _concat}
SAFE_METHODS: set[tuple[type, str]] = {(dict, m) for m in ("items", "keys", "values", "get")}
SAFE_METHODS |= {(LoopContext, "cycle"), (LoopContext, "changed")}


def _sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _multiply(left: Any, right: Any) -> Any:
    if _sized(left) or _sized(right):
        seq, times = (left, right) if _sized(left) else (right, left)
        if not isinstance(times, int) or len(seq) * max(times, 0) > MAX_REPEAT:
            raise Refused("That repeats text too many times for an email.")
        charge(len(seq) * max(times, 0))
    elif isinstance(left, int) and isinstance(right, int) and _too_big(left, right):
        raise Refused("That number is too large for an email.")
    return left * right


def _too_big(left: int, right: int) -> bool:
    return left.bit_length() + right.bit_length() > 256


def _add(left: Any, right: Any) -> Any:
    result = left + right
    if _sized(result):
        charge(len(result))
    return result


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise Refused("Formatting text with % is not available in email templates.")
    return operator.mod(left, right)


def _power(left: Any, right: Any) -> Any:
    raise Refused("Raising to a power (**) is not available in email templates.")


class EmailSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"+", "*", "**", "%"})
    binop_handlers: dict[str, Callable[[Any, Any], Any]] = {
        "+": _add,
        "*": _multiply,
        "%": _modulo,
        "**": _power,
    }

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return self.binop_handlers[operator](left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Merge data are dicts: `contact.items` must mean the field, never dict.items.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if not any(isinstance(owner, kind) and name == n for kind, n in SAFE_METHODS):
            raise Refused("Calling functions is not available in email templates.")
        return super().call(__context, __obj, *args, **kwargs)


def make_environment(*, html: bool) -> EmailSandbox:
    env = EmailSandbox(
        autoescape=html, undefined=MergeUndefined, optimized=False, keep_trailing_newline=True
    )
    env.globals.clear()
    env.filters = {**FILTERS, **INTERNAL_FILTERS}
    env.tests = {name: TESTS[name] for name in ALLOWED_TESTS}
    return env


REFUSED_NODES: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Block: "block",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.FilterBlock: "filter",
    nodes.AssignBlock: "set … endset",
    nodes.ScopedEvalContextModifier: "autoescape",
    nodes.EvalContextModifier: "autoescape",
}


def _refusal(node: nodes.Node) -> str | None:
    for kind, tag in REFUSED_NODES.items():
        if isinstance(node, kind):
            return f"“{tag}” is not available in email templates."
    if isinstance(node, nodes.For) and node.recursive:
        return "Recursive loops are not available in email templates."
    if isinstance(node, nodes.Name) and node.name in {"self", "caller", "varargs", "kwargs"}:
        return f"“{node.name}” is not available in email templates."
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return "Names starting with an underscore are not available in email templates."
    if isinstance(node, nodes.Getitem) and str(getattr(node.arg, "value", "")).startswith("_"):
        return "Names starting with an underscore are not available in email templates."
    if isinstance(node, nodes.Filter | nodes.Test) and node.name.startswith("_"):
        return NOT_ALLOWED
    return None


def inspect_tree(tree: nodes.Template) -> None:
    """Raise Refused for the first construct the sandbox does not run."""
    for node in tree.find_all(nodes.Node):
        message = _refusal(node)
        if message:
            raise Refused(message, getattr(node, "lineno", None))


def bound_work(node: nodes.Node) -> nodes.Node:
    """Route every loop and every `~` through the work budget (see the module docstring)."""
    for field in node.fields:
        value = getattr(node, field, None)
        if isinstance(value, nodes.Node):
            setattr(node, field, bound_work(value))
        elif isinstance(value, list):
            setattr(node, field, [bound_work(v) if isinstance(v, nodes.Node) else v for v in value])
    if isinstance(node, nodes.For):
        node.iter = _filter(node.iter, "_loop", node.lineno)
    if isinstance(node, nodes.Concat):
        return _filter(nodes.List(node.nodes, lineno=node.lineno), "_concat", node.lineno)
    return node


def _filter(node: nodes.Node, name: str, line: int) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=line)  # type: ignore[arg-type]


class MergeUndefined(StrictUndefined):
    """Fails like StrictUndefined, with a message that names the field and nothing internal."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_exception is not UndefinedError or not self._undefined_name:
            return NOT_ALLOWED
        return f"Unknown merge field “{self._undefined_name}”."
