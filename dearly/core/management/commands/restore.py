"""`dearly restore FILE`: put a backup back, replacing everything in the database."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dearly.core import backup


class Command(BaseCommand):
    help = "Restore the database from a backup made by `dearly backup` (stop Dearly first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not opts["yes"]:
            answer = input(f"Replace everything in the database with {path}? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Not restored.")
        try:
            backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        # A backup from an older version is brought up to date, as on every start.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Restored from {path}.")
