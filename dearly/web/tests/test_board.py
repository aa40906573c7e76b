"""The dashboard's figures on seeded data: overdue, held reasons, plan progress, replies, scope,
and a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from dearly.conftest import client_for, make_contact
from dearly.core.actor import Actor
from dearly.rhythms import snapshot
from dearly.rhythms.services import create_rhythm
from dearly.touches.services import Delivered, record_delivered
from dearly.web import figures
from dearly.web.models import Figures

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_owner_sees_overdue_held_reasons_plan_progress_and_replies(seeded, owner):
    html = client_for(owner).get("/").content.decode()
    text = _text(html)
    assert re.search(r'class="overdue-figure">5</strong> overdue', html)
    assert 'href="/rhythms/overdue/"' in html
    assert "Held: No consent for this purpose" in text
    assert "Held: Personal details the message needs are missing" in text
    assert "Waiting: Contact budget reached for now" in text
    assert "Purchases this month" in text
    assert "Purchases: 1 of 4" in text  # 25% of target
    assert 'width="100"' in html  # the progress bar: 25% of 400
    assert "Rita Lovelace" in text and "Sven Southby" in text  # recent replies
    assert "Call Rita" in text
    assert "as of" in text.lower()


def test_branch_staff_see_their_branch_only(seeded, north_staff):
    html = client_for(north_staff).get("/").content.decode()
    text = _text(html)
    assert re.search(r'class="overdue-figure">3</strong> overdue', html)
    assert "Held: No consent for this purpose" in text
    assert "Personal details" not in text  # south's held messages
    assert "Sven Southby" not in text and "Rita Lovelace" in text
    assert "Purchases this month" not in text  # plans are the marketing side's
    assert "Overdue by branch" not in text


def test_the_owner_sees_overdue_by_branch(seeded, owner):
    text = _text(client_for(owner).get("/").content.decode())
    assert "Overdue by branch" in text
    assert "North: 3" in text and "South: 2" in text


def test_figures_are_read_from_the_cache_row_until_the_chore_runs_again(seeded, owner):
    make_contact(email="late@example.com", lifecycle_stage="lead")
    row = Figures.objects.get(scope="all")
    assert sum(row.data["stages"].values()) == 7
    figures.refresh(timezone.now())
    row.refresh_from_db()
    assert sum(row.data["stages"].values()) == 8


def test_the_dashboard_reads_a_bounded_number_of_queries(
    seeded, owner, north_staff, django_assert_max_num_queries
):
    for user in (owner, north_staff):
        client = client_for(user)
        client.get("/")  # session, caches
        with django_assert_max_num_queries(12):
            assert client.get("/").status_code == 200


def test_the_chore_is_registered_and_runs(seeded):
    from dearly.core.chores import REGISTRY, run_due

    assert REGISTRY["web.figures"].every <= dt.timedelta(seconds=60)
    later = seeded + dt.timedelta(minutes=5)
    run_due(later, names={"web.figures"})
    assert Figures.objects.get(scope="all").computed_at == later


def test_a_branchs_touches_include_the_mail_its_contacts_were_sent(north, north_staff):
    """A branch's touch count and its count of contacts touched agree: mail the worker sent
    counts for the contact's branch, as calls and visits do."""
    now = timezone.now()
    create_rhythm(
        actor=ACTOR,
        name="Customers every 14 days",
        lifecycle_stage="customer",
        phases=[{"every_days": 14}],
        action="task",
    )
    people = [
        make_contact(branch=north, email=f"m{i}@example.com", lifecycle_stage="customer")
        for i in range(3)
    ]
    record_delivered(
        [
            Delivered(
                message_id=1000 + i,
                contact_id=c.pk,
                channel="email",
                origin_type="campaign",
                origin_id=1,
            )
            for i, c in enumerate(people)
        ],
        at=now,
    )
    snapshot.refresh(now)
    figures.refresh(now)
    html = client_for(north_staff).get("/").content.decode()
    assert '<strong class="touch-figure">3</strong> touches this month' in html
    assert "3 of the 3 contacts on a rhythm were touched at least once this month." in html
