"""A real SMTP server on loopback for tests (aiosmtpd in a thread), with scripted refusals.

Recipients whose local part starts with "refuse" get 550, "defer" get 451, and "drop" make the
server close the connection at RCPT TO. Accepted messages are kept byte for byte.
"""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True, slots=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes


@dataclass
class ScriptedHandler:
    pipelining: bool = True
    received: list[Received] = field(default_factory=list)
    dropped: int = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        local = address.partition("@")[0]
        if local.startswith("refuse"):
            return "550 5.1.1 No such user here"
        if local.startswith("defer"):
            return "451 4.3.0 Mailbox busy, try again later"
        if local.startswith("drop"):
            self.dropped += 1
            server.transport.close()
            return "421 4.3.0 Closing"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server(handler: Any, **smtp_options: Any) -> Iterator[Controller]:
    """Serve on 127.0.0.1 on a free port; smtp_options go to aiosmtpd's SMTP (TLS, AUTH…)."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
