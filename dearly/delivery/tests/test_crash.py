"""A worker killed with SIGKILL mid-batch loses nothing; what was in flight goes again with
the same Message-ID."""

import asyncio
import datetime as dt
import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dearly.contacts.models import Contact
from dearly.delivery.claim import expire_leases
from dearly.delivery.compose import compose
from dearly.delivery.models import OutboxMessage
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.tests.helpers import consenting
from dearly.delivery.tests.test_end_to_end import template_version
from dearly.delivery.transports.base import get_transport
from dearly.delivery.transports.testing import ScriptedHandler, smtp_server
from dearly.delivery.worker import Worker

MESSAGES = 60


class SlowHandler(ScriptedHandler):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.03)
        return await super().handle_DATA(server, session, envelope)


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing(requires_postgres, settings, tmp_path):
    for i in range(MESSAGES):
        consenting(f"p{i}@example.com", first_name=f"P{i}")
    enqueue_audience(
        Contact.objects.all(),
        origin_type="test",
        origin_id=1,
        purpose="service",
        consent_purpose="",
        template_version_id=template_version(),
    )
    handler = SlowHandler()
    with smtp_server(handler) as controller:
        url = f"smtp://127.0.0.1:{controller.port}?starttls=off"
        env = {
            **os.environ,
            "DEARLY_DATABASE_URL": database_url(),
            "DEARLY_EMAIL_URL": url,
            "DEARLY_SECRET_KEY": settings.SECRET_KEY,
            "DEARLY_DATA_DIR": str(tmp_path),
            "DEARLY_MAIL_CATCHER": "0",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "dearly.cli", "worker", "--batch", "40"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while len(handler.received) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        assert 10 <= len(handler.received) < MESSAGES, "the kill must land mid-batch"
        assert OutboxMessage.objects.filter(status="sending").exists()

        # Later, another worker picks up what the dead one left once its lease runs out.
        settings.EMAIL_URL = url
        settings.MAIL_CATCHER = False
        later = timezone.now() + dt.timedelta(minutes=6)
        assert expire_leases(now=later) > 0
        survivor = Worker(compose=compose, transport=get_transport, idle_seconds=0)
        while survivor.run_once(now=later):
            pass

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    by_recipient: dict[str, set[str]] = {}
    for r in handler.received:
        message_id = email.message_from_bytes(r.content)["Message-ID"]
        by_recipient.setdefault(r.rcpt_tos[0], set()).add(message_id)
    assert len(by_recipient) == MESSAGES  # nobody lost
    assert all(len(ids) == 1 for ids in by_recipient.values())  # a repeat keeps its Message-ID
    repeats = Counter(r.rcpt_tos[0] for r in handler.received)
    assert sum(repeats.values()) - MESSAGES <= 40  # only the batch in flight can repeat
