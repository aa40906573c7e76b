"""Compile a validated rule tree into one Q over Contact.

1. Only validated trees compile (see rules.validate_rules); values reach SQL as parameters of
   Django lookups, never as SQL text.
2. Every condition is set-based: columns compare in place; tags and consent are EXISTS
   subqueries, so a contact never repeats and no Python loop walks contacts.
3. "Is not" and "does not have" include contacts with nothing there (no email, no such custom
   value), as a person reading the rule would expect.
4. Yearly dates need the time zones in use: `zones` is called at most once per compile (one
   DISTINCT query), only when a birthday or anniversary condition is present (see dates).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import (
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    TextField,
    Value,
)
from django.db.models.fields.json import HasKey, KeyTextTransform
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, StrIndex, Substr
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    IContains,
    IExact,
    IStartsWith,
    LessThan,
    Range,
)
from django.utils import timezone

from dearly.audiences.dates import month_day_ranges, zones_by_local_date
from dearly.audiences.rules import is_group
from dearly.audiences.schema import CUSTOM_PREFIX, Field, Schema
from dearly.contacts.models import Consent, ConsentStatus, Contact, Lifecycle

NOTHING = Q(pk__in=[])
TEXT_LOOKUPS = {"is": IExact, "is_not": IExact, "contains": IContains, "starts_with": IStartsWith}
NUMBER_LOOKUPS = {"eq": "exact", "ne": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}
TagLinks = Contact.tags.through


def compile_rules(
    rules: dict[str, Any],
    *,
    schema: Schema,
    zones: Callable[[], Iterable[str]],
    now: dt.datetime | None = None,
) -> Q:
    return Compiler(schema=schema, zones=zones, now=now or timezone.now()).group(rules)


@dataclass
class Compiler:
    schema: Schema
    zones: Callable[[], Iterable[str]]
    now: dt.datetime
    _zones: list[str] | None = field(default=None, init=False)

    def group(self, node: dict[str, Any]) -> Q:
        parts = [self.group(r) if is_group(r) else self.condition(r) for r in node["rules"]]
        if not parts:
            return Q()
        return reduce(and_ if node["match"] == "all" else or_, parts)

    def condition(self, node: dict[str, Any]) -> Q:
        spec = self.schema.fields[node["field"]]
        op, value = node["op"], node.get("value")
        if spec.kind.startswith("custom_"):
            return custom_q(spec, op, value)
        if spec.kind == "yearly":
            return self.yearly(spec.key, op, value)
        build = SIMPLE[spec.kind]
        return build(spec.key, op, value, self.now)

    def yearly(self, name: str, op: str, value: Any) -> Q:
        if op in ("is_blank", "is_not_blank"):
            q = Q(**{f"{name}__isnull": True})
            return q if op == "is_blank" else ~q
        days = 1 if op == "today" else int(value)
        if self._zones is None:
            self._zones = list(self.zones())
        code = ExtractMonth(name) * 100 + ExtractDay(name)
        code.output_field = IntegerField()
        windows = [
            Q(time_zone__in=names) & any_range(code, month_day_ranges(today, days))
            for today, names in zones_by_local_date(self._zones, self.now).items()
        ]
        return reduce(or_, windows, NOTHING)


def any_range(code: Expression, ranges: list[tuple[int, int]]) -> Q:
    parts = [Q(Exact(code, lo)) if lo == hi else Q(Range(code, (lo, hi))) for lo, hi in ranges]
    return reduce(or_, parts)


def text_q(target: Expression | F, op: str, value: Any) -> Q:
    if op in ("is_blank", "is_not_blank"):
        blank = Q(Exact(target, ""))
        return blank if op == "is_blank" else ~blank
    q = Q(TEXT_LOOKUPS[op](target, str(value).strip()))
    return ~q if op == "is_not" else q


def text_target(name: str) -> Expression | F:
    if name == "email_domain":
        email = Coalesce(F("email"), Value(""))
        return Substr(email, StrIndex(email, Value("@")) + 1)
    if name == "email":
        return Coalesce(F("email"), Value(""))
    return F(name)


def _text(name: str, op: str, value: Any, _now: dt.datetime) -> Q:
    return text_q(text_target(name), op, value)


def _lifecycle(_name: str, op: str, value: Any, _now: dt.datetime) -> Q:
    if op == "in":
        return Q(lifecycle_stage__in=value)
    q = Q(lifecycle_stage=value)
    return ~q if op == "is_not" else q


def _branch(_name: str, op: str, value: Any, _now: dt.datetime) -> Q:
    q = Q(branch_id=value)
    return ~q if op == "is_not" else q


def has_tag(names: list[str]) -> Q:
    """EXISTS a link to a tag with any of these names (tag names are unique ignoring case)."""
    named = reduce(or_, (Q(tag__name__iexact=n.strip()) for n in names))
    return Q(Exists(TagLinks.objects.filter(named, contact_id=OuterRef("pk"))))


def _tag(_name: str, op: str, value: Any, _now: dt.datetime) -> Q:
    if op == "all_of":
        return reduce(and_, (has_tag([n]) for n in value))
    q = has_tag(value if op == "any_of" else [value])
    return ~q if op == "has_not" else q


def _consent(_name: str, op: str, value: Any, _now: dt.datetime) -> Q:
    granted = Consent.objects.filter(
        contact_id=OuterRef("pk"),
        channel=value["channel"],
        purpose=value["purpose"],
        status=ConsentStatus.GRANTED,
    )
    q = Q(Exists(granted))
    return q if op == "granted" else ~q


def _presence(name: str, op: str, _value: Any, _now: dt.datetime) -> Q:
    column = name.removeprefix("has_")
    q = ~Q(Exact(Coalesce(F(column), Value("")), ""))
    return q if op == "is_true" else ~q


def _moment(name: str, op: str, value: Any, now: dt.datetime) -> Q:
    column = "lifecycle_changed_at" if name == "customer_since" else name
    stage = Q(lifecycle_stage=Lifecycle.CUSTOMER) if name == "customer_since" else Q()
    if op in ("before", "after"):
        day = dt.date.fromisoformat(value) + dt.timedelta(days=1 if op == "after" else 0)
        start = dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())
        lookup = "lt" if op == "before" else "gte"
    else:
        start = now - dt.timedelta(days=int(value))
        lookup = "gte" if op == "in_last_days" else "lt"
    return stage & Q(**{f"{column}__{lookup}": start})


SIMPLE: dict[str, Callable[[str, str, Any, dt.datetime], Q]] = {
    "text": _text,
    "lifecycle": _lifecycle,
    "branch": _branch,
    "tag": _tag,
    "consent": _consent,
    "presence": _presence,
    "moment": _moment,
}


def custom_q(spec: Field, op: str, value: Any) -> Q:
    """Custom values live in Contact.custom_fields (JSON); a missing key means blank."""
    key = spec.key.removeprefix(CUSTOM_PREFIX)
    present = Q(HasKey(F("custom_fields"), key))
    if op == "is_blank":
        return ~present
    if op == "is_not_blank":
        return present
    if spec.kind == "custom_text":
        text = KeyTextTransform(key, "custom_fields")
        return text_q(Coalesce(text, Value(""), output_field=TextField()), op, value)
    matched = present & _custom_match(spec.kind, key, op, value)
    return ~matched if op in ("is_not", "ne") else matched


def _custom_match(kind: str, key: str, op: str, value: Any) -> Q:
    if kind in ("custom_number", "custom_boolean"):
        # Django's own key path prepares the JSON value per database (jsonb on PostgreSQL, a
        # plain number on SQLite); an explicit final lookup keeps a key named like a lookup
        # ("contains") a key.
        lookup = NUMBER_LOOKUPS[op] if kind == "custom_number" else "exact"
        rhs = value if kind == "custom_number" else op == "is_true"
        return Q(**{f"custom_fields__{key}__{lookup}": rhs})
    text = KeyTextTransform(key, "custom_fields")
    if op == "in":
        return reduce(or_, (Q(Exact(text, v)) for v in value))
    compare = {"is": Exact, "is_not": Exact, "before": LessThan, "after": GreaterThan}[op]
    return Q(compare(text, value))
