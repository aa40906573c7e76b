"""Settings → Keeping data: how many months tracking events and caught mail are kept."""

import pytest

from dearly.conftest import client_for
from dearly.core.models import AuditEvent
from dearly.core.queries import get_business

pytestmark = pytest.mark.django_db
URL = "/manage/keeping-data/"


def test_the_defaults_keep_tracking_two_years_and_caught_mail_three_months():
    business = get_business()
    assert (business.keep_tracking_months, business.keep_caught_mail_months) == (24, 3)


def test_the_owner_changes_how_long_data_is_kept_and_it_is_audited(owner):
    client = client_for(owner)
    assert "Keep caught mail in the Mailbox for" in client.get(URL).content.decode()
    data = {"keep_tracking_months": 6, "keep_caught_mail_months": 1}
    assert client.post(URL, data).status_code == 302
    business = get_business()
    assert (business.keep_tracking_months, business.keep_caught_mail_months) == (6, 1)
    event = AuditEvent.objects.get(action="settings.changed")
    assert event.new == {"keep_tracking_months": 6, "keep_caught_mail_months": 1}


def test_a_period_out_of_range_is_refused_next_to_its_field(owner):
    data = {"keep_tracking_months": 0, "keep_caught_mail_months": 3}
    response = client_for(owner).post(URL, data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert get_business().keep_tracking_months == 24


def test_only_those_who_manage_settings_may_open_it(manager, north_staff):
    assert client_for(manager).get(URL).status_code == 403
    assert client_for(north_staff).get(URL).status_code == 403
