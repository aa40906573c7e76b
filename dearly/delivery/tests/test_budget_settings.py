import pytest

from dearly.conftest import client_for
from dearly.core.models import AuditEvent
from dearly.delivery.claim import current_budget
from dearly.delivery.models import DeliverySettings

pytestmark = pytest.mark.django_db


def test_the_budget_defaults_to_two_a_week():
    assert (current_budget().max_messages, current_budget().days) == (2, 7)


def test_the_owner_sets_the_budget_and_the_change_is_audited(owner):
    response = client_for(owner).post("/delivery/budget/", {"max_messages": 3, "days": 14})
    assert response.status_code == 302
    assert (current_budget().max_messages, current_budget().days) == (3, 14)
    event = AuditEvent.objects.get(action="settings.changed")
    assert event.old == {"budget_max": 2, "budget_days": 7}
    assert event.new == {"budget_max": 3, "budget_days": 14}


def test_a_budget_out_of_range_is_refused_with_the_field(owner):
    response = client_for(owner).post("/delivery/budget/", {"max_messages": 0, "days": 7})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not DeliverySettings.objects.exists()


def test_only_those_who_manage_settings_may_change_it(manager, north_staff, client):
    assert client_for(manager).get("/delivery/budget/").status_code == 403
    assert client_for(north_staff).get("/delivery/budget/").status_code == 403
    assert client.get("/delivery/budget/").status_code == 302
