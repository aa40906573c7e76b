"""Date triggers: birthdays, anniversaries, "customer since" and custom date fields.

Run hourly, one INSERT … SELECT per journey and local date, with no Python loop over contacts:
1. The time zones in use come from one DISTINCT query. A zone qualifies when its local time
   has passed the trigger's "at"; qualifying zones that share a local date share one window.
2. The window matches the field's month and day to that date plus `days_before`, in the
   contact's zone (blank or unknown means the business's). Birthdays and anniversaries use
   the (month*100+day, time_zone) indexes that segments use (audiences.compile).
3. The occurrence key is the year of the date celebrated, so a contact is enrolled at most
   once a year; NOT EXISTS applies the re-entry rule and skips anyone already on their way,
   and ON CONFLICT DO NOTHING settles a race with the event path.
4. A day on which no worker ran is not caught up: the pass looks at each zone's today only.
"""

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Exists, IntegerField, Min, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractDay, ExtractMonth, Substr
from django.db.models.lookups import In, LessThan
from django.utils import timezone

from dearly.audiences.compile import any_range
from dearly.audiences.dates import month_day_ranges, zone
from dearly.contacts.models import Contact
from dearly.journeys.definition import DATE_FIELDS, parse_time
from dearly.journeys.enrol import first_step
from dearly.journeys.models import Enrollment, Journey, JourneyStatus

TABLE = Enrollment._meta.db_table


def enrol_due(now: dt.datetime) -> int:
    """The chore: every active date journey; returns how many contacts were enrolled."""
    journeys = Journey.objects.filter(
        status=JourneyStatus.ACTIVE, trigger_key="date"
    ).select_related("version")
    zones = list(Contact.objects.order_by().values_list("time_zone", flat=True).distinct())
    return sum(enrol_journey(journey, now=now, zones=zones) for journey in journeys)


def local_dates(zones: list[str], now: dt.datetime, at: dt.time) -> dict[dt.date, list[str]]:
    """The zones whose clock has passed `at`, grouped by their local date."""
    groups: dict[dt.date, list[str]] = {}
    for name in zones:
        local = now.astimezone(zone(name))
        if local.time() >= at:
            groups.setdefault(local.date(), []).append(name)
    return groups


def enrol_journey(journey: Journey, *, now: dt.datetime, zones: list[str]) -> int:
    assert journey.version is not None
    definition = journey.version.definition
    trigger = definition["trigger"]
    at = parse_time(trigger.get("at", "09:00")) or dt.time(9)
    days_before = int(trigger.get("days_before", 0))
    enrolled = 0
    for today, names in local_dates(zones, now, at).items():
        day = today + dt.timedelta(days=days_before)
        people = Contact.objects.filter(Q(time_zone__in=names), celebrates(trigger["field"], day))
        people = people.filter(~reentry_blocks(journey, definition, str(day.year), now))
        enrolled += insert(journey, people, occurrence=str(day.year), now=now)
    return enrolled


def celebrates(field: str, day: dt.date) -> Q:
    """Contacts whose date field falls on `day`'s month and day in an earlier year."""
    codes = month_days(day)
    if field == "created_at":
        return created_on(codes, day.year)
    if field in DATE_FIELDS:
        earlier = Q(**{f"{field}__lt": dt.date(day.year, 1, 1)})
        if connection.vendor == "sqlite":
            # SQLite stores dates as text, and cannot match its expression index to bound
            # parameters: compare "MM-DD" natively rather than call Python per row.
            return Q(In(Substr(field, 6, 5), [f"{m:02d}-{d:02d}" for m, d in codes])) & earlier
        code = ExtractMonth(field) * 100 + ExtractDay(field)
        code.output_field = IntegerField()
        return any_range(code, month_day_ranges(day, 1)) & earlier
    # A custom date is stored as "YYYY-MM-DD" text in Contact.custom_fields.
    text = KeyTextTransform(field, "custom_fields")
    month_day = Substr(text, 6, 5)
    days = [f"{m:02d}-{d:02d}" for m, d in codes]
    return Q(In(month_day, days)) & Q(LessThan(text, f"{day.year}"))


def month_days(day: dt.date) -> list[tuple[int, int]]:
    """(month, day) pairs celebrated on `day`: 29 February joins 28 February in other years."""
    return [divmod(code, 100) for lo, hi in month_day_ranges(day, 1) for code in range(lo, hi + 1)]


def created_on(codes: list[tuple[int, int]], before_year: int) -> Q:
    """Created on one of these days (the business's calendar) in an earlier year: a range per
    year on the created_at index, instead of extracting the day of every row."""
    tz = timezone.get_default_timezone()
    first = Contact.objects.aggregate(first=Min("created_at"))["first"]
    ranges = Q(pk__in=[])
    if first is None:
        return ranges
    for year in range(first.astimezone(tz).year, before_year):
        for month, day_of_month in codes:
            try:
                start = dt.datetime(year, month, day_of_month, tzinfo=tz)
            except ValueError:  # 29 February in a common year
                continue
            end = (start + dt.timedelta(days=1)).replace(hour=0)
            ranges |= Q(created_at__gte=start, created_at__lt=end)
    return ranges


def reentry_blocks(
    journey: Journey, definition: dict[str, Any], occurrence: str, now: dt.datetime
) -> Q:
    """EXISTS an enrollment that rules this contact out (see enrol.py for the rules)."""
    mine = Enrollment.objects.filter(journey_id=journey.pk, contact_id=OuterRef("pk"))
    rule = definition.get("reentry", "never")
    if rule == "never":
        return Q(Exists(mine))
    blocking = Q(occurrence=occurrence) | Q(status="active")
    if isinstance(rule, dict):
        blocking |= Q(entered_at__gt=now - dt.timedelta(days=int(rule["after_days"])))
    return Q(Exists(mine.filter(blocking)))


def insert(
    journey: Journey, people: QuerySet[Contact], *, occurrence: str, now: dt.datetime
) -> int:
    """INSERT … SELECT the people as new enrollments; returns how many rows were written."""
    assert journey.version is not None
    select_sql, select_params = people.order_by().values("id").query.sql_with_params()
    new_uuid = (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )
    when = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {TABLE} (public_id, journey_id, version_id, contact_id, status, step_id, "  # noqa: S608
        "waiting, seq, next_run_at, occurrence, entered_at, exit_reason, claimed_by) "
        f"SELECT {new_uuid}, %s, %s, people.id, 'active', %s, %s, 0, %s, %s, %s, '', '' "
        f"FROM ({select_sql}) AS people WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    params = [
        journey.pk,
        journey.version.pk,
        first_step(journey.version.definition),
        False,
        when,
        occurrence,
        when,
        *select_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
