import datetime as dt

import pytest

from dearly.core.models import AuditEvent
from dearly.plans.services import Details, PlanError, clean, update_plan
from dearly.plans.tests.helpers import ACTOR, NOV_1, NOV_30, plan

pytestmark = pytest.mark.django_db


def details(**kw: object) -> Details:
    values: dict[str, object] = {
        "name": "Repeat purchases",
        "metric": "repeat_purchases",
        "target": 120,
        "period_start": NOV_1,
        "period_end": NOV_30,
    }
    values.update(kw)
    return Details(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"metric": "likes"}, "metric"),
        ({"target": "0"}, "target"),
        ({"target": "lots"}, "target"),
        ({"unit": "percent"}, "unit"),  # only a win-back objective can be a percentage
        ({"metric": "won_back", "unit": "percent", "target": 150}, "target"),
        ({"period_end": dt.date(2026, 10, 31)}, "period_end"),
        ({"channels": []}, "channels"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"lifecycle_stage": "vip"}, "lifecycle_stage"),
    ],
)
def test_a_refused_plan_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(PlanError) as refused:
        clean(details(**changes))
    assert field in refused.value.errors


def test_creating_and_changing_a_plan_is_audited_with_what_changed() -> None:
    made = plan(name="  Repeat   purchases ", target="120")
    assert made.name == "Repeat purchases"
    assert AuditEvent.objects.get(action="plan.created").new["target"] == "120.00"
    update_plan(actor=ACTOR, plan=made, details=details(target=150))
    event = AuditEvent.objects.get(action="plan.updated")
    assert event.old == {"target": "120.00", "metric": "purchases"}
    assert event.new == {"target": "150.00", "metric": "repeat_purchases"}


def test_saving_a_plan_unchanged_writes_no_audit_event() -> None:
    made = plan(metric="repeat_purchases", target=120, name="Repeat purchases")
    update_plan(actor=ACTOR, plan=made, details=details())
    assert not AuditEvent.objects.filter(action="plan.updated").exists()
