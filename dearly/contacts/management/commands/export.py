"""`dearly export contacts [--output FILE] [--branch NAME]`: the same CSV as the web export."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dearly.branches.models import Branch
from dearly.contacts.export import export_contacts
from dearly.contacts.models import Contact
from dearly.core.actor import Actor
from dearly.core.models import Source


class Command(BaseCommand):
    help = "Export contacts as CSV (safe to open in a spreadsheet)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["contacts"], help="what to export")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--branch", help="only this branch's contacts (by name)")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Contact.objects.order_by("last_name", "first_name", "id")
        if name := options["branch"]:
            branch = Branch.objects.filter(name__iexact=name).first()
            if branch is None:
                known = ", ".join(Branch.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No branch called {name!r} (branches: {known})")
            qs = qs.filter(branch=branch)
        actor = Actor(source=Source.CLI, label="command line")
        count, lines = export_contacts(
            actor=actor, queryset=qs, filters={"branch": options["branch"]}
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.writelines(lines)
            self.stderr.write(f"Exported {count} contacts to {options['output']}")
        else:
            for line in lines:
                self.stdout.write(line, ending="")
