"""Click tracking on the send path: rewriting links, and storing them per message or per content.

    uv run python benchmarks/tracking_links.py                      # SQLite and PostgreSQL
    uv run python benchmarks/tracking_links.py --messages 20000 --links 8

For N messages of a ~3 KB email with L links, in batches of 500 as the worker sends:
- rewrite: prepare_links (find links, sign one token per link) per message, in CPU time;
- per message: every message stores its own L rows (what personalised links cost, and what a
  table keyed by message would cost for every campaign);
- per content: the links are the same for everyone, so the worker stores one set once and
  remembers it (LinkStore).
Storing is measured by the wall clock (the database does the work), so a busy machine shows.
PostgreSQL: database dearly_bench_tracking on 127.0.0.1 (created if missing);
DEARLY_BENCH_PG_URL overrides. SQLite: a temporary file database.
"""

# ruff: noqa: E501 - the result line reads better on one line

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

PG_URL = os.environ.get(
    "DEARLY_BENCH_PG_URL", "postgres://postgres@127.0.0.1/dearly_bench_tracking"
)
BATCH = 500


def email(links: int, personal: str = "") -> str:
    body = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40 + "</p>"
    anchors = "".join(
        f'<p><a href="https://shop.example/item/{i}?utm_source=dearly{personal}">Item {i}</a></p>'
        for i in range(links)
    )
    return f"<html><body>{body}{anchors}</body></html>"


def measure(messages: int, links: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    from dearly.tracking.links import LinkStore, prepare_links
    from dearly.tracking.models import TrackedLink

    ids = [uuid.uuid4() for _ in range(messages)]
    shared = email(links)

    started = time.process_time()  # CPU time: the machine may be shared
    prepared = [prepare_links(shared, public_id) for public_id in ids]
    rewrite = time.process_time() - started

    TrackedLink.objects.all().delete()
    store = LinkStore()
    started = time.perf_counter()
    for i in range(0, messages, BATCH):
        store.store(*(urls for _, urls in prepared[i : i + BATCH]))
    per_content = time.perf_counter() - started

    personal = [prepare_links(email(links, f"&m={i}"), ids[i])[1] for i in range(messages)]
    TrackedLink.objects.all().delete()
    store = LinkStore()
    started = time.perf_counter()
    for i in range(0, messages, BATCH):
        store.store(*personal[i : i + BATCH])
    per_message = time.perf_counter() - started
    rows = TrackedLink.objects.count()

    print(
        f"{connection.vendor:10} {messages} msgs x {links} links | "
        f"rewrite {messages / rewrite:9,.0f} msgs/s (CPU) | "
        f"store per content {messages / per_content:11,.0f} msgs/s | "
        f"store per message {messages / per_message:8,.0f} msgs/s ({rows / per_message:,.0f} rows/s)"
    )


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--links", type=int, default=6)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        measure(args.messages, args.links)
        return
    ensure_pg_database(PG_URL)
    with tempfile.TemporaryDirectory() as tmp:
        for url in (f"sqlite:///{tmp}/bench.sqlite3", PG_URL):
            env = {
                **os.environ,
                "DEARLY_DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "dearly.settings",
                "DEARLY_SECRET_KEY": "benchmark-only",
                "DEARLY_DATA_DIR": tmp,
            }
            command = [sys.executable, __file__, "--child", f"--messages={args.messages}"]
            subprocess.run([*command, f"--links={args.links}"], env=env, check=True)


if __name__ == "__main__":
    main()
