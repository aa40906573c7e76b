import pytest

from dearly.contacts.models import CustomField
from dearly.core.models import Business
from dearly.messaging.checks import check_version, is_blocking
from dearly.messaging.tests.helpers import draft_version

pytestmark = pytest.mark.django_db

GOOD = (
    "<p>Hi {{ contact.first_name | default('there') }}</p>"
    "<p><a href='https://corner.cafe/menu'>Menu</a>"
    " <img src='https://corner.cafe/c.png' alt='Cake'></p>"
    "<p><a href='{{ links.unsubscribe_url }}'>Unsubscribe</a> {{ business.postal_address }}</p>"
)


@pytest.fixture(autouse=True)
def business(db):
    return Business.objects.create(pk=1, name="Corner Café", postal_address="1 High St, Leeds")


def codes(version, purpose="promotional"):
    return {c.code: c for c in check_version(version, purpose=purpose)}


def test_a_good_marketing_email_passes_every_check():
    version = draft_version(GOOD, subject="Cake for you", preheader="Fresh on Friday")
    assert check_version(version, purpose="promotional") == []


def test_a_missing_unsubscribe_link_blocks_marketing_but_not_service_email():
    version = draft_version(GOOD.replace("{{ links.unsubscribe_url }}", "https://corner.cafe/"))
    assert codes(version)["unsubscribe_missing"].level == "error"
    assert codes(version, "informational")["unsubscribe_missing"].level == "error"
    assert "unsubscribe_missing" not in codes(version, "service")


def test_a_written_text_part_without_unsubscribe_gets_a_warning():
    version = draft_version(GOOD, preheader="p", text_source="Hi {{ contact.first_name }}")
    assert codes(version)["unsubscribe_missing_text"].level == "warning"


@pytest.mark.parametrize(
    ("href", "code"),
    [
        ("javascript:alert(1)", "link_scheme"),
        ("data:text/html,hi", "link_scheme"),
        ("ftp://corner.cafe/x", "link_scheme"),
        ("/menu", "link_not_absolute"),
        ("www.corner.cafe", "link_not_absolute"),
        ("", "link_empty"),
        ("https://", "link_malformed"),
        ("http://[::1", "link_malformed"),
        ("https://example.com/offer", "link_placeholder"),
        ("https://www.example.org", "link_placeholder"),
    ],
)
def test_bad_links_are_errors_with_their_line(href, code):
    version = draft_version(GOOD + f"\n<a href='{href}'>x</a>", preheader="p")
    check = codes(version)[code]
    assert check.level == "error"
    assert check.where == ("HTML, line 2" if href else "HTML")


@pytest.mark.parametrize(
    "href", ["https://corner.cafe", "http://corner.cafe/a?b=c", "mailto:hi@corner.cafe", "tel:+44"]
)
def test_good_links_pass(href):
    version = draft_version(GOOD + f"<a href='{href}'>x</a>", preheader="p")
    assert not [c for c in check_version(version, purpose="promotional") if "link" in c.code]


def test_links_built_from_merge_fields_are_checked_as_rendered():
    version = draft_version(GOOD + "<a href='https://{{ contact.town }}.example.com'>x</a>")
    assert "link_placeholder" in codes(version)


def test_subject_missing_is_an_error_and_a_long_one_a_warning():
    assert codes(draft_version(GOOD, subject=" "))["subject_missing"].level == "error"
    long = codes(draft_version(GOOD, subject="x" * 61, preheader="p"))["subject_long"]
    assert long.level == "warning" and "61 characters" in long.message
    assert "subject_long" not in codes(draft_version(GOOD, subject="x" * 60, preheader="p"))


def test_preheader_advice():
    assert codes(draft_version(GOOD, preheader=""))["preheader_missing"].level == "warning"
    same = codes(draft_version(GOOD, subject="Hello", preheader="hello"))
    assert same["preheader_repeats_subject"].level == "warning"


def test_images_without_alt_text_are_warnings():
    version = draft_version(GOOD + "\n<img src='https://corner.cafe/x.png'>", preheader="p")
    check = codes(version)["image_alt"]
    assert (check.level, check.where) == ("warning", "HTML, line 2")
    decorative = draft_version(GOOD + "<img src='https://corner.cafe/x.png' alt=''>")
    assert "image_alt" not in codes(decorative)


def test_unknown_merge_fields_are_errors_with_name_and_line():
    CustomField.objects.create(key="shoe_size", label="Shoe size")
    version = draft_version(
        GOOD + "\n{{ contact.frist_name }}\n{{ contact.custom.shoe_size }} {{ contact.custom.hat }}"
        "\n{{ config }}{% for t in contact.tags %}{{ t }}{% endfor %}"
    )
    found = [c for c in check_version(version, purpose="service") if c.code == "unknown_field"]
    assert [(c.message, c.where) for c in found] == [
        ("Unknown merge field “contact.frist_name”.", "HTML, line 2"),
        ("Unknown merge field “contact.custom.hat”.", "HTML, line 3"),
        ("Unknown merge field “config”.", "HTML, line 4"),
    ]


def test_a_missing_postal_address_blocks_marketing_email(business):
    business.postal_address = ""
    business.save()
    version = draft_version(GOOD, preheader="p")
    assert codes(version)["postal_address_missing"].level == "error"
    assert "postal_address_missing" not in codes(version, "service")


def test_a_template_without_the_postal_address_gets_a_warning():
    version = draft_version(GOOD.replace("{{ business.postal_address }}", ""), preheader="p")
    assert codes(version)["postal_address_not_in_template"].level == "warning"
    assert "postal_address_not_in_template" not in codes(version, "service")


def test_syntax_errors_are_errors_with_their_line():
    version = draft_version(GOOD + "\n\n{% if contact.town %}", preheader="p")
    check = codes(version)["syntax"]
    assert (check.level, check.where) == ("error", "HTML, line 3")
    assert is_blocking(check_version(version, purpose="service"))


def test_a_fallback_policy_without_wording_is_an_error():
    version = draft_version("Hi {{ contact.first_name }}", preheader="p")
    assert codes(version, "service")["fallback_missing"].level == "error"
    worded = draft_version("Hi {{ contact.first_name }}", fallbacks={"contact.first_name": "you"})
    assert "fallback_missing" not in codes(worded, "service")
