"""Writing one decided chunk, set-based, in one transaction.

The chunk-writing protocol:

1. Open one transaction for the chunk (SQLite: BEGIN IMMEDIATE takes the write lock;
   PostgreSQL: its commit does not wait for the disk, see db_postgres.begin_chunk).
2. Reserve ids for the new contacts and consent events in one statement, so every later row
   (audit, lifecycle, consent, tags) can refer to them without a round trip per row.
3. Bulk-insert new contacts (COPY on PostgreSQL, executemany on SQLite).
4. Stage changed fields of existing contacts and apply them with one UPDATE … FROM.
5. Bulk-insert their side rows: lifecycle changes, tag links (ignoring links that exist),
   consent ledger rows, then current-state consent rows pointing at them.
6. Bulk-insert one `contact.imported` audit event per contact created or changed (fields,
   tags, branch or consent), with the old and new values; when the file is another tool's
   list of unsubscribed or bounced addresses, add each to the suppression list.
7. Upsert the job's marks (contact -> line) and insert the chunk's issues.
8. Move the job's checkpoint and counters and beat its heart, then commit: a crash before
   this point loses the whole chunk and a resumed run redoes it; after it, none of it.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dearly.contacts.services import get_or_create_tags
from dearly.imports.engine import db_postgres, db_sqlite
from dearly.imports.engine.decide import Decision
from dearly.imports.engine.fasthash import suppression_hasher
from dearly.imports.engine.ids import dashed, uuid4_hexes
from dearly.imports.engine.matching import BLANKS, EMAIL, Target
from dearly.imports.engine.plan import FIELD_ORDER, Plan
from dearly.imports.engine.validation import INDEX, Issue
from dearly.imports.models import ImportJob

CONTACT_COLUMNS = (
    "id", "public_id", *FIELD_ORDER, "household", "custom_fields", "lifecycle_changed_at",
    "branch_id", "branch_chosen", "created_at", "updated_at",
)  # fmt: skip
UPDATE_COLUMNS = (*FIELD_ORDER, "branch_id", "lifecycle_changed_at", "updated_at")
LIFECYCLE = INDEX["lifecycle_stage"]
SOURCE = INDEX["source"]
DATES = tuple(INDEX[name] for name in ("birthday", "anniversary"))


@dataclass(frozen=True)
class Who:
    user_id: int | None
    label: str
    source: str = "import"


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    issues: list[Issue] = field(default_factory=list)  # kept by dry runs only


def _changed(t: Target) -> bool:
    return t.existing is not None and bool(t.changes or t.grants)


def would_write(decision: Decision) -> Written:
    new = sum(1 for t in decision.targets if t.is_new)
    return Written(created=new, updated=sum(1 for t in decision.targets if _changed(t)))


def backend() -> Any:
    return db_postgres if connection.vendor == "postgresql" else db_sqlite


def _json(value: dict[str, Any]) -> str:
    # orjson writes dates as ISO text like DjangoJSONEncoder, at ~1 µs a contact's audit
    # values against ~7 µs for json.dumps (measured): two of them a row, every row.
    return orjson.dumps(value).decode()


def _stored(values: list[Any]) -> list[Any]:
    """Row values as both backends store them: dates as ISO text (sqlite3's own date
    adapter is deprecated; COPY reads the same text)."""
    for i in DATES:
        if isinstance(values[i], dt.date):
            values[i] = values[i].isoformat()
    return values


def write_chunk(
    plan: Plan, job: ImportJob | None, who: Who, decision: Decision, last_line: int, seen: int
) -> Written:
    with transaction.atomic(), connection.cursor() as cursor:
        db = backend()
        db.begin_chunk(cursor)
        moment = timezone.now()
        now = db.timestamp(moment)  # the same instant as every backend stores it
        new = [t for t in decision.targets if t.is_new]
        ids = db.reserve_ids(cursor, "contacts_contact", len(new))
        for target, cid, public_id in zip(new, ids, uuid4_hexes(len(new)), strict=True):
            target.contact_id, target.public_id = cid, public_id
        for target in decision.targets:
            if target.existing:
                target.contact_id, target.public_id = target.existing.id, target.existing.public_id
        _insert_contacts(db, cursor, plan, new, now)
        changed = [t for t in decision.targets if t.existing and t.changes]
        _update_contacts(db, cursor, changed, now)
        _lifecycle(db, cursor, plan, who, new + changed, now)
        _tags(db, cursor, decision.targets)
        _consents(db, cursor, plan, who, decision.targets, now)
        _audit(db, cursor, plan, who, decision.targets, now)
        _suppress(db, cursor, plan, decision.targets, now)
        if job is not None:
            _bookkeeping(db, cursor, job, decision, last_line, seen, moment)
    return Written(
        created=len(new),
        updated=sum(1 for t in decision.targets if _changed(t)),
    )


def _insert_contacts(db: Any, cursor: Any, plan: Plan, new: list[Target], now: Any) -> None:
    default_source = f"import: {plan.file_name}"[:100]
    rows = []
    for t in new:
        values = _stored([b if v is None else v for v, b in zip(t.row.values, BLANKS, strict=True)])
        values[LIFECYCLE] = values[LIFECYCLE] or "lead"
        values[SOURCE] = values[SOURCE] or default_source
        rows.append(
            (
                t.contact_id,
                t.public_id,
                *values,
                "{}",
                "{}",
                now,
                t.row.branch_id,
                t.row.branch_chosen,
                now,
                now,
            )
        )
    db.insert(cursor, "contacts_contact", CONTACT_COLUMNS, rows)


def _update_contacts(db: Any, cursor: Any, changed: list[Target], now: Any) -> None:
    rows = []
    for t in changed:
        values = _stored([t.changes.get(name) for name in FIELD_ORDER])
        stage_changed = now if "lifecycle_stage" in t.changes else None
        rows.append((t.contact_id, *values, t.changes.get("branch_id"), stage_changed, now))
    db.update_from(cursor, "contacts_contact", UPDATE_COLUMNS, rows)


def _lifecycle(db: Any, cursor: Any, plan: Plan, who: Who, targets: list[Target], now: Any) -> None:
    reason = f"imported from {plan.file_name}"[:200]
    rows = []
    for t in targets:
        if t.is_new:
            rows.append(
                (t.contact_id, "", t.row.values[LIFECYCLE] or "lead", reason, now, who.user_id)
            )
        elif "lifecycle_stage" in t.changes and t.existing:
            old = t.existing.values[LIFECYCLE]
            rows.append((t.contact_id, old, t.changes["lifecycle_stage"], reason, now, who.user_id))
    columns = ("contact_id", "from_stage", "to_stage", "reason", "changed_at", "actor_id")
    db.insert(cursor, "contacts_lifecyclechange", columns, rows)


def _tags(db: Any, cursor: Any, targets: list[Target]) -> None:
    names = {n.lower(): n for t in targets for n in t.row.tags}
    if not names:
        return
    ids = {tag.name.lower(): tag.pk for tag in get_or_create_tags(names.values())}
    new = [(t.contact_id, ids[n.lower()]) for t in targets if t.is_new for n in t.row.tags]
    db.insert(cursor, "contacts_contact_tags", ("contact_id", "tag_id"), new)
    # A contact that already exists may already have the tag: only those links go through
    # the slower conflict-ignoring path.
    old = {(t.contact_id, ids[n.lower()]) for t in targets if not t.is_new for n in t.row.tags}
    db.upsert(
        cursor,
        "contacts_contact_tags",
        ("contact_id", "tag_id"),
        sorted(old),
        conflict=("contact_id", "tag_id"),
        update=(),
    )


def _consents(db: Any, cursor: Any, plan: Plan, who: Who, targets: list[Target], now: Any) -> None:
    grants = [(t, ch, p) for t in targets for ch, p in t.grants]
    if not grants:
        return
    ids = db.reserve_ids(cursor, "contacts_consentevent", len(grants))
    public_ids = uuid4_hexes(len(grants))
    events, states = [], []
    for (t, channel, purpose), event_id, public_id in zip(grants, ids, public_ids, strict=True):
        events.append(
            (
                event_id,
                public_id,
                t.contact_id,
                channel,
                purpose,
                "grant",
                db.timestamp(t.row.opt_in_at) if t.row.opt_in_at else now,
                now,
                who.source,
                "import",
                plan.file_name[:120],
                "",
                plan.wording,
                _evidence_note(plan, t),
                "",
                who.user_id,
                who.label,
            )
        )
        states.append((t.contact_id, channel, purpose, "granted", now, event_id))
    db.insert(cursor, "contacts_consentevent", EVENT_COLUMNS, events)
    db.insert(
        cursor,
        "contacts_consent",
        ("contact_id", "channel", "purpose", "status", "updated_at", "last_event_id"),
        states,
    )


def _evidence_note(plan: Plan, t: Target) -> str:
    note = f"{plan.consent_source} (line {t.row.line})"
    if t.row.opt_in_status:
        note += f"; opt-in status in the file: {t.row.opt_in_status}"
    return note


EVENT_COLUMNS = (
    "id", "public_id", "contact_id", "channel", "purpose", "action", "occurred_at", "recorded_at",
    "source", "method", "form_name", "wording_version", "wording", "note", "user_agent",
    "staff_id", "actor_label",
)  # fmt: skip
AUDIT_COLUMNS = (
    "public_id", "occurred_at", "actor_id", "actor_label", "source", "action", "subject_type",
    "subject_id", "contact_id", "old", "new",
)  # fmt: skip


def _audit(db: Any, cursor: Any, plan: Plan, who: Who, targets: list[Target], now: Any) -> None:
    rows = []
    written = [t for t in targets if t.is_new or t.changes or t.grants]
    for t, public_id in zip(written, uuid4_hexes(len(written)), strict=True):
        old, new = _audit_values(t, plan.branch_names)
        new.update(
            import_result="created" if t.is_new else "updated",
            import_file=plan.file_name,
            import_line=t.row.line,
        )
        if t.grants:
            new["consents"] = [f"{ch}/{p}" for ch, p in t.grants]
        rows.append(
            (
                public_id,
                now,
                who.user_id,
                who.label,
                who.source,
                "contact.imported",
                "contact",
                dashed(t.public_id) if t.is_new else str(t.public_id),
                t.contact_id,
                _json(old) if old else "{}",
                _json(new),
            )
        )
    db.insert(cursor, "core_auditevent", AUDIT_COLUMNS, rows)


def _suppress(db: Any, cursor: Any, plan: Plan, targets: list[Target], now: Any) -> None:
    """A file that is another tool's list of unsubscribed or bounced addresses puts each one
    on the suppression list, so no later import or form grant by staff can mail them."""
    if not plan.suppress_reason:
        return
    hashes = suppression_hasher()
    emails = {t.row.values[EMAIL] or (t.existing.values[EMAIL] if t.existing else None)
              for t in targets}  # fmt: skip
    rows = sorted(
        ("email", hashes("email", e), plan.suppress_reason, "import", now) for e in emails if e
    )
    db.upsert(
        cursor,
        "contacts_suppression",
        ("kind", "key_hash", "reason", "source", "created_at"),
        rows,
        conflict=("kind", "key_hash", "reason"),
        update=(),
    )


def _audit_values(t: Target, branch_names: dict[int, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Old and new values of what the row changed; a branch by its name, as people know it."""
    if t.is_new:
        new = {n: v for n, v in zip(FIELD_ORDER, t.row.values, strict=True) if v not in (None, "")}
        if t.row.branch_id:
            new["branch"] = branch_names.get(t.row.branch_id, t.row.branch_id)
        if t.row.tags:
            new["tags"] = list(t.row.tags)
        return {}, new
    assert t.existing is not None
    old: dict[str, Any] = {}
    new = {}
    for key, value in t.changes.items():
        if key == "branch_id":
            before = t.existing.branch_id
            old["branch"] = branch_names.get(before, before) if before else None
            new["branch"] = branch_names.get(value, value)
        elif key == "tags":
            old["tags"], new["tags"] = list(t.existing.tags), list(value)
        else:
            old[key], new[key] = t.existing.values[INDEX[key]], value
    return old, new


def _bookkeeping(
    db: Any, cursor: Any, job: ImportJob, decision: Decision, last_line: int, seen: int, now: Any
) -> None:
    columns = ("job_id", "contact_id", "line")
    targets = decision.targets
    # A contact created by this chunk has no mark yet: plain insert; others may have one.
    new = [(job.pk, t.contact_id, t.row.line) for t in targets if t.is_new]
    db.insert(cursor, "imports_importedcontact", columns, new)
    old = [(job.pk, t.contact_id, t.row.line) for t in targets if not t.is_new]
    db.upsert(
        cursor,
        "imports_importedcontact",
        columns,
        old,
        conflict=("job_id", "contact_id"),
        update=("line",),
    )
    issues = [
        (job.pk, line, col[:255], value[:255], reason[:500], kind)
        for line, col, value, reason, kind in decision.issues
    ]
    db.insert(
        cursor,
        "imports_importissue",
        ("job_id", "line", "column", "value", "reason", "kind"),
        issues,
    )
    bad_lines = {i[1] for i in issues if i[5] == "error"}
    ImportJob.objects.filter(pk=job.pk).update(
        checkpoint_line=last_line,
        rows_seen=seen,
        created_count=F("created_count") + sum(1 for t in decision.targets if t.is_new),
        updated_count=F("updated_count") + sum(1 for t in decision.targets if _changed(t)),
        unchanged_count=F("unchanged_count") + decision.unchanged,
        skipped_count=F("skipped_count") + decision.skipped,
        bad_count=F("bad_count") + len(bad_lines),
        notice_count=F("notice_count") + sum(1 for i in issues if i[5] == "notice"),
        heartbeat_at=now,
    )
