"""The send loop behind `dearly worker`.

0. Run the periodic chores that are due (core.chores: journey steps, daily passes), when the
   worker was given them.
1. Queue again what dead workers left in flight (expired leases).
2. Claim a batch; the policy gate decides there, at the moment of sending.
3. Compose each claimed message (render its immutable template version), outside any
   transaction.
4. Hand the batch to the transport: one connection, pipelined.
5. Record the receipts, then go again; sleep a little when there was nothing to do.
SIGTERM or Ctrl-C finishes the batch in hand, then stops.
"""

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Protocol

from django.db import close_old_connections
from django.utils import timezone

from dearly.delivery.claim import Claimed, Result, claim_batch, expire_leases, record
from dearly.delivery.models import Outcome
from dearly.delivery.transports.message import OutgoingEmail, Receipt

log = logging.getLogger("dearly.worker")

Composed = OutgoingEmail | Result  # a message to send, or why it cannot be sent
Composer = Callable[[Sequence[Claimed]], list[Composed]]


class Transport(Protocol):
    """What the worker needs of a transport (see delivery.transports.base)."""

    def send_batch(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]: ...

    def close(self) -> None: ...


@dataclass
class Worker:
    compose: Composer
    transport: Callable[[], Transport]
    batch_size: int = 500
    idle_seconds: float = 1.0
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    chores: Callable[[dt.datetime], int] | None = None
    stopping: bool = False
    _connected: "Transport | None" = field(default=None, repr=False)

    def run(self, *, max_batches: int | None = None) -> None:
        # Signals reach only the main thread; a worker thread (the demo's) is stopped by
        # setting `stopping` instead.
        in_main = threading.current_thread() is threading.main_thread()
        signals = (signal.SIGTERM, signal.SIGINT) if in_main else ()
        previous = {s: signal.signal(s, self._stop) for s in signals}
        done = 0
        try:
            while not self.stopping and (max_batches is None or done < max_batches):
                close_old_connections()
                if self.run_once() == 0:
                    time.sleep(self.idle_seconds)
                done += 1
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if self._connected is not None:
                self._connected.close()
                self._connected = None

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        log.info("worker.stopping signal=%s", signum)
        self.stopping = True

    def run_once(self, now: dt.datetime | None = None) -> int:
        """One batch; returns how many messages were claimed (plus chore work done)."""
        now = now or timezone.now()
        chored = self.chores(now) if self.chores else 0
        expire_leases(now=now)
        claimed = claim_batch(size=self.batch_size, now=now)
        if not claimed:
            return chored
        started = timezone.now()
        results = self._send(claimed)
        record(results, started=started, now=timezone.now(), worker=self.name)
        sent = sum(1 for r in results if r.outcome == Outcome.SENT)
        log.info("worker.batch claimed=%d sent=%d worker=%s", len(claimed), sent, self.name)
        return len(claimed)

    def _send(self, claimed: Sequence[Claimed]) -> list[Result]:
        composed = self.compose(claimed)
        ready = [
            (c, e) for c, e in zip(claimed, composed, strict=True) if isinstance(e, OutgoingEmail)
        ]
        results = [e for e in composed if isinstance(e, Result)]
        if not ready:
            return results
        try:
            # One transport (one SMTP connection) for the worker's life, reused batch after
            # batch; made afresh after a failure.
            self._connected = self._connected or self.transport()
            receipts = self._connected.send_batch([e for _, e in ready])
        except OSError as exc:  # the whole connection failed: every message is retried
            self._connected = None
            log.warning("worker.transport_failed error=%s", type(exc).__name__)
            return results + [
                Result(c, Outcome.TEMPORARY, f"connection: {exc}"[:300]) for c, _ in ready
            ]
        by_id = {r.message_id: r for r in receipts}
        for message, email in ready:
            receipt = by_id.get(email.message_id)
            if receipt is None:
                results.append(Result(message, Outcome.TEMPORARY, "no receipt from transport"))
            else:
                results.append(
                    Result(message, str(receipt.outcome), receipt.detail, receipt.provider_id)
                )
        return results
