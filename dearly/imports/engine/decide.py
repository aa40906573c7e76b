"""The reads a chunk needs (matches, suppressions, consents) and the decision for each row."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection
from django.db.models import Model, QuerySet

from dearly.contacts.models import Consent, Contact, PointKind, Suppression, SuppressionReason
from dearly.contacts.suppression import point_kind_for_channel
from dearly.imports.engine.fasthash import suppression_hasher
from dearly.imports.engine.matching import (
    EMAIL,
    PHONE,
    Duplicate,
    Existing,
    Target,
    _duplicate_notice,
    changes_for,
    match,
    merge_chunk,
)
from dearly.imports.engine.plan import FIELD_ORDER, Plan
from dearly.imports.engine.validation import ERROR, INDEX, NOTICE, Issue, Row
from dearly.imports.models import ImportedContact


def any_of[M: Model](qs: QuerySet[M], *tests: tuple[str, list[Any]]) -> QuerySet[M]:
    """Rows whose column equals any of the values (tests OR-ed), each list sent as one
    parameter: ten thousand `IN` placeholders cost more to send than to run, and can pass
    SQLite's limit on parameters. SQLite reads a JSON array; PostgreSQL splits lines of
    text, or gets an array where the values are not text."""
    table = qs.model._meta.db_table
    if connection.vendor != "postgresql":
        # Table and column names are the model's own, never input.
        where = " OR ".join(
            f'"{table}"."{column}" IN (SELECT value FROM json_each(%s))'  # noqa: S608
            for column, _ in tests
        )
        params: list[Any] = [orjson.dumps(values).decode() for _, values in tests]
        return qs.extra(where=[where], params=params)  # noqa: S610
    texts = all(values and all(isinstance(v, str) for v in values) for _, values in tests)
    if texts and not any("\n" in v for _, values in tests for v in values):
        # psycopg builds a text array element by element in Python (~4 µs an address,
        # measured); a join is nearly free.
        where = " OR ".join(
            f'"{table}"."{column}" = ANY(string_to_array(%s, E\'\\n\'))' for column, _ in tests
        )
        params = ["\n".join(values) for _, values in tests]
    else:
        where = " OR ".join(f'"{table}"."{column}" = ANY(%s)' for column, _ in tests)
        params = [values for _, values in tests]
    return qs.extra(where=[where], params=params)  # noqa: S610


COLUMNS = ("id", "public_id", *FIELD_ORDER, "branch_id", "branch_chosen")


@dataclass
class Decision:
    targets: list[Target] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped: int = 0
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)


def decide(plan: Plan, job_id: int | None, rows: list[Row], issues: list[Issue]) -> Decision:
    """1. merge the chunk's own duplicates; 2. read matches, earlier lines of this job,
    suppressions and consents in four queries; 3. decide each row without touching the DB."""
    out = Decision(issues=issues)
    first_wins = plan.duplicates == "first"
    people = merge_chunk(rows, out.issues, first_wins=first_wins, duplicates=out.duplicates)
    by_email, by_phone = _existing(people, job_id, with_tags=any(r.tags for r in people))
    suppressed = _suppressions(people)
    consents = _consents(
        [e.id for e in by_email.values()] + [e.id for e in by_phone.values()],
        bool(plan.grants) or any(r.opt_ins for r in people),
    )
    claimed = {(EMAIL, k) for k in by_email} | {(PHONE, k) for k in by_phone}
    for row, reasons in zip(people, suppressed, strict=True):
        if any(SuppressionReason.ERASED in r for r in reasons.values()):
            out.issues.append(
                (row.line, "", "", "this person asked to be erased: not imported", ERROR)
            )
            continue
        existing = match(row, by_email, by_phone)
        target = _target(plan, row, existing, out)
        if target is None:
            continue
        _keep_unique(target, claimed, out.issues)
        _grants(plan, target, reasons, consents, out.issues)
        out.unchanged += not (target.is_new or target.changes or target.grants)
        out.targets.append(target)  # unchanged ones too: the job marks every contact it met
    return out


def _target(plan: Plan, row: Row, existing: Existing | None, out: Decision) -> Target | None:
    if existing is None:
        return Target(row=row)
    earlier = existing.imported_line
    if earlier is not None and earlier < row.line:
        # The same person in an earlier chunk of this file: the chunk merge's rule, again.
        changes = changes_for(row, existing, True)
        repeat = Duplicate(
            row.line,
            earlier,
            "contact",
            tuple((n, _old(existing, n), v) for n, v in changes.items() if n != "tags"),
            plan.duplicates,
            existing.values[EMAIL] or existing.values[PHONE] or "",
        )
        out.duplicates.append(repeat)
        out.issues.append(_duplicate_notice(repeat))
        if plan.duplicates == "first":
            return None
        return Target(row=row, existing=existing, changes=changes)
    if plan.existing == "skip":
        out.skipped += 1
        return None
    changes = changes_for(row, existing, plan.existing == "overwrite")
    return Target(row=row, existing=existing, changes=changes)


def _old(existing: Existing, name: str) -> Any:
    """The stored value of a field (or branch, or tags) an import would change."""
    if name == "tags":
        return list(existing.tags)
    if name == "branch_id":
        return existing.branch_id
    return existing.values[INDEX[name]]


def _keep_unique(target: Target, claimed: set[tuple[int, str]], issues: list[Issue]) -> None:
    """An email or phone already held by another contact is not copied onto this one."""
    own = target.existing
    for slot, name in ((EMAIL, "email"), (PHONE, "phone")):
        value = target.row.values[slot]
        if not value:
            continue
        mine = own is not None and own.values[slot] == value
        if (slot, value) in claimed and not mine and (target.is_new or name in target.changes):
            issues.append(
                (
                    target.row.line,
                    name,
                    value,
                    f"another contact already has this {name}: not copied",
                    NOTICE,
                )
            )
            target.changes.pop(name, None)
            target.row.values[slot] = None if target.is_new else target.row.values[slot]
        claimed.add((slot, value))


def _grants(
    plan: Plan,
    target: Target,
    reasons: dict[int, set[str]],
    consents: dict[tuple[int, str, str], str],
    issues: list[Issue],
) -> None:
    """Grant only where no decision exists yet; an import never resubscribes anyone."""
    values = target.row.values
    contact_id = target.existing.id if target.existing else None
    opted = [(c, "marketing") for c in target.row.opt_ins if (c, "marketing") not in plan.grants]
    for channel, purpose in (*plan.grants, *opted):
        kind = point_kind_for_channel(channel)
        slot = EMAIL if kind == PointKind.EMAIL else PHONE if kind == PointKind.PHONE else None
        address = values[slot] if slot is not None else "n/a"
        if target.existing and slot is not None and not address:
            address = target.existing.values[slot]
        if not address:
            continue
        if slot is not None and reasons.get(slot):
            why = ", ".join(sorted(reasons[slot]))
            issues.append(
                (
                    target.row.line,
                    channel,
                    "",
                    f"on the suppression list ({why}): imported without {channel} consent",
                    NOTICE,
                )
            )
            continue
        state = consents.get((contact_id or 0, channel, purpose))
        if state == "withdrawn":
            issues.append(
                (
                    target.row.line,
                    channel,
                    "",
                    f"withdrew {channel} {purpose} consent earlier: not re-granted",
                    NOTICE,
                )
            )
        elif state is None:
            target.grants.append((channel, purpose))


def _existing(
    people: list[Row], job_id: int | None, *, with_tags: bool = False
) -> tuple[dict[str, Existing], dict[str, Existing]]:
    emails = [r.values[EMAIL] for r in people if r.values[EMAIL]]
    phones = [r.values[PHONE] for r in people if r.values[PHONE]]
    found = [
        Existing(
            id=r[0], public_id=r[1], values=list(r[2:-2]), branch_id=r[-2], branch_chosen=r[-1]
        )
        for r in any_of(Contact.objects.all(), ("email", emails), ("phone", phones))
        .order_by()
        .values_list(*COLUMNS)
    ]
    if job_id is not None and found:
        lines = dict(
            ImportedContact.objects.filter(
                job_id=job_id, contact_id__in=[e.id for e in found]
            ).values_list("contact_id", "line")
        )
        for e in found:
            e.imported_line = lines.get(e.id)
    if with_tags and found:
        _read_tags(found)
    by_email = {e.values[EMAIL]: e for e in found if e.values[EMAIL]}
    by_phone = {e.values[PHONE]: e for e in found if e.values[PHONE]}
    return by_email, by_phone


def _read_tags(found: list[Existing]) -> None:
    """Each matched contact's tags, so a row that adds one is seen as the change it is."""
    names: dict[int, list[str]] = {}
    links = any_of(Contact.tags.through.objects.all(), ("contact_id", [e.id for e in found]))
    for contact_id, name in links.order_by("tag__name").values_list("contact_id", "tag__name"):
        names.setdefault(contact_id, []).append(name)
    for e in found:
        e.tags = tuple(names.get(e.id, ()))


SLOTS = ((EMAIL, PointKind.EMAIL), (PHONE, PointKind.PHONE))


def _suppressions(people: list[Row]) -> list[dict[int, set[str]]]:
    """For each row, slot -> suppression reasons of its address (only suppressed slots).
    Each address is hashed once: the hash is the costly part."""
    hashes = suppression_hasher()
    keys = [
        [(slot, kind, hashes(kind, r.values[slot])) for slot, kind in SLOTS if r.values[slot]]
        for r in people
    ]
    found: dict[tuple[str, str], set[str]] = {}
    every = [key for row_keys in keys for _, _, key in row_keys]
    for kind, key, reason in any_of(Suppression.objects.all(), ("key_hash", every)).values_list(
        "kind", "key_hash", "reason"
    ):
        found.setdefault((kind, key), set()).add(reason)
    if not found:
        return [{} for _ in people]
    return [
        {slot: found[(kind, key)] for slot, kind, key in row_keys if (kind, key) in found}
        for row_keys in keys
    ]


def _consents(contact_ids: Iterable[int], granting: bool) -> dict[tuple[int, str, str], str]:
    if not granting:
        return {}
    ids = sorted(set(contact_ids))
    rows = any_of(Consent.objects.all(), ("contact_id", ids)).values_list(
        "contact_id", "channel", "purpose", "status"
    )
    return {(c, ch, p): s for c, ch, p, s in rows}
