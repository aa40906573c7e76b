"""Branch pages: everyone sees the branches; owners and managers add and edit them."""

import pytest
from django.urls import reverse

from dearly.branches.models import Branch
from dearly.conftest import client_for
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def branch_data(**overrides):
    data = {
        "name": "East",
        "address": "3 Quay St",
        "town": "Hull",
        "postcode": "HU1 1AA",
        "country": "gb",
        "latitude": "53.74",
        "longitude": "-0.33",
        "time_zone": "Europe/London",
        "phone": "01482 000000",
        "email": "East@Example.com",
        "hours_mon": "09:00-17:30",
        "hours_sat": "10:00-12:00, 13:00-16:00",
    }
    return data | overrides


def test_a_manager_adds_a_branch_with_its_opening_hours(manager):
    response = client_for(manager).post(reverse("core:branch_new"), branch_data())
    assert response.status_code == 302
    branch = Branch.objects.get(name="East")
    assert branch.opening_hours["mon"] == [["09:00", "17:30"]]
    assert branch.opening_hours["sun"] == []
    assert (branch.country, branch.email) == ("GB", "east@example.com")
    assert AuditEvent.objects.get(action="branch.created").new["town"] == "Hull"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_tue", "18:00-09:00", "opening time must come before closing"),
        ("latitude", "91", "less than or equal to 90"),
        ("longitude", "-181", "greater than or equal to -180"),
        ("time_zone", "Europe/Atlantis", "Select a valid choice"),
        ("country", "ZZ", "two-letter country code"),
        ("phone", "12", "not a"),
    ],
)
def test_bad_branch_details_are_shown_beside_their_field(owner, field, value, message):
    response = client_for(owner).post(reverse("core:branch_new"), branch_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Branch.objects.filter(name="East").exists()


def test_latitude_without_longitude_is_refused(owner):
    response = client_for(owner).post(reverse("core:branch_new"), branch_data(longitude=""))
    assert "both latitude and longitude" in response.context["form"].errors["latitude"][0]


def test_two_branches_cannot_share_a_name(owner, north):
    response = client_for(owner).post(reverse("core:branch_new"), branch_data(name="north"))
    assert response.context["form"].errors["name"] == ["another branch already has this name"]


def test_editing_a_branch_records_only_what_changed(owner, north):
    url = reverse("core:branch_edit", args=[north.public_id])
    form = client_for(owner).get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["hours_mon"] = "08:00-16:00"
    assert client_for(owner).post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="branch.changed")
    assert event.old == {"opening_hours": {}}
    assert event.new["opening_hours"]["mon"] == [["08:00", "16:00"]]


def test_branch_staff_see_every_branch_but_no_edit_links(north_staff, south):
    html = client_for(north_staff).get(reverse("core:branch_list")).content.decode()
    assert "South" in html
    assert "North" in html
    assert reverse("core:branch_new") not in html
    assert "Edit" not in html


def test_branches_are_listed_by_name_with_their_active_staff_count(owner, south, north_staff):
    branches = client_for(owner).get(reverse("core:branch_list")).context["branches"]
    assert [(b.name, b.staff_count) for b, _ in branches] == [("North", 1), ("South", 0)]
