import uuid

from django.core import signing
from django.test import override_settings

from dearly.preferences import tokens

CONTACT = uuid.UUID("6f1c3f5e-8a47-4d33-9f0e-2a1b5c7d9e01")
MESSAGE = uuid.UUID("0b7e2f8c-1d2a-4c5b-8e9f-a1b2c3d4e5f6")


def test_an_unsubscribe_token_names_the_contact_and_the_message():
    token = tokens.unsubscribe_token(CONTACT, MESSAGE)
    assert tokens.read_unsubscribe_token(token) == (CONTACT, MESSAGE)
    assert tokens.read_unsubscribe_token(tokens.unsubscribe_token(CONTACT)) == (CONTACT, None)


def test_a_tampered_or_truncated_unsubscribe_token_reads_as_nothing():
    token = tokens.unsubscribe_token(CONTACT, MESSAGE)
    flipped = token[:5] + ("0" if token[5] != "0" else "1") + token[6:]
    for bad in (flipped, token[:-3], token[:40], "", "nonsense", token + "x"):
        assert tokens.read_unsubscribe_token(bad) is None


def test_a_token_made_for_one_door_does_not_open_another():
    assert tokens.read_unsubscribe_token(tokens.preferences_token(CONTACT)) is None
    assert tokens.read_preferences_token(tokens.unsubscribe_token(CONTACT)) is None
    other_salt = signing.Signer(salt="elsewhere", sep=".").sign(CONTACT.hex)
    assert tokens.read_preferences_token(other_salt) is None


def test_tokens_never_expire_and_depend_on_the_secret_key():
    token = tokens.preferences_token(CONTACT)
    assert tokens.read_preferences_token(token) == CONTACT
    with override_settings(SECRET_KEY="another-secret-key-entirely-for-this-test"):
        assert tokens.read_preferences_token(token) is None


def test_the_mailto_token_fits_in_an_address_and_survives_case_folding():
    token = tokens.mailto_token(CONTACT)
    assert len(f"unsubscribe+{token}") <= 64
    assert tokens.read_mailto_token(token.upper()) == CONTACT
    assert tokens.read_mailto_token(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    assert tokens.read_mailto_token(token[:30]) is None


@override_settings(BASE_URL="https://shop.example", FROM_EMAIL="Shop <news@mail.shop.example>")
def test_the_headers_offer_https_one_click_and_mailto():
    headers = dict(tokens.unsubscribe_headers(CONTACT, MESSAGE))
    https = tokens.unsubscribe_url(CONTACT, MESSAGE)
    mailto = f"mailto:unsubscribe+{tokens.mailto_token(CONTACT)}@mail.shop.example"
    assert https.startswith("https://shop.example/p/u/")
    assert headers["List-Unsubscribe"] == f"<{https}>, <{mailto}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
