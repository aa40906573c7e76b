import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.review import build_review
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
from dearly.contacts.models import Contact
from dearly.delivery.claim import claim_batch
from dearly.delivery.models import DeliverySettings, OutboxMessage
from dearly.delivery.outbox import enqueue_one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def review(user, campaign):
    return build_review(member(user), campaign, now=TUESDAY)


def test_the_audience_is_counted_after_consent(owner):
    business()
    person("ada@example.com", tags=("regular",))
    person("grace@example.com", tags=("regular",))
    person("bob@example.com", tags=("regular",), purpose="marketing")
    person("eve@example.com", tags=("regular",), purpose=None)
    person("dan@example.com")  # consented, but not in the segment
    result = review(owner, draft(template(), segment=tagged_segment("regular")))
    assert (result.in_segment, result.recipients, result.without_consent) == (4, 2, 2)


def test_recipients_without_an_email_address_are_counted(owner):
    business()
    person("ada@example.com")
    lost = person("lost@example.com")
    Contact.objects.filter(pk=lost.pk).update(email=None)  # removed after they consented
    result = review(owner, draft(template()))
    assert (result.recipients, result.without_email) == (2, 1)


def test_recipients_lacking_a_name_get_the_friendly_wording(owner):
    business()
    person("ada@example.com")
    person("nameless@example.com", first_name="")
    person("also-nameless@example.com", first_name="")
    person("no-consent@example.com", first_name="", purpose=None)
    [gap] = review(owner, draft(template())).gaps
    assert (gap.field, gap.count, gap.fallback) == ("contact.first_name", 2, "there")


def test_recipients_lacking_a_name_are_held_when_the_template_says_so(owner):
    business()
    person("nameless@example.com", first_name="")
    [gap] = review(owner, draft(template(policy="hold"))).gaps
    assert (gap.label, gap.count, gap.fallback) == ("first name", 1, "")


def test_no_gap_is_reported_when_everyone_has_the_details(owner):
    business()
    person("ada@example.com")
    assert review(owner, draft(template())).gaps == []


def test_warnings_are_shown_without_blocking(owner):
    business()
    person("ada@example.com")
    long_subject = "A subject line that goes on and on well past what any phone can show"
    result = review(owner, draft(template(subject=long_subject)))
    assert [c.code for c in result.warnings] == ["subject_long"]
    assert not result.blocking


def test_errors_block(owner):
    business(postal_address="")
    person("ada@example.com")
    result = review(owner, draft(template()))
    assert "postal_address_missing" in [c.code for c in result.errors]
    assert result.blocking


def test_recipients_already_at_their_contact_budget_are_counted(owner):
    business()
    DeliverySettings.objects.create(pk=1, budget_max=2, budget_days=7)
    busy, quiet = person("busy@example.com"), person("quiet@example.com")
    for contact, times in ((busy, 2), (quiet, 1)):
        for _ in range(times):
            message, _ = enqueue_one(
                contact=contact, origin_type="test", purpose="promotional", template_version_id=1
            )
            sent = OutboxMessage.objects.filter(pk=message.pk)
            sent.update(status="sent", sent_at=TUESDAY - dt.timedelta(days=1))
    result = review(owner, draft(template()))
    assert result.budget is not None
    assert (result.budget.budget_max, result.at_budget) == (2, 1)


def test_a_service_campaign_shows_no_budget(owner):
    business()
    person("ada@example.com")
    campaign = draft(template(), purpose="service", value="")
    assert review(owner, campaign).budget is None


def test_the_schedule_is_explained_in_each_recipients_time(owner):
    business()
    person("ada@example.com", time_zone="Europe/London")
    person("kamal@example.com", time_zone="Asia/Kathmandu")
    result = review(owner, draft(template()))
    assert result.window == "Fri and Sun 09:00\N{EN DASH}20:00"
    starts = {z.time_zone: z.first_send for z in result.zones}
    # Friday 09:00 local: 09:00 in London, 03:15 UTC in Kathmandu (+05:45).
    assert starts["Europe/London"] == dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    assert starts["Asia/Kathmandu"] == dt.datetime(2026, 11, 27, 3, 15, tzinfo=dt.UTC)
    assert starts["Asia/Kathmandu"].strftime("%H:%M") == "09:00"


def test_a_promotional_campaign_may_start_at_once_inside_its_window(owner):
    business()
    person("ada@example.com", purpose="marketing")
    campaign = draft(template(), purpose="promotional", consent_purpose="marketing", value="offer")
    result = review(owner, campaign)
    assert result.window == "Tue\N{EN DASH}Thu 09:00\N{EN DASH}20:00"
    assert [z.first_send for z in result.zones] == [TUESDAY]


@override_settings(SEND_WINDOWS=False)
def test_with_send_windows_off_the_review_says_an_informational_campaign_goes_at_once(owner):
    business()
    person("ada@example.com", time_zone="Europe/London")
    person("kamal@example.com", time_zone="Asia/Kathmandu")
    result = review(owner, draft(template(), schedule="window"))
    assert (result.windows_on, result.window) == (False, "any time")
    assert [z.first_send for z in result.zones] == [TUESDAY, TUESDAY]
    assert result.usual_hours is None  # nobody waits for a usual hour without windows


@override_settings(SEND_WINDOWS=False)
def test_with_send_windows_off_the_first_send_shown_is_when_the_outbox_sends(owner):
    business()
    person("ada@example.com", time_zone="Europe/London")
    campaign = draft(template())
    [zone_start] = review(owner, campaign).zones
    launch_campaign(actor=ACTOR, member=member(owner), campaign=campaign)
    claimed = claim_batch(size=10, now=TUESDAY)
    assert [c.id for c in claimed] == list(OutboxMessage.objects.values_list("pk", flat=True))
    assert zone_start.first_send == TUESDAY


def test_with_send_windows_on_the_outbox_waits_for_the_first_send_shown(owner):
    business()
    person("ada@example.com", time_zone="Europe/London")
    campaign = draft(template())
    [zone_start] = review(owner, campaign).zones
    launch_campaign(actor=ACTOR, member=member(owner), campaign=campaign)
    assert claim_batch(size=10, now=TUESDAY) == []
    assert OutboxMessage.objects.get().not_before == zone_start.first_send
