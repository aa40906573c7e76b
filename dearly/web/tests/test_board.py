"""The dashboard's figures on seeded data: overdue, held reasons, plan progress, replies, scope,
and a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact
from dearly.conversions.services import record_event
from dearly.core.actor import Actor
from dearly.delivery.models import DeferReason, HoldReason, OutboxMessage, Status
from dearly.plans.services import Details, create_plan
from dearly.rhythms import snapshot
from dearly.rhythms.services import create_rhythm
from dearly.touches.models import Direction, Kind, TouchChannel
from dearly.touches.services import create_task, log_touch
from dearly.web import figures
from dearly.web.models import Figures

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")


def _old(contact: Contact, days: int) -> None:
    """Make the contact's stage (and so their rhythm clock) start `days` ago."""
    Contact.objects.filter(pk=contact.pk).update(
        lifecycle_changed_at=timezone.now() - dt.timedelta(days=days)
    )


def _outbox(contact: Contact, **fields: object) -> OutboxMessage:
    fields.setdefault("not_before", timezone.now())
    return OutboxMessage.objects.create(
        origin_type="test",
        contact=contact,
        purpose="informational",
        consent_purpose="marketing",
        template_version_id=1,
        **fields,
    )


@pytest.fixture
def seeded(north, south):
    now = timezone.now()
    create_rhythm(
        actor=ACTOR,
        name="Customers every 14 days",
        lifecycle_stage="customer",
        phases=[{"every_days": 14}],
        action="task",
    )
    for i in range(3):
        _old(make_contact(branch=north, email=f"n{i}@example.com", lifecycle_stage="customer"), 60)
    for i in range(2):
        _old(make_contact(branch=south, email=f"s{i}@example.com", lifecycle_stage="customer"), 60)
    fresh = make_contact(
        branch=north, email="fresh@example.com", lifecycle_stage="customer", first_name="Rita"
    )
    log_touch(
        contact=fresh,
        kind=Kind.REPLY,
        channel=TouchChannel.EMAIL,
        direction=Direction.INBOUND,
        occurred_at=now - dt.timedelta(hours=2),
    )
    southern = make_contact(
        branch=south, email="sr@example.com", first_name="Sven", last_name="Southby"
    )
    log_touch(
        contact=southern,
        kind=Kind.REPLY,
        channel=TouchChannel.EMAIL,
        direction=Direction.INBOUND,
        occurred_at=now - dt.timedelta(hours=1),
    )
    _outbox(fresh, status=Status.HELD, hold_reason=HoldReason.NO_CONSENT)
    _outbox(southern, status=Status.HELD, hold_reason=HoldReason.MISSING_DATA)
    _outbox(southern, status=Status.HELD, hold_reason=HoldReason.MISSING_DATA)
    _outbox(
        fresh,
        status=Status.QUEUED,
        defer_reason=DeferReason.BUDGET,
        not_before=now + dt.timedelta(days=2),
    )
    create_task(contact=fresh, kind="call", title="Call Rita", due_at=now - dt.timedelta(hours=3))
    today = timezone.localdate()
    create_plan(
        actor=ACTOR,
        details=Details(
            name="Purchases this month",
            metric="purchases",
            target=4,
            period_start=today - dt.timedelta(days=10),
            period_end=today + dt.timedelta(days=20),
        ),
    )
    record_event(
        contact=fresh,
        name="purchase",
        event_id="p-1",
        occurred_at=now - dt.timedelta(days=1),
        value=40,
        currency="GBP",
        actor=ACTOR,
    )
    snapshot.refresh(now)
    figures.refresh(now)
    return now


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
