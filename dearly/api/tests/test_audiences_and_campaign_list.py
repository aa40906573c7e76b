"""Segments with counts, tags with counts, and the list of campaigns."""

import pytest

from dearly.audiences.models import Segment
from dearly.campaigns.services import Details, create_campaign
from dearly.campaigns.tests.helpers import ACTOR, tagged_segment, template
from dearly.conftest import make_contact

pytestmark = pytest.mark.django_db


def test_segments_are_listed_with_how_many_contacts_are_in_each(api, north, south):
    make_contact(email="a@example.com", tags=("vip",), branch=north)
    make_contact(email="b@example.com", tags=("vip",), branch=south)
    make_contact(email="c@example.com")
    segment = tagged_segment("vip")
    response = api.get("/api/v1/segments")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["id"], item["name"], item["count"], item["problem"]) == (
        str(segment.public_id),
        "Regulars",
        2,  # every branch: a key acts for the whole business
        "",
    )


def test_a_segment_whose_rules_broke_has_no_count_and_says_why(api):
    segment = tagged_segment("vip")
    rules = {"match": "all", "rules": [{"field": "custom.gone", "op": "is", "value": "x"}]}
    Segment.objects.filter(pk=segment.pk).update(rules=rules)
    [item] = api.get("/api/v1/segments").json()["items"]
    assert item["count"] is None
    assert item["problem"]


def test_tags_are_listed_with_how_many_contacts_have_each(api):
    make_contact(email="a@example.com", tags=("vip", "local"))
    make_contact(email="b@example.com", tags=("vip",))
    items = api.get("/api/v1/tags").json()["items"]
    assert items == [{"name": "local", "contacts": 1}, {"name": "vip", "contacts": 2}]


def draft(name: str) -> None:
    version = template(name=f"{name} template")
    details = Details(name=name, template=version.template, purpose="service")
    create_campaign(actor=ACTOR, details=details)


def test_campaigns_are_listed_newest_first_a_page_at_a_time(api):
    for name in ("Autumn", "Winter", "Spring"):
        draft(name)
    first = api.get("/api/v1/campaigns?limit=2").json()
    assert [c["name"] for c in first["items"]] == ["Spring", "Winter"]
    assert first["items"][0]["status"] == "draft"
    assert first["items"][0]["sent"] == 0
    rest = api.get(f"/api/v1/campaigns?limit=2&offset={first['next_offset']}").json()
    assert [c["name"] for c in rest["items"]] == ["Autumn"]
    assert rest["next_offset"] is None


def test_campaigns_can_be_filtered_by_status(api):
    draft("Autumn")
    assert api.get("/api/v1/campaigns?status=launched").json()["items"] == []
    assert len(api.get("/api/v1/campaigns?status=draft").json()["items"]) == 1


def test_an_unknown_status_is_refused_naming_the_field(api):
    response = api.get("/api/v1/campaigns?status=nonsense")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "status"


def test_the_campaign_list_costs_the_same_few_queries_however_long(
    api, django_assert_max_num_queries
):
    for name in ("Autumn", "Winter", "Spring", "Summer"):
        draft(name)
    api.get("/api/v1/campaigns")  # the key's last use is written once a minute
    with django_assert_max_num_queries(3):
        assert len(api.get("/api/v1/campaigns").json()["items"]) == 4
