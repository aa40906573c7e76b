import pytest
import time_machine

from dearly.contacts.models import Contact, LifecycleChange
from dearly.conversions import lapse
from dearly.conversions.models import ConversionSettings
from dearly.conversions.tests.helpers import NOW, contact, days_ago, purchase
from dearly.core.chores import run_due
from dearly.core.signals import contact_event

pytestmark = pytest.mark.django_db


def customer_since(days: float, email: str, *, bought_days_ago: float | None = None) -> Contact:
    with time_machine.travel(days_ago(days), tick=False):
        who = contact("customer", email=email)
    if bought_days_ago is not None:
        with time_machine.travel(days_ago(bought_days_ago), tick=False):
            purchase(who, event_id=f"o-{email}")
    return who


def stages() -> dict[str | None, str]:
    return dict(Contact.objects.values_list("email", "lifecycle_stage"))


def test_customers_with_no_purchase_for_a_year_become_former_customers():
    customer_since(800, "old@example.com", bought_days_ago=366)
    customer_since(800, "recent@example.com", bought_days_ago=300)
    customer_since(400, "never@example.com")
    customer_since(100, "new@example.com")
    with time_machine.travel(NOW, tick=False):
        moved = lapse.lapse_customers(NOW)
    assert moved == 2
    assert stages() == {
        "old@example.com": "former",
        "recent@example.com": "customer",
        "never@example.com": "former",
        "new@example.com": "customer",
    }
    change = LifecycleChange.objects.filter(to_stage="former").first()
    assert change is not None and change.reason == "no purchase for 365 days"


def test_a_customer_made_by_hand_after_an_old_purchase_is_given_the_full_period():
    who = customer_since(800, "back@example.com", bought_days_ago=700)
    with time_machine.travel(days_ago(10), tick=False):
        who.lifecycle_changed_at = days_ago(10)
        who.save(update_fields=["lifecycle_changed_at"])
    assert lapse.lapse_customers(NOW) == 0


def test_the_lapse_period_follows_the_setting():
    ConversionSettings.objects.create(pk=1, lapse_days=90)
    customer_since(200, "a@example.com", bought_days_ago=100)
    assert lapse.lapse_customers(NOW) == 1
    assert Contact.objects.get().lifecycle_stage == "former"
    assert LifecycleChange.objects.get(to_stage="former").reason == "no purchase for 90 days"


def test_each_lapse_is_told_to_listeners_so_win_back_journeys_start():
    customer_since(400, "a@example.com")
    heard = []

    def receiver(sender, *, name, properties, **kw):
        heard.append((name, properties))

    contact_event.connect(receiver, weak=False)
    try:
        lapse.lapse_customers(NOW)
    finally:
        contact_event.disconnect(receiver)
    assert heard == [
        (
            "lifecycle.changed",
            {"from": "customer", "to": "former", "reason": "no purchase for 365 days"},
        )
    ]


def test_the_chore_runs_daily_and_moves_nobody_twice():
    customer_since(400, "a@example.com")
    with time_machine.travel(NOW, tick=False):
        assert run_due(NOW, names={"conversions.lapse"}) == 1
    later = days_ago(-1.5)
    with time_machine.travel(later, tick=False):
        assert run_due(later, names={"conversions.lapse"}) == 0
    assert LifecycleChange.objects.filter(to_stage="former").count() == 1


def test_one_run_moves_at_most_a_batch(monkeypatch):
    monkeypatch.setattr(lapse, "LAPSE_BATCH", 2)
    for i in range(3):
        customer_since(400, f"c{i}@example.com")
    assert lapse.lapse_customers(NOW) == 2
    assert lapse.lapse_customers(NOW) == 1
    assert set(stages().values()) == {"former"}
