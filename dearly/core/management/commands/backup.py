"""`dearly backup [FILE]`: a consistent copy of the whole database, taken while Dearly runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dearly.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite: a copy of the file; PostgreSQL: a pg_dump archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="where to write it (default: DATA_DIR/backups/dearly-….)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"]) if opts["file"] else backup.default_path(timezone.now())
        try:
            written = backup.backup(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
