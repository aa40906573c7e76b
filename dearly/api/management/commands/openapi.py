import difflib

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dearly.api.snapshot import REFRESH_COMMAND, SNAPSHOT, committed_schema, render_schema


class Command(BaseCommand):
    help = "Print the API's OpenAPI schema, write it to the committed snapshot, or check it."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.name}")
        group.add_argument("--check", action="store_true", help="fail if the snapshot is stale")

    def handle(self, *args: object, write: bool, check: bool, **options: object) -> None:
        live = render_schema()
        if write:
            SNAPSHOT.write_text(live, encoding="utf-8")
            self.stdout.write(f"Wrote {SNAPSHOT}")
        elif check:
            self._check(live)
        else:
            self.stdout.write(live, ending="")

    def _check(self, live: str) -> None:
        committed = committed_schema()
        if live != committed:
            diff = difflib.unified_diff(
                committed.splitlines(keepends=True),
                live.splitlines(keepends=True),
                fromfile="committed openapi.json",
                tofile="live schema",
            )
            self.stderr.write("".join(diff))
            raise CommandError(f"The OpenAPI snapshot is out of date: run `{REFRESH_COMMAND}`")
        self.stdout.write("The OpenAPI snapshot is up to date.")
