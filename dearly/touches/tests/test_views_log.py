"""Logging a call or visit from the contact page, the timeline, and who may do it."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dearly.conftest import client_for, make_contact
from dearly.core.actor import Actor
from dearly.touches.models import Touch
from dearly.touches.services import Delivered, log_touch, record_delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def norths_contact(north):
    return make_contact(first_name="Nell", phone="+447911123456", branch=north)


def log_url(contact):
    return f"/contacts/{contact.public_id}/touches/log"


def test_the_log_call_button_opens_a_form_with_spoke_chosen(north_staff, norths_contact):
    url = f"/contacts/{norths_contact.public_id}/touches/?log=call"
    response = client_for(north_staff).get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Log a call" in html
    assert 'value="spoke"' in html and "checked" in html.split('value="spoke"')[1][:40]
    assert "<html" not in html  # a fragment for htmx, not the page


def test_staff_log_a_call_and_see_it_in_the_timeline(north_staff, norths_contact):
    client = client_for(north_staff)
    response = client.post(
        log_url(norths_contact),
        {"kind": "call", "outcome": "spoke", "note": "Booked a table for Friday"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    [touch] = Touch.objects.all()
    assert (touch.kind, touch.channel, touch.direction, touch.real) == (
        "call",
        "phone",
        "out",
        True,
    )
    assert touch.staff == north_staff and touch.branch_id == norths_contact.branch_id
    assert "Logged: Call · Spoke with them." in html
    assert "Booked a table for Friday" in html
    assert 'id="last-touch" hx-swap-oob="true"' in html
    norths_contact.refresh_from_db()
    assert norths_contact.last_touch_at == touch.occurred_at


def test_without_htmx_saving_returns_to_the_contact_page(north_staff, norths_contact):
    response = client_for(north_staff).post(
        log_url(norths_contact), {"kind": "visit", "outcome": "spoke"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{norths_contact.public_id}/#touches"
    assert Touch.objects.get().kind == "visit"


def test_a_time_in_the_future_is_refused_next_to_the_field(north_staff, norths_contact):
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(north_staff).post(
        log_url(norths_contact),
        {"kind": "call", "outcome": "spoke", "occurred_at": tomorrow},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="log_occurred_at_error"' in html and "That is in the future." in html
    assert not Touch.objects.exists()


def test_an_unknown_outcome_is_refused_next_to_the_field(north_staff, norths_contact):
    response = client_for(north_staff).post(
        log_url(norths_contact), {"kind": "call", "outcome": "shouted"}
    )
    assert 'id="log_outcome_error"' in response.content.decode()
    assert not Touch.objects.exists()


def test_staff_of_another_branch_get_not_found(south_staff, norths_contact):
    client = client_for(south_staff)
    assert (
        client.post(log_url(norths_contact), {"kind": "call", "outcome": "spoke"}).status_code
        == 404
    )
    url = f"/contacts/{norths_contact.public_id}/touches/?log=call"
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert not Touch.objects.exists()


def test_outsiders_are_forbidden_and_anonymous_visitors_sent_to_log_in(
    outsider, client, norths_contact
):
    data = {"kind": "call", "outcome": "spoke"}
    assert client_for(outsider).post(log_url(norths_contact), data).status_code == 403
    assert client.post(log_url(norths_contact), data)["Location"].startswith("/login/")
    assert not Touch.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(north_staff, norths_contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(north_staff)
    response = client.post(log_url(norths_contact), {"kind": "call", "outcome": "spoke"})
    assert response.status_code == 403
    assert not Touch.objects.exists()


def test_the_contact_page_shows_the_last_real_touch_and_where_touches_came_from(
    owner, norths_contact
):
    from dearly.campaigns.tests.helpers import draft, template

    campaign = draft(template(), name="Winter menu")
    record_delivered(
        [Delivered(1, norths_contact.pk, "email", "campaign", campaign.pk)],
        at=timezone.now() - dt.timedelta(days=12),
    )
    log_touch(
        contact=norths_contact,
        kind="call",
        channel="phone",
        direction="out",
        actor=Actor.system("tests"),
        outcome="no_answer",
    )
    html = client_for(owner).get(f"/contacts/{norths_contact.public_id}/").content.decode()
    assert "Last real touch: <time" in html and ">12 days ago</time>" in html
    assert "Campaign: Winter menu" in html
    assert "No answer" in html and "does not count" in html


def page_queries(client, contact):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/contacts/{contact.public_id}/").status_code == 200
    return len(ctx.captured_queries)


def test_the_contact_page_query_count_does_not_grow_with_touches_or_tasks(owner, norths_contact):
    from dearly.touches.tests.helpers import a_task

    client = client_for(owner)
    log_touch(
        contact=norths_contact,
        kind="call",
        channel="phone",
        direction="out",
        origin_type="campaign",
        origin_id=999,
    )
    a_task(norths_contact)
    few = page_queries(client, norths_contact)
    for i in range(60):
        log_touch(
            contact=norths_contact,
            kind="visit",
            channel="in_person",
            direction="out",
            actor=Actor(source="ui", user=owner),
            origin_type="campaign",
            origin_id=i,
        )
        a_task(norths_contact, days=i)
    assert page_queries(client, norths_contact) == few


def test_older_touches_come_in_pages_of_fifty(owner, norths_contact):
    start = timezone.now() - dt.timedelta(days=100)
    for i in range(55):
        log_touch(
            contact=norths_contact,
            kind="call",
            channel="phone",
            direction="out",
            occurred_at=start + dt.timedelta(days=i),
            note=f"call number {i}",
        )
    client = client_for(owner)
    html = client.get(f"/contacts/{norths_contact.public_id}/").content.decode()
    assert "call number 54<" in html and "call number 5<" in html
    assert "call number 4<" not in html
    assert "?offset=50" in html
    more = client.get(
        f"/contacts/{norths_contact.public_id}/touches/?offset=50", headers={"HX-Request": "true"}
    ).content.decode()
    assert [f"call number {i}<" in more for i in range(5)] == [True] * 5
    assert "call number 5<" not in more and "Show older" not in more
    assert html.index("call number 54<") < html.index("call number 53<")  # newest first


def test_without_javascript_older_touches_open_in_the_whole_page(owner, norths_contact):
    for i in range(52):
        log_touch(
            contact=norths_contact,
            kind="call",
            channel="phone",
            direction="out",
            occurred_at=timezone.now() - dt.timedelta(days=60 - i),
            note=f"call number {i}",
        )
    response = client_for(owner).get(f"/contacts/{norths_contact.public_id}/touches/?offset=50")
    html = response.content.decode()
    assert "<html" in html and "call number 1<" in html and "call number 2<" not in html


def test_the_contact_list_shows_each_contacts_last_touch(owner, north):
    nell = make_contact(first_name="Nell", branch=north)
    make_contact(first_name="Ned", branch=north)
    record_delivered(
        [Delivered(1, nell.pk, "email", "campaign", 1)], at=timezone.now() - dt.timedelta(days=3)
    )
    html = client_for(owner).get("/contacts/").content.decode()
    assert "Last touch</th>" in html
    assert ">3 days ago</time>" in html and ">never<" in html
