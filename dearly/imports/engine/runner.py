"""Running an import: read, validate (optionally in a process pool), decide and write chunk
by chunk, so memory stays flat whatever the file's size.

The job row is the only state: its checkpoint is moved in the same transaction as each
chunk's writes (see writer), so a run that dies is resumed after its last committed chunk.
"""

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from django.db import connection

from dearly.imports.engine import workers as workers_module
from dearly.imports.engine.decide import decide
from dearly.imports.engine.plan import Plan
from dearly.imports.engine.sources import FileInfo, UnreadableFile, iter_rows
from dearly.imports.engine.validation import Issue, Row, Validator
from dearly.imports.engine.writer import Who, Written, would_write, write_chunk
from dearly.imports.models import ImportJob

log = logging.getLogger("dearly.imports")
# Rows per chunk (one transaction each). PostgreSQL: 20,000 rather than 5,000 cut both the
# client's and the server's CPU time by ~20% (40,000-row runs, measured), for a few tens of
# MB of rows in flight whatever the file's size. SQLite holds its one write lock for the
# whole chunk, so its chunks stay short.
CHUNK_ROWS = {"postgresql": 20_000}
DEFAULT_CHUNK_ROWS = 5_000
Raw = list[tuple[int, list[str]]]
Validated = tuple[list[Row], list[Issue]]


class TooManyRows(UnreadableFile):
    pass


def validate_chunk(plan: Plan, raw: Raw) -> Validated:
    validator = Validator(plan)
    rows: list[Row] = []
    issues: list[Issue] = []
    for line, cells in raw:
        row, row_issues = validator.row(line, cells)
        issues += row_issues
        if row is not None:
            rows.append(row)
    return rows, issues


def chunk_rows() -> int:
    return CHUNK_ROWS.get(connection.vendor, DEFAULT_CHUNK_ROWS)


def chunks(rows: Iterable[tuple[int, list[str]]], size: int) -> Iterator[Raw]:
    """Lists of `size` rows, but the first no larger than DEFAULT_CHUNK_ROWS: the progress
    bar, and the report of a badly mapped file, show up after a short first chunk."""
    it = iter(rows)
    n = min(size, DEFAULT_CHUNK_ROWS)
    while batch := list(islice(it, n)):
        yield batch
        n = size


def validated(plan: Plan, raws: Iterator[Raw], workers: int) -> Iterator[tuple[Raw, Validated]]:
    """Validated chunks in file order; with workers, up to workers+1 chunks are in flight
    while the caller writes, which bounds memory and keeps both cores busy."""
    if workers <= 0:
        for raw in raws:
            yield raw, validate_chunk(plan, raw)
        return
    ctx = get_context("spawn")  # fork is unsafe from a threaded web process
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=workers_module.setup) as pool:
        pending: deque[tuple[Raw, Future[Validated]]] = deque()
        for raw in raws:
            pending.append((raw, pool.submit(workers_module.validate, plan, raw)))
            if len(pending) > workers:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def run(
    plan: Plan,
    path: Path,
    info: FileInfo,
    *,
    job: ImportJob | None,
    who: Who,
    after_line: int = 1,
    max_rows: int | None = None,
    workers: int = 0,
    dry_run: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> Written:
    """Import every row after `after_line`; returns what was created and updated. A dry run
    reads and decides but writes nothing, and returns the issues instead."""
    total = Written()
    seen = job.rows_seen if job else 0
    rows = ((line, cells) for line, cells in iter_rows(path, info) if line > after_line)
    for raw, (valid, issues) in validated(plan, chunks(rows, chunk_rows()), workers):
        seen += len(raw)
        if max_rows is not None and seen > max_rows:
            raise TooManyRows(
                f"The file has more than {max_rows:,} rows; split it and import the parts."
            )
        decision = decide(plan, job.pk if job else None, valid, issues)
        if dry_run:
            written = would_write(decision)
            total.issues += decision.issues
        else:
            written = write_chunk(plan, job, who, decision, raw[-1][0], seen)
        total.created += written.created
        total.updated += written.updated
        if on_progress:
            on_progress(seen)
    return total
