"""Every address is held to RFC 5321's sizes, which mail servers may refuse beyond."""

import pytest

from dearly.conftest import client_for
from dearly.contacts.models import Contact
from dearly.core.normalize import InvalidValue, normalize_email

pytestmark = pytest.mark.django_db

LOCAL_65 = "a" * 65 + "@example.com"
ADDRESS_255 = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 58]) + ".com"


@pytest.mark.parametrize(
    ("address", "why"),
    [
        (LOCAL_65, "too long before the @-sign (1 character too many)"),
        ("é" * 33 + "@example.com", "the part before the @ is 66 octets"),
        ("ada@" + "b" * 64 + ".com", "periods cannot be separated by so many characters"),
        (ADDRESS_255, "too long (1 character too many)"),
        ("ada@example..com", "two periods in a row"),
    ],
    ids=["local-65", "local-66-octets", "label-64", "address-255", "empty-label"],
)
def test_addresses_past_the_rfc_5321_limits_are_refused(address, why):
    with pytest.raises(InvalidValue, match="not a valid email address") as refused:
        normalize_email(address)
    assert why in str(refused.value)


@pytest.mark.parametrize(
    "address",
    [
        "a" * 64 + "@example.com",
        "é" * 32 + "@example.com",
        ADDRESS_255[:-5] + ".com",
    ],
    ids=["local-64", "local-64-octets", "address-254"],
)
def test_addresses_at_the_limits_are_accepted(address):
    assert normalize_email(address) == address.lower()


def test_the_contact_form_refuses_a_65_character_local_part_on_the_email_field(owner):
    response = client_for(owner).post(
        "/contacts/new", {"first_name": "Ada", "lifecycle_stage": "lead", "email": LOCAL_65}
    )
    assert response.status_code == 200
    assert "too long before the @-sign" in response.context["form"].errors["email"][0]
    assert "Email: not a valid email address" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_contact_form_refuses_a_long_local_part_among_other_emails(owner):
    response = client_for(owner).post(
        "/contacts/new",
        {"first_name": "Ada", "lifecycle_stage": "lead", "other_emails": f"work: {LOCAL_65}"},
    )
    assert "too long before the @-sign" in response.context["form"].errors["other_emails"][0]
