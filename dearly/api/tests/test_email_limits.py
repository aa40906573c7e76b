"""The API refuses an address past RFC 5321's limits, naming the field."""

import pytest

from dearly.api.tests.conftest import put_contact
from dearly.contacts.models import Contact

pytestmark = pytest.mark.django_db


def test_upsert_refuses_a_65_character_local_part_naming_the_email_field(api):
    response = put_contact(api, {"email": "a" * 65 + "@example.com", "first_name": "Ada"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "email" and "too long before the @-sign" in error["message"]
    assert not Contact.objects.exists()
