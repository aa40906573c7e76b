"""Backups of the whole database, taken while Dearly runs, and restores from them.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot page
by page while the web server and workers keep writing; restoring copies the file back the same
way, inside one lock, so readers never see half a database.
PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --single-transaction`,
so a failed restore leaves the database as it was.
"""

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _database() -> dict[str, Any]:
    return dict(connection.settings_dict)


def is_sqlite() -> bool:
    return str(_database()["ENGINE"]).endswith("sqlite3")


def default_path(now: dt.datetime) -> Path:
    suffix = "sqlite3" if is_sqlite() else "dump"
    return settings.DATA_DIR / "backups" / f"dearly-{now:%Y%m%d-%H%M%S}.{suffix}"


def backup(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} already exists: choose another name")
    if is_sqlite():
        _sqlite_copy(source=Path(_database()["NAME"]), target=path)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
    return path


def restore(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    connection.close()  # ours would otherwise hold the old database open
    if is_sqlite():
        _check_sqlite(path)
        _sqlite_copy(source=path, target=Path(_database()["NAME"]))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_database()['NAME']}", str(path)])  # fmt: skip


def _check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            (ok,) = db.execute("PRAGMA quick_check").fetchone()
            has_tables = db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database: {exc}") from exc
    if ok != "ok" or not has_tables:
        raise BackupError(f"{path} is not a Dearly backup")


def _sqlite_copy(*, source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        src.close()
        dst.close()


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client with the connection details in its environment, never on the
    command line (where other users of the machine could read the password)."""
    db = _database()
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
