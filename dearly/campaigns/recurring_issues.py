"""The chore that turns a series' dates into campaigns, once each.

Every minute (core.chores), for each active series whose next issue is due:
1. List the dates that fell due since the last run (normally one). When the workers were all
   down, only the latest missed date may still go, and only if it is less than a day late;
   every other missed date is written as a skipped issue with a note, never silently dropped.
2. Create the issue row and its draft Campaign ("<series> — 3 Dec 2026") in one transaction.
   The unique (series, issue_date) constraint lets exactly one worker win; a second one gets
   an IntegrityError, and its campaign is rolled back with it.
3. Move the series' next_issue_at past now.
Then, for each issue still pending (including one a dead worker left between 2 and the
launch), under its row lock:
4. Review the campaign as a person would; a blocking problem (a failing check, a broken
   segment, nobody to send to) leaves the campaign a draft and the reason on the issue.
5. Otherwise launch it through campaigns.launch, which launches a draft only once.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.models import (
    Campaign,
    CampaignStatus,
    IssueStatus,
    Series,
    SeriesIssue,
    SeriesStatus,
)
from dearly.campaigns.recurring_rule import issues_after, local_date, next_issue_at, parse_rule
from dearly.campaigns.review import build_review
from dearly.campaigns.services import CampaignError
from dearly.core.access import business_member
from dearly.core.actor import Actor
from dearly.core.models import Membership

log = logging.getLogger("dearly.campaigns.series")

CHORE = "campaigns.series"
EVERY = dt.timedelta(minutes=1)
LATE_LIMIT = dt.timedelta(days=1)
MISSED_SHOWN = 50  # a series down for years records its latest missed dates, not all of them
ACTOR = Actor.system("recurring series")


def system_member() -> Membership:
    """Who an issue is launched as: the business itself (decided in core.access). Every role
    that may send campaigns sees all branches, so an issue reaches what its series' author saw
    when setting it up."""
    return business_member()


def run(now: dt.datetime) -> int:
    """The chore: create what is due, then launch what is pending. Returns issues handled."""
    done = sum(create_due(series, now=now) for series in due_series(now))
    pending = SeriesIssue.objects.filter(status=IssueStatus.PENDING, due_at__lte=now)
    for issue_id in pending.order_by("due_at").values_list("pk", flat=True):
        done += launch_issue(issue_id, now=now)
    return done


def due_series(now: dt.datetime) -> list[Series]:
    return list(
        Series.objects.filter(status=SeriesStatus.ACTIVE, next_issue_at__lte=now).select_related(
            "template", "segment"
        )
    )


def create_due(series: Series, *, now: dt.datetime) -> int:
    """Steps 1-3 for one series; returns how many issue rows this call wrote."""
    assert series.next_issue_at is not None
    rule = parse_rule(series.rule)
    due = [series.next_issue_at]
    for instant in issues_after(rule, series.next_issue_at):
        if instant > now:
            break
        due.append(instant)
    *missed, latest = due
    written = 0
    for instant in missed[-MISSED_SHOWN:]:
        note = "Skipped: the workers were not running when it was due, and a later issue was."
        written += _create(series, instant, status=IssueStatus.SKIPPED, note=note)
    if now - latest < LATE_LIMIT:
        written += _create(series, latest, status=IssueStatus.PENDING)
    else:
        note = "Skipped: the workers were not running when it was due, and by the time they "
        note += "were it was more than a day late."
        written += _create(series, latest, status=IssueStatus.SKIPPED, note=note)
    Series.objects.filter(pk=series.pk, next_issue_at=series.next_issue_at).update(
        next_issue_at=next_issue_at(rule, now)
    )
    return written


def issue_name(series: Series, day: dt.date) -> str:
    return f"{series.name} \N{EM DASH} {day.day} {day:%b %Y}"


def _create(series: Series, due_at: dt.datetime, *, status: str, note: str = "") -> int:
    day = local_date(due_at)
    try:
        with transaction.atomic():
            campaign = None
            if status == IssueStatus.PENDING:
                campaign = Campaign.objects.create(
                    name=issue_name(series, day),
                    segment=series.segment,
                    template=series.template,
                    purpose=series.purpose,
                    consent_purpose=series.consent_purpose,
                    value=series.value,
                    schedule=series.schedule,
                    created_by_id=series.created_by_id,
                )
            SeriesIssue.objects.create(
                series=series,
                issue_date=day,
                due_at=due_at,
                campaign=campaign,
                status=status,
                note=note,
            )
    except IntegrityError:  # another worker created this issue first
        return 0
    log.info("series.issue_created series=%s date=%s status=%s", series.pk, day, status)
    return 1


def launch_issue(issue_id: int, *, now: dt.datetime) -> int:
    """Steps 4-5 for one issue; 1 when this call decided it, 0 when another worker had it."""
    with transaction.atomic():
        issue = (
            SeriesIssue.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("campaign", "campaign__template", "campaign__segment")
            .filter(pk=issue_id, status=IssueStatus.PENDING)
            .first()
        )
        if issue is None or issue.campaign is None:
            return 0
        campaign = issue.campaign
        problem = ""
        if campaign.status == CampaignStatus.CANCELLED:
            problem = "The campaign was cancelled before it was launched."
        elif campaign.is_draft:
            problem = _blocking_problem(campaign, now=now)
        if not problem and campaign.is_draft:
            try:
                launch_campaign(actor=ACTOR, member=system_member(), campaign=campaign)
            except CampaignError as e:
                problem = str(e)
        issue.status = IssueStatus.BLOCKED if problem else IssueStatus.LAUNCHED
        issue.note = problem
        issue.save(update_fields=["status", "note", "updated_at"])
    log.info("series.issue_%s issue=%s", issue.status, issue.pk)
    return 1


def _blocking_problem(campaign: Campaign, *, now: dt.datetime) -> str:
    review = build_review(system_member(), campaign, now=now)
    if review.problem:
        return review.problem
    if review.blocking:
        return "The template's checks failed: " + "; ".join(c.message for c in review.errors)
    if not review.recipients:
        return "Nobody in the audience may receive it (no one consented to this purpose)."
    return ""
