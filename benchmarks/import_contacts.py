"""Contact import throughput and memory, against a raw floor on the same file.

    uv run python benchmarks/import_contacts.py            # 1,000,000 rows (and 100,000)
    uv run python benchmarks/import_contacts.py --rows 20000

Each measurement runs in its own subprocess so its peak RSS (ru_maxrss) is its own; the
validation worker's peak is reported beside it. CPU seconds are reported too (this process,
its validation worker and, for a local PostgreSQL, the server backend that did the work):
on a shared machine the wall clock says as much about the neighbours as about the import,
and the CPU time per row does not. The load average at the start of each line says which.
PostgreSQL: database dearly_bench on 127.0.0.1 (created if missing); DEARLY_BENCH_PG_URL
overrides. SQLite: a temporary file database.
"""

# ruff: noqa: E501, SIM117 - long measurement command lines read better on one line

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PG_URL = os.environ.get("DEARLY_BENCH_PG_URL", "postgres://postgres@127.0.0.1/dearly_bench")
HEADER = ["First name", "Last name", "Email", "Phone", "Birthday", "Town", "Tags"]
FIRST = ["Ada", "Grace", "Alan", "Mary", "John", "Amir", "Zoë", "Chen", "Olu", "Ines"]
LAST = ["Lovelace", "Hopper", "Turing", "Shelley", "Smith", "Khan", "Wang", "Adeyemi", "Silva"]
TOWNS = ["Leeds", "Brighton", "York", "Bath", "Derby"]


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(42)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            email = f"person{i}@example{i % 97}.co.uk"
            phone = f"07{400000000 + i:09d}"
            birthday = f"{1940 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            bad = rnd.random()
            if bad < 0.017:
                email = f"person{i}@@broken"
            elif bad < 0.034:
                phone = f"12{i % 1000}"
            elif bad < 0.05:
                birthday = f"31/02/{1950 + i % 40}"
            out.writerow(
                [rnd.choice(FIRST), rnd.choice(LAST), email, phone, birthday,
                 rnd.choice(TOWNS), "imported;bench"]
            )  # fmt: skip


def _setup_django(db_url: str) -> None:
    os.environ["DEARLY_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    os.environ.setdefault("DEARLY_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEARLY_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ensure_pg_database() -> None:
    import psycopg

    base, _, name = PG_URL.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def measure_engine(file: Path, db_url: str, workers: int) -> dict[str, float]:
    _setup_django(db_url)
    from django.db import connection

    from dearly.core.actor import Actor
    from dearly.imports import services

    tables = [
        "imports_importissue", "imports_importedcontact", "imports_importjob", "core_auditevent",
        "contacts_consent", "contacts_consentevent", "contacts_lifecyclechange",
        "contacts_contact_tags", "contacts_contact", "contacts_tag",
    ]  # fmt: skip
    with connection.cursor() as cur:  # start from an empty contact table each time
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cur.execute(f"DELETE FROM {table}")
    job = services.store_path(actor=Actor.system("benchmark"), source=file)
    services.configure(
        job=job,
        options={
            "mapping": job.mapping, "grants": [["email", "marketing"]],
            "consent_wording": "Yes, email me", "consent_source": "benchmark",
            "existing": "update-blanks",
        },
    )  # fmt: skip
    server, client = _backend_cpu(connection), _cpu()
    start = time.perf_counter()
    job = services.run_job(job, workers=workers)
    seconds = time.perf_counter() - start
    assert job.status == "done", job.failure
    return {"rows": job.rows_seen, "seconds": seconds, "created": job.created_count,
            "bad": job.bad_count, "client_cpu": _cpu() - client,
            "server_cpu": _backend_cpu(connection) - server}  # fmt: skip


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (the validation worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


def _backend_cpu(connection: Any) -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (local server only)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_pg_floor(file: Path) -> dict[str, float]:
    import psycopg

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with psycopg.connect(PG_URL) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor")
        conn.execute(f"CREATE UNLOGGED TABLE bench_floor ({columns})")
        start = time.perf_counter()
        with conn.cursor().copy("COPY bench_floor FROM STDIN WITH (FORMAT csv, HEADER)") as cp:
            with file.open("rb") as f:
                while block := f.read(1 << 20):
                    cp.write(block)
        conn.commit()
        seconds = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM bench_floor").fetchone()[0]  # type: ignore[index]
        conn.execute("DROP TABLE bench_floor")
    return {"rows": rows, "seconds": seconds}


def measure_sqlite_floor(file: Path, db_path: Path) -> dict[str, float]:
    import sqlite3

    with file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE floor ({', '.join(f'c{i}' for i in range(len(HEADER)))})")
    start = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO floor VALUES ({', '.join('?' * len(HEADER))})", rows)
    seconds = time.perf_counter() - start
    conn.close()
    return {"rows": len(rows), "seconds": seconds}


def child(args: argparse.Namespace) -> None:
    file = Path(args.file)
    if args.measure == "engine":
        result = measure_engine(file, args.db, args.workers)
    elif args.measure == "pg-floor":
        result = measure_pg_floor(file)
    else:
        result = measure_sqlite_floor(file, Path(args.db))
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.update(_rss_split())
    result["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def _rss_split() -> dict[str, float]:
    """Resident memory at the end, split: anonymous (the heap) and file-backed (for SQLite,
    the database file mapped by its mmap_size, which grows with the file up to that cap)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    fields = (line.partition(":") for line in lines if line.startswith("Rss"))
    kb = {key: int(value.split()[0]) for key, _, value in fields}
    return {"anon_mb": kb.get("RssAnon", 0) / 1024, "file_mb": kb.get("RssFile", 0) / 1024}


def spawn(*args: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"measurement failed: {' '.join(args)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, result: dict[str, float], floor: dict[str, float] | None) -> None:
    rate = result["rows"] / result["seconds"]
    ratio = f" {rate / (floor['rows'] / floor['seconds']):6.3f}x floor" if floor else " " * 14
    worker = f" + {result['worker_rss_mb']:.0f} MB worker" if result.get("worker_rss_mb") else ""
    per_row = 1e6 / result["rows"]
    cpu = ""
    if "client_cpu" in result:
        cpu = f"cpu/row {result['client_cpu'] * per_row:4.0f} µs client"
    if result.get("server_cpu"):
        cpu += f" + {result['server_cpu'] * per_row:4.0f} µs server"
    print(
        f"load {os.getloadavg()[0]:4.1f}  {label:<27} {int(result['rows']):>9,} rows "
        f"{result['seconds']:7.1f} s {rate:>9,.0f} rows/s{ratio}  {cpu:<40}"
        f"peak RSS {result['max_rss_mb']:4.0f} MB{worker}{_split(result)}",
        flush=True,
    )


def _split(result: dict[str, float]) -> str:
    if "anon_mb" not in result:
        return ""
    return (
        f" (at the end: {result['anon_mb']:.0f} MB heap, {result['file_mb']:.0f} MB mapped files)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="second size, for memory")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sorted({min(args.small, args.rows), args.rows}):
            run_size(Path(tmp), rows, args)


def run_size(tmp: Path, rows: int, args: argparse.Namespace) -> None:
    file = tmp / f"contacts-{rows}.csv"
    generate(file, rows)
    print(f"\n{rows:,} rows, {file.stat().st_size / 1e6:.0f} MB, ~5% bad rows", flush=True)
    workers = str(args.workers)
    if not args.skip_pg:
        _ensure_pg_database()
        floor = spawn("--measure", "pg-floor", "--file", str(file))
        report("PostgreSQL COPY (floor)", floor, None)
        report("PostgreSQL import", spawn("--measure", "engine", "--file", str(file), "--db", PG_URL, "--workers", workers), floor)  # fmt: skip
    if not args.skip_sqlite:
        floor = spawn("--measure", "sqlite-floor", "--file", str(file), "--db", str(tmp / f"floor-{rows}.db"))  # fmt: skip
        report("SQLite executemany (floor)", floor, None)
        db = f"sqlite:///{tmp / f'bench-{rows}.sqlite3'}"
        report("SQLite import", spawn("--measure", "engine", "--file", str(file), "--db", db, "--workers", workers), floor)  # fmt: skip


if __name__ == "__main__":
    main()
