"""Reads of recurring series: like campaigns, they belong to the business and need the
capability to send campaigns."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from dearly.campaigns.models import Series, SeriesIssue
from dearly.campaigns.recurring_rule import RuleError, parse_rule, upcoming
from dearly.core.access import Can, require
from dearly.core.models import Membership

UPCOMING_SHOWN = 6
ISSUES_SHOWN = 100


def series_for_member(member: Membership) -> QuerySet[Series]:
    require(member, Can.SEND_CAMPAIGNS)
    return Series.objects.select_related("segment", "template")


def get_series_for_member(member: Membership, public_id: UUID | str) -> Series:
    try:
        return series_for_member(member).get(public_id=public_id)
    except (Series.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such series") from None


def upcoming_dates(
    series: Series, *, now: dt.datetime, count: int = UPCOMING_SHOWN
) -> list[dt.datetime]:
    """The next issue dates; none while paused."""
    if not series.is_active:
        return []
    try:
        rule = parse_rule(series.rule)
    except RuleError:
        return []
    start = min(now, series.next_issue_at) if series.next_issue_at else now
    return upcoming(rule, start - dt.timedelta(microseconds=1), count)


def issues_of(series: Series) -> list[SeriesIssue]:
    return list(
        series.issues.select_related("campaign").order_by("-issue_date", "-id")[:ISSUES_SHOWN]
    )


@dataclass(frozen=True, slots=True)
class Row:
    series: Series
    next_at: dt.datetime | None
    last: SeriesIssue | None


def list_rows(member: Membership) -> list[Row]:
    """Each series with its next date and its latest issue, in two queries."""
    found = list(series_for_member(member)[:200])
    latest: dict[int, SeriesIssue] = {}
    issues = SeriesIssue.objects.filter(series__in=found).select_related("campaign")
    for issue in issues.order_by("series_id", "-issue_date"):
        latest.setdefault(issue.series_id, issue)
    return [Row(s, s.next_issue_at if s.is_active else None, latest.get(s.pk)) for s in found]
