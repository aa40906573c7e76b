import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact
from dearly.delivery.models import OutboxMessage
from dearly.rhythms.fill import fill_rhythm
from dearly.rhythms.models import Rhythm
from dearly.rhythms.tests.helpers import consent, days, make_rhythm, make_template

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC)


def overdue_customer(branch: Branch, name: str, last_touch_days: int = 40) -> Contact:
    with time_machine.travel(START - days(60), tick=False):
        contact = make_contact(
            lifecycle_stage="customer",
            branch=branch,
            first_name=name,
            email=f"{name.lower()}@example.com",
        )
    Contact.objects.filter(pk=contact.pk).update(last_touch_at=START - days(last_touch_days))
    return contact


def test_the_owner_creates_a_rhythm_with_phases_from_the_editor(owner: User) -> None:
    template = make_template()
    response = client_for(owner).post(
        "/rhythms/new",
        {
            "name": "Former customers",
            "lifecycle_stage": "former",
            "every_days": ["30", "90"],
            "for_days": ["180", ""],
            "action": "message",
            "templates": [template.pk],
            "purpose": "informational",
            "consent_purpose": "marketing",
            "value": "useful_information",
            "task_kind": "call",
            "priority": "100",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rhythm = Rhythm.objects.get()
    assert rhythm.phases == [{"until_days": 180, "every_days": 30}, {"every_days": 90}]
    page = client_for(owner).get("/rhythms/").content.decode()
    assert "every 30 days for 180 days, then every 90 days" in page


def test_phase_errors_show_on_their_row_and_rows_can_be_added(owner: User) -> None:
    client = client_for(owner)
    form = {
        "name": "Broken",
        "every_days": ["30", "0"],
        "for_days": ["", ""],
        "action": "task",
        "purpose": "informational",
        "consent_purpose": "marketing",
        "task_kind": "call",
        "priority": "100",
    }
    page = client.post("/rhythms/new", form).content.decode()
    assert "Say how long this phase lasts" in page
    assert "A whole number of days" in page
    assert not Rhythm.objects.exists()
    added = client.post("/rhythms/new", {**form, "add_phase": "1"}).content.decode()
    assert added.count('name="every_days"') == 3


def test_branch_staff_cannot_edit_rhythms(north_staff: User) -> None:
    assert client_for(north_staff).get("/rhythms/").status_code == 403


def test_staff_see_only_their_branchs_overdue_contacts(
    north_staff: User, north: Branch, south: Branch
) -> None:
    overdue_customer(north, "Nell")
    overdue_customer(south, "Sid")
    make_rhythm()
    with time_machine.travel(START, tick=False):
        page = client_for(north_staff).get("/rhythms/overdue/").content.decode()
    assert "Nell" in page
    assert "Sid" not in page


def test_the_overdue_list_filters_pages_with_htmx_and_shows_conflicts(
    owner: User, north: Branch, south: Branch
) -> None:
    for i in range(55):
        overdue_customer(north, f"North{i:02d}", last_touch_days=20 + i)
    overdue_customer(south, "Sid")
    rhythm = make_rhythm()
    with time_machine.travel(START, tick=False):
        fill_rhythm(rhythm, now=timezone.now())
        client = client_for(owner)
        with CaptureQueriesContext(connection) as queries:
            first = client.get("/rhythms/overdue/").content.decode()
        more = client.get("/rhythms/overdue/?page=2", headers={"HX-Request": "true"})
        south_only = client.get(f"/rhythms/overdue/?branch={south.public_id}").content.decode()
    assert len(queries) < 15
    assert "North54" in first and "no consent on email for marketing" in first
    assert "Show more" in first
    fragment = more.content.decode()
    assert "<html" not in fragment and "North00" in fragment
    assert "Sid" in south_only and "North" not in south_only.split("<tbody>")[1]


def test_the_overdue_list_says_what_became_of_a_queued_message(owner: User, north: Branch) -> None:
    contact = overdue_customer(north, "Held")
    consent(contact)
    rhythm = make_rhythm()
    with time_machine.travel(START, tick=False):
        fill_rhythm(rhythm, now=timezone.now())
        OutboxMessage.objects.filter(origin_type="rhythm").update(
            status="held", hold_reason="suppressed"
        )
        page = client_for(owner).get("/rhythms/overdue/").content.decode()
    assert "Message held: address on the suppression list" in page


def test_every_link_from_the_overdue_list_lands_on_an_anchor_that_exists(
    north: Branch, north_staff: User
) -> None:
    make_rhythm(action="task")
    overdue_customer(north, "Ann")
    client = client_for(north_staff)
    with time_machine.travel(START, tick=False):
        page = client.get("/rhythms/overdue/").content.decode()
        links = re.findall(r'href="(/contacts/[^"#]+)#([^"]+)"', page)
        assert {anchor for _, anchor in links} == {"touches", "log-touch"}
        for url, anchor in links:
            target = client.get(url.replace("&amp;", "&")).content.decode()
            assert f'id="{anchor}"' in target, (url, anchor)
