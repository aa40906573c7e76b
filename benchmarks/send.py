"""The send path end to end, against django-post-office, django-mailer and a raw floor.

    uv run python benchmarks/send.py                      # 50,000 messages, 1,000,000 fan-out
    uv run python benchmarks/send.py --messages 5000 --fanout 100000
    uv run python benchmarks/send.py --only dearly1 --profile   # cProfile one worker

Dearly's path: outbox rows → Worker (claim with the policy gate: consent, suppression,
budget, window) → compose (immutable template version, Jinja2 sandbox, CSS inlined,
tracked links, unsubscribe headers) → MIME → pipelined SMTP → record. Measured on
PostgreSQL (database dearly_bench_send, created if missing; DEARLY_BENCH_PG_URL overrides)
from "N rows queued" to "all N rows recorded as sent", with one and with two worker
processes. The peers send the same N personalised messages to the same sink through their
own queues (their tables in dearly_bench_send_peers); they run under
`uv run --with django-post-office --with django-mailer`, so they never become dependencies of
the app. The floor sends N ready-made MIME messages (Dearly's own, composed beforehand)
pipelined over one connection by a minimal client: what the sink and loopback allow.
The fan-out writes one outbox row per consenting contact for a campaign to a population of
1,000,000 contacts (made with COPY) while a `dearly worker` is running, and times the first
message the sink accepts.

Needs Postfix's smtp-sink (Debian package postfix; not a Python package). Every measurement
runs in its own subprocess, so each peak RSS is its own; the load average before each is
printed beside it (the machine is shared: re-run when it is low).
"""

# ruff: noqa: E501 - long measurement lines read better whole

import argparse
import base64
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("DEARLY_BENCH_PG_URL", "postgres://postgres@127.0.0.1/dearly_bench_send")
PEERS_URL = PG_URL + "_peers"
PEERS = ["django-post-office>=3.12,<4", "django-mailer>=2.3,<3"]
SOURCE = "benchmark-send"
FROM = "hello@cafe-bleu.example"
FIRST = ["Ada", "José", "Zoë", "Grace", "Søren", "Amir", "Chen", "Olu", "Inès", "Mary", ""]
LAST = ["Lovelace", "Müller", "Martin", "Hopper", "Berg", "Khan", "Wang", "Adeyemi", "Silva"]
TOWNS = ["Leeds", "Brighton", "York", "Bath", "Derby"]
# Zones tried, in order, for one whose promotional window is open for the next hours.
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
         "Pacific/Auckland", "Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Honolulu",
         "Pacific/Pago_Pago"]  # fmt: skip
TARGETS = {"rate": 4000, "post_office": 10, "mailer": 15, "floor": 0.4, "rss": 100,
           "two_workers": 1.8, "fanout": 300_000, "first": 2.0}  # fmt: skip

SUBJECT = "{{ contact.first_name | default('Hello') }}, your table at {{ branch.name }} is waiting"
PREHEADER = "Autumn at {{ business.name }}: new menu, fresh bread from 7am"
HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
  .wrap { max-width: 560px; margin: 0 auto; font-family: Georgia, serif; }
  .footer { font-size: 12px; color: #6b6b6b; }
</style></head>
<body><div class="wrap">
<h1>Hi {{ contact.first_name }},</h1>
<p>This week at {{ branch.name }}: fresh bread from 7am, a new autumn menu, and a table by the
window kept for you on Friday evening{% if contact.town %} for our friends from {{ contact.town }}{% endif %}.</p>
<p>Show this email at the counter for a second coffee on us, or
<a href="https://cafe-bleu.example/book">book a table</a>.</p>
<p>See you soon,<br>{{ business.name }}</p>
<p class="footer">You get this because you signed up at {{ business.name }}.
<a href="{{ links.preferences_url }}">Choose what you hear about</a> or
<a href="{{ links.unsubscribe_url }}">unsubscribe</a>.<br>{{ business.postal_address }}</p>
</div></body></html>
"""
# The same message for the peers, in Django's template language (they do not inline CSS or
# track links; the sizes end up alike).
DJANGO_SUBJECT = "{{ first_name|default:'Hello' }}, your table at {{ branch }} is waiting"
DJANGO_HTML = (
    HTML.replace("{{ contact.first_name }}", "{{ first_name|default:'there' }}")
    .replace("{{ branch.name }}", "{{ branch }}")
    .replace("{% if contact.town %}", "{% if town %}")
    .replace("{{ contact.town }}", "{{ town }}")
    .replace("{{ business.name }}", "{{ business }}")
    .replace("{{ business.postal_address }}", "{{ address }}")
    .replace("{{ links.preferences_url }}", "{{ preferences_url }}")
    .replace("{{ links.unsubscribe_url }}", "{{ unsubscribe_url }}")
)
DJANGO_TEXT = (
    "Hi {{ first_name|default:'there' }},\n\nThis week at {{ branch }}: fresh bread from 7am, a new "
    "autumn menu, and a table by the window kept for you on Friday evening.\n\nShow this email "
    "for a second coffee on us, or book: https://cafe-bleu.example/book\n\n"
    "See you soon,\n{{ business }}\n\nUnsubscribe: {{ unsubscribe_url }}\n{{ address }}\n"
)
BUSINESS = ("Café Bleu", "12 Market Street\nLeeds LS1 6DT")
BRANCHES = ["Café Bleu Leeds", "Café Bleu York"]


# -- helpers shared by parent and children ----------------------------------------------------


def person(i: int) -> dict[str, str]:
    """Contact number i (1-based), the same in Dearly's table and in the peers' context."""
    return {
        "first_name": FIRST[i % len(FIRST)],
        "last_name": LAST[i % len(LAST)],
        "email": f"guest{i}@example.com",
        "town": TOWNS[i % len(TOWNS)] if i % 3 else "",
        "branch": BRANCHES[i % 2],
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> float:
    return os.getloadavg()[0]


def setup_django(db_url: str = PG_URL) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DEARLY_DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "dearly.settings"
    os.environ.setdefault("DEARLY_SECRET_KEY", "benchmark-only")
    os.environ["DEARLY_LOG_LEVEL"] = "WARNING"
    os.environ["DEARLY_FROM_EMAIL"] = FROM
    os.environ["DEARLY_BASE_URL"] = "https://dearly.cafe-bleu.example"
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def backend_cpu() -> float:
    """CPU seconds used so far by this process's PostgreSQL backend (a local server only)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_go() -> None:
    """Say ready (setup done), then wait for the parent's go, so start-up is not timed."""
    print("ready", flush=True)
    sys.stdin.readline()


# -- sink -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """Postfix's smtp-sink on loopback: accepts everything, announces PIPELINING."""

    def __init__(self, dump: Path | None = None) -> None:
        binary = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
        if not Path(binary).exists():
            sys.exit("smtp-sink not found: apt-get install postfix (it is not a Python package)")
        self.port = free_port()
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        extra = ["-D", str(dump)] if dump else []
        self.process = subprocess.Popen(
            [binary, *user, *extra, f"127.0.0.1:{self.port}", "1000"], stdout=subprocess.DEVNULL
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit("smtp-sink did not start")

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls=off&timeout=60"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


# -- children: Dearly ------------------------------------------------------------------------


def child_setup(args: argparse.Namespace) -> dict[str, Any]:
    """Contacts (COPY, reused across runs), branches, the business and the template."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from dearly.branches.models import Branch
    from dearly.core.models import Business

    Business.objects.update_or_create(
        pk=1, defaults={"name": BUSINESS[0], "postal_address": BUSINESS[1]}
    )
    branches = [Branch.objects.get_or_create(name=name)[0].pk for name in BRANCHES]
    population = max(args.messages, args.fanout)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), min(id), max(id) FROM contacts_contact WHERE source = %s", [SOURCE]
        )
        count, low, high = cur.fetchone()
        cur.execute("SELECT count(*) FROM contacts_contact")
        everyone = cur.fetchone()[0]
    made = 0.0
    if count != population or everyone != population or (low, high) != (1, population):
        made = make_population(population, branches)
    zone = pick_zone()
    with connection.cursor() as cur:  # the send set lives in a zone whose window is open now
        cur.execute("UPDATE contacts_contact SET time_zone = %s WHERE id <= %s AND time_zone <> %s",
                    [zone, args.messages, zone])  # fmt: skip
    version = template_version()
    size = sample_size(version)
    return {"version": version, "zone": zone, "population": population, "copy_seconds": made,
            "bytes": size}  # fmt: skip


def make_population(count: int, branches: list[int]) -> float:
    """`count` consenting contacts, with their consent ledger rows, written with COPY."""
    from django.db import connection

    start = time.perf_counter()
    now = dt.datetime.now(dt.UTC).isoformat()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE contacts_contact, contacts_consentevent, contacts_consent, "
                    "delivery_outboxmessage, delivery_deliveryattempt RESTART IDENTITY CASCADE")  # fmt: skip
    raw = connection.connection  # the psycopg connection, for COPY
    ids = os.urandom(32 * count)
    with raw.cursor() as cur:
        columns = ("id, public_id, first_name, last_name, preferred_name, email, address_line1, "
                   "address_line2, town, postcode, country, time_zone, language, household, "
                   "lifecycle_stage, branch_chosen, custom_fields, notes, source, created_at, "
                   "updated_at, branch_id")  # fmt: skip
        with cur.copy(f"COPY contacts_contact ({columns}) FROM STDIN") as cp:
            for block in _blocks(count, lambda i: (
                f"{i}\t{uuid.UUID(bytes=ids[32 * i - 32:32 * i - 16], version=4)}\t"
                f"{FIRST[i % len(FIRST)]}\t{LAST[i % len(LAST)]}\t\tguest{i}@example.com\t\t\t"
                f"{TOWNS[i % len(TOWNS)] if i % 3 else ''}\t\tGB\tEurope/London\ten\t{{}}\t"
                f"customer\tf\t{{}}\t\t{SOURCE}\t{now}\t{now}\t{branches[i % 2]}\n"
            )):  # fmt: skip
                cp.write(block)
        columns = ("id, public_id, contact_id, channel, purpose, action, occurred_at, recorded_at, "
                   "source, method, form_name, wording_version, wording, note, user_agent, actor_label")  # fmt: skip
        with cur.copy(f"COPY contacts_consentevent ({columns}) FROM STDIN") as cp:
            for block in _blocks(count, lambda i: (
                f"{i}\t{uuid.UUID(bytes=ids[32 * i - 16:32 * i], version=4)}\t{i}\temail\t"
                f"newsletter\tgrant\t{now}\t{now}\timport\timport\tBenchmark\tv1\tYes, email me\t\t\tbenchmark\n"
            )):  # fmt: skip
                cp.write(block)
        columns = "id, contact_id, channel, purpose, status, updated_at, last_event_id"
        with cur.copy(f"COPY contacts_consent ({columns}) FROM STDIN") as cp:
            for block in _blocks(
                count, lambda i: f"{i}\t{i}\temail\tnewsletter\tgranted\t{now}\t{i}\n"
            ):
                cp.write(block)
    with connection.cursor() as cur:
        for table in ("contacts_contact", "contacts_consentevent", "contacts_consent"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [count])
    with connection.cursor() as cur:
        cur.execute("ANALYZE contacts_contact, contacts_consent, contacts_consentevent")
    return time.perf_counter() - start


def _blocks(count: int, line: Callable[[int], str]) -> Iterator[bytes]:
    for start in range(1, count + 1, 20_000):
        yield "".join(line(i) for i in range(start, min(start + 20_000, count + 1))).encode()


def pick_zone() -> str:
    from django.utils import timezone

    from dearly.delivery.timing import DEFAULT_WINDOWS, allowed_now

    now = timezone.now()
    window = DEFAULT_WINDOWS["promotional"]
    for zone in ZONES:
        if all(allowed_now(now + dt.timedelta(minutes=m), zone, window) for m in (0, 30, 60, 90)):
            return zone
    sys.exit("no zone in ZONES is inside the promotional window (Tue-Thu daytime) now: run later")


def template_version() -> int:
    from dearly.core.actor import Actor
    from dearly.messaging.models import TemplateVersion
    from dearly.messaging.services import Draft, create_template

    existing = TemplateVersion.objects.filter(
        template__name="Benchmark send", html_source=HTML, subject=SUBJECT
    ).first()
    if existing:
        return existing.pk
    draft = Draft(subject=SUBJECT, preheader=PREHEADER, html_source=HTML,
                  fallbacks={"contact.first_name": "there"})  # fmt: skip
    return create_template(actor=Actor.system("benchmark"), name="Benchmark send", draft=draft).pk


def claimed_for(ids: range, version: int) -> list[Any]:
    """What claim_batch would hand the composer for these contacts (for the floor)."""
    from dearly.delivery.claim import Claimed

    token = uuid.uuid4()
    return [Claimed(id=i, public_id=uuid.uuid4(), contact_id=i, to_address=f"guest{i}@example.com",
                    template_version_id=version, purpose="promotional", channel="email",
                    attempts=1, claim_token=token) for i in ids]  # fmt: skip


def sample_size(version: int) -> list[int]:
    from dearly.delivery.compose import compose
    from dearly.delivery.transports.message import OutgoingEmail
    from dearly.delivery.transports.mime import build_mime

    sizes = [
        len(build_mime(e))
        for e in compose(claimed_for(range(1, 101), version))
        if isinstance(e, OutgoingEmail)
    ]
    return [min(sizes), sum(sizes) // len(sizes), max(sizes)]


def child_queue(args: argparse.Namespace) -> dict[str, Any]:
    """An empty outbox, then N promotional messages queued for contacts 1..N."""
    setup_django()
    from django.db import connection

    from dearly.contacts.models import Contact
    from dearly.delivery.outbox import enqueue_audience

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE delivery_outboxmessage, delivery_deliveryattempt, tracking_trackedlink CASCADE"
        )
    rows = 0
    if args.count:
        rows = enqueue_audience(Contact.objects.filter(pk__lte=args.count), origin_type="campaign",
                                origin_id=1, purpose="promotional", consent_purpose="newsletter",
                                template_version_id=args.version)  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE delivery_outboxmessage")
        cur.execute("CHECKPOINT")
    return {"rows": rows}


def child_count(args: argparse.Namespace) -> dict[str, Any]:
    setup_django()
    from django.db.models import Count

    from dearly.delivery.models import DeliveryAttempt, OutboxMessage

    statuses = dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {"statuses": statuses, "attempts": DeliveryAttempt.objects.count()}


def child_worker(args: argparse.Namespace) -> dict[str, Any]:
    """One `dearly worker` process that stops when the outbox has nothing left to claim."""
    os.environ["DEARLY_EMAIL_URL"] = args.url
    setup_django()
    from dearly.delivery.compose import compose
    from dearly.delivery.transports.base import get_transport
    from dearly.delivery.worker import Worker

    claimed = 0

    class UntilEmpty(Worker):
        def run_once(self, now: dt.datetime | None = None) -> int:
            nonlocal claimed
            n = super().run_once(now)
            claimed += n
            self.stopping = self.stopping or n == 0
            return n

    worker = UntilEmpty(
        compose=compose, transport=get_transport, batch_size=args.batch, idle_seconds=0
    )
    server = backend_cpu()
    wait_for_go()
    profile = cProfile.Profile() if args.profile else None
    cpu, start = cpu_seconds(), time.time()
    if profile:
        profile.enable()
    worker.run(max_batches=None)
    if profile:
        profile.disable()
    end, cpu = time.time(), cpu_seconds() - cpu
    server = backend_cpu() - server
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(30)
        Path(args.profile).write_text(out.getvalue())
    return {"start": start, "end": end, "claimed": claimed, "cpu": cpu, "server_cpu": server}


def child_resident_worker(args: argparse.Namespace) -> dict[str, Any]:
    """`dearly worker` as a user runs it (batch 500, idle 1 s), until SIGTERM."""
    os.environ["DEARLY_EMAIL_URL"] = args.url
    setup_django()
    from dearly.delivery.compose import compose
    from dearly.delivery.transports.base import get_transport
    from dearly.delivery.worker import Worker

    worker = Worker(compose=compose, transport=get_transport, batch_size=500, idle_seconds=1.0)
    print("ready", flush=True)
    worker.run()
    return {}


def child_fanout(args: argparse.Namespace) -> dict[str, Any]:
    setup_django()
    from dearly.contacts.models import Contact
    from dearly.delivery.outbox import enqueue_audience

    launched = time.time()
    rows = enqueue_audience(Contact.objects.all(), origin_type="campaign", origin_id=2,
                            purpose="promotional", consent_purpose="newsletter",
                            template_version_id=args.version)  # fmt: skip
    committed = time.time()
    return {"rows": rows, "launched": launched, "committed": committed}


def child_floor(args: argparse.Namespace) -> dict[str, Any]:
    """Dearly's own messages composed beforehand, then only sent: pipelined, one connection."""
    setup_django()
    from dearly.delivery.compose import compose
    from dearly.delivery.transports.message import OutgoingEmail
    from dearly.delivery.transports.mime import build_mime

    messages: list[tuple[bytes, bytes]] = []
    for start in range(1, args.count + 1, 500):
        for email in compose(
            claimed_for(range(start, min(start + 500, args.count + 1)), args.version)
        ):
            assert isinstance(email, OutgoingEmail)
            envelope = f"MAIL FROM:<{FROM}>\r\nRCPT TO:<{email.to_addr}>\r\nDATA\r\n".encode()
            messages.append((envelope, build_mime(email) + b".\r\n"))
    wait_for_go()
    start_time = time.time()
    pipelined_send(args.port, messages)
    return {"start": start_time, "end": time.time(), "claimed": len(messages)}


def pipelined_send(port: int, messages: list[tuple[bytes, bytes]]) -> None:
    """RFC 2920 at its tightest: one write and one round trip per message."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    replies = sock.makefile("rb")

    def reply() -> bytes:
        while (line := replies.readline())[3:4] == b"-":
            pass
        return line[:3]

    assert reply() == b"220"
    sock.sendall(b"EHLO bench.example\r\n")
    lines = []
    while (line := replies.readline())[3:4] == b"-":
        lines.append(line)
    assert any(b"PIPELINING" in x for x in lines), "the sink must offer PIPELINING"
    body = b""
    for envelope, raw in messages:
        sock.sendall(body + envelope)
        if body:
            assert reply() == b"250"
        assert (reply(), reply(), reply()) == (b"250", b"250", b"354")
        body = raw
    sock.sendall(body + b"QUIT\r\n")
    assert reply() == b"250"
    sock.close()


# -- children: peers (run under uv run --with …) -------------------------------------------


def setup_peers(app: str) -> None:
    from django.conf import settings

    name = PEERS_URL.rpartition("/")[2]
    base = PEERS_URL.rpartition("/")[0].split("://", 1)[1]
    user, _, host = base.rpartition("@")
    host, _, port = host.partition(":")
    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmark-only",  # noqa: S106 - a throw-away benchmark database
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", app],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": name,
                "USER": user.split(":")[0] or "postgres",
                "HOST": host,
                "PORT": port or "5432",
            }
        },
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
            {
                "BACKEND": "post_office.template.backends.post_office.PostOfficeTemplates",
                "APP_DIRS": True,
                "DIRS": [],
                "OPTIONS": {"context_processors": []},
            },
        ],
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=int(os.environ.get("BENCH_SINK_PORT", "25")),
        POST_OFFICE={
            "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
            "MESSAGE_ID_ENABLED": True,
            "MESSAGE_ID_FQDN": "cafe-bleu.example",
        },
        MAILER_LOCK_PATH=str(Path(tempfile.gettempdir()) / "dearly-bench-mailer"),
        LOGGING_CONFIG=None,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peer_context(i: int) -> dict[str, str]:
    p = person(i)
    token = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    return {"first_name": p["first_name"], "town": p["town"], "branch": p["branch"],
            "business": BUSINESS[0], "address": ", ".join(BUSINESS[1].splitlines()),
            "unsubscribe_url": f"https://dearly.cafe-bleu.example/p/u/{token}/",
            "preferences_url": f"https://dearly.cafe-bleu.example/p/{token}/"}  # fmt: skip


def peer_headers(context: dict[str, str]) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip


def child_post_office_queue(args: argparse.Namespace) -> dict[str, Any]:
    setup_peers("post_office")
    from post_office import mail
    from post_office.models import Email, EmailTemplate, Log

    Log.objects.all().delete()
    Email.objects.all().delete()
    template, _ = EmailTemplate.objects.update_or_create(
        name="benchmark", language="",
        defaults={"subject": DJANGO_SUBJECT, "content": DJANGO_TEXT, "html_content": DJANGO_HTML},
    )  # fmt: skip
    start = time.perf_counter()
    for first in range(1, args.count + 1, 1000):
        batch = []
        for i in range(first, min(first + 1000, args.count + 1)):
            context = peer_context(i)
            batch.append({"sender": f"{BUSINESS[0]} <{FROM}>", "recipients": [person(i)["email"]],
                          "template": template, "context": context, "render_on_delivery": True,
                          "headers": peer_headers(context)})  # fmt: skip
        mail.send_many(batch)
    return {"queued": Email.objects.count(), "seconds": time.perf_counter() - start}


def child_post_office_send(args: argparse.Namespace) -> dict[str, Any]:
    """post-office's own command, as cron or its docs run it: send_queued_mail."""
    setup_peers("post_office")
    from django.core.management import call_command
    from post_office.models import STATUS, Email

    wait_for_go()
    start = time.time()
    call_command(
        "send_queued_mail",
        processes=1,
        lockfile=str(Path(tempfile.gettempdir()) / "dearly-bench-po"),
    )
    end = time.time()
    sent = Email.objects.filter(status=STATUS.sent).count()
    return {"start": start, "end": end, "claimed": sent}


def child_mailer_queue(args: argparse.Namespace) -> dict[str, Any]:
    """django-mailer has no templates: messages are rendered (Django templates) as queued."""
    setup_peers("mailer")
    from django.core.mail import EmailMultiAlternatives
    from django.template import Context, Template
    from mailer import get_priority
    from mailer.models import Message, MessageLog, make_message

    MessageLog.objects.all().delete()
    Message.objects.all().delete()
    subject, text, html = Template(DJANGO_SUBJECT), Template(DJANGO_TEXT), Template(DJANGO_HTML)
    start = time.perf_counter()
    for first in range(1, args.count + 1, 1000):
        batch = []
        for i in range(first, min(first + 1000, args.count + 1)):
            context = peer_context(i)
            c = Context(context)
            msg = make_message(subject=subject.render(c), body=text.render(c),
                               from_email=f"{BUSINESS[0]} <{FROM}>", to=[person(i)["email"]],
                               priority=get_priority(None))  # fmt: skip
            email = EmailMultiAlternatives(msg.email.subject, msg.email.body, msg.email.from_email,
                                           msg.email.to, headers=peer_headers(context))  # fmt: skip
            email.attach_alternative(html.render(c), "text/html")
            msg.email = email
            batch.append(msg)
        Message.objects.bulk_create(batch)
    return {"queued": Message.objects.count(), "seconds": time.perf_counter() - start}


def child_mailer_send(args: argparse.Namespace) -> dict[str, Any]:
    """django-mailer's own command: send_mail."""
    setup_peers("mailer")
    from django.core.management import call_command
    from mailer.models import Message, MessageLog

    wait_for_go()
    start = time.time()
    call_command("send_mail")
    end = time.time()
    assert not Message.objects.exists(), "django-mailer left messages queued"
    return {"start": start, "end": end, "claimed": MessageLog.objects.filter(result="1").count()}


CHILDREN: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "setup": child_setup, "queue": child_queue, "count": child_count, "worker": child_worker,
    "resident": child_resident_worker, "fanout": child_fanout, "floor": child_floor,
    "po-queue": child_post_office_queue, "po-send": child_post_office_send,
    "mailer-queue": child_mailer_queue, "mailer-send": child_mailer_send,
}  # fmt: skip


def child(args: argparse.Namespace) -> None:
    result = CHILDREN[args.child](args)
    result["rss_mb"] = rss_mb()
    print("result " + json.dumps(result), flush=True)


# -- parent -----------------------------------------------------------------------------------


def command(role: str, *extra: str, peers: bool = False) -> list[str]:
    own = [__file__, "--child", role, *extra]
    if not peers:
        return [sys.executable, *own]
    withs = [arg for spec in PEERS for arg in ("--with", spec)]
    return ["uv", "run", "--quiet", *withs, "python", *own]


def run(
    role: str, *extra: str, peers: bool = False, env: dict[str, str] | None = None
) -> dict[str, Any]:
    done = subprocess.run(command(role, *extra, peers=peers), capture_output=True, text=True,
                          check=False, cwd=ROOT, env={**os.environ, **(env or {})})  # fmt: skip
    return _result(role, done.returncode, done.stdout, done.stderr)


def _result(role: str, code: int, stdout: str, stderr: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith("result "):
            return json.loads(line[7:])
    sys.exit(f"{role} failed ({code}):\n{stderr[-4000:]}")


def timed(
    role: str, copies: int, *extra: str, peers: bool = False, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Start `copies` processes, wait until each is set up, say go to all; wall time of all."""
    procs = [subprocess.Popen(command(role, *extra, peers=peers), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, **(env or {})}) for _ in range(copies)]  # fmt: skip
    for p in procs:
        assert p.stdout is not None
        line = p.stdout.readline()
        if line.strip() != "ready":
            p.kill()
            sys.exit(f"{role} did not start: {line}{p.communicate()[1][-4000:]}")
    loadavg = load()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate()
        results.append(_result(role, p.returncode, out, err))
    seconds = max(r["end"] for r in results) - min(r["start"] for r in results)
    return {"seconds": seconds, "messages": sum(r["claimed"] for r in results),
            "rss": [r["rss_mb"] for r in results], "load": loadavg,
            "cpu": sum(r.get("cpu", 0) for r in results),
            "server_cpu": sum(r.get("server_cpu", 0) for r in results)}  # fmt: skip


def measure_dearly(
    args: argparse.Namespace, version: int, workers: int, profile: str = ""
) -> dict[str, Any]:
    queued = run("queue", "--count", str(args.messages), "--version", str(version))["rows"]
    assert queued == args.messages, f"queued {queued} of {args.messages}"
    sink = Sink()
    try:
        extra = ["--url", sink.url, "--batch", str(args.batch)] + (
            ["--profile", profile] if profile else []
        )
        result = timed("worker", workers, *extra)
    finally:
        sink.stop()
    counts = run("count")
    sent = counts["statuses"].get("sent", 0)
    assert sent == args.messages and counts["attempts"] == args.messages, counts
    return result


def measure_floor(args: argparse.Namespace, version: int) -> dict[str, Any]:
    sink = Sink()
    try:
        return timed(
            "floor",
            1,
            "--count",
            str(args.messages),
            "--version",
            str(version),
            "--port",
            str(sink.port),
        )
    finally:
        sink.stop()


def measure_peer(args: argparse.Namespace, name: str) -> dict[str, Any]:
    prefix = "po" if name == "post_office" else "mailer"
    count = args.peer_messages or args.messages
    queued = run(f"{prefix}-queue", "--count", str(count), peers=True)
    assert queued["queued"] == count, queued
    sink = Sink()
    try:
        result = timed(f"{prefix}-send", 1, peers=True, env={"BENCH_SINK_PORT": str(sink.port)})
    finally:
        sink.stop()
    assert result["messages"] == count, result
    result["queue_seconds"] = queued["seconds"]
    return result


def measure_fanout(args: argparse.Namespace, version: int) -> dict[str, Any]:
    run("queue", "--count", "0", "--version", str(version))
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o777)  # noqa: S103 - smtp-sink writes as nobody; a throw-away dir
        dump = Path(tmp) / "sink-"
        sink = Sink(dump)
        worker = subprocess.Popen(command("resident", "--url", sink.url), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        try:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready", worker.communicate()[1][-3000:]
            time.sleep(1.5)  # the worker is idle, polling, as it would be before a launch
            loadavg = load()
            fan = subprocess.Popen(command("fanout", "--version", str(version)), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
            first = None
            deadline = time.time() + 300
            while first is None and time.time() < deadline:
                if any(f.stat().st_size for f in Path(tmp).iterdir()):
                    first = time.time()
                elif worker.poll() is not None or sink.process.poll() is not None:
                    break
                else:
                    time.sleep(0.002)
            out, err = fan.communicate()
            result = _result("fanout", fan.returncode, out, err)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=120)
            sink.stop()
    assert first is not None, "no message reached the sink"
    seconds = result["committed"] - result["launched"]
    return {"rows": result["rows"], "seconds": seconds, "rate": result["rows"] / seconds,
            "first": first - result["launched"], "after_commit": first - result["committed"],
            "rss": [result["rss_mb"]], "load": loadavg}  # fmt: skip


def rate(result: dict[str, Any]) -> float:
    return float(result["messages"] / result["seconds"])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(
    args: argparse.Namespace, info: dict[str, Any], results: dict[str, dict[str, Any]]
) -> None:
    print()
    print(f"{args.messages:,} messages of {info['bytes'][0]:,}-{info['bytes'][2]:,} bytes "
          f"(mean {info['bytes'][1]:,}); {os.cpu_count()} CPUs; PostgreSQL")  # fmt: skip
    print(
        f"{'measurement':<38}{'msgs':>8}{'msgs/s':>9}{'seconds':>9}{'peak RSS MB':>13}{'load':>6}{'CPU ms/msg':>12}"
    )
    labels = {"dearly1": "Dearly, 1 worker", "dearly2": "Dearly, 2 workers",
              "post_office": "django-post-office send_queued_mail", "mailer": "django-mailer send_mail",
              "floor": "floor: pre-built MIME, pipelined"}  # fmt: skip
    for key, label in labels.items():
        if key in results:
            r = results[key]
            rss = " + ".join(f"{x:.0f}" for x in r["rss"])
            cpu = (
                f"{1000 * r['cpu'] / r['messages']:.2f} + {1000 * r['server_cpu'] / r['messages']:.2f} db"
                if r.get("cpu")
                else ""
            )
            print(
                f"{label:<38}{r['messages']:>8,}{rate(r):>9,.0f}{r['seconds']:>9.1f}{rss:>13}{r['load']:>6.1f}{cpu:>18}"
            )
    for key in ("post_office", "mailer"):
        if key in results:
            print(
                f"  ({labels[key]} queueing, not timed above: {results[key]['queue_seconds']:.1f} s)"
            )
    one = results.get("dearly1")
    print()
    if one:
        r1 = rate(one)
        print(f"Dearly 1 worker: {r1:,.0f} msgs/s (target >= {TARGETS['rate']:,}: {verdict(r1 >= TARGETS['rate'])}); "
              f"peak RSS {one['rss'][0]:.0f} MB (target < {TARGETS['rss']}: {verdict(one['rss'][0] < TARGETS['rss'])})")  # fmt: skip
        for key, label in (
            ("post_office", "post-office"),
            ("mailer", "mailer"),
            ("floor", "floor"),
        ):
            if key in results:
                ratio = r1 / rate(results[key])
                print(
                    f"Dearly / {label:<12} {ratio:7.2f}x (target >= {TARGETS[key]}x: {verdict(ratio >= TARGETS[key])})"
                )
        if "dearly2" in results:
            ratio = rate(results["dearly2"]) / r1
            print(
                f"2 workers / 1 worker  {ratio:7.2f}x (target ~2x: {verdict(ratio >= TARGETS['two_workers'])})"
            )
    if "fanout" in results:
        f = results["fanout"]
        print(
            f"Fan-out: {f['rows']:,} rows in {f['seconds']:.1f} s = {f['rate']:,.0f} rows/s "
            f"(target >= {TARGETS['fanout']:,}: {verdict(f['rate'] >= TARGETS['fanout'])}); load {f['load']:.1f}"
        )
        print(f"First message accepted {f['first']:.2f} s after launch (target <= {TARGETS['first']} s: "
              f"{verdict(f['first'] <= TARGETS['first'])}), {f['after_commit']:.2f} s after the fan-out committed")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument(
        "--fanout", type=int, default=1_000_000, help="contacts for the fan-out (0: skip)"
    )
    parser.add_argument("--batch", type=int, default=500, help="worker batch size")
    parser.add_argument(
        "--peer-messages", type=int, default=0, help="messages for each peer (default: --messages)"
    )
    parser.add_argument("--only", default="dearly1,dearly2,post_office,mailer,floor,fanout")
    parser.add_argument("--profile", default="", help="write a cProfile of the one-worker run here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--version", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    wanted = args.only.split(",")
    ensure_database(PG_URL)
    ensure_database(PEERS_URL)
    print(f"load {load():.1f}: preparing {max(args.messages, args.fanout):,} contacts", flush=True)
    info = run(
        "setup",
        "--messages",
        str(args.messages),
        "--fanout",
        str(args.fanout if "fanout" in wanted else 0),
    )
    if info["copy_seconds"]:
        print(f"  made with COPY in {info['copy_seconds']:.1f} s")
    print(f"  send set in zone {info['zone']}; template version {info['version']}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("dearly1", lambda: measure_dearly(args, info["version"], 1, args.profile)),
        ("dearly2", lambda: measure_dearly(args, info["version"], 2)),
        ("floor", lambda: measure_floor(args, info["version"])),
        ("post_office", lambda: measure_peer(args, "post_office")),
        ("mailer", lambda: measure_peer(args, "mailer")),
        ("fanout", lambda: measure_fanout(args, info["version"])),
    ]
    for key, step in steps:
        if key in wanted:
            print(f"load {load():.1f}: {key} …", flush=True)
            results[key] = step()
            r = results[key]
            shown = f"{r['rate']:,.0f} rows/s" if key == "fanout" else f"{rate(r):,.0f} msgs/s"
            print(f"  {shown} in {r['seconds']:.1f} s, load {r['load']:.1f}", flush=True)
    report(args, info, results)


if __name__ == "__main__":
    main()
