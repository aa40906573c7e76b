"""The built-in mail catcher: an SMTP server that keeps every message instead of sending it.

`start(host, port)` runs aiosmtpd in a background thread. Each message is stored through
services.catch_mail in a worker thread (the ORM is synchronous); if storing fails the sender
gets 451 and tries again later, so nothing is silently dropped.

`start_for_demo()` also turns settings.MAIL_CATCHER on for this process and, through the
environment, for any process it starts: delivery's get_transport() then sends to the catcher
and the Mailbox page opens. Settings are read once at import, so the running process is told
directly; the environment is for children (e.g. a worker the demo launches).
"""

import asyncio
import logging
import os
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from dearly.mailbox.services import catch_mail

log = logging.getLogger("dearly.mailbox")


class CatchingHandler:
    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        responses.insert(1, "250-PIPELINING")  # aiosmtpd reads commands in order anyway
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        loop = asyncio.get_running_loop()
        args = (envelope.mail_from or "", list(envelope.rcpt_tos), envelope.original_content)
        try:
            mail_id = await loop.run_in_executor(None, _store, *args)
        except Exception:
            log.exception("mailbox.store_failed")
            return "451 4.3.0 The catcher could not store the message, try again"
        return f"250 2.0.0 Ok: queued as {mail_id}"


def _store(mail_from: str, rcpt_tos: list[str], raw: bytes) -> str:
    close_old_connections()
    mail = catch_mail(mail_from=mail_from, rcpt_tos=rcpt_tos, raw=raw)
    return mail.public_id.hex


def start(host: str = "127.0.0.1", port: int = 1025) -> Controller:
    """Serve in a background thread until .stop(); OSError when the port is taken."""
    controller = Controller(CatchingHandler(), hostname=host, port=port)
    controller.start()
    log.info("mailbox.catcher_started host=%s port=%s", host, port)
    return controller


def start_for_demo(port: int | None = None) -> Controller:
    port = port or settings.MAIL_CATCHER_PORT
    controller = start("127.0.0.1", port)
    settings.MAIL_CATCHER = True
    settings.MAIL_CATCHER_PORT = port
    os.environ["DEARLY_MAIL_CATCHER"] = "1"
    os.environ["DEARLY_MAIL_CATCHER_PORT"] = str(port)
    return controller
