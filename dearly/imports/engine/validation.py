"""One raw row in, one clean row or its reasons out. Semantics are contacts.fields'; the fast
paths only answer sooner for the common shapes."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dearly.contacts.fields import FIELDS, clean_value
from dearly.contacts.normalize import InvalidValue
from dearly.core.text import FORBIDDEN, text_problem
from dearly.imports.engine.fastpaths import fast_date, fast_email, fast_phone
from dearly.imports.engine.plan import FIELD_ORDER, Plan

INDEX = {name: i for i, name in enumerate(FIELD_ORDER)}
DATE_FIELDS = frozenset({"birthday", "anniversary"})
TAG_SEPARATORS = str.maketrans({";": ",", "|": ","})


@dataclass(slots=True)
class Row:
    """A validated row: values in FIELD_ORDER (None = not given), tags, branch id."""

    line: int
    values: list[Any]
    tags: tuple[str, ...] = ()
    branch_id: int | None = None
    branch_chosen: bool = False


Issue = tuple[int, str, str, str, str]  # line, column, value, reason, kind
ERROR, NOTICE = "error", "notice"


def _printable(raw: str) -> str:
    """The cell as the report can hold it: each forbidden character shown as its code."""
    return FORBIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", raw)[:255]


class Validator:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.width = len(plan.headers)
        today = timezone.localdate()
        self.latest_date = today + dt.timedelta(days=366 * 100)
        # (position, header, target, slot or None for tags/branch): resolved once, not per cell.
        self.columns = [(p, h, t, INDEX.get(t)) for p, h, t in plan.columns()]
        self.tag_cache: dict[str, tuple[str, ...]] = {}  # a tags column repeats itself

    def row(self, line: int, cells: list[str]) -> tuple[Row | None, list[Issue]]:
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            reason = f"the row has {len(cells)} cells but there are {self.width} columns"
            return None, [
                (line, "", "", reason + " (a delimiter inside an unquoted value?)", ERROR)
            ]
        row = Row(line=line, values=[None] * len(FIELD_ORDER))
        issues: list[Issue] = []
        count = len(cells)
        suspect = FORBIDDEN.search("".join(cells)) is not None  # one scan for the clean rows
        for position, header, target, slot in self.columns:
            raw = cells[position] if position < count else ""
            if not raw or raw.isspace():
                continue
            if suspect and (problem := text_problem(raw)):
                issues.append((line, header, _printable(raw), problem, ERROR))
                continue
            try:
                if slot is None:
                    self._set(row, target, raw)
                else:
                    row.values[slot] = self.clean(target, raw)
            except InvalidValue as exc:
                issues.append((line, header, raw[:255], str(exc), ERROR))
        if issues:
            return None, issues
        return self._identified(row, issues)

    def _identified(self, row: Row, issues: list[Issue]) -> tuple[Row | None, list[Issue]]:
        if row.values[INDEX["email"]] or row.values[INDEX["phone"]]:
            if row.branch_id is None:
                row.branch_id = self.plan.default_branch_id
            return row, issues
        return None, [
            (row.line, "", "", "no email or phone: nothing to recognise the contact by", ERROR)
        ]

    def _set(self, row: Row, target: str, raw: str) -> None:
        if target == "tags":
            tags = self.tag_cache.get(raw)
            if tags is None:
                names = (t.strip()[:60] for t in raw.translate(TAG_SEPARATORS).split(","))
                tags = tuple(dict.fromkeys(n for n in names if n))
                if len(self.tag_cache) < 10_000:
                    self.tag_cache[raw] = tags
            row.tags = tags
        elif target == "branch":
            branch_id = self.plan.branches.get(raw.strip().lower())
            if branch_id is None:
                raise InvalidValue(f"no branch named {raw.strip()!r}")
            row.branch_id, row.branch_chosen = branch_id, True
        else:
            row.values[INDEX[target]] = self.clean(target, raw)

    def clean(self, target: str, raw: str) -> Any:
        if target == "email":
            value: Any = fast_email(raw)
        elif target == "phone":
            value = fast_phone(raw, self.plan.region)
        elif target in DATE_FIELDS:
            value = self._date(raw)
        else:
            return FIELDS[target].clean(raw, self.plan.region)  # raw is never blank here
        return clean_value(target, raw, self.plan.region) if value is None else value

    def _date(self, raw: str) -> dt.date | None:
        # contacts.fields' range rule, applied to the fast parse; anything else falls back.
        value = fast_date(raw)
        if value is None or value.year < 1900 or value > self.latest_date:
            return None
        return value
