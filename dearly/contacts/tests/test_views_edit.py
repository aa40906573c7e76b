import pytest

from dearly.conftest import client_for, make_contact
from dearly.contacts.models import Contact, CustomField, LifecycleChange
from dearly.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"first_name": "Ada", "last_name": "Lovelace", "lifecycle_stage": "lead"}
    return {**data, **overrides}


def test_a_new_contact_is_saved_with_normalised_values_and_audited(owner, north):
    response = client_for(owner).post(
        "/contacts/new",
        form_data(
            email=" Ada@Example.COM ",
            phone="07911 123456",
            branch=str(north.pk),
            tags="regulars, vegan",
            household="Children's ages: 4, 7",
            other_emails="work: ada@work.example",
            social_handles="instagram: @ada",
        ),
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.public_id}/"
    assert (contact.email, contact.phone) == ("ada@example.com", "+447911123456")
    assert contact.branch == north and contact.branch_chosen
    assert sorted(t.name for t in contact.tags.all()) == ["regulars", "vegan"]
    assert contact.household == {"Children's ages": "4, 7"}
    assert {(p.kind, p.label, p.value) for p in contact.points.all()} == {
        ("email", "work", "ada@work.example"),
        ("social", "instagram", "@ada"),
    }
    event = AuditEvent.objects.get(action="contact.created")
    assert event.source == "ui" and event.actor == owner


def test_invalid_values_are_shown_next_to_their_fields_and_nothing_is_saved(owner):
    response = client_for(owner).post(
        "/contacts/new", form_data(email="not-an-email", phone="12", birthday="31/02/2020")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"email", "phone", "birthday"}
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'aria-invalid="true"' in html
    assert not Contact.objects.exists()


def test_a_duplicate_email_is_reported_on_the_email_field(owner):
    make_contact(email="ada@example.com")
    response = client_for(owner).post("/contacts/new", form_data(email="ada@example.com"))
    assert "another contact already has this email" in str(response.context["form"].errors)
    assert Contact.objects.count() == 1


def test_a_bad_extra_address_keeps_the_whole_edit_from_being_saved(owner):
    contact = make_contact(email="ada@example.com")
    response = client_for(owner).post(
        f"/contacts/{contact.public_id}/edit",
        form_data(first_name="Adele", other_phones="home: 123"),
    )
    assert "other_phones" in response.context["form"].errors
    contact.refresh_from_db()
    assert contact.first_name == "Ada"


def test_changing_the_stage_keeps_the_reason_in_the_lifecycle_history(owner):
    contact = make_contact()
    client_for(owner).post(
        f"/contacts/{contact.public_id}/edit",
        form_data(lifecycle_stage="customer", lifecycle_reason="first order"),
    )
    change = LifecycleChange.objects.get(contact=contact, to_stage="customer")
    assert (change.from_stage, change.to_stage, change.reason) == (
        "lead",
        "customer",
        "first order",
    )
    page = client_for(owner).get(f"/contacts/{contact.public_id}/").content.decode()
    assert "first order" in page


def test_editing_removes_extra_addresses_that_were_deleted_from_the_form(owner):
    contact = make_contact()
    client = client_for(owner)
    url = f"/contacts/{contact.public_id}/edit"
    client.post(url, form_data(other_emails="a@example.com\nb@example.com"))
    client.post(url, form_data(other_emails="b@example.com"))
    assert list(contact.points.values_list("value", flat=True)) == ["b@example.com"]
    assert AuditEvent.objects.filter(action="contact.point_removed").count() == 1


def test_custom_fields_are_typed_validated_and_stored(owner):
    CustomField.objects.create(key="visits", label="Visits", field_type="number")
    CustomField.objects.create(key="since", label="Member since", field_type="date")
    CustomField.objects.create(key="vegan", label="Vegan", field_type="boolean")
    CustomField.objects.create(
        key="drink", label="Usual drink", field_type="choice", choices=["Latte", "Tea"]
    )
    client = client_for(owner)
    bad = client.post(
        "/contacts/new", form_data(cf_visits="many", cf_since="someday", cf_drink="Gin")
    )
    assert set(bad.context["form"].errors) == {"cf_visits", "cf_since", "cf_drink"}
    client.post(
        "/contacts/new",
        form_data(cf_visits="12", cf_since="2024-03-01", cf_vegan="yes", cf_drink="Latte"),
    )
    contact = Contact.objects.get()
    assert contact.custom_fields == {
        "visits": 12,
        "since": "2024-03-01",
        "vegan": True,
        "drink": "Latte",
    }
    page = client.get(f"/contacts/{contact.public_id}/").content.decode()
    assert "Usual drink" in page and "Latte" in page


def test_branch_staff_create_contacts_in_their_own_branch_only(north_staff, north, south):
    client_for(north_staff).post("/contacts/new", form_data(branch=str(south.pk)))
    contact = Contact.objects.get()
    assert contact.branch == north


def test_the_edit_form_shows_the_current_values(owner):
    contact = make_contact(email="ada@example.com", tags=("vip",), birthday="10/12/1990")
    html = client_for(owner).get(f"/contacts/{contact.public_id}/edit").content.decode()
    assert 'value="ada@example.com"' in html and 'value="vip"' in html
    # A date input only understands ISO dates, whatever the site's locale.
    assert 'type="date" name="birthday" value="1990-12-10"' in html
