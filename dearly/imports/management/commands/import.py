"""`dearly import contacts FILE`: the wizard's import, from the command line."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dearly.branches.models import Branch
from dearly.core.actor import Actor
from dearly.core.models import Source
from dearly.imports import reports, services
from dearly.imports.engine.mapping import parse_map_options
from dearly.imports.engine.runner import run
from dearly.imports.models import DuplicatePolicy, ExistingPolicy, ImportJob


class Command(BaseCommand):
    help = "Import contacts from a CSV or XLSX file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["contacts"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD")
        parser.add_argument("--consent", action="append", default=[], metavar="CHANNEL:PURPOSE")
        parser.add_argument("--consent-wording", default="")
        parser.add_argument("--consent-source", default="")
        parser.add_argument("--branch", default="", help="branch for rows without one")
        parser.add_argument("--existing", choices=ExistingPolicy.values, default="update-blanks")
        parser.add_argument(
            "--duplicates",
            choices=DuplicatePolicy.values,
            default="later",
            help="a person named twice: 'later' row's values win, or keep the 'first'",
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--errors-out", type=Path)
        parser.add_argument("--user", default="", help="username the import is recorded as")
        parser.add_argument("--workers", type=int, default=-1, help="validation processes")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            job = services.store_path(actor=self._actor(opts["user"]), source=path)
        except services.ImportError_ as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        for notice in job.file_notices:
            self.stderr.write(f"notice: {notice}")
        errors = services.configure(job=job, options=self._options(job, opts))
        if errors:
            raise CommandError("; ".join(errors))
        workers = opts["workers"] if opts["workers"] >= 0 else int(job.total_rows_estimate > 50_000)
        if opts["dry_run"]:
            self._dry_run(job, opts, workers)
            return
        job = self._run(job, workers)
        self._summary(job, opts["errors_out"])

    def _actor(self, username: str) -> Actor:
        if not username:
            return Actor(source=Source.CLI, label="command line")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        return Actor(source=Source.CLI, user=user, label=username)

    def _options(self, job: ImportJob, opts: dict[str, Any]) -> dict[str, Any]:
        try:
            mapping = parse_map_options(opts["map"], list(job.headers), dict(job.mapping))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        # A recognised export's own evidence stands unless the command gives other consent.
        grants = [c.split(":", 1) for c in opts["consent"]] or list(job.grants)
        if any(len(g) != 2 for g in grants):
            raise CommandError("--consent takes CHANNEL:PURPOSE, e.g. email:marketing")
        branch = (
            Branch.objects.filter(name__iexact=opts["branch"]).first() if opts["branch"] else None
        )
        if opts["branch"] and branch is None:
            raise CommandError(f"No branch named {opts['branch']!r}")
        return {
            "mapping": mapping,
            "grants": grants,
            "consent_wording": opts["consent_wording"] or job.consent_wording,
            "consent_source": opts["consent_source"] or job.consent_source or "command line import",
            "existing": opts["existing"],
            "duplicates": opts["duplicates"],
            "default_branch_id": branch.pk if branch else None,
        }

    def _progress(self, seen: int, total: int) -> None:
        share = f" ({min(seen * 100 // max(total, 1), 100)}%)" if total else ""
        sys.stderr.write(f"\r{seen:,} rows read{share}")
        sys.stderr.flush()

    def _run(self, job: ImportJob, workers: int) -> ImportJob:
        total = job.total_rows_estimate
        job = services.run_job(
            job, workers=workers, on_progress=lambda seen: self._progress(seen, total)
        )
        sys.stderr.write("\n")
        if job.status != "done":
            raise CommandError(job.failure)
        return job

    def _summary(self, job: ImportJob, errors_out: Path | None) -> None:
        self.stdout.write(
            f"created {job.created_count}, updated {job.updated_count}, "
            f"unchanged {job.unchanged_count}, skipped {job.skipped_count}, "
            f"bad rows {job.bad_count}, notices {job.notice_count}"
        )
        if errors_out:
            with errors_out.open("w", encoding="utf-8", newline="") as out:
                out.writelines(reports.csv_lines(reports.issue_rows(job)))
            self.stdout.write(f"error report: {errors_out}")

    def _dry_run(self, job: ImportJob, opts: dict[str, Any], workers: int) -> None:
        result = run(
            services.plan_for(job),
            Path(job.stored_path),
            services.file_info(job),
            job=None,
            who=services.who_for(job),
            workers=workers,
            dry_run=True,
        )
        job.delete()
        bad = len({i[0] for i in result.issues if i[4] == "error"})
        notices = sum(i[4] == "notice" for i in result.issues)
        self.stdout.write(
            f"dry run: would create {result.created}, update {result.updated}, "
            f"bad rows {bad}, notices {notices}"
        )
        if opts["errors_out"]:
            with opts["errors_out"].open("w", encoding="utf-8", newline="") as out:
                out.writelines(reports.csv_lines(result.issues))
