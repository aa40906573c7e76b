"""Demo data the app itself accepts: every demo contact can be opened and saved unchanged."""

import random

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.core.actor import Actor
from dearly.core.models import Business
from dearly.core.normalize import normalize_email, normalize_phone
from dearly.demo import business, people
from dearly.preferences.tokens import preferences_token

pytestmark = pytest.mark.django_db


def test_every_demo_phone_number_passes_the_apps_own_validation():
    numbers = [people.drama_phone(n) for n in range(9000)]
    assert all(normalize_phone(number, "GB") == number for number in numbers)  # type: ignore[arg-type]
    assert len(set(numbers)) == 9000 and people.drama_phone(9000) is None


def form_as_posted(form):
    """What the browser sends back for an edit form nobody touched."""
    return {f.name: f.field.widget.format_value(f.value()) or "" for f in form}


def test_every_demo_contact_round_trips_through_the_edit_form(owner):
    Business.objects.create(pk=1, name=business.BUSINESS_NAME, default_country="GB")
    branches = business.add_branches()
    business.add_customers(
        random.Random(7), count=80, branches=branches, actor=Actor.system("demo")
    )
    client = client_for(owner)
    contacts = list(Contact.objects.order_by("pk"))
    assert sum(1 for c in contacts if c.phone) > 40
    for contact in contacts:
        before = Contact.objects.filter(pk=contact.pk).values().get()
        form = client.get(f"/contacts/{contact.public_id}/edit").context["form"]
        assert not form.warnings, (contact, form.warnings)
        response = client.post(f"/contacts/{contact.public_id}/edit", form_as_posted(form))
        assert response.status_code == 302, (contact, response.context["form"].errors)
        after = Contact.objects.filter(pk=contact.pk).values().get()
        assert after == before | {"updated_at": after["updated_at"]}


def test_the_demo_staff_have_addresses_at_the_business_domain(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve", "--customers", "5")
    emails = list(User.objects.values_list("email", flat=True))
    assert len(emails) == 5 and all(e.endswith("@" + business.DOMAIN) for e in emails)
    assert all(normalize_email(e) == e for e in emails)


def test_every_demo_customer_can_update_their_details_in_the_preference_centre():
    Business.objects.create(pk=1, name=business.BUSINESS_NAME, default_country="GB")
    branches = business.add_branches()
    business.add_customers(
        random.Random(7), count=30, branches=branches, actor=Actor.system("demo")
    )
    client = Client()
    for contact in Contact.objects.exclude(email=None).order_by("pk"):
        page = f"/p/{preferences_token(contact.public_id)}/"
        form = client.get(page).context["details"]
        response = client.post(page + "details/", form_as_posted(form))
        assert response.status_code == 302, (contact, response.context["details"].errors)
        assert "check=" not in response["Location"]  # nothing stored looked wrong
