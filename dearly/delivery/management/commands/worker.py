"""`dearly worker`: send what the outbox holds, until stopped (SIGTERM finishes the batch)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dearly.core.chores import run_due
from dearly.delivery.compose import compose
from dearly.delivery.transports.base import get_transport
from dearly.delivery.worker import Worker


class Command(BaseCommand):
    help = "Send queued messages: claim, check, render, send, record; repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="messages per batch")
        parser.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")
        parser.add_argument(
            "--once", action="store_true", help="process at most one batch, then exit"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        worker = Worker(
            compose=compose,
            transport=get_transport,
            chores=run_due,
            batch_size=opts["batch"],
            idle_seconds=opts["idle"],
        )
        self.stdout.write(f"Worker {worker.name} started.")
        worker.run(max_batches=1 if opts["once"] else None)
        self.stdout.write(f"Worker {worker.name} stopped.")
