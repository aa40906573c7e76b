import pytest
from django.urls import reverse

from dearly.conftest import client_for
from dearly.conversions.models import ConversionSettings
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("conversions:settings")


def test_the_owner_can_change_the_windows_and_it_is_audited(owner):
    user = owner
    client = client_for(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"attribution_days": "14", "lapse_days": "180"})
    assert response.status_code == 302
    current = ConversionSettings.current()
    assert (current.attribution_days, current.lapse_days) == (14, 180)
    event = AuditEvent.objects.get(action="settings.changed")
    assert (event.old, event.new, event.actor_id) == (
        {"attribution_days": 7, "lapse_days": 365},
        {"attribution_days": 14, "lapse_days": 180},
        user.pk,
    )


@pytest.mark.parametrize("who", ["manager", "north_staff"])
def test_managers_and_staff_cannot_change_them(who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"attribution_days": "1", "lapse_days": "30"}).status_code == 403
    assert not ConversionSettings.objects.exists()


def test_an_out_of_range_value_is_shown_on_its_field(owner):
    response = client_for(owner).post(URL, {"attribution_days": "0", "lapse_days": "365"})
    assert response.status_code == 200
    assert "attribution_days" in response.context["form"].errors
    assert not ConversionSettings.objects.exists()
