"""`dearly run` serves pages and sends mail from one command, and stops cleanly on SIGTERM."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

from dearly.delivery.transports.testing import free_port


def process_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}  # a zombie has exited; only its parent's bookkeeping remains


def read_lines(stream: IO[str], lines: list[str]) -> threading.Thread:
    reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
    reader.start()
    return reader


def wait_for(lines: list[str], pattern: str, *, deadline: float) -> None:
    while not any(re.search(pattern, line) for line in list(lines)):
        assert time.monotonic() < deadline, f"never printed {pattern!r}: {''.join(lines)}"
        time.sleep(0.2)


def fetch(url: str, *, deadline: float) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return int(response.status)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_dearly_run_serves_a_page_and_stops_web_and_worker_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEARLY_DATA_DIR": str(tmp_path),
        "DEARLY_DATABASE_URL": f"sqlite:///{tmp_path / 'dearly.sqlite3'}",
        "DEARLY_SECRET_KEY": "run-test-only",
        "DEARLY_MAIL_CATCHER": "0",
    }
    run = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "dearly.cli", "run", "--port", str(port), "--web-processes", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert run.stdout is not None
    reader = read_lines(run.stdout, lines)
    try:
        deadline = time.monotonic() + 120  # a fresh database is migrated first
        assert fetch(f"http://127.0.0.1:{port}/login/", deadline=deadline) == 200
        wait_for(lines, r"Worker \S+ started", deadline=deadline)
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=30)
        reader.join(timeout=5)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()

    output = "".join(lines)
    assert run.returncode == 0, output
    pids = {name: int(pid) for name, pid in re.findall(r"Started (\w+).*\(pid (\d+)\)", output)}
    assert set(pids) == {"web", "worker"}
    assert "Stopped web (exit 0)." in output
    assert "Stopped worker 1 (exit 0)." in output
    assert all(process_gone(pid) for pid in pids.values())
    assert "Worker " in output and " stopped." in output  # the worker finished its loop itself
