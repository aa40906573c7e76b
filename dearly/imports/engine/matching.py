"""Deciding, for one chunk of valid rows, what each row does to the database.

Rows are first merged within the chunk (same email, else same phone: one contact, the later
row's values win), then matched to existing contacts by normalised email, else by E.164 phone.
Nothing is written here: the outcome is a list of Targets the writer applies set-based.
"""

from dataclasses import dataclass, field
from typing import Any

from dearly.contacts.fields import FIELDS
from dearly.imports.engine.plan import FIELD_ORDER
from dearly.imports.engine.validation import INDEX, NOTICE, Issue, Row

EMAIL, PHONE = INDEX["email"], INDEX["phone"]
BLANKS = [FIELDS[name].blank for name in FIELD_ORDER]


@dataclass(slots=True)
class Existing:
    """The columns of a matched contact that an import may read or change."""

    id: int
    public_id: Any
    values: list[Any]
    branch_id: int | None
    branch_chosen: bool
    imported_line: int | None = None  # set when this same job already wrote it
    tags: tuple[str, ...] = ()  # read only when the file has a tags column


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A row for a person an earlier row of the same file already named."""

    line: int
    earlier: int
    what: str  # "email" | "phone number"
    differences: tuple[tuple[str, Any, Any], ...]  # (field, earlier value, later value)
    kept: str  # "later" | "first"
    address: str = ""  # the email or phone that makes them one person


@dataclass(slots=True)
class Target:
    row: Row
    existing: Existing | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    old: dict[str, Any] = field(default_factory=dict)
    grants: list[tuple[str, str]] = field(default_factory=list)
    contact_id: int | None = None
    public_id: Any = None

    @property
    def is_new(self) -> bool:
        return self.existing is None


def merge_chunk(
    rows: list[Row],
    issues: list[Issue],
    *,
    first_wins: bool = False,
    duplicates: list[Duplicate] | None = None,
) -> list[Row]:
    """One Row per person in the chunk: a later row's non-blank values win, or with
    `first_wins` the later row is left out. Each repeat is noted, with what differs."""
    merged: list[Row] = []
    seen: tuple[dict[str, int], dict[str, int]] = ({}, {})  # email, phone -> index in merged
    emails, phones = seen
    for row in rows:
        email, phone = row.values[EMAIL], row.values[PHONE]
        index = emails.get(email) if email else None
        what = "email"
        if index is None and phone:
            index, what = phones.get(phone), "phone number"
        if index is None:
            index = len(merged)
            merged.append(row)
        else:
            earlier = merged[index]
            repeat = duplicate(earlier, row, what, "first" if first_wins else "later")
            issues.append(_duplicate_notice(repeat))
            if duplicates is not None:
                duplicates.append(repeat)
            if first_wins:
                continue
            merged[index] = _merge(earlier, row)
        if email:
            emails[email] = index
        if phone:
            phones[phone] = index
    return merged


def _merge(earlier: Row, later: Row) -> Row:
    pairs = zip(earlier.values, later.values, strict=True)
    values = [new if new not in (None, "") else old for old, new in pairs]
    chosen = later.branch_chosen or not earlier.branch_chosen
    return Row(
        line=later.line,
        values=values,
        tags=tuple(dict.fromkeys(earlier.tags + later.tags)),
        branch_id=later.branch_id if chosen else earlier.branch_id,
        branch_chosen=later.branch_chosen or earlier.branch_chosen,
        opt_ins=tuple(dict.fromkeys(earlier.opt_ins + later.opt_ins)),
        opt_in_at=later.opt_in_at or earlier.opt_in_at,
        opt_in_status=later.opt_in_status or earlier.opt_in_status,
    )


def duplicate(earlier: Row, later: Row, what: str, kept: str) -> Duplicate:
    differences = tuple(
        (name, old, new)
        for name, old, new in zip(FIELD_ORDER, earlier.values, later.values, strict=True)
        if new not in (None, "") and old not in (None, "") and new != old
    )
    if later.branch_chosen and earlier.branch_chosen and later.branch_id != earlier.branch_id:
        differences += (("branch_id", earlier.branch_id, later.branch_id),)
    address = later.values[EMAIL] if what == "email" else later.values[PHONE]
    return Duplicate(later.line, earlier.line, what, differences, kept, address or "")


def _duplicate_notice(repeat: Duplicate) -> Issue:
    labels = (FIELDS[n].label if n in FIELDS else "Branch" for n, _, _ in repeat.differences)
    differs = ", ".join(labels)
    outcome = (
        "not imported, the first row is kept"
        if repeat.kept == "first"
        else "one contact, this later row wins"
    )
    detail = f" (differs in: {differs})" if differs else ""
    return (
        repeat.line,
        "",
        "",
        f"same {repeat.what} as line {repeat.earlier}: {outcome}{detail}",
        NOTICE,
    )


def match(
    row: Row, by_email: dict[str, Existing], by_phone: dict[str, Existing]
) -> Existing | None:
    email, phone = row.values[EMAIL], row.values[PHONE]
    return (by_email.get(email) if email else None) or (by_phone.get(phone) if phone else None)


def changes_for(row: Row, existing: Existing, overwrite: bool) -> dict[str, Any]:
    """Field -> new value: every given value when overwriting, else only into blank fields."""
    changes: dict[str, Any] = {}
    columns = zip(FIELD_ORDER, row.values, existing.values, BLANKS, strict=True)
    for name, new, old, blank in columns:
        if new is None or new == old:
            continue
        if overwrite or old in (None, "", blank):
            changes[name] = new
    if row.tags:
        have = {t.lower() for t in existing.tags}
        added = [t for t in row.tags if t.lower() not in have]
        if added:
            changes["tags"] = [*existing.tags, *added]  # an import adds tags, never removes
    moves = (overwrite and row.branch_chosen) or existing.branch_id is None
    if row.branch_id and row.branch_id != existing.branch_id and moves:
        changes["branch_id"] = row.branch_id
    return changes
