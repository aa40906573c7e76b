import pytest
import time_machine

from dearly.api.tests.helpers import errors_of, post
from dearly.campaigns.launch import cancel_campaign
from dearly.campaigns.models import Campaign
from dearly.campaigns.report import build_report
from dearly.campaigns.tests.helpers import (
    ACTOR,
    TUESDAY,
    business,
    person,
    tagged_segment,
    template,
)
from dearly.core.models import AuditEvent
from dearly.delivery.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_tuesday():
    with time_machine.travel(TUESDAY, tick=False):
        yield


def campaign_body(version, **changes):
    body = {
        "name": "Winter menu",
        "segment": None,
        "template": str(version.template.public_id),
        "purpose": "informational",
        "consent_purpose": "newsletter",
        "value": "useful_information",
        "schedule": "now",
    }
    return {**body, **changes}


def create(api, version, **changes):
    response = post(api, "/api/v1/campaigns", campaign_body(version, **changes))
    assert response.status_code == 201, response.content
    return response.json()


def launch(api, campaign_id):
    return api.post(f"/api/v1/campaigns/{campaign_id}/launch")


def test_creating_a_campaign_answers_201_with_a_draft_and_its_review(api):
    business()
    person("ada@example.com")
    person("eve@example.com", purpose=None)
    version = template()
    body = create(api, version)
    assert (body["status"], body["version"], body["recipients"]) == ("draft", None, 0)
    assert body["template"] == {"id": str(version.template.public_id), "name": "Winter menu"}
    review = body["review"]
    assert (review["version"], review["in_segment"], review["recipients"]) == (1, 2, 1)
    assert (review["without_consent"], review["blocking"]) == (1, False)
    assert review["budget"] == {"max_messages": 2, "days": 7}
    assert AuditEvent.objects.get(action="campaign.created").actor_label == "api key Shop"


def test_a_campaign_can_name_a_segment(api):
    business()
    person("ada@example.com", tags=("regular",))
    person("bob@example.com")
    segment = tagged_segment("regular")
    body = create(api, template(), segment=str(segment.public_id))
    assert body["segment"] == {"id": str(segment.public_id), "name": "Regulars"}
    assert body["review"]["recipients"] == 1


def test_every_problem_with_a_campaign_is_named_at_once(api):
    version = template()
    body = campaign_body(version, name=" ", consent_purpose=None, value=None, schedule="at")
    assert set(errors_of(post(api, "/api/v1/campaigns", body))) == {
        "name",
        "consent_purpose",
        "value",
        "send_at",
    }
    assert not Campaign.objects.exists()


def test_schema_errors_and_unknown_ids_name_their_field(api):
    version = template()
    body = campaign_body(version, purpose="spam", colour="red")
    assert set(errors_of(post(api, "/api/v1/campaigns", body))) == {"purpose", "colour"}
    unknown = "8a1b2c3d-0000-4000-8000-000000000000"
    response = post(api, "/api/v1/campaigns", campaign_body(version, template=unknown))
    assert errors_of(response) == {"template": "no template with this id"}
    response = post(api, "/api/v1/campaigns", campaign_body(version, segment=unknown))
    assert errors_of(response) == {"segment": "no segment with this id"}


def test_launch_writes_one_outbox_row_per_recipient_and_a_second_launch_writes_none(api):
    business()
    ada, grace = person("ada@example.com"), person("grace@example.com")
    person("eve@example.com", purpose=None)
    campaign_id = create(api, template())["id"]
    response = launch(api, campaign_id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"], body["recipients"], body["review"]) == (
        "launched",
        1,
        2,
        None,
    )
    rows = OutboxMessage.objects.filter(origin_type="campaign")
    assert set(rows.values_list("contact_id", flat=True)) == {ada.pk, grace.pk}
    again = launch(api, campaign_id)
    assert (again.status_code, again.json()["recipients"]) == (200, 2)
    assert rows.count() == 2
    assert AuditEvent.objects.filter(action="campaign.launched").count() == 1


def test_a_campaign_with_blocking_checks_is_refused_with_422_and_the_checks(api):
    business(postal_address="")
    person("ada@example.com")
    campaign_id = create(api, template("<p>Hi {{ contact.first_name }}</p>"))["id"]
    response = launch(api, campaign_id)
    assert response.status_code == 422
    body = response.json()
    errors = {c["code"] for c in body["checks"] if c["level"] == "error"}
    assert {"unsubscribe_missing", "postal_address_missing"} <= errors
    assert {e["field"] for e in body["detail"]} == {"template"}
    assert any("unsubscribe link" in e["message"] for e in body["detail"])
    assert not OutboxMessage.objects.exists()
    assert Campaign.objects.get().status == "draft"


def test_a_cancelled_campaign_cannot_be_launched(api):
    business()
    campaign_id = create(api, template())["id"]
    cancel_campaign(actor=ACTOR, campaign=Campaign.objects.get())
    assert launch(api, campaign_id).status_code == 409
    assert not OutboxMessage.objects.exists()


def test_a_scheduled_campaign_waits_for_its_time(api):
    business()
    person("ada@example.com")
    body = create(api, template(), schedule="at", send_at="2026-11-26T09:00:00+00:00")
    launched = launch(api, body["id"]).json()
    assert (launched["status"], launched["send_at"]) == ("scheduled", "2026-11-26T09:00:00Z")
    assert OutboxMessage.objects.get().not_before.isoformat() == "2026-11-26T09:00:00+00:00"


def test_the_report_gives_the_same_counts_as_the_web_report(api):
    business()
    person("ada@example.com")
    person("bob@example.com")
    campaign_id = create(api, template())["id"]
    launch(api, campaign_id)
    OutboxMessage.objects.filter(contact__email="bob@example.com").update(
        status="held", hold_reason="no_consent"
    )
    report = api.get(f"/api/v1/campaigns/{campaign_id}/report").json()
    assert (report["status"], report["total"], report["queued"], report["held"]) == (
        "launched",
        2,
        1,
        1,
    )
    assert report["held_by_reason"] == [
        {"code": "no_consent", "label": "No consent for this purpose", "count": 1, "earliest": None}
    ]
    assert set(report["engagement"]) == {
        "delivered",
        "opened",
        "clicked",
        "bounced",
        "unsubscribed",
        "complained",
    }
    web = build_report(Campaign.objects.get(), now=TUESDAY)
    assert (web.total, web.queued, web.held_total) == (2, 1, 1)


def test_unknown_campaigns_are_404(api):
    unknown = "8a1b2c3d-0000-4000-8000-000000000000"
    assert api.get(f"/api/v1/campaigns/{unknown}").status_code == 404
    assert launch(api, unknown).status_code == 404
    assert api.get(f"/api/v1/campaigns/{unknown}/report").status_code == 404
