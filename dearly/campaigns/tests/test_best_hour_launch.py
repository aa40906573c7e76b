"""A campaign sent "in each recipient's window" asks the gate for each person's usual hour."""

import pytest
import time_machine

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.review import build_review
from dearly.campaigns.tests.helpers import ACTOR, TUESDAY, business, draft, member, person, template
from dearly.conftest import client_for
from dearly.delivery.claim import claim_batch
from dearly.delivery.models import OutboxMessage
from dearly.tracking.models import UsualHour

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("schedule", "best_hour"), [("window", True), ("now", False)])
def test_launch_marks_rows_for_the_usual_hour_only_in_window_mode(owner, schedule, best_hour):
    business()
    person("ada@example.com")
    with time_machine.travel(TUESDAY, tick=False):
        campaign = draft(template(), schedule=schedule, purpose="promotional")
        launch_campaign(actor=ACTOR, member=member(owner), campaign=campaign)
    assert list(OutboxMessage.objects.values_list("best_hour", flat=True)) == [best_hour]


def test_a_window_campaign_reaches_a_regular_evening_reader_in_the_evening(owner):
    business()
    ada = person("ada@example.com")
    UsualHour.objects.create(contact=ada, hour=19, events=5, computed_at=TUESDAY)
    with time_machine.travel(TUESDAY, tick=False):
        campaign = draft(template(), schedule="window", purpose="promotional")
        launch_campaign(actor=ACTOR, member=member(owner), campaign=campaign)
        assert claim_batch(size=10, now=TUESDAY) == []
    message = OutboxMessage.objects.get()
    assert message.not_before == TUESDAY.replace(hour=19)
    assert message.defer_reason == "window"


def test_the_review_counts_recipients_with_a_usual_hour_in_window_mode(owner):
    business()
    ada = person("ada@example.com")
    person("grace@example.com")
    UsualHour.objects.create(contact=ada, hour=19, events=5, computed_at=TUESDAY)
    with time_machine.travel(TUESDAY, tick=False):
        window = draft(template(), schedule="window", purpose="promotional")
        now = draft(template(name="Other"), schedule="now", purpose="promotional")
        assert build_review(member(owner), window, now=TUESDAY).usual_hours == 1
        assert build_review(member(owner), now, now=TUESDAY).usual_hours is None
        page = client_for(owner).get(f"/campaigns/{window.public_id}/review").text
    assert "usually reads at a particular hour" in page
