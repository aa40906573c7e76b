"""The error report as CSV, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

HEADER = ("line", "column", "value", "reason", "kind")
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(issues: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """Streamed lines: the report of a million-row file never sits in memory at once."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for issue in issues:
        yield writer.writerow([safe_cell(v) for v in issue])


def issue_rows(job: Any) -> Iterator[tuple[Any, ...]]:
    return job.issues.order_by("line", "id").values_list(*HEADER).iterator(chunk_size=5000)
