import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from dearly.branches.models import Branch
from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.core.chores import run_due
from dearly.core.models import Membership
from dearly.rhythms.fill import fill_rhythm
from dearly.rhythms.models import Snapshot
from dearly.rhythms.queries import health, overdue_for_member
from dearly.rhythms.snapshot import refresh
from dearly.rhythms.tests.helpers import days, make_rhythm

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
NOW = START + days(30)


def customer(branch: Branch | None, name: str, *, touched_days_ago: float | None = None) -> Contact:
    with time_machine.travel(START, tick=False):
        contact = make_contact(lifecycle_stage="customer", branch=branch, first_name=name)
    if touched_days_ago is not None:
        Contact.objects.filter(pk=contact.pk).update(last_touch_at=NOW - days(touched_days_ago))
    return contact


def member(user: User) -> Membership:
    return Membership.objects.get(user=user)


def test_the_snapshot_counts_audience_overdue_and_conflicts_per_branch(
    north: Branch, south: Branch
) -> None:
    customer(north, "Never")  # 30 days since becoming a customer: 16 days overdue
    customer(north, "Late", touched_days_ago=20)  # 6 days overdue
    customer(north, "Fresh", touched_days_ago=2)  # on rhythm, touched this month (1 June)
    customer(south, "Southern", touched_days_ago=18)  # 4 days overdue, no consent
    with time_machine.travel(START, tick=False):
        make_contact(lifecycle_stage="lead", branch=south, first_name="Lead")
    rhythm = make_rhythm()
    with time_machine.travel(NOW, tick=False):
        fill_rhythm(rhythm, now=timezone.now())  # nobody consented: three conflicts
        run_due(timezone.now(), names={"rhythms.snapshot"})
    rows = {s.branch_id: s for s in Snapshot.objects.all()}
    assert set(rows) == {north.pk, south.pk}
    n, s = rows[north.pk], rows[south.pk]
    assert (n.audience, n.overdue, n.on_rhythm, n.conflicts) == (3, 2, 1, 2)
    assert n.avg_days_overdue == pytest.approx(11)
    assert (s.audience, s.overdue, s.on_rhythm, s.conflicts) == (1, 1, 0, 1)
    assert n.touched_this_month == 1  # "Fresh", not "Late" (14 May) nor "Never"


def test_health_is_branch_scoped_for_staff(
    owner: User, north_staff: User, north: Branch, south: Branch
) -> None:
    customer(north, "North late", touched_days_ago=20)
    customer(south, "South late", touched_days_ago=20)
    customer(south, "South fresh", touched_days_ago=1)
    make_rhythm()
    refresh(NOW)
    everyone = health(member(owner))
    assert (everyone.audience, everyone.overdue, everyone.computed_at) == (3, 2, NOW)
    assert [b.label for b in everyone.branches] == ["North", "South"]
    assert everyone.on_rhythm_share == pytest.approx(1 / 3)
    mine = health(member(north_staff))
    assert (mine.audience, mine.overdue) == (1, 1)
    assert [b.label for b in mine.branches] == ["North"]


def test_a_paused_rhythm_leaves_the_snapshot() -> None:
    customer(None, "Late", touched_days_ago=20)
    rhythm = make_rhythm()
    refresh(NOW)
    assert Snapshot.objects.get().branch_id is None
    rhythm.active = False
    rhythm.save(update_fields=["active"])
    refresh(NOW)
    assert not Snapshot.objects.exists()


def test_the_overdue_list_shows_only_the_members_branch_most_overdue_first(
    owner: User, north_staff: User, north: Branch, south: Branch
) -> None:
    a = customer(north, "A", touched_days_ago=15)
    b = customer(north, "B", touched_days_ago=25)
    c = customer(south, "C", touched_days_ago=40)
    make_rhythm()
    make_rhythm(name="Also customers", phases=[{"every_days": 30}])
    with time_machine.travel(NOW, tick=False):
        staff_page = overdue_for_member(member(north_staff))
        owner_page = overdue_for_member(member(owner), per_page=3)
        south_only = overdue_for_member(member(owner), branch=south)
        next_page = overdue_for_member(member(owner), page=2, per_page=3)
    assert [(r.contact.pk, r.days_overdue) for r in staff_page.rows] == [(b.pk, 11), (a.pk, 1)]
    assert [(r.contact.pk, r.days_overdue) for r in owner_page.rows] == [
        (c.pk, 26),
        (b.pk, 11),
        (c.pk, 10),  # also late on the monthly rhythm
    ]
    assert owner_page.has_next and not next_page.has_next
    assert [r.contact.pk for r in next_page.rows] == [a.pk]
    assert [r.contact.pk for r in south_only.rows] == [c.pk, c.pk]
