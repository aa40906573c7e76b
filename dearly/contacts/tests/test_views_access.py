"""Who may open what: another branch's staff get 404 (the contact might as well not exist),
someone without a membership gets 403, and anonymous visitors are sent to log in."""

import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import ConsentEvent, Contact
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CONSENT = {
    "channel": "post",
    "purpose": "marketing",
    "action": "grant",
    "method": "paper_form",
    "wording": "Yes",
}
# (method, path suffix, data) for every view about one contact.
CONTACT_VIEWS = [
    ("get", "", None),
    ("get", "edit", None),
    ("post", "edit", {"first_name": "X", "lifecycle_stage": "lead"}),
    ("post", "consent", CONSENT),
    ("post", "data.json", {}),
    ("get", "erase", None),
    ("post", "erase", {"confirm": "yes"}),
]
LIST_VIEWS = ["/contacts/", "/contacts/new", "/contacts/export.csv"]


def call(client, method, url, data):
    return client.post(url, data or {}) if method == "post" else client.get(url)


@pytest.fixture
def souths_contact(south):
    return make_contact(first_name="Sid", email="sid@example.com", branch=south)


@pytest.mark.parametrize(("method", "suffix", "data"), CONTACT_VIEWS)
def test_branch_staff_get_not_found_for_another_branchs_contact(
    north_staff, souths_contact, method, suffix, data
):
    url = f"/contacts/{souths_contact.public_id}/{suffix}"
    response = call(client_for(north_staff), method, url, data)
    assert response.status_code == 404
    assert Contact.objects.filter(pk=souths_contact.pk, first_name="Sid").exists()
    assert not ConsentEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="contact.data_exported").exists()


@pytest.mark.parametrize(("method", "suffix", "data"), CONTACT_VIEWS)
def test_someone_without_a_membership_is_forbidden(outsider, souths_contact, method, suffix, data):
    url = f"/contacts/{souths_contact.public_id}/{suffix}"
    assert call(client_for(outsider), method, url, data).status_code == 403


@pytest.mark.parametrize(("method", "suffix", "data"), CONTACT_VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, souths_contact, method, suffix, data):
    url = f"/contacts/{souths_contact.public_id}/{suffix}"
    response = call(client, method, url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", LIST_VIEWS)
def test_list_views_forbid_outsiders_and_send_anonymous_visitors_to_log_in(client, outsider, url):
    assert client_for(outsider).get(url).status_code == 403
    assert client.get(url)["Location"].startswith("/login/")


def test_branch_staff_open_their_own_branchs_contact(south_staff, souths_contact):
    response = client_for(south_staff).get(f"/contacts/{souths_contact.public_id}/")
    assert response.status_code == 200
    assert "Sid" in response.content.decode()


def test_branch_staff_may_not_erase_even_their_own_branchs_contact(south_staff, souths_contact):
    url = f"/contacts/{souths_contact.public_id}/erase"
    assert client_for(south_staff).post(url, {"confirm": "yes"}).status_code == 403
    assert Contact.objects.filter(pk=souths_contact.pk).exists()


def test_a_malformed_contact_id_is_not_found(owner):
    assert client_for(owner).get("/contacts/not-a-uuid/").status_code == 404
