import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dearly.campaigns.launch import cancel_campaign, launch_campaign
from dearly.campaigns.services import CampaignError
from dearly.campaigns.tests.helpers import (
    ACTOR,
    TUESDAY,
    business,
    draft,
    member,
    new_version,
    person,
    tagged_segment,
    template,
)
from dearly.core.models import AuditEvent
from dearly.delivery.models import OutboxMessage

pytestmark = pytest.mark.django_db


def launch(user, campaign):
    return launch_campaign(actor=ACTOR, member=member(user), campaign=campaign)


def rows(campaign):
    return OutboxMessage.objects.filter(origin_type="campaign", origin_id=campaign.pk)


@pytest.fixture(autouse=True)
def _frozen_tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def test_launch_writes_one_row_per_consenting_recipient_with_the_bound_version(owner):
    business()
    ada, grace = person("ada@example.com"), person("grace@example.com")
    person("bob@example.com", purpose="marketing")  # agreed to offers, not the newsletter
    person("eve@example.com", purpose=None)
    version = template()
    campaign = launch(owner, draft(version))
    assert campaign.status == "launched"
    assert campaign.version == version
    assert campaign.recipients == 2
    assert set(rows(campaign).values_list("contact_id", flat=True)) == {ada.pk, grace.pk}
    assert set(
        rows(campaign).values_list(
            "template_version_id", "purpose", "consent_purpose", "not_before", "status"
        )
    ) == {(version.pk, "informational", "newsletter", TUESDAY, "queued")}


def test_launch_fans_out_with_one_insert_whatever_the_audience_size(owner):
    business()
    for i in range(30):
        person(f"p{i}@example.com")
    campaign = draft(template())
    with CaptureQueriesContext(connection) as queries:
        launch(owner, campaign)
    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"] and "outbox" in q["sql"]]
    assert len(inserts) == 1
    assert rows(campaign).count() == 30


def test_only_the_segment_is_reached(owner):
    business()
    regular = person("ada@example.com", tags=("regular",))
    person("grace@example.com")
    campaign = launch(owner, draft(template(), segment=tagged_segment("regular")))
    assert list(rows(campaign).values_list("contact_id", flat=True)) == [regular.pk]


def test_a_second_launch_writes_nothing(owner):
    business()
    person("ada@example.com")
    campaign = draft(template())
    launch(owner, campaign)
    again = launch(owner, campaign)
    assert again.recipients == 1
    assert rows(campaign).count() == 1
    assert AuditEvent.objects.filter(action="campaign.launched").count() == 1


def test_editing_the_template_after_launch_leaves_the_bound_version(owner):
    business()
    person("ada@example.com")
    version = template()
    campaign = launch(owner, draft(version))
    newer = new_version(version.template, "<p>Other words {{ links.unsubscribe_url }}</p>")
    campaign.refresh_from_db()
    assert newer.number == 2
    assert campaign.version_id == version.pk
    assert set(rows(campaign).values_list("template_version_id", flat=True)) == {version.pk}


def test_launch_binds_the_latest_version_saved_before_it(owner):
    business()
    person("ada@example.com")
    version = template()
    campaign = draft(version)
    html = "<a href='{{ links.unsubscribe_url }}'>Unsubscribe</a> {{ business.postal_address }}"
    newer = new_version(version.template, html)
    assert launch(owner, campaign).version == newer


def test_a_blocking_check_refuses_the_launch_and_writes_nothing(owner):
    business(postal_address="")  # marketing email must show a postal address
    person("ada@example.com")
    campaign = draft(template())
    with pytest.raises(CampaignError):
        launch(owner, campaign)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert campaign.version is None
    assert not rows(campaign).exists()


def test_a_promotional_campaign_without_an_unsubscribe_link_is_refused(owner):
    business()
    person("ada@example.com", purpose="marketing")
    version = template("<p>Buy now</p> {{ business.postal_address }}")
    campaign = draft(version, purpose="promotional", consent_purpose="marketing", value="offer")
    with pytest.raises(CampaignError):
        launch(owner, campaign)
    assert not rows(campaign).exists()


def test_a_service_message_goes_to_everyone_in_the_segment_without_consent(owner):
    business()
    person("ada@example.com", purpose=None, tags=("booked",))
    version = template("<p>Your table is ready, {{ contact.first_name }}.</p>")
    campaign = draft(
        version,
        purpose="service",
        consent_purpose="newsletter",
        value="",
        segment=tagged_segment("booked"),
    )
    launch(owner, campaign)
    assert list(rows(campaign).values_list("purpose", "consent_purpose", "priority")) == [
        ("service", "", 50)
    ]


def test_a_campaign_at_a_time_queues_its_rows_for_then_and_is_scheduled(owner):
    business()
    person("ada@example.com")
    at = TUESDAY + dt.timedelta(days=3)
    campaign = launch(owner, draft(template(), schedule="at", send_at=at))
    assert campaign.status == "scheduled"
    assert set(rows(campaign).values_list("not_before", flat=True)) == {at}


def test_a_send_time_that_has_passed_by_launch_is_refused(owner):
    business()
    person("ada@example.com")
    campaign = draft(template(), schedule="at", send_at=TUESDAY + dt.timedelta(hours=1))
    later = time_machine.travel(TUESDAY + dt.timedelta(hours=2), tick=False)
    with later, pytest.raises(CampaignError) as refused:
        launch(owner, campaign)
    assert "send_at" in refused.value.errors
    assert not rows(campaign).exists()


def test_branch_staff_may_not_launch(owner, north_staff):
    business()
    campaign = draft(template())
    with pytest.raises(PermissionDenied):
        launch(north_staff, campaign)
    assert not rows(campaign).exists()


def test_cancel_stops_waiting_messages_and_leaves_sent_ones(owner):
    business()
    for email in ("ada@example.com", "grace@example.com", "bob@example.com"):
        person(email)
    campaign = launch(owner, draft(template()))
    first = rows(campaign).order_by("id").first()
    assert first is not None
    rows(campaign).filter(pk=first.pk).update(status="sent", sent_at=TUESDAY)
    assert cancel_campaign(actor=ACTOR, campaign=campaign) == 2
    campaign.refresh_from_db()
    assert campaign.status == "cancelled"
    assert sorted(rows(campaign).values_list("status", flat=True)) == [
        "cancelled",
        "cancelled",
        "sent",
    ]
    assert cancel_campaign(actor=ACTOR, campaign=campaign) == 0


def test_a_cancelled_draft_can_no_longer_be_launched(owner):
    business()
    person("ada@example.com")
    campaign = draft(template())
    cancel_campaign(actor=ACTOR, campaign=campaign)
    assert launch(owner, campaign).status == "cancelled"
    assert not rows(campaign).exists()


@pytest.mark.django_db(transaction=True)
def test_two_launches_at_the_same_moment_write_the_rows_once(requires_postgres, owner):
    business()
    for i in range(20):
        person(f"p{i}@example.com")
    campaign = draft(template())
    start = threading.Barrier(2)

    def click() -> None:
        start.wait()
        try:
            launch(owner, campaign)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert rows(campaign).count() == 20
    assert AuditEvent.objects.filter(action="campaign.launched").count() == 1
