"""The keep-in-touch engine at 1,000,000 contacts, against the targets of issue 4.

    uv run python benchmarks/journeys.py                  # PostgreSQL, loads once, then measures
    uv run python benchmarks/journeys.py --sqlite         # the same on a SQLite file
    uv run python benchmarks/journeys.py --reload         # drop and load the data again
    uv run python benchmarks/journeys.py --contacts 100000 --touches 1000000   # smaller

What is measured, each in the same run:
1. The daily date-trigger pass: journeys.dates.enrol_due at 09:05 in the business's time zone,
   three active journeys (birthday, anniversary, "customer since"), all 24 hourly passes of a
   day summed, set-based; peak memory of the process before and after.
2. The overdue computation: rhythms.snapshot.refresh for two rhythms (customers every 14 days;
   former customers every 30 days for 180 days, then every 90), which is what the dashboard and
   the fill read.
3. Journey steps per second for one worker: 20,000 contacts enrolled in a purchase journey
   (tag, branch on the tag, send, wait), stepped by journeys.stepper.step_batch until nothing is
   due; floor: the same number of rows written with one bulk INSERT.
4. The dashboard's p95 latency for the owner at that size with 10,000,000 touches (PostgreSQL
   only; SQLite is not meant for that size), after the figures' chores have run.

Database: dearly_bench_journeys on 127.0.0.1 (DEARLY_BENCH_JOURNEYS_URL overrides) or
var/bench-journeys.sqlite3. Contacts, consents and touches are loaded with COPY on PostgreSQL
and executemany on SQLite.
"""

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

URL = os.environ.get(
    "DEARLY_BENCH_JOURNEYS_URL", "postgres://postgres@127.0.0.1/dearly_bench_journeys"
)
SQLITE = ROOT / "var" / "bench-journeys.sqlite3"
ZONE = ZoneInfo("Europe/London")
# A Thursday morning in the business's time zone, after the 09:00 date triggers.
NOW = dt.datetime(2026, 11, 26, 9, 5, tzinfo=ZONE).astimezone(dt.UTC)
TARGETS = {"date pass": 60.0, "overdue": 60.0, "steps/s": 2000.0, "dashboard p95": 0.200}
STEPPED = 20_000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(sqlite: bool) -> None:
    if sqlite:
        SQLITE.parent.mkdir(exist_ok=True)
        os.environ["DEARLY_DATABASE_URL"] = f"sqlite:///{SQLITE}"
    else:
        os.environ["DEARLY_DATABASE_URL"] = URL
        import psycopg

        base, _, name = URL.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    os.environ.setdefault("DEARLY_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEARLY_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DEARLY_TIME_ZONE", "Europe/London")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def contacts(n: int, branch_ids: list[int]):
    """Contacts with birthdays, anniversaries, stages and a last touch up to 120 days ago."""
    from segments import COLUMNS, contact_rows

    rnd = random.Random(17)
    for row in contact_rows(n, branch_ids):
        row = list(row)
        if rnd.random() < 0.3:
            row[17] = dt.date(1980, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
        last = None if rnd.random() < 0.1 else NOW - dt.timedelta(hours=rnd.randrange(120 * 24))
        yield (*row, last)
    assert COLUMNS.split(", ")[17] == "anniversary"


def columns() -> str:
    from segments import COLUMNS

    return COLUMNS + ", last_touch_at"


TOUCH_COLUMNS = (
    "public_id, contact_id, occurred_at, kind, channel, direction, real, branch_id, outcome, "
    "note, origin_type, currency, created_at"
)


def touches(n_touches: int, n_contacts: int, branch_ids: list[int]):
    rnd = random.Random(19)
    kinds = [("message", "email", "out")] * 8 + [("call", "phone", "out"), ("reply", "email", "in")]
    for _ in range(n_touches):
        kind, channel, direction = rnd.choice(kinds)
        at = NOW - dt.timedelta(seconds=rnd.randrange(365 * 86400))
        yield (uuid.uuid4(), rnd.randrange(1, n_contacts + 1), at, kind, channel, direction,
               True, rnd.choice(branch_ids), "", "", "campaign", "", at)  # fmt: skip


def load(n: int, n_touches: int, sqlite: bool) -> None:
    from django.db import connection
    from segments import BRANCHES

    from dearly.branches.models import Branch

    started = time.perf_counter()
    tables = ["journeys_steprun", "journeys_enrollment", "touches_touch", "touches_task"]
    tables += ["delivery_outboxmessage", "contacts_contact_tags", "contacts_consent"]
    tables += ["contacts_consentevent", "contacts_lifecyclechange", "contacts_contact"]
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"DELETE FROM {table}")
    branch_ids = [Branch.objects.get_or_create(name=name)[0].pk for name in BRANCHES]
    if sqlite:
        load_sqlite(n, n_touches, branch_ids)
    else:
        load_postgres(n, n_touches, branch_ids)
    print(
        f"loaded {n:,} contacts and {n_touches:,} touches in {time.perf_counter() - started:.0f} s"
    )


def load_postgres(n: int, n_touches: int, branch_ids: list[int]) -> None:
    from django.db import connection
    from segments import load_consents

    raw = connection.connection
    with raw.cursor() as cur:
        with cur.copy(f"COPY contacts_contact ({columns()}) FROM STDIN") as copy:
            for row in contacts(n, branch_ids):
                copy.write_row(row)
        load_consents(cur, n)
        cur.execute("SELECT setval(pg_get_serial_sequence('contacts_contact', 'id'), %s)", [n])
    raw.commit()
    load_touches_postgres(n, n_touches, branch_ids)


def load_touches_postgres(n: int, n_touches: int, branch_ids: list[int]) -> None:
    from django.db import connection

    raw = connection.connection
    with raw.cursor() as cur:
        # Ten million rows load in minutes with the indexes built afterwards, in hours with
        # them maintained row by row.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'touches_touch' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'ALTER TABLE touches_touch DROP CONSTRAINT IF EXISTS "{name}"')
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        with cur.copy(f"COPY touches_touch ({TOUCH_COLUMNS}) FROM STDIN") as copy:
            for row in touches(n_touches, n, branch_ids):
                copy.write_row(row)
        for _, definition in indexes:
            cur.execute(definition)
    raw.commit()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def load_sqlite(n: int, n_touches: int, branch_ids: list[int]) -> None:
    from django.db import connection, transaction

    def chunks(rows, size=20_000):
        chunk = []
        for row in rows:
            chunk.append([str(v) if isinstance(v, uuid.UUID) else v for v in row])
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def insert(table: str, cols: str, rows) -> None:
        marks = ", ".join(["%s"] * len(cols.split(", ")))
        with transaction.atomic(), connection.cursor() as cur:
            for chunk in chunks(rows):
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", chunk)

    insert("contacts_contact", columns(), contacts(n, branch_ids))
    insert("touches_touch", TOUCH_COLUMNS, touches(n_touches, n, branch_ids))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def owner():
    from django.contrib.auth.models import User

    from dearly.core.models import Membership, Role

    user, _ = User.objects.get_or_create(username="bench-owner")
    Membership.objects.get_or_create(user=user, defaults={"role": Role.OWNER})
    return user


def template_id() -> int:
    from dearly.core.actor import Actor
    from dearly.messaging.models import EmailTemplate
    from dearly.messaging.services import create_template
    from dearly.messaging.starter import starter_draft

    found = EmailTemplate.objects.filter(name="Benchmark").first()
    if found:
        return found.pk
    return create_template(
        actor=Actor.system("bench"), name="Benchmark", draft=starter_draft()
    ).template_id


def journeys() -> dict[str, int]:
    """Three date journeys and one purchase journey, made once."""
    from dearly.core.actor import Actor
    from dearly.journeys.models import Journey
    from dearly.journeys.services import create_journey

    tid = template_id()
    send = {"type": "send", "template_id": tid, "purpose": "informational",
            "consent_purpose": "marketing", "value": "offer"}  # fmt: skip
    made = {}
    specs = {
        "Birthday": {"type": "date", "field": "birthday", "days_before": 0, "at": "09:00"},
        "Anniversary": {"type": "date", "field": "anniversary", "days_before": 0, "at": "09:00"},
        "Customer since": {"type": "date", "field": "created_at", "days_before": 0, "at": "09:00"},
        "After a purchase": {"type": "event", "name": "purchase"},
        "Thank you": {"type": "event", "name": "purchase"},
    }
    for name, trigger in specs.items():
        found = Journey.objects.filter(name=name).first()
        if found is None and name == "Thank you":
            steps = [
                {"id": "check", "type": "branch", "condition": {"kind": "opened_last"},
                 "then": "send", "else": "send"},
                {"id": "send", **send},
                {"id": "later", "type": "wait", "days": 7},
            ]  # fmt: skip
            definition = {"trigger": trigger, "reentry": "after_exit", "goal": None, "steps": steps}
            found = create_journey(actor=Actor.system("bench"), name=name, definition=definition)
        elif found is None:
            steps = [
                {"id": "tag", "type": "add_tag", "tag": "bench"},
                {"id": "check", "type": "branch", "condition": {"kind": "has_tag", "tag": "bench"},
                 "then": "send", "else": "exit"},
                {"id": "send", **send},
                {"id": "later", "type": "wait", "days": 7},
                {"id": "stop", "type": "exit"},
            ]  # fmt: skip
            definition = {"trigger": trigger, "reentry": "after_exit", "goal": None, "steps": steps}
            found = create_journey(actor=Actor.system("bench"), name=name, definition=definition)
        made[name] = found.pk
    return made


def rhythms() -> None:
    from dearly.core.actor import Actor
    from dearly.rhythms.models import Rhythm
    from dearly.rhythms.services import create_rhythm

    if Rhythm.objects.exists():
        return
    actor = Actor.system("bench")
    create_rhythm(actor=actor, name="Customers", lifecycle_stage="customer",
                  phases=[{"every_days": 14}], action="task")  # fmt: skip
    create_rhythm(actor=actor, name="Former customers", lifecycle_stage="former",
                  phases=[{"until_days": 180, "every_days": 30}, {"every_days": 90}],
                  action="task")  # fmt: skip


def reset_runs() -> None:
    from dearly.delivery.models import OutboxMessage
    from dearly.journeys.models import Enrollment

    Enrollment.objects.all().delete()
    OutboxMessage.objects.filter(origin_type="journey").delete()


def timed(label: str, fn, target: float | None = None, unit: str = "s") -> float:
    before = rss_mb()
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    verdict = "" if target is None else ("  met" if elapsed <= target else "  MISSED")
    memory = f"peak RSS {before:.0f} → {rss_mb():.0f} MB"
    print(f"{label:<46} {elapsed:8.2f} {unit}  ({result:,})  {memory}{verdict}")
    return elapsed


def date_pass() -> None:
    from dearly.journeys.dates import enrol_due

    reset_runs()
    timed(
        "date-trigger pass at 09:05 (one hourly run)", lambda: enrol_due(NOW), TARGETS["date pass"]
    )
    day = NOW.replace(hour=0, minute=5)
    total = 0.0
    enrolled = 0
    for hour in range(24):
        started = time.perf_counter()
        enrolled += enrol_due(day + dt.timedelta(hours=hour))
        total += time.perf_counter() - started
    print(f"{'date-trigger passes, all 24 of a day':<46} {total:8.2f} s  ({enrolled:,} more)")


def overdue() -> None:
    from dearly.rhythms.snapshot import refresh

    timed("overdue computation (2 rhythms, snapshot)", lambda: refresh(NOW), TARGETS["overdue"])


def steps(n_contacts: int) -> None:
    for name, first in (("Thank you", "check"), ("After a purchase", "tag")):
        step_journey(name, first, n_contacts)


def step_journey(name: str, first: str, n_contacts: int) -> None:
    from django.db import connection

    from dearly.journeys.models import Enrollment, Journey, StepRun
    from dearly.journeys.stepper import step_batch

    reset_runs()
    journey = Journey.objects.get(name=name)
    ids = list(range(1, min(STEPPED, n_contacts) + 1))
    rows = [
        Enrollment(journey=journey, version_id=journey.version_id, contact_id=i,
                   step_id=first, next_run_at=NOW, occurrence=f"bench:{i}", entered_at=NOW)
        for i in ids
    ]  # fmt: skip
    Enrollment.objects.bulk_create(rows, batch_size=5000)
    started = time.perf_counter()
    while step_batch(now=NOW, size=500)[0]:
        pass
    elapsed = time.perf_counter() - started
    ran = StepRun.objects.count()
    rate = ran / elapsed
    verdict = "met" if rate >= TARGETS["steps/s"] else "MISSED"
    label = f"journey steps, one worker: {name}"
    print(f"{label:<46} {rate:8.0f} /s ({ran:,} steps in {elapsed:.1f} s)  {verdict}")
    # The floor: the same number of step rows written in bulk, nothing decided.
    StepRun.objects.all().delete()
    enrolment_ids = list(Enrollment.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    StepRun.objects.bulk_create(
        [StepRun(enrollment_id=e, seq=s, step_id="x", outcome="floor", ran_at=NOW)
         for e in enrolment_ids for s in range(max(1, ran // len(enrolment_ids)))],
        batch_size=5000,
    )  # fmt: skip
    floor = ran / (time.perf_counter() - started)
    label = "floor: bulk INSERT of as many step rows"
    print(f"{label:<46} {floor:8.0f} /s  → ratio {rate / floor:.2f}")
    connection.close()


def dashboard(runs: int) -> None:
    import time_machine
    from django.test import Client

    user = owner()
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=True):
        from dearly.core.chores import REGISTRY

        for name in ("web.figures", "rhythms.snapshot"):
            started = time.perf_counter()
            REGISTRY[name].fn(NOW)
            every = REGISTRY[name].every.total_seconds()
            label = f"chore {name} (every {every:.0f} s)"
            print(f"{label:<46} {time.perf_counter() - started:8.2f} s")
        for _ in range(3):
            client.get("/")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "met" if p95 <= TARGETS["dashboard p95"] else "MISSED"
    print(f"{'dashboard p95 (' + str(runs) + ' requests)':<46} {p95 * 1000:8.0f} ms "
          f"(median {statistics.median(times) * 1000:.0f} ms)  {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--touches", type=int, default=10_000_000)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", nargs="*", default=["dates", "overdue", "steps", "dashboard"])
    args = parser.parse_args()
    setup_django(args.sqlite)
    from dearly.contacts.models import Contact

    if args.reload or Contact.objects.count() != args.contacts:
        load(args.contacts, args.touches, args.sqlite)
    journeys()
    rhythms()
    print(
        f"{'database':<46} {'SQLite' if args.sqlite else 'PostgreSQL'}, {args.contacts:,} contacts"
    )
    if "dates" in args.only:
        date_pass()
    if "overdue" in args.only:
        overdue()
    if "steps" in args.only:
        steps(args.contacts)
    if "dashboard" in args.only and not args.sqlite:
        dashboard(args.runs)


if __name__ == "__main__":
    main()
