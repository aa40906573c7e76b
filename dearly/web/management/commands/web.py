"""`dearly web`: serve the web app (migrating the database first unless told not to)."""

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

log = logging.getLogger("dearly.web")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(*, host: str, port: int, threads: int) -> None:
    """Serve until interrupted. Waitress is pure Python, threaded, and stops cleanly on Ctrl-C."""
    from waitress import serve as waitress_serve

    from dearly.wsgi import application

    # Ctrl-C and SIGTERM both end the server cleanly (requests in hand finish first).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    waitress_serve(application, host=host, port=port, threads=threads, **waitress_options())


def waitress_options() -> dict[str, Any]:
    """Behind a reverse proxy, believe what it says about the scheme (so HSTS and secure
    cookies apply) and the client's address; waitress drops those headers from anyone else."""
    options: dict[str, Any] = {"ident": "dearly"}
    if settings.TRUSTED_PROXY:
        options |= {
            "trusted_proxy": settings.TRUSTED_PROXY,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        }
    return options


class Command(BaseCommand):
    help = "Serve the Dearly web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="skip applying migrations (when several web processes start at once)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Dearly is running at http://{opts['host']}:{opts['port']}/")
        try:
            serve(host=opts["host"], port=opts["port"], threads=opts["threads"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
