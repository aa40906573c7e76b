"""`dearly demo`: everything in one command — database, demo business, web app."""

import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dearly.core.chores import run_due
from dearly.delivery.compose import compose
from dearly.delivery.transports.base import get_transport
from dearly.delivery.worker import Worker
from dearly.demo import business
from dearly.mailbox import catcher
from dearly.web.management.commands.web import serve


def start_worker() -> Worker:
    """The demo sends in the same process: one worker thread beside the web server."""
    worker = Worker(
        compose=compose, transport=get_transport, chores=run_due, idle_seconds=1.0, batch_size=200
    )
    threading.Thread(target=worker.run, name="dearly-worker", daemon=True).start()
    return worker


class Command(BaseCommand):
    help = "Start Dearly with a demo business on the embedded database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--customers", type=int, default=500)
        parser.add_argument(
            "--no-serve", action="store_true", help="set up the data, then exit without serving"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if business.is_loaded():
            self.stdout.write("Using the data already there.")
        else:
            self.stdout.write(f"Creating the demo business ({opts['customers']} customers)…")
            business.load(customers=opts["customers"])
        self._print_logins(opts)
        if opts["no_serve"]:
            return
        # The demo never delivers mail: the catcher keeps it for the Mailbox page.
        mail_catcher = catcher.start_for_demo()
        self.stdout.write(
            f"Mail is caught, not sent: see http://{opts['host']}:{opts['port']}/mailbox/"
        )
        # So a campaign launched on any weekday arrives now, not on its window's next day.
        settings.SEND_WINDOWS = False
        self.stdout.write("Send windows are off in the demo: launched campaigns go out at once.")
        sender = start_worker()
        try:
            serve(host=opts["host"], port=opts["port"], threads=8)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            sender.stopping = True
            mail_catcher.stop()

    def _print_logins(self, opts: dict[str, Any]) -> None:
        url = f"http://{opts['host']}:{opts['port']}/"
        where = "Set up; serve it with `dearly demo`" if opts["no_serve"] else "Dearly is ready at"
        self.stdout.write(self.style.SUCCESS(f"\n{where} {url}"))
        logins = business.demo_logins()
        if not logins:
            self.stdout.write(
                "No demo logins here: create an owner with `dearly createowner NAME`."
            )
            return
        self.stdout.write("Demo logins (username / password / role):")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.password:<14} {login.role}")
        if not opts["no_serve"]:
            self.stdout.write("Press Ctrl-C to stop.\n")
