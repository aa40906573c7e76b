"""Set-based writes on PostgreSQL: COPY into the table, or into a temporary stage followed
by one INSERT … SELECT … ON CONFLICT or UPDATE … FROM.

COPY is the fastest way into PostgreSQL; it cannot resolve conflicts, so anything that may
meet an existing row goes through a stage table that lives only for the transaction.
"""

# Table and column names below come from this package's constants, never from a file or a
# request; values always travel as parameters or COPY data.
# ruff: noqa: S608

from collections.abc import Sequence
from typing import Any

from django.db.backends.utils import CursorWrapper


def _copy(cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


def reserve_ids(cursor: CursorWrapper, table: str, n: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [f'"{table}"', n],
    )
    return [r[0] for r in cursor.fetchall()]


def insert(cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    if rows:
        _copy(cursor, table, columns, rows)


def _stage(cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]) -> str:
    stage = f"import_stage_{table}"
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
        f'SELECT {names} FROM "{table}" WITH NO DATA'
    )
    # ON COMMIT empties it only at a real commit: a chunk written inside a caller's
    # transaction (a savepoint) would otherwise see the earlier chunks' rows again.
    cursor.execute(f"DELETE FROM {stage}")
    _copy(cursor, stage, columns, rows)
    return stage


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
    stage = _stage(cursor, table, columns, rows)
    names = ", ".join(f'"{c}"' for c in columns)
    target = ", ".join(f'"{c}"' for c in conflict)
    action = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update)
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {stage} '
        f"ON CONFLICT ({target}) DO " + (f"UPDATE SET {action}" if action else "NOTHING")
    )


def update_from(
    cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Sequence[Any]
) -> None:
    """UPDATE table FROM a staged copy of rows (id first); a NULL cell keeps the old value."""
    if not rows:
        return
    stage = _stage(cursor, table, ["id", *columns], rows)
    sets = ", ".join(f'"{c}" = COALESCE(s."{c}", t."{c}")' for c in columns)
    cursor.execute(f'UPDATE "{table}" AS t SET {sets} FROM {stage} AS s WHERE t.id = s.id')
