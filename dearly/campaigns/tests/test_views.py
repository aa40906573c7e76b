import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.models import Campaign
from dearly.campaigns.tests.helpers import (
    ACTOR,
    TUESDAY,
    business,
    draft,
    member,
    person,
    tagged_segment,
    template,
)
from dearly.conftest import client_for, make_user
from dearly.core.models import Role
from dearly.delivery.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def marketer(db):
    return make_user("mara", role=Role.MARKETER)


def pages(campaign):
    base = f"/campaigns/{campaign.public_id}"
    return ["/campaigns/", "/campaigns/new", f"{base}/", f"{base}/review", f"{base}/edit"]


def test_branch_staff_and_outsiders_are_refused_every_campaign_page(north_staff, outsider):
    campaign = draft(template())
    for user in (north_staff, outsider):
        client = client_for(user)
        for url in pages(campaign):
            assert client.get(url).status_code == 403, url
        assert client.post(f"/campaigns/{campaign.public_id}/launch").status_code == 403


def test_signing_in_is_required(client):
    response = client.get("/campaigns/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_owners_managers_and_marketers_may_work_with_campaigns(owner, manager, marketer):
    campaign = draft(template())
    for user in (owner, manager, marketer):
        client = client_for(user)
        for url in pages(campaign):
            assert client.get(url, follow=True).status_code == 200, (user, url)


def test_creating_a_campaign_goes_on_to_its_review(owner):
    business()
    person("ada@example.com", tags=("regular",))
    person("bob@example.com", tags=("regular",), purpose=None)
    version = template()
    segment = tagged_segment("regular")
    response = client_for(owner).post(
        "/campaigns/new",
        {
            "name": "Winter menu",
            "segment": segment.pk,
            "template": version.template.pk,
            "purpose": "informational",
            "consent_purpose": "newsletter",
            "value": "useful_information",
            "schedule": "window",
        },
        follow=True,
    )
    campaign = Campaign.objects.get()
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.public_id}/review"
    page = response.content.decode()
    assert '<strong id="recipient-count">1</strong>' in page
    assert "1 did not, and get nothing" in page
    assert "Fri and Sun 09:00\N{EN DASH}20:00" in page
    assert "Launch to 1 recipient" in page


def test_a_marketing_campaign_without_a_declared_value_is_sent_back(owner):
    version = template()
    response = client_for(owner).post(
        "/campaigns/new",
        {
            "name": "Just selling",
            "template": version.template.pk,
            "purpose": "promotional",
            "consent_purpose": "marketing",
            "schedule": "now",
        },
    )
    assert response.status_code == 200
    assert "Say what this message gives the reader." in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_review_disables_launch_while_a_check_blocks(owner):
    business(postal_address="")
    person("ada@example.com")
    campaign = draft(template())
    page = client_for(owner).get(f"/campaigns/{campaign.public_id}/review").content.decode()
    assert "Must fix before launching" in page
    assert "disabled>Launch to 1 recipient" in page


def test_launch_is_a_post_with_a_csrf_token(owner):
    business()
    person("ada@example.com")
    campaign = draft(template())
    url = f"/campaigns/{campaign.public_id}/launch"
    assert client_for(owner).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(url).status_code == 403
    assert not OutboxMessage.objects.exists()


def test_launching_from_the_review_shows_the_report(owner):
    business()
    person("ada@example.com")
    person("grace@example.com")
    campaign = draft(template())
    response = client_for(owner).post(f"/campaigns/{campaign.public_id}/launch", follow=True)
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.public_id}/"
    page = response.content.decode()
    assert "Launched: 2 messages in the outbox." in page
    assert '<p class="stat-figure" id="stat-queued">2</p>' in page
    assert OutboxMessage.objects.filter(origin_id=campaign.pk).count() == 2


def test_a_blocked_launch_returns_to_the_review_with_the_reason(owner):
    business(postal_address="")
    person("ada@example.com")
    campaign = draft(template())
    response = client_for(owner).post(f"/campaigns/{campaign.public_id}/launch", follow=True)
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.public_id}/review"
    assert "Fix the errors in the checks before launching." in response.content.decode()


def launched(owner):
    business()
    person("ada@example.com")
    return launch_campaign(actor=ACTOR, member=member(owner), campaign=draft(template()))


def test_the_report_polls_while_messages_are_going_out(owner):
    campaign = launched(owner)
    response = client_for(owner).get(f"/campaigns/{campaign.public_id}/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="live"')
    assert 'hx-trigger="every 3s"' in fragment
    assert "<html" not in fragment


def test_the_report_stops_polling_when_nothing_is_due(owner):
    campaign = launched(owner)
    OutboxMessage.objects.update(status="sent", sent_at=TUESDAY)
    page = client_for(owner).get(f"/campaigns/{campaign.public_id}/").content.decode()
    assert "hx-trigger" not in page
    assert "<svg" in page and "Show these numbers as a table" in page


def test_a_launched_campaign_cannot_be_edited(owner):
    campaign = launched(owner)
    response = client_for(owner).get(f"/campaigns/{campaign.public_id}/edit")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.public_id}/"


def test_stopping_a_campaign_cancels_what_waits(owner):
    campaign = launched(owner)
    client_for(owner).post(f"/campaigns/{campaign.public_id}/cancel")
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == ["cancelled"]


def test_the_list_reads_in_the_same_number_of_queries_however_many_campaigns(
    owner, django_assert_max_num_queries
):
    version = template()
    client = client_for(owner)
    draft(version)
    client.get("/campaigns/")  # warm the session and the user
    with django_assert_max_num_queries(6) as few:  # 6: the nav's open-task count
        client.get("/campaigns/")
    for i in range(5):
        draft(version, name=f"Campaign {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/campaigns/").content.decode()
    assert "Campaign 4" in page


def test_the_review_names_the_send_window_when_windows_are_on(owner):
    business()
    person("ada@example.com")
    campaign = draft(template())
    page = client_for(owner).get(f"/campaigns/{campaign.public_id}/review").content.decode()
    assert "goes only <strong>Fri and Sun 09:00\N{EN DASH}20:00</strong>" in page
    assert "Fri 27 Nov, 09:00" in page
    assert 'id="windows-off"' not in page


@override_settings(SEND_WINDOWS=False)
def test_the_review_says_mail_goes_at_once_when_windows_are_off(owner):
    business()
    person("ada@example.com", time_zone="Europe/London")
    campaign = draft(template())
    page = client_for(owner).get(f"/campaigns/{campaign.public_id}/review").content.decode()
    assert "Send windows are switched off on this installation" in page
    assert "goes <strong>at once</strong>" in page
    assert "Fri and Sun" not in page
    assert "Tue 24 Nov, 10:00" in page  # the first send shown is now, Tuesday


@override_settings(SEND_WINDOWS=False)
def test_the_campaign_form_names_no_window_when_windows_are_off(owner):
    page = client_for(owner).get("/campaigns/new").content.decode()
    assert 'id="windows-off"' in page
    assert "Fri and Sun" not in page


def test_a_scheduled_campaign_says_when_it_starts_not_that_it_was_launched(owner):
    business()
    person("ada@example.com")
    thursday = TUESDAY + dt.timedelta(days=2)
    campaign = draft(template(), schedule="at", send_at=thursday)
    client = client_for(owner)
    response = client.post(f"/campaigns/{campaign.public_id}/launch", follow=True)
    page = response.content.decode()
    assert "Scheduled: 1 message in the outbox, to start Thu 26 Nov, 10:00." in page
    assert "starts Thu 26 Nov 2026, 10:00" in page
    listing = client.get("/campaigns/").content.decode()
    assert "Starts <time" in listing
    assert "Launched" not in listing.split("<tbody>")[1]
    review = client.get(f"/campaigns/{campaign.public_id}/review").content.decode()
    assert "it starts Thu 26 Nov 2026, 10:00" in review


def test_once_its_time_has_come_a_scheduled_campaign_shows_when_it_started(owner):
    business()
    person("ada@example.com")
    thursday = TUESDAY + dt.timedelta(days=2)
    campaign = draft(template(), schedule="at", send_at=thursday)
    launch_campaign(actor=ACTOR, member=member(owner), campaign=campaign)
    with time_machine.travel(thursday + dt.timedelta(hours=3), tick=False):
        listing = client_for(owner).get("/campaigns/").content.decode()
    row = listing.split("<tbody>")[1]
    assert ">Launched</span>" in row  # the status: under way
    assert "Started <time" in row and "3\N{NO-BREAK SPACE}hours ago" in row
