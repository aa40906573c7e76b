"""Who is overdue on a rhythm: one set-based query, no loop over contacts.

1. The audience is the rhythm's stage and/or segment, narrowed first by a condition the index
   contact_last_touch (lifecycle_stage, last_touch_at) answers: last touched before the
   loosest cut-off of any phase, or never touched.
2. The clock starts at the anchor, coalesce(last_touch_at, lifecycle_changed_at, created_at);
   the phase comes from the stage's age, coalesce(lifecycle_changed_at, created_at).
3. Phase i applies while the stage is younger than its until_days; the contact is overdue when
   the anchor is older than that phase's every_days. Every comparison is against a datetime
   parameter computed here, so PostgreSQL and SQLite run the same plan-friendly SQL.
4. Days overdue = days since the anchor - the phase's interval, computed in SQL (epoch on
   PostgreSQL, julianday on SQLite) so lists can sort and snapshots can average in the database.
"""

import datetime as dt
import logging
import operator
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dearly.audiences.compile import compile_rules
from dearly.audiences.rules import validate_rules
from dearly.audiences.schema import Schema
from dearly.contacts.models import Contact
from dearly.rhythms.models import Episode, EpisodeState, Rhythm
from dearly.rhythms.phases import Phase, load

log = logging.getLogger("dearly.rhythms")


class DaysSince(Func):
    """Fractional days from the expression until `now`."""

    output_field = FloatField()

    def __init__(self, expression: Any, now: dt.datetime) -> None:
        super().__init__(Value(now, output_field=DateTimeField()), expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s))::double precision / 86400)",
            arg_joiner=" - ",
            **extra,
        )


ANCHOR = Coalesce("last_touch_at", "lifecycle_changed_at", "created_at")
STAGE_START = Coalesce("lifecycle_changed_at", "created_at")


def audience(
    rhythm: Rhythm, *, now: dt.datetime, base: QuerySet[Contact] | None = None
) -> QuerySet[Contact]:
    """Everyone the rhythm is about, whether overdue or not."""
    qs = Contact.objects.all() if base is None else base
    if rhythm.lifecycle_stage:
        qs = qs.filter(lifecycle_stage=rhythm.lifecycle_stage)
    if rhythm.segment_id is not None:
        rules = rhythm.segment.rules  # type: ignore[union-attr]
        schema = Schema.load()
        if validate_rules(rules, schema):
            log.warning("rhythm.segment_invalid rhythm=%s", rhythm.pk)
            return qs.none()

        def zones() -> list[str]:
            return list(Contact.objects.order_by().values_list("time_zone", flat=True).distinct())

        qs = qs.filter(compile_rules(rules, schema=schema, zones=zones, now=now))
    return qs


def _phase_bounds(
    phases: list[Phase], now: dt.datetime
) -> list[tuple[dt.datetime | None, dt.datetime | None, dt.datetime, int]]:
    """(stage began after, stage began at or before, anchor before, every_days) per phase."""
    out: list[tuple[dt.datetime | None, dt.datetime | None, dt.datetime, int]] = []
    started_before: dt.datetime | None = None
    for p in phases:
        began_after = None if p.until_days is None else now - dt.timedelta(days=p.until_days)
        out.append(
            (began_after, started_before, now - dt.timedelta(days=p.every_days), p.every_days)
        )
        started_before = began_after
    return out


def overdue_condition(rhythm: Rhythm, *, now: dt.datetime) -> tuple[Q, Q, Case]:
    """(index-friendly prefilter, exact condition on the annotations, interval in days)."""
    phases = load(rhythm.phases)
    loosest = now - dt.timedelta(days=min(p.every_days for p in phases))
    prefilter = Q(last_touch_at__lt=loosest) | Q(last_touch_at__isnull=True)
    exact: list[Q] = []
    whens = []
    for began_after, began_by, due, every in _phase_bounds(phases, now):
        in_phase = Q(anchor__lt=due)
        if began_after is not None:
            in_phase &= Q(stage_start__gt=began_after)
            whens.append(When(stage_start__gt=began_after, then=Value(every)))
        if began_by is not None:
            in_phase &= Q(stage_start__lte=began_by)
        exact.append(in_phase)
    interval = Case(*whens, default=Value(phases[-1].every_days), output_field=IntegerField())
    return prefilter, reduce(operator.or_, exact), interval


# Querysets carrying the annotations below are typed QuerySet[Any]: the type checker cannot
# follow annotations, and lookups on them ("anchor", "days_overdue") are checked by the tests.
Annotated = QuerySet[Any]


def annotated(qs: QuerySet[Contact]) -> Annotated:
    return qs.annotate(anchor=ANCHOR, stage_start=STAGE_START)


def overdue_contacts(
    rhythm: Rhythm, *, now: dt.datetime, base: QuerySet[Contact] | None = None
) -> Annotated:
    """The rhythm's overdue contacts, annotated with anchor, interval and days_overdue."""
    prefilter, exact, interval = overdue_condition(rhythm, now=now)
    qs = annotated(audience(rhythm, now=now, base=base).filter(prefilter)).filter(exact)
    return qs.annotate(interval=interval, days_overdue=DaysSince(F("anchor"), now) - F("interval"))


def open_conflicts(rhythm: Rhythm, *, now: dt.datetime) -> QuerySet[Episode]:
    """Conflicts still current: the contact is overdue on the rhythm since the same anchor.
    Checked per conflict by primary key, so the cost follows the conflicts, not the audience."""
    current = overdue_contacts(rhythm, now=now).filter(
        pk=OuterRef("contact_id"), anchor=OuterRef("anchor")
    )
    return Episode.objects.filter(rhythm=rhythm, state=EpisodeState.CONFLICT).filter(
        Exists(current)
    )
