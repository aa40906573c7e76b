import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dearly.contacts.models import ConsentStatus, Contact
from dearly.contacts.services import current_consents
from dearly.preferences.models import PendingSignup
from dearly.preferences.tests.helpers import subscriber
from dearly.preferences.tokens import preferences_token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_customer_unticks_the_newsletter_and_sees_it_saved(page):
    contact = subscriber(purposes=("newsletter", "marketing"))
    page.goto(f"/p/{preferences_token(contact.public_id)}/")
    email = page.get_by_role("group", name="Email")
    newsletter = email.get_by_role("checkbox", name="Newsletter")
    assert newsletter.is_checked()
    newsletter.uncheck()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_role("status").get_by_text("Your choices are saved.").wait_for()
    assert (
        not page.get_by_role("group", name="Email")
        .get_by_role("checkbox", name="Newsletter")
        .is_checked()
    )
    assert current_consents(contact)[("email", "newsletter")] == ConsentStatus.WITHDRAWN
    assert current_consents(contact)[("email", "marketing")] == ConsentStatus.GRANTED


def test_a_visitor_signs_up_on_the_hosted_page(page):
    page.goto("/p/signup/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("First name (optional)").fill("Grace")
    # A person takes a few seconds over a form; move the clock on instead of waiting.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30)):
        page.get_by_role("button", name="Sign up").click()
        page.get_by_role("heading", name="Check your inbox").wait_for()
    contact = Contact.objects.get(email="grace@example.com")
    assert PendingSignup.objects.filter(contact=contact, confirmed_at=None).exists()
    assert current_consents(contact) == {}
