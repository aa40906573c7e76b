"""The series chore: each issue date becomes one campaign, launched once, or says why not."""

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection

from dearly.campaigns.models import Campaign, IssueStatus, Series, SeriesIssue
from dearly.campaigns.recurring import create_series, set_series_status
from dearly.campaigns.recurring_issues import CHORE, run
from dearly.campaigns.tests.helpers import ACTOR, business, person, template
from dearly.core.chores import run_due
from dearly.delivery.models import OutboxMessage

pytestmark = pytest.mark.django_db

RULE = {"weekdays": [3], "nths": [1, 3], "time": "09:00"}
CREATED = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)  # a Wednesday
DUE = dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)  # the first Thursday, 09:00 in London
NEXT = dt.datetime(2026, 12, 17, 9, tzinfo=dt.UTC)


def newsletter(**kw: Any) -> Series:
    kw.setdefault("rule", RULE)
    with time_machine.travel(CREATED, tick=False):
        return create_series(
            actor=ACTOR,
            name="The newsletter",
            template=template().template,
            purpose="informational",
            consent_purpose="newsletter",
            value="useful_information",
            **kw,
        )


def chore(at: dt.datetime) -> int:
    with time_machine.travel(at, tick=False):
        return run(at)


def sent_rows(campaign: Campaign) -> int:
    return OutboxMessage.objects.filter(origin_type="campaign", origin_id=campaign.pk).count()


def test_a_new_series_knows_its_first_issue() -> None:
    business()
    assert newsletter().next_issue_at == DUE


def test_nothing_happens_before_the_issue_is_due() -> None:
    business()
    person("ada@example.com")
    newsletter()
    assert chore(DUE - dt.timedelta(minutes=1)) == 0
    assert not Campaign.objects.exists()


def test_the_due_issue_becomes_one_launched_campaign_even_when_run_twice() -> None:
    business()
    person("ada@example.com")
    person("grace@example.com")
    series = newsletter()
    chore(DUE)
    chore(DUE + dt.timedelta(minutes=1))
    issue = SeriesIssue.objects.get()
    assert (issue.issue_date, issue.status, issue.note) == (dt.date(2026, 12, 3), "launched", "")
    assert issue.campaign is not None
    assert issue.campaign.name == "The newsletter \N{EM DASH} 3 Dec 2026"
    assert issue.campaign.status == "launched"
    assert issue.campaign.launched_by is None
    assert sent_rows(issue.campaign) == 2
    assert Campaign.objects.count() == 1
    series.refresh_from_db()
    assert series.next_issue_at == NEXT


def test_the_registered_chore_runs_the_series() -> None:
    business()
    person("ada@example.com")
    newsletter()
    with time_machine.travel(DUE, tick=False):
        run_due(DUE, names={CHORE})
    assert SeriesIssue.objects.get().status == "launched"


def test_each_date_gets_its_own_campaign() -> None:
    business()
    person("ada@example.com")
    newsletter()
    chore(DUE)
    chore(NEXT)
    names = sorted(Campaign.objects.values_list("name", flat=True))
    assert names == ["The newsletter — 17 Dec 2026", "The newsletter — 3 Dec 2026"]


def test_a_blocked_review_leaves_the_issue_a_draft_with_the_reason() -> None:
    business(postal_address="")  # the footer check refuses marketing without an address
    person("ada@example.com")
    newsletter()
    chore(DUE)
    issue = SeriesIssue.objects.get()
    assert issue.status == IssueStatus.BLOCKED
    assert "postal address" in issue.note.lower()
    assert issue.campaign is not None and issue.campaign.status == "draft"
    assert not OutboxMessage.objects.exists()
    chore(DUE + dt.timedelta(minutes=5))  # not retried behind the owner's back
    assert SeriesIssue.objects.get().status == IssueStatus.BLOCKED
    assert not OutboxMessage.objects.exists()


def test_an_issue_nobody_may_receive_is_blocked_not_launched_empty() -> None:
    business()
    person("eve@example.com", purpose=None)
    newsletter()
    chore(DUE)
    issue = SeriesIssue.objects.get()
    assert issue.status == IssueStatus.BLOCKED
    assert "nobody" in issue.note.lower()


def test_a_paused_series_creates_nothing_and_resumes_from_the_next_date() -> None:
    business()
    person("ada@example.com")
    series = newsletter()
    set_series_status(actor=ACTOR, series=series, status="paused")
    assert chore(DUE) == 0
    assert not SeriesIssue.objects.exists()
    with time_machine.travel(DUE + dt.timedelta(hours=1), tick=False):
        resumed = set_series_status(actor=ACTOR, series=series, status="active")
    assert resumed.next_issue_at == NEXT
    assert chore(DUE + dt.timedelta(hours=2)) == 0
    assert not Campaign.objects.exists()


def test_after_an_outage_only_the_latest_missed_issue_goes_when_less_than_a_day_late() -> None:
    business()
    person("ada@example.com")
    newsletter()
    chore(NEXT + dt.timedelta(hours=3))  # workers down from before 3 Dec until after 17 Dec
    issues = {i.issue_date.day: i for i in SeriesIssue.objects.all()}
    assert issues[3].status == IssueStatus.SKIPPED and issues[3].campaign is None
    assert "later issue" in issues[3].note
    assert issues[17].status == IssueStatus.LAUNCHED
    assert Campaign.objects.count() == 1


def test_an_issue_more_than_a_day_late_is_skipped_with_a_note() -> None:
    business()
    person("ada@example.com")
    series = newsletter()
    chore(DUE + dt.timedelta(days=1, minutes=1))
    issue = SeriesIssue.objects.get()
    assert issue.status == IssueStatus.SKIPPED
    assert "more than a day late" in issue.note
    assert not Campaign.objects.exists()
    series.refresh_from_db()
    assert series.next_issue_at == NEXT


def test_a_pending_issue_left_by_a_dead_worker_is_launched_next_time() -> None:
    business()
    person("ada@example.com")
    newsletter()
    chore(DUE)
    issue = SeriesIssue.objects.get()
    assert issue.campaign is not None
    # As if the worker died after creating the issue, before launching it.
    Campaign.objects.filter(pk=issue.campaign.pk).update(status="draft", launched_at=None)
    OutboxMessage.objects.all().delete()
    SeriesIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.PENDING)
    chore(DUE + dt.timedelta(minutes=1))
    issue.refresh_from_db()
    assert issue.status == IssueStatus.LAUNCHED
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_chore_at_once_create_and_launch_each_issue_once(
    requires_postgres: None,
) -> None:
    business()
    for i in range(10):
        person(f"p{i}@example.com")
    newsletter()
    start = threading.Barrier(3)
    failures: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            run(DUE + dt.timedelta(seconds=5))
        except BaseException as e:  # reported by the assertion below
            failures.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert SeriesIssue.objects.count() == 1
    assert SeriesIssue.objects.get().status == IssueStatus.LAUNCHED
    campaign = Campaign.objects.get()
    assert campaign.status == "launched"
    assert sent_rows(campaign) == 10
