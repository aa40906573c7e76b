"""What an objective counts, per local day of the period: the numbers behind progress and chart.

    daily(metric, start=, end=, contacts=) -> {date: value}

`start` and `end` are the first and last day of the period in the business's time zone; the
window is [start 00:00, end + 1 day 00:00). `contacts` narrows to an audience (a queryset of
contacts); None counts everyone. Each metric is one grouped query.

`credited` narrows the purchase figures (purchases, repeat purchases, revenue) to the purchases
credited to a plan's own messages (see plans.origins): a plan never claims a sale its messages
did not earn. The other metrics are about the audience's relationship, whoever touched it.

- purchases: events named "purchase".
- repeat_purchases: purchases by a contact who had purchased before (earlier, any time).
- revenue: the value of those purchases (the business's one currency).
- won_back: contacts whose stage went from former to customer, on the day it first happened.
- survey_answers: touches of kind survey and events named "survey_answer".
- contacts_touched: contacts with a real touch, on the day of their first in the period.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate

from dearly.contacts.models import Contact, Lifecycle, LifecycleChange
from dearly.conversions.models import ContactEvent
from dearly.plans.models import Metric
from dearly.touches.models import Kind, Touch

Daily = dict[dt.date, Decimal]
PURCHASE = "purchase"
SURVEY_EVENT = "survey_answer"


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = business_tz()
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz),
    )


def daily(
    metric: str,
    *,
    start: dt.date,
    end: dt.date,
    contacts: QuerySet[Contact] | None = None,
    credited: Q | None = None,
) -> Daily:
    since, until = window(start, end)
    return between(metric, since=since, until=until, contacts=contacts, credited=credited)


def between(
    metric: str,
    *,
    since: dt.datetime,
    until: dt.datetime,
    contacts: QuerySet[Contact] | None = None,
    credited: Q | None = None,
) -> Daily:
    """The metric per local day over [since, until)."""
    if metric in CREDITED:
        return CREDITED[metric](since, until, contacts, credited)
    return COUNTERS[metric](since, until, contacts)


def total(
    metric: str, *, start: dt.date, end: dt.date, contacts: QuerySet[Contact] | None = None
) -> Decimal:
    return sum(daily(metric, start=start, end=end, contacts=contacts).values(), Decimal(0))


def _scoped[Q: QuerySet](qs: Q, contacts: QuerySet[Contact] | None) -> Q:
    return qs if contacts is None else qs.filter(contact__in=contacts.values("pk"))


def _by_day(qs: QuerySet, field: str, value: Count | Sum) -> Daily:  # type: ignore[type-arg]
    rows = (
        qs.annotate(day=TruncDate(field, tzinfo=business_tz()))
        .values("day")
        .annotate(n=value)
        .order_by()
    )
    return {r["day"]: Decimal(r["n"] or 0) for r in rows}


def _purchases(
    since: dt.datetime, until: dt.datetime, credited: Q | None = None
) -> QuerySet[ContactEvent]:
    found = ContactEvent.objects.filter(
        name=PURCHASE, occurred_at__gte=since, occurred_at__lt=until
    )
    return found if credited is None else found.filter(credited)


def purchases(
    since: dt.datetime,
    until: dt.datetime,
    contacts: QuerySet[Contact] | None,
    credited: Q | None = None,
) -> Daily:
    return _by_day(
        _scoped(_purchases(since, until, credited), contacts), "occurred_at", Count("id")
    )


def repeat_purchases(
    since: dt.datetime,
    until: dt.datetime,
    contacts: QuerySet[Contact] | None,
    credited: Q | None = None,
) -> Daily:
    earlier = ContactEvent.objects.filter(
        name=PURCHASE, contact=OuterRef("contact"), occurred_at__lt=OuterRef("occurred_at")
    )
    repeats = _purchases(since, until, credited).filter(Exists(earlier))
    return _by_day(_scoped(repeats, contacts), "occurred_at", Count("id"))


def revenue(
    since: dt.datetime,
    until: dt.datetime,
    contacts: QuerySet[Contact] | None,
    credited: Q | None = None,
) -> Daily:
    return _by_day(
        _scoped(_purchases(since, until, credited), contacts), "occurred_at", Sum("value")
    )


def won_back(since: dt.datetime, until: dt.datetime, contacts: QuerySet[Contact] | None) -> Daily:
    changes = LifecycleChange.objects.filter(
        from_stage=Lifecycle.FORMER,
        to_stage=Lifecycle.CUSTOMER,
        changed_at__gte=since,
        changed_at__lt=until,
    )
    firsts = _scoped(changes, contacts).values("contact").annotate(first=Min("changed_at"))
    return _count_firsts(f["first"] for f in firsts)


def survey_answers(
    since: dt.datetime, until: dt.datetime, contacts: QuerySet[Contact] | None
) -> Daily:
    touches = Touch.objects.filter(kind=Kind.SURVEY, occurred_at__gte=since, occurred_at__lt=until)
    events = ContactEvent.objects.filter(
        name=SURVEY_EVENT, occurred_at__gte=since, occurred_at__lt=until
    )
    found: Daily = defaultdict(Decimal)
    for qs in (_scoped(touches, contacts), _scoped(events, contacts)):
        for day, n in _by_day(qs, "occurred_at", Count("id")).items():
            found[day] += n
    return dict(found)


def contacts_touched(
    since: dt.datetime, until: dt.datetime, contacts: QuerySet[Contact] | None
) -> Daily:
    touches = Touch.objects.filter(real=True, occurred_at__gte=since, occurred_at__lt=until)
    firsts = _scoped(touches, contacts).values("contact").annotate(first=Min("occurred_at"))
    return _count_firsts(f["first"] for f in firsts)


def _count_firsts(moments: Iterable[dt.datetime]) -> Daily:
    tz = business_tz()
    found: Daily = defaultdict(Decimal)
    for at in moments:
        found[at.astimezone(tz).date()] += 1
    return dict(found)


def former_at(moment: dt.datetime, contacts: QuerySet[Contact] | None = None) -> int:
    """How many contacts were former customers at `moment` (their last stage change before it)."""
    stage = (
        LifecycleChange.objects.filter(contact=OuterRef("pk"), changed_at__lt=moment)
        .order_by("-changed_at", "-id")
        .values("to_stage")[:1]
    )
    base = contacts if contacts is not None else Contact.objects.all()
    return base.annotate(stage_then=Subquery(stage)).filter(stage_then=Lifecycle.FORMER).count()


Counter = Callable[[dt.datetime, dt.datetime, QuerySet[Contact] | None], Daily]
CreditedCounter = Callable[[dt.datetime, dt.datetime, QuerySet[Contact] | None, Q | None], Daily]
CREDITED: dict[str, CreditedCounter] = {
    Metric.PURCHASES: purchases,
    Metric.REPEAT_PURCHASES: repeat_purchases,
    Metric.REVENUE: revenue,
}
COUNTERS: dict[str, Counter] = {
    Metric.WON_BACK: won_back,
    Metric.SURVEY_ANSWERS: survey_answers,
    Metric.CONTACTS_TOUCHED: contacts_touched,
}
