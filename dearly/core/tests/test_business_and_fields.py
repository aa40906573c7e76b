"""Business details and custom field definitions: validated, saved, audited."""

import pytest
from django.urls import reverse

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact, CustomField
from dearly.core.models import AuditEvent, Business

pytestmark = pytest.mark.django_db


def save_business(client, **overrides):
    data = {"name": "Greenfingers", "postal_address": "1 High St\nLeeds", "default_country": "gb"}
    return client.post(reverse("core:business"), data | overrides)


def test_the_first_save_creates_the_business_row_and_records_the_change(owner):
    assert save_business(client_for(owner)).status_code == 302
    business = Business.objects.get(pk=1)
    assert (business.name, business.default_country) == ("Greenfingers", "GB")
    event = AuditEvent.objects.get(action="settings.changed")
    assert event.new["name"] == "Greenfingers"


def test_a_later_save_records_only_what_changed(owner):
    client = client_for(owner)
    save_business(client)
    save_business(client, name="Greenfingers Ltd")
    event = AuditEvent.objects.filter(action="settings.changed")[0]
    assert (event.old, event.new) == ({"name": "Greenfingers"}, {"name": "Greenfingers Ltd"})


def test_an_unknown_country_is_refused_next_to_its_field(owner):
    response = save_business(client_for(owner), default_country="XX")
    assert "two-letter country code" in response.context["form"].errors["default_country"][0]
    assert not Business.objects.exists()


def test_the_form_shows_the_saved_details(owner):
    save_business(client_for(owner))
    html = client_for(owner).get(reverse("core:business")).content.decode()
    assert "Greenfingers" in html


def add_field(client, **overrides):
    data = {"key": "shoe_size", "label": "Shoe size", "field_type": "number", "choices": ""}
    return client.post(reverse("core:field_new"), data | overrides)


def test_a_manager_defines_a_choice_field_and_it_is_audited(manager):
    add_field(
        client_for(manager),
        key="colour",
        label="Colour",
        field_type="choice",
        choices="Red\nGreen\n\nRed",
    )
    field = CustomField.objects.get(key="colour")
    assert field.choices == ["Red", "Green"]
    event = AuditEvent.objects.get(action="custom_field.created")
    assert (event.subject_id, event.new["type"]) == ("colour", "choice")


def test_a_choice_field_without_choices_is_refused(owner):
    response = add_field(client_for(owner), field_type="choice")
    assert response.context["form"].errors["choices"] == ["list at least one choice, one per line"]


@pytest.mark.parametrize(
    ("key", "message"),
    [("Shoe Size", "lower-case letters"), ("email", "built-in"), ("9lives", "lower-case")],
)
def test_a_key_that_is_not_plain_or_clashes_with_a_built_in_field_is_refused(owner, key, message):
    response = add_field(client_for(owner), key=key)
    assert message in response.context["form"].errors["key"][0]


def test_editing_a_field_changes_its_label_but_keeps_its_key(owner):
    add_field(client_for(owner))
    client_for(owner).post(
        reverse("core:field_edit", args=["shoe_size"]),
        {"label": "UK shoe size", "field_type": "number", "choices": ""},
    )
    assert CustomField.objects.get(key="shoe_size").label == "UK shoe size"
    assert AuditEvent.objects.get(action="custom_field.changed").new == {"label": "UK shoe size"}


def test_the_type_of_a_field_in_use_cannot_change(owner):
    add_field(client_for(owner))
    Contact.objects.filter(pk=make_contact().pk).update(custom_fields={"shoe_size": 7})
    response = client_for(owner).post(
        reverse("core:field_edit", args=["shoe_size"]),
        {"label": "Shoe size", "field_type": "text", "choices": ""},
    )
    assert "already hold values" in response.context["form"].errors["field_type"][0]


def test_an_unused_field_is_deleted_straight_away(owner):
    add_field(client_for(owner))
    response = client_for(owner).post(reverse("core:field_delete", args=["shoe_size"]))
    assert response.status_code == 302
    assert not CustomField.objects.exists()
    assert AuditEvent.objects.filter(action="custom_field.deleted").exists()


def test_deleting_a_field_with_values_asks_first_then_removes_the_values(owner):
    add_field(client_for(owner))
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(custom_fields={"shoe_size": 7, "other": 1})
    url = reverse("core:field_delete", args=["shoe_size"])
    asked = client_for(owner).post(url)
    assert "1 contact</strong> holds a value" in asked.content.decode()
    assert CustomField.objects.exists()
    client_for(owner).post(url, {"confirm": "yes"})
    assert not CustomField.objects.exists()
    contact.refresh_from_db()
    assert contact.custom_fields == {"other": 1}
    event = AuditEvent.objects.get(action="custom_field.deleted")
    assert event.old["contacts_with_value"] == 1
