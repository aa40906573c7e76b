"""Series pages: who may see them, creating one from the form, pausing, and its issues."""

import datetime as dt

import pytest
import time_machine

from dearly.campaigns.models import Series, SeriesIssue
from dearly.campaigns.recurring import create_series
from dearly.campaigns.recurring_issues import run
from dearly.campaigns.tests.helpers import ACTOR, business, person, template
from dearly.conftest import client_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def newsletter(**kw):
    return create_series(
        actor=ACTOR,
        name="The newsletter",
        template=template().template,
        purpose="informational",
        consent_purpose="newsletter",
        value="useful_information",
        rule={"weekdays": [3], "nths": [1, 3], "time": "09:00"},
        **kw,
    )


def form_data(version, **kw):
    data = {
        "name": "Monthly tips",
        "template": version.template.pk,
        "purpose": "informational",
        "consent_purpose": "newsletter",
        "value": "useful_information",
        "schedule": "window",
        "weekdays": ["4"],
        "nths": ["-1"],
        "time": "10:30",
    }
    data.update(kw)
    return data


def test_branch_staff_and_outsiders_are_refused(north_staff, outsider):
    series = newsletter()
    base = f"/campaigns/series/{series.public_id}"
    for user in (north_staff, outsider):
        client = client_for(user)
        for url in ("/campaigns/series/", "/campaigns/series/new", f"{base}/", f"{base}/edit"):
            assert client.get(url).status_code == 403, url
        assert client.post(f"{base}/status").status_code == 403


def test_the_campaigns_page_links_to_the_series(owner):
    assert 'href="/campaigns/series/"' in client_for(owner).get("/campaigns/").text


def test_creating_a_series_from_the_form_shows_its_next_dates(owner):
    version = template()
    response = client_for(owner).post("/campaigns/series/new", form_data(version), follow=True)
    assert response.status_code == 200
    series = Series.objects.get()
    assert series.rule == {"weekdays": [4], "nths": [-1], "time": "10:30"}
    assert series.created_by == owner
    assert "Friday 27 November 2026, 10:30" in response.text
    assert "Friday 25 December 2026, 10:30" in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weekdays": []}, "This field is required."),
        ({"value": ""}, "Say what this message gives the reader."),
    ],
)
def test_the_form_names_what_is_missing(owner, changes, message):
    response = client_for(owner).post("/campaigns/series/new", form_data(template(), **changes))
    assert response.status_code == 200
    assert not Series.objects.exists()
    assert message in response.text


def test_at_a_time_i_choose_is_not_offered_for_a_series(owner):
    response = client_for(owner).post("/campaigns/series/new", form_data(template(), schedule="at"))
    assert response.status_code == 200
    assert not Series.objects.exists()


def test_pausing_hides_the_next_dates_and_resuming_brings_them_back(owner):
    series = newsletter()
    client = client_for(owner)
    page = client.post(f"/campaigns/series/{series.public_id}/status", follow=True).text
    assert "Paused: nothing will be sent" in page
    series.refresh_from_db()
    assert (series.status, series.next_issue_at) == ("paused", None)
    client.post(f"/campaigns/series/{series.public_id}/status")
    series.refresh_from_db()
    assert series.status == "active"
    assert series.next_issue_at == dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)


def test_editing_changes_the_dates(owner):
    series = newsletter()
    data = form_data(template(name="Tips"), name="The newsletter", weekdays=["0"], nths=[])
    client_for(owner).post(f"/campaigns/series/{series.public_id}/edit", data)
    series.refresh_from_db()
    assert series.next_issue_at == dt.datetime(2026, 11, 30, 10, 30, tzinfo=dt.UTC)


def test_the_series_page_links_each_issue_to_its_report_and_shows_why_one_was_blocked(owner):
    business()
    person("ada@example.com")
    series = newsletter()
    due = dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)
    with time_machine.travel(due, tick=False):
        run(due)
    launched = SeriesIssue.objects.get()
    business(postal_address="")
    later = dt.datetime(2026, 12, 17, 9, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        run(later)
        page = client_for(owner).get(f"/campaigns/series/{series.public_id}/").text
    blocked = SeriesIssue.objects.get(issue_date=dt.date(2026, 12, 17))
    assert launched.campaign is not None and blocked.campaign is not None
    assert f'href="/campaigns/{launched.campaign.public_id}/"' in page
    assert f'href="/campaigns/{blocked.campaign.public_id}/review"' in page
    assert "postal address" in page.lower()
    assert "Thursday 7 January 2027, 09:00" in page
    with time_machine.travel(later, tick=False):
        report = client_for(owner).get(f"/campaigns/{launched.campaign.public_id}/").text
    assert f'href="/campaigns/series/{series.public_id}/"' in report


def test_the_list_shows_each_series_and_its_next_issue(owner, django_assert_max_num_queries):
    newsletter()
    client = client_for(owner)
    with django_assert_max_num_queries(8):
        page = client.get("/campaigns/series/").text
    assert "The newsletter" in page
    assert "Thu 3 Dec 2026, 09:00" in page


@pytest.mark.parametrize(("windows", "shown"), [(True, "Fri and Sun"), (False, "switched off")])
def test_the_series_form_says_what_the_send_windows_do(owner, settings, windows, shown):
    settings.SEND_WINDOWS = windows
    page = client_for(owner).get("/campaigns/series/new").content.decode()
    assert shown in page
    assert ("Fri and Sun" in page) is windows
