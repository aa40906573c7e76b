import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact, Suppression
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_erase_page_says_what_will_happen_before_anything_does(manager):
    contact = make_contact(first_name="Ada", email="ada@example.com")
    html = client_for(manager).get(f"/contacts/{contact.public_id}/erase").content.decode()
    assert "Erase Ada Lovelace?" in html and "cannot be undone" in html
    assert "do-not-contact list" in html
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_erasing_without_ticking_the_box_erases_nothing(owner):
    contact = make_contact(email="ada@example.com")
    response = client_for(owner).post(f"/contacts/{contact.public_id}/erase", {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_confirmed_erasure_removes_the_contact_and_keeps_the_address_suppressed(manager):
    contact = make_contact(email="ada@example.com")
    url = f"/contacts/{contact.public_id}/erase"
    response = client_for(manager).post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == "/contacts/"
    assert "was erased" in response.content.decode()
    assert not Contact.objects.exists()
    assert Suppression.objects.filter(reason="erased").count() == 1
    assert AuditEvent.objects.get(action="contact.erased").actor == manager


def test_the_erase_button_is_shown_only_to_roles_that_may_erase(owner, north_staff, north):
    contact = make_contact(branch=north)
    url = f"/contacts/{contact.public_id}/"
    assert "Erase…" in client_for(owner).get(url).content.decode()
    assert "Erase…" not in client_for(north_staff).get(url).content.decode()
