import datetime as dt

import pytest
import time_machine

from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.services import CampaignError, Details, update_campaign
from dearly.campaigns.tests.helpers import (
    ACTOR,
    TUESDAY,
    business,
    draft,
    member,
    person,
    template,
)
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def errors_of(version, **kw):
    with pytest.raises(CampaignError) as refused:
        draft(version, **kw)
    return refused.value.errors


def test_a_marketing_campaign_must_say_what_it_gives():
    assert set(errors_of(template(), value="")) == {"value"}


def test_a_marketing_campaign_must_name_the_consent_it_relies_on():
    assert set(errors_of(template(), consent_purpose="")) == {"consent_purpose"}


def test_a_service_campaign_needs_neither_and_drops_the_consent_purpose():
    campaign = draft(template(), purpose="service", consent_purpose="newsletter", value="")
    assert (campaign.consent_purpose, campaign.value) == ("", "")


def test_a_timed_campaign_needs_a_future_time():
    version = template()
    assert set(errors_of(version, schedule="at")) == {"send_at"}
    past = TUESDAY - dt.timedelta(minutes=1)
    assert set(errors_of(version, schedule="at", send_at=past)) == {"send_at"}


def test_a_send_time_is_forgotten_when_the_schedule_is_not_timed():
    campaign = draft(template(), schedule="now", send_at=TUESDAY + dt.timedelta(days=1))
    assert campaign.send_at is None


def test_a_blank_name_is_refused():
    assert "name" in errors_of(template(), name="   ")


def test_creating_and_changing_a_draft_is_audited_with_what_changed():
    version = template()
    campaign = draft(version)
    details = Details(
        name="Winter menu, take two",
        template=version.template,
        purpose="informational",
        consent_purpose="newsletter",
        value="inspiration",
    )
    update_campaign(actor=ACTOR, campaign=campaign, details=details)
    events = list(AuditEvent.objects.filter(subject_type="campaign").order_by("id"))
    assert [e.action for e in events] == ["campaign.created", "campaign.updated"]
    assert events[1].new == {"name": "Winter menu, take two", "value": "inspiration"}


def test_a_launched_campaign_cannot_be_changed(owner):
    business()
    person("ada@example.com")
    version = template()
    campaign = launch_campaign(actor=ACTOR, member=member(owner), campaign=draft(version))
    details = Details(
        name="Changed", template=version.template, purpose="service", consent_purpose=""
    )
    with pytest.raises(CampaignError):
        update_campaign(actor=ACTOR, campaign=campaign, details=details)
    campaign.refresh_from_db()
    assert campaign.name == "Winter menu"
