"""Segment counts at 1,000,000 contacts on PostgreSQL, against the targets.

    uv run python benchmarks/segments.py                 # loads once, then measures
    uv run python benchmarks/segments.py --runs 30 --explain
    uv run python benchmarks/segments.py --reload        # drop and load the contacts again

Database: dearly_bench_segments on 127.0.0.1 (created and migrated if missing);
DEARLY_BENCH_SEGMENTS_URL overrides. Contacts, their tags and their consents (with one ledger
row each) are loaded with COPY. Each count goes through audiences.queries.audience_for, as the
builder's live count does: schema load, validation, the DISTINCT time-zone query for date
conditions, compile, count.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

URL = os.environ.get(
    "DEARLY_BENCH_SEGMENTS_URL", "postgres://postgres@127.0.0.1/dearly_bench_segments"
)
TARGETS_MS = {"attribute": 100.0, "date": 1000.0}
BRANCHES = ["North", "South", "East", "West", "Central"]
TAGS = ["VIP", "Wine", "Cheese", "Walk-in", "Online", "Trade", "Events", "Lapsed", "Gift", "Kids"]
ZONES = (
    [""] * 14
    + ["Europe/London"] * 3
    + ["Europe/Paris", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"]
    + ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Sydney", "Asia/Tokyo"]
)
STAGES = ["lead"] * 5 + ["customer"] * 4 + ["former"]
NOW = dt.datetime.now(dt.UTC)


def setup_django() -> None:
    os.environ["DEARLY_DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    os.environ.setdefault("DEARLY_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEARLY_LOG_LEVEL", "WARNING")
    import psycopg

    base, _, name = URL.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def contact_rows(n: int, branch_ids: list[int]):
    rnd = random.Random(7)
    for i in range(1, n + 1):
        created = NOW - dt.timedelta(seconds=rnd.randrange(5 * 365 * 86400))
        birthday = dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(60 * 365))
        stage = rnd.choice(STAGES)
        yield (
            i, uuid.uuid4(), f"First{i % 997}", f"Last{i % 4999}", "",
            f"person{i}@example{i % 97}.com", None, "", "", f"Town{i % 50}", "", "GB",
            None, None, rnd.choice(ZONES), "en",
            birthday if rnd.random() < 0.8 else None, None, "{}",
            stage, created, rnd.choice(branch_ids), False, "{}", "", "import", created, created,
        )  # fmt: skip


COLUMNS = (
    "id, public_id, first_name, last_name, preferred_name, email, phone, address_line1, "
    "address_line2, town, postcode, country, latitude, longitude, time_zone, language, birthday, "
    "anniversary, household, lifecycle_stage, lifecycle_changed_at, branch_id, branch_chosen, "
    "custom_fields, notes, source, created_at, updated_at"
)


def load(n: int) -> None:
    from django.db import connection

    from dearly.branches.models import Branch
    from dearly.contacts.models import Tag

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE contacts_contact, contacts_consent, contacts_consentevent, "
            "contacts_contact_tags, contacts_lifecyclechange CASCADE"
        )
    branch_ids = [Branch.objects.get_or_create(name=name)[0].pk for name in BRANCHES]
    tag_ids = [Tag.objects.get_or_create(name=name)[0].pk for name in TAGS]
    raw = connection.connection
    with raw.cursor() as cur:
        with cur.copy(f"COPY contacts_contact ({COLUMNS}) FROM STDIN") as copy:
            for row in contact_rows(n, branch_ids):
                copy.write_row(row)
        rnd = random.Random(11)
        with cur.copy("COPY contacts_contact_tags (contact_id, tag_id) FROM STDIN") as copy:
            for i in range(1, n + 1):
                for tag in rnd.sample(tag_ids, rnd.choice((0, 1, 1, 2, 3))):
                    copy.write_row((i, tag))
        load_consents(cur, n)
        cur.execute("SELECT setval(pg_get_serial_sequence('contacts_contact', 'id'), %s)", [n])
    raw.commit()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"loaded {n:,} contacts in {time.perf_counter() - started:.1f} s")


def load_consents(cur, n: int) -> None:
    """One grant event and one current-state row per consent: email newsletter for ~45%,
    email marketing for ~25%, SMS marketing for ~10%."""
    rnd = random.Random(13)
    grants = []
    for i in range(1, n + 1):
        for channel, purpose, share in (
            ("email", "newsletter", 0.45),
            ("email", "marketing", 0.25),
            ("sms", "marketing", 0.10),
        ):
            if rnd.random() < share:
                grants.append((i, channel, purpose))
    events = (
        "id, public_id, contact_id, channel, purpose, action, occurred_at, recorded_at, source, "
        "method, form_name, wording_version, wording, note, user_agent, actor_label"
    )
    with cur.copy(f"COPY contacts_consentevent ({events}) FROM STDIN") as copy:
        for k, (i, channel, purpose) in enumerate(grants, 1):
            copy.write_row((k, uuid.uuid4(), i, channel, purpose, "grant", NOW, NOW, "import",
                            "import", "", "", "Yes", "", "", ""))  # fmt: skip
    consents = "id, contact_id, channel, purpose, status, updated_at, last_event_id"
    with cur.copy(f"COPY contacts_consent ({consents}) FROM STDIN") as copy:
        for k, (i, channel, purpose) in enumerate(grants, 1):
            copy.write_row((k, i, channel, purpose, "granted", NOW, k))
    for table in ("contacts_consentevent", "contacts_consent"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [len(grants)])


# Contact indexes the segment counts would use, proposed for contacts/models.py. Measured with
# --contact-indexes (created in this benchmark database only) and without (dropped again).
CONTACT_INDEXES = {
    # lifecycle + branch conditions answered from the index alone (index-only scan)
    "bench_contact_stage_branch": "(lifecycle_stage, branch_id, id)",
    # birthday in the next N days: WHERE month*100+day BETWEEN … AND time_zone IN (…)
    "bench_contact_birthday_md": (
        "(((EXTRACT(MONTH FROM birthday) * 100) + EXTRACT(DAY FROM birthday)), time_zone)"
    ),
    # the DISTINCT time zones the birthday condition starts from
    "bench_contact_time_zone": "(time_zone)",
    # added in the last N days / before / after
    "bench_contact_created": "(created_at)",
}


def contact_indexes(wanted: bool) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for name, columns in CONTACT_INDEXES.items():
            if wanted:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON contacts_contact {columns}")
            else:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
        cur.execute("VACUUM ANALYZE contacts_contact")


def owner():
    from django.contrib.auth.models import User

    from dearly.core.models import Membership, Role

    user, _ = User.objects.get_or_create(username="bench-owner")
    member, _ = Membership.objects.get_or_create(user=user, defaults={"role": Role.OWNER})
    return member


def cases() -> dict[str, tuple[str, dict]]:
    from dearly.branches.models import Branch

    north = Branch.objects.get(name="North").pk
    cond = lambda field, op, value=None: {"field": field, "op": op, "value": value}  # noqa: E731
    newsletter = {"channel": "email", "purpose": "newsletter"}
    return {
        "lifecycle + branch + tag + consent": (
            "attribute",
            {"match": "all", "rules": [
                cond("lifecycle_stage", "is", "customer"), cond("branch", "is", north),
                cond("tag", "has", "VIP"), cond("consent", "granted", newsletter),
            ]},
        ),
        "customers with newsletter consent": (
            "attribute",
            {"match": "all", "rules": [
                cond("lifecycle_stage", "is", "customer"), cond("consent", "granted", newsletter),
            ]},
        ),
        "birthday in the next 7 days (own time zone)": (
            "date",
            {"match": "all", "rules": [cond("birthday", "in_next_days", 7)]},
        ),
        "created in the last 30 days": (
            "date",
            {"match": "all", "rules": [cond("created_at", "in_last_days", 30)]},
        ),
    }  # fmt: skip


def clean(rules: dict) -> dict:
    for node in rules["rules"]:
        if node.get("value") is None:
            node.pop("value", None)
    return rules


def measure(runs: int, explain: bool) -> list[tuple[str, str, int, float, float]]:
    from django.db import connection

    from dearly.audiences.queries import audience_for

    member = owner()
    results = []
    for label, (kind, rules) in cases().items():
        rules = clean(rules)
        count = audience_for(member, rules).count()  # warm the cache once
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            audience_for(member, rules).count()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results.append((label, kind, count, statistics.median(timings), p95))
        if explain:
            sql, params = (
                audience_for(member, rules).order_by().values("pk").query.sql_with_params()
            )
            with connection.cursor() as cur:
                cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) q", params)
                print(f"\n-- {label}\n" + "\n".join(r[0] for r in cur.fetchall()))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--contact-indexes", action="store_true", help="measure with the proposed Contact indexes"
    )
    args = parser.parse_args()
    setup_django()
    from dearly.contacts.models import Contact

    if args.reload or Contact.objects.count() != args.contacts:
        load(args.contacts)
    contact_indexes(args.contact_indexes)
    results = measure(args.runs, args.explain)
    extra = " with the proposed Contact indexes" if args.contact_indexes else ""
    print(f"\nSegment counts, {args.contacts:,} contacts, {args.runs} runs each{extra}\n")
    print(
        "| condition | matches | median ms | p95 ms | target ms | |\n|---|---:|---:|---:|---:|---|"
    )
    for label, kind, count, median, p95 in results:
        target = TARGETS_MS[kind]
        verdict = "met" if p95 <= target else "MISSED"
        print(f"| {label} | {count:,} | {median:.1f} | {p95:.1f} | ≤ {target:.0f} | {verdict} |")


if __name__ == "__main__":
    main()
