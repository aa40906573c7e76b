"""Set-based writes on SQLite: executemany of prepared tuples inside the chunk's transaction.

SQLite has no COPY; one prepared INSERT run over every row of the chunk is its fastest bulk
path, and the IMMEDIATE transaction the settings ask for already holds the write lock. Rows
arrive as tuples of str, int, float, bool or None, already in Django's storage form (the
writer prepares them), so sqlite3 binds them as they are: adapting each cell here cost more
than the INSERT itself (measured).
"""

# Table and column names below come from this package's constants, never from a file or a
# request; values always travel as parameters or COPY data.
# ruff: noqa: S608

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.backends.utils import CursorWrapper


def begin_chunk(cursor: CursorWrapper) -> None:
    """Nothing to relax: Django's SQLite transaction is already the chunk's write lock."""


def timestamp(value: dt.datetime) -> str:
    # Django's SQLite storage of an aware datetime: naive UTC text.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


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
    cursor.executemany(sql, rows)


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
