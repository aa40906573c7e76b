"""The demo's story: playbooks installed, a few weeks of history, figures ready on first start."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from dearly.campaigns.models import Campaign
from dearly.conversions.models import ContactEvent
from dearly.delivery.models import OutboxMessage, Status
from dearly.journeys.models import Enrollment, StepRun
from dearly.plans.models import Plan
from dearly.rhythms.models import Snapshot
from dearly.touches.models import Kind, Task, Touch
from dearly.tracking.models import MessageEvent
from dearly.web.models import Figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve", "--customers", "40")
    return timezone.now()


def test_the_demo_tells_a_story_on_first_start(demo):
    # Playbooks installed, their plans under way.
    assert set(Plan.objects.values_list("playbook", flat=True)) >= {"welcome", "win-back"}
    figures = Figures.objects.get(scope="all").data
    assert any(p["share"] > 0 for p in figures["plans"])
    # Somebody is overdue, in more than one branch.
    overdue = {s.branch_id for s in Snapshot.objects.filter(overdue__gt=0)}
    assert len(overdue) >= 2
    # Contacts part-way through journeys, at more than one step.
    active = Enrollment.objects.filter(status="active")
    assert active.values("step_id").distinct().count() >= 2
    assert StepRun.objects.filter(enrollment__status="active").exists()  # steps passed
    assert OutboxMessage.objects.filter(origin_type="journey", status=Status.SENT).exists()
    # Touches this month, of several kinds; opens and clicks on the sent campaigns.
    month = timezone.localtime(demo).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    kinds = set(
        Touch.objects.filter(occurred_at__gte=month - dt.timedelta(days=31)).values_list(
            "kind", flat=True
        )
    )
    assert {Kind.MESSAGE, Kind.CALL, Kind.REPLY, Kind.PURCHASE} <= kinds
    assert MessageEvent.objects.filter(kind="opened").exists()
    assert MessageEvent.objects.filter(kind="clicked").exists()
    # Purchases attributed to the campaign that came before them.
    assert ContactEvent.objects.filter(name="purchase", origin_type="campaign").exists()
    assert Task.objects.filter(status="open").exists()
    assert figures["held"] and figures["deferred"]
    assert Campaign.objects.filter(status="scheduled").exists()


def test_the_worker_finds_no_history_to_send(demo):
    """History is already sent; what waits (the budget, the scheduled campaign, journeys in a
    wait) is due later, so the demo's worker sends nothing of the past on first start."""
    assert not OutboxMessage.objects.filter(status=Status.QUEUED, not_before__lte=demo).exists()
    assert OutboxMessage.objects.filter(status=Status.SENT, sent_at__lt=demo).count() > 10
    assert not Enrollment.objects.filter(status="active", next_run_at__lte=demo).exists()


def test_a_second_run_reuses_the_story(demo, capsys):
    counts = (Touch.objects.count(), Enrollment.objects.count(), Plan.objects.count())
    call_command("demo", "--no-serve")
    assert "Using the data already there" in capsys.readouterr().out
    assert (Touch.objects.count(), Enrollment.objects.count(), Plan.objects.count()) == counts
