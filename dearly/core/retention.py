"""How long records of behaviour are kept: each app that holds such records registers a daily
chore that deletes what is older than the business's setting (Settings → Keeping data).

1. The cutoff is whole calendar months before now (31 March minus one month is 28 February).
2. Rows go in batches of a few thousand, each its own short transaction, so a large first
   clean-up never holds a lock for long and a killed worker resumes where it stopped.
3. The consent ledger and the audit log are evidence, not behaviour: nothing here touches them.
"""

import calendar
import datetime as dt

from django.db import models

BATCH = 5000
MONTHS = (1, 120)  # the settings page accepts one month to ten years


def months_before(now: dt.datetime, months: int) -> dt.datetime:
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def delete_before(rows: "models.QuerySet[models.Model]", field: str, cutoff: dt.datetime) -> int:
    """Delete the rows whose `field` is before `cutoff`, a batch at a time; returns how many."""
    old = rows.filter(**{f"{field}__lt": cutoff})
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        deleted += (
            rows.model._default_manager.filter(pk__in=ids)
            .delete()[1]
            .get(rows.model._meta.label, 0)
        )
    return deleted
