"""Write a stepped batch back in one statement per chunk, instead of bulk_update's CASE per
field and row (which costs more to compile than the steps cost to run).

WITH v(id, …) AS (VALUES (…), …) UPDATE journeys_enrollment SET … FROM v WHERE id = v.id:
PostgreSQL and SQLite (3.33+) both read it; PostgreSQL is told the column types.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from dearly.journeys.models import Enrollment

TABLE = Enrollment._meta.db_table
# (column, PostgreSQL type) in the order the VALUES rows carry them.
COLUMNS = [
    ("status", "varchar"),
    ("step_id", "varchar"),
    ("waiting", "boolean"),
    ("seq", "integer"),
    ("next_run_at", "timestamptz"),
    ("finished_at", "timestamptz"),
    ("exit_reason", "varchar"),
    ("claimed_by", "varchar"),
    ("claimed_at", "timestamptz"),
]
CHUNK = 500


def row(e: Enrollment) -> list[Any]:
    adapt = connection.ops.adapt_datetimefield_value
    return [
        e.pk,
        e.status,
        e.step_id,
        e.waiting,
        e.seq,
        adapt(e.next_run_at),
        adapt(e.finished_at),
        e.exit_reason,
        e.claimed_by,
        adapt(e.claimed_at),
    ]


def write_back(enrollments: Sequence[Enrollment]) -> None:
    postgres = connection.vendor == "postgresql"

    def typed(name: str, pg_type: str) -> str:
        return f"v.{name}::{pg_type}" if postgres else f"v.{name}"

    names = ", ".join(["id", *(c for c, _ in COLUMNS)])
    sets = ", ".join(f"{c} = {typed(c, t)}" for c, t in COLUMNS)
    match = typed("id", "bigint")
    with connection.cursor() as cursor:
        for start in range(0, len(enrollments), CHUNK):
            chunk = enrollments[start : start + CHUNK]
            values = ", ".join(["(" + ", ".join(["%s"] * (len(COLUMNS) + 1)) + ")"] * len(chunk))
            sql = (
                f"WITH v({names}) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {TABLE} SET {sets} FROM v WHERE {TABLE}.id = {match}"
            )
            cursor.execute(sql, [p for e in chunk for p in row(e)])
