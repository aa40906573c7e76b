"""A stored value today's rules refuse never blocks saving the fields someone did change."""

import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact, ContactPoint, CustomField
from dearly.contacts.services import create_contact
from dearly.core.actor import Actor
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db

OLD_PHONE = "+447700900123"  # Ofcom's mobile drama range: phonenumbers calls it invalid


def stored_with_bad_phone():
    # Written as an older version (or another tool) would have: no cleaner in the way.
    contact = create_contact(
        actor=Actor.system("tests"),
        values={"first_name": "Ada", "last_name": "Lovelace", "phone": OLD_PHONE},
    )
    ContactPoint.objects.create(contact=contact, kind="phone", label="home", value="+4412")
    return contact


def edit(contact, **changes):
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "phone": contact.phone,
        "other_phones": "home: +4412",
        "lifecycle_stage": contact.lifecycle_stage,
        **changes,
    }
    return data


def test_the_edit_form_warns_about_a_stored_value_that_no_longer_validates(owner):
    contact = stored_with_bad_phone()
    response = client_for(owner).get(f"/contacts/{contact.public_id}/edit")
    body = response.content.decode()
    assert 'id="form-warnings"' in body and "Phone: not a valid phone number" in body
    assert 'id="form-errors"' not in body


def test_a_change_elsewhere_saves_and_keeps_the_untouched_bad_value_with_a_warning(owner):
    contact = stored_with_bad_phone()
    response = client_for(owner).post(
        f"/contacts/{contact.public_id}/edit", edit(contact, first_name="Augusta"), follow=True
    )
    contact.refresh_from_db()
    assert (contact.first_name, contact.phone) == ("Augusta", OLD_PHONE)
    assert list(contact.points.values_list("value", flat=True)) == ["+4412"]
    shown = [str(m) for m in response.context["messages"]]
    assert "Phone was kept as it was: not a valid phone number for GB or abroad." in shown[1]
    assert any(m.startswith("Other phones was kept as it was") for m in shown)
    event = AuditEvent.objects.get(action="contact.updated")
    assert event.new == {"first_name": "Augusta"}


def test_a_bad_value_someone_typed_is_still_refused(owner):
    contact = stored_with_bad_phone()
    response = client_for(owner).post(
        f"/contacts/{contact.public_id}/edit", edit(contact, first_name="Augusta", phone="+4413")
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert Contact.objects.get().first_name == "Ada"


def test_a_new_bad_line_among_kept_ones_is_refused(owner):
    contact = stored_with_bad_phone()
    response = client_for(owner).post(
        f"/contacts/{contact.public_id}/edit", edit(contact, other_phones="home: +4412\n+4413")
    )
    errors = response.context["form"].errors["other_phones"]
    assert errors == ["+4413: not a valid phone number for GB or abroad"]


def test_a_stored_choice_since_removed_from_the_list_is_kept_not_cleared(owner):
    CustomField.objects.create(
        key="plan", label="Plan", field_type="choice", choices=["Monthly", "Weekly"]
    )
    contact = make_contact(first_name="Ada")
    Contact.objects.filter(pk=contact.pk).update(custom_fields={"plan": "Fortnightly"})
    client = client_for(owner)
    page = client.get(f"/contacts/{contact.public_id}/edit").content.decode()
    assert '<option value="Fortnightly" selected>Fortnightly (no longer a choice)</option>' in page
    data = edit(contact, first_name="Augusta", phone="", other_phones="", cf_plan="Fortnightly")
    response = client.post(f"/contacts/{contact.public_id}/edit", data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.custom_fields) == ("Augusta", {"plan": "Fortnightly"})


def test_stored_household_facts_that_break_todays_rules_are_kept(owner):
    contact = make_contact(first_name="Ada")
    facts = {"Pets": "x" * 250}  # longer than the form lets anyone type now
    Contact.objects.filter(pk=contact.pk).update(household=facts)
    client = client_for(owner)
    form = client.get(f"/contacts/{contact.public_id}/edit").context["form"]
    data = edit(contact, first_name="Augusta", phone="", other_phones="")
    data["household"] = form.initial["household"]
    response = client.post(f"/contacts/{contact.public_id}/edit", data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.household) == ("Augusta", facts)
