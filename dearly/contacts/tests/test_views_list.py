import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dearly.conftest import client_for, make_contact
from dearly.contacts.services import Evidence, record_consent
from dearly.core.actor import Actor

pytestmark = pytest.mark.django_db
URL = "/contacts/"


def names(response):
    return [c.display_name for c in response.context["page"].object_list]


def test_the_list_shows_contacts_with_their_branch_and_tags(owner, north):
    make_contact(first_name="Ada", last_name="Lovelace", branch=north, tags=("regulars",))
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html and "North" in html and "regulars" in html
    assert "<html" in html


def test_search_finds_by_name_email_and_national_phone(owner):
    make_contact(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    make_contact(first_name="Grace", last_name="Hopper", phone="+447911123456")
    client = client_for(owner)
    assert names(client.get(URL, {"q": "lovel"})) == ["Ada Lovelace"]
    assert names(client.get(URL, {"q": "ada lovelace"})) == ["Ada Lovelace"]
    assert names(client.get(URL, {"q": "ADA@example"})) == ["Ada Lovelace"]
    assert names(client.get(URL, {"q": "07911 123456"})) == ["Grace Hopper"]
    assert names(client.get(URL, {"q": "+44 7911 123456"})) == ["Grace Hopper"]
    assert names(client.get(URL, {"q": "07911 12"})) == ["Grace Hopper"]
    assert names(client.get(URL, {"q": "nobody"})) == []


def test_filters_by_tag_stage_branch_and_granted_consent(owner, north, south):
    ada = make_contact(first_name="Ada", email="ada@example.com", branch=north, tags=("vip",))
    make_contact(first_name="Bob", lifecycle_stage="customer", branch=south)
    record_consent(
        actor=Actor.system("tests"),
        contact=ada,
        channel="email",
        purpose="newsletter",
        action="grant",
        evidence=Evidence(method="paper_form", wording="Yes, send me the newsletter"),
    )
    client = client_for(owner)
    assert names(client.get(URL, {"tag": "vip"})) == ["Ada Lovelace"]
    assert names(client.get(URL, {"stage": "customer"})) == ["Bob Lovelace"]
    assert names(client.get(URL, {"branch": south.pk})) == ["Bob Lovelace"]
    assert names(client.get(URL, {"channel": "email", "purpose": "newsletter"})) == ["Ada Lovelace"]
    assert names(client.get(URL, {"channel": "email", "purpose": "marketing"})) == []


def test_an_htmx_request_gets_only_the_results_fragment(owner):
    make_contact(first_name="Ada")
    response = client_for(owner).get(URL, {"q": "ada"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "Ada Lovelace" in html
    assert "<html" not in html and "contact-filters" not in html
    assert "HX-Request" in response["Vary"]


def test_the_back_button_restoring_history_gets_the_whole_page(owner):
    response = client_for(owner).get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_list_is_paged_fifty_at_a_time_with_counts(owner):
    for i in range(51):
        make_contact(first_name=f"P{i:02}", last_name="Page")
    client = client_for(owner)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert "Showing 1\u201350 of <strong>51</strong> contacts" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 1


def test_branch_staff_see_only_their_branchs_contacts_and_no_branch_filter(
    north_staff, north, south
):
    make_contact(first_name="Nell", branch=north)
    make_contact(first_name="Sid", branch=south)
    response = client_for(north_staff).get(URL)
    assert names(response) == ["Nell Lovelace"]
    assert "branch" not in response.context["form"].fields
    # Asking for the other branch by id is ignored: the member's scope comes first.
    assert names(client_for(north_staff).get(URL, {"branch": south.pk})) == ["Nell Lovelace"]


def list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_the_number_of_contacts(owner, north):
    client = client_for(owner)
    for i in range(3):
        make_contact(first_name=f"A{i}", branch=north, tags=("a", "b"))
    few = list_queries(client)
    for i in range(30):
        make_contact(first_name=f"B{i}", branch=north, tags=("a", "b"))
    assert list_queries(client) == few
    assert few <= 10


def test_a_filter_that_no_longer_exists_is_explained_rather_than_ignored(owner):
    make_contact(first_name="Ada")
    response = client_for(owner).get(URL, {"tag": "deleted-tag"})
    assert names(response) == []
    assert "These filters could not be used: Tag" in response.content.decode()
