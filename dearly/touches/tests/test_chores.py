"""core.chores: one caller wins each period, and a failing chore does not stop the others."""

import datetime as dt
import threading

import pytest
from django.db import connection

from dearly.core import chores
from dearly.core.models import ChoreRun

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
HOURLY = chores.Chore(name="tests.hourly", every=dt.timedelta(hours=1), fn=lambda now: 0)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, so the apps' real chores do not run."""
    fresh: dict[str, chores.Chore] = {}
    monkeypatch.setattr(chores, "REGISTRY", fresh)
    return fresh


@pytest.mark.django_db
def test_one_caller_wins_each_period_one_after_another():
    assert [chores.claim(HOURLY, NOW) for _ in range(3)] == [True, False, False]
    later = NOW + dt.timedelta(minutes=59)
    assert chores.claim(HOURLY, later) is False
    next_period = NOW + dt.timedelta(hours=1)
    assert [chores.claim(HOURLY, next_period) for _ in range(2)] == [True, False]
    assert ChoreRun.objects.get().next_run_at == next_period + dt.timedelta(hours=1)


def race(n: int, now: dt.datetime) -> list[bool]:
    """n threads, each with its own database connection, claim at the same moment."""
    barrier = threading.Barrier(n)
    results: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        try:
            barrier.wait()
            won = chores.claim(HOURLY, now)
            with lock:
                results.append(won)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_one_of_several_workers_wins_the_first_and_every_later_period(requires_postgres):
    first = race(6, NOW)
    assert sorted(first) == [False] * 5 + [True]  # several may try to create the row
    second = race(6, NOW + dt.timedelta(hours=1))
    assert sorted(second) == [False] * 5 + [True]  # several race one conditional UPDATE
    assert race(6, NOW + dt.timedelta(hours=1, minutes=1)) == [False] * 6


@pytest.mark.django_db
def test_a_failing_chore_does_not_stop_the_others(registry):
    ran = []

    def broken(now: dt.datetime) -> int:
        raise RuntimeError("boom")

    def working(now: dt.datetime) -> int:
        ran.append(now)
        return 3

    chores.register("tests.broken", every=dt.timedelta(hours=1), fn=broken)
    chores.register("tests.working", every=dt.timedelta(hours=1), fn=working)
    assert chores.run_due(NOW) == 3
    assert ran == [NOW]
    results = dict(ChoreRun.objects.values_list("name", "last_result"))
    assert results["tests.broken"] == "failed"
    assert results["tests.working"].startswith("3 in ")
    # The broken one waits for its next period like the rest, rather than running every loop.
    assert chores.run_due(NOW + dt.timedelta(minutes=1)) == 0
    assert ran == [NOW]


@pytest.mark.django_db
def test_run_due_can_be_asked_for_some_chores_only(registry):
    ran: list[str] = []

    def chore(name: str) -> chores.ChoreFn:
        def fn(now: dt.datetime) -> int:
            ran.append(name)
            return 1

        return fn

    chores.register("tests.a", every=dt.timedelta(hours=1), fn=chore("a"))
    chores.register("tests.b", every=dt.timedelta(hours=1), fn=chore("b"))
    chores.run_due(NOW, names={"tests.b"})
    assert ran == ["b"]
