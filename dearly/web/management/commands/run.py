"""`dearly run`: a small production install in one command.

1. Apply migrations once (unless told not to), before anything serves or sends.
2. Start the web server, gunicorn with threaded workers (`--web-processes` times `--threads`), and
   `--workers` delivery workers (`dearly worker`), each a child process.
3. Wait. SIGTERM or Ctrl-C is passed on to every child: gunicorn finishes the requests in hand,
   each worker finishes its batch. A child still running after `--grace` seconds is killed.
4. When any child stops by itself, the others are stopped too and `dearly run` exits with a
   failure, so the service manager (systemd, Docker) restarts the whole set.
"""

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


def web_command(*, host: str, port: int, processes: int, threads: int, grace: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dearly.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={processes}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--graceful-timeout={grace}",
        "--timeout=60",  # a request thread stuck for a minute gets its process replaced
        "--max-requests=5000",  # recycle processes now and then, so slow leaks never pile up
        "--max-requests-jitter=500",
        "--access-logfile=-",
        "--name=dearly-web",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "dearly.cli", "worker"]


class Command(BaseCommand):
    help = "Run Dearly for real: the web server and the delivery workers together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--web-processes", type=int, default=2, help="web server processes (one per core)"
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per web process")
        parser.add_argument("--workers", type=int, default=1, help="delivery workers")
        parser.add_argument(
            "--grace", type=int, default=20, help="seconds to finish work when stopping"
        )
        parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        stop = False

        def on_signal(signum: int, frame: FrameType | None) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        children = self._start(opts)
        self.stdout.write(f"Dearly is running at http://{opts['host']}:{opts['port']}/")
        failed = None
        while not stop and failed is None:
            time.sleep(0.2)
            failed = next((c for c in children if c.process.poll() is not None), None)
        if failed is not None:
            self.stderr.write(f"{failed.name} stopped by itself (exit {failed.process.returncode})")
        self._stop(children, grace=opts["grace"])
        if failed is not None:
            sys.exit(1)
        self.stdout.write("Stopped.")

    def _start(self, opts: dict[str, Any]) -> list[Child]:
        web = web_command(
            host=opts["host"],
            port=opts["port"],
            processes=opts["web_processes"],
            threads=opts["threads"],
            grace=opts["grace"],
        )
        commands = [("web", web)] + [
            (f"worker {n + 1}", worker_command()) for n in range(opts["workers"])
        ]
        children = []
        for name, command in commands:
            # A child of its own process group: Ctrl-C in a terminal reaches only `dearly run`,
            # which then stops the children in order.
            process = subprocess.Popen(command, process_group=0)  # noqa: S603 - our own commands
            children.append(Child(name, process))
            self.stdout.write(f"Started {name} (pid {process.pid}).")
        self.stdout.flush()
        return children

    def _stop(self, children: list[Child], *, grace: int) -> None:
        for child in children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in children:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            self.stdout.write(f"Stopped {child.name} (exit {child.process.returncode}).")
