"""Set-based writes on SQLite: executemany of prepared tuples inside the chunk's transaction.

SQLite has no COPY; one prepared INSERT run over every row of the chunk is its fastest bulk
path, and the IMMEDIATE transaction the settings ask for already holds the write lock.
"""

# Table and column names below come from this package's constants, never from a file or a
# request; values always travel as parameters or COPY data.
# ruff: noqa: S608

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.backends.utils import CursorWrapper


def _adapt(value: Any) -> Any:
    # Django's SQLite storage: UUIDs as 32 hex digits, datetimes as naive UTC text.
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


def _prepared(rows: Sequence[Sequence[Any]]) -> list[Any]:
    """Adapt only the columns that need it: a column's type is the same on every row, and
    adapting every cell cost more than the INSERT itself (measured)."""
    if not rows:
        return []
    needs = [
        i
        for i in range(len(rows[0]))
        if any(isinstance(r[i], uuid.UUID | dt.date | dict | list) for r in rows[:50])
        or any(r[i] is None for r in rows[:50])
    ]
    if not needs:
        return list(rows)
    out = []
    for row in rows:
        cells = list(row)
        for i in needs:
            cells[i] = _adapt(cells[i])
        out.append(cells)
    return out


def reserve_ids(cursor: CursorWrapper, table: str, n: int) -> list[int]:
    """The next n ids: safe because the chunk's transaction already holds the write lock."""
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


def insert(cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    upsert(cursor, table, columns, rows, conflict=(), update=())


def upsert(
    cursor: CursorWrapper,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Any],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
    if conflict:
        target = ", ".join(f'"{c}"' for c in conflict)
        action = ", ".join(f'"{c}" = excluded."{c}"' for c in update) if update else ""
        sql += f" ON CONFLICT ({target}) DO " + (f"UPDATE SET {action}" if action else "NOTHING")
    cursor.executemany(sql, _prepared(rows))


def update_from(
    cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]
) -> None:
    """UPDATE table FROM a staged copy of rows (id first); a NULL cell keeps the old value."""
    if not rows:
        return
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_stage_"
        + table
        + ' AS SELECT "id", '
        + ", ".join(f'"{c}"' for c in columns)
        + f' FROM "{table}" WHERE 0'
    )
    stage = f"import_stage_{table}"
    cursor.execute(f"DELETE FROM {stage}")
    insert(cursor, stage, ["id", *columns], rows)
    sets = ", ".join(f'"{c}" = COALESCE(s."{c}", "{table}"."{c}")' for c in columns)
    cursor.execute(f'UPDATE "{table}" SET {sets} FROM {stage} AS s WHERE "{table}".id = s.id')
