"""What an import would change that a person should see first: values of contacts that
already exist (fields, tags, branch, consent) and people the file names more than once.

The scan reads and decides like a dry run over the file's first rows, in one chunk so that
repeats anywhere in those rows are found, and writes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from dearly.contacts.fields import FIELDS
from dearly.imports.engine.decide import decide
from dearly.imports.engine.matching import Duplicate, Target
from dearly.imports.engine.plan import Plan
from dearly.imports.engine.sources import FileInfo, iter_rows
from dearly.imports.engine.validation import INDEX, Validator

SCAN_ROWS = 20_000  # rows checked before a run; the rest are counted and audited as they go
SHOWN = 200  # conflicts listed on the page; the count covers them all

Change = tuple[str, str, str]  # (field label, before, after), as people read them


@dataclass(frozen=True)
class Conflict:
    line: int
    kind: str  # "update" (an existing contact changes) | "duplicate" (a repeated person)
    who: str
    changes: tuple[Change, ...]
    note: str = ""


@dataclass
class Scan:
    conflicts: list[Conflict] = field(default_factory=list)
    updates: int = 0
    duplicates: int = 0
    rows: int = 0
    complete: bool = True

    @property
    def total(self) -> int:
        return self.updates + self.duplicates


def label(name: str) -> str:
    if name in FIELDS:
        return FIELDS[name].label
    return {"tags": "Tags", "branch_id": "Branch", "consent": "Consent"}.get(name, name)


def shown(value: Any, name: str, plan: Plan) -> str:
    if value in (None, "", []):
        return "(empty)"
    if name == "branch_id":
        return plan.branch_names.get(value, str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def scan(plan: Plan, path: Path, info: FileInfo, limit: int = SCAN_ROWS) -> Scan:
    raw = list(islice(iter_rows(path, info), limit + 1))
    out = Scan(rows=min(len(raw), limit), complete=len(raw) <= limit)
    validator = Validator(plan)
    rows, issues = [], []
    for line, cells in raw[:limit]:
        row, row_issues = validator.row(line, cells)
        issues += row_issues
        if row is not None:
            rows.append(row)
    decision = decide(plan, None, rows, issues)
    updates = [t for t in decision.targets if t.existing and (t.changes or t.grants)]
    out.updates, out.duplicates = len(updates), len(decision.duplicates)
    found = [_update(plan, t) for t in updates] + [_duplicate(plan, d) for d in decision.duplicates]
    out.conflicts = sorted(found, key=lambda c: c.line)[:SHOWN]
    return out


def _who(values: list[Any]) -> str:
    name = " ".join(v for v in (values[INDEX["first_name"]], values[INDEX["last_name"]]) if v)
    address = values[INDEX["email"]] or values[INDEX["phone"]] or ""
    return f"{name} ({address})" if name and address else name or address


def _update(plan: Plan, t: Target) -> Conflict:
    assert t.existing is not None
    changes = []
    for name, after in t.changes.items():
        if name == "tags":
            before: Any = list(t.existing.tags)
        elif name == "branch_id":
            before = t.existing.branch_id
        else:
            before = t.existing.values[INDEX[name]]
        changes.append((label(name), shown(before, name, plan), shown(after, name, plan)))
    for channel, purpose in t.grants:
        changes.append(("Consent", "(none)", f"{channel} {purpose} granted"))
    return Conflict(t.row.line, "update", _who(t.existing.values), tuple(changes))


def _duplicate(plan: Plan, d: Duplicate) -> Conflict:
    changes = tuple(
        (label(n), shown(old, n, plan), shown(new, n, plan)) for n, old, new in d.differences
    )
    outcome = "the first row is kept" if d.kept == "first" else "the later row's values win"
    note = f"Same {d.what} as line {d.earlier}: {outcome}."
    return Conflict(d.line, "duplicate", d.address, changes, note)
