from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dearly.conftest import make_contact
from dearly.contacts.models import Contact, CustomField
from dearly.contacts.services import set_custom_fields
from dearly.core.actor import Actor
from dearly.messaging.missing import (
    MissingPersonalData,
    audience_gaps,
    fields_needing_data,
    missing_fields,
)
from dearly.messaging.render import render_version
from dearly.messaging.services import Draft, TemplateError, create_template
from dearly.messaging.tests.helpers import draft_version, person


@pytest.mark.parametrize(
    ("html", "needed"),
    [
        ("Hi {{ contact.first_name }}", {"contact.first_name"}),
        ("Hi {{ contact.first_name | default('there') }}", set()),
        ("Hi {{ contact.first_name | title | default('there') }}", set()),
        ("Hi {{ contact.first_name or 'there' }}", set()),
        ("{% if contact.first_name %}Hi {{ contact.first_name }}{% endif %}", set()),
        (
            "{% if contact.town is defined and contact.first_name %}"
            "{{ contact.first_name }}{% endif %}",
            set(),
        ),
        (
            "{% if contact.town %}{{ contact.first_name }}{% else %}{{ contact.town }}{% endif %}",
            {"contact.first_name", "contact.town"},
        ),
        ("{{ contact.first_name if contact.first_name else 'friend' }}", set()),
        ("{{ contact.birthday | date('%-d %B') }}", {"contact.birthday"}),
        ("{{ contact.custom.shoe_size }}", {"contact.custom.shoe_size"}),
        ("{% for t in contact.tags %}{{ t }}{% endfor %}", set()),
        ("{{ branch.name }} {{ business.name }}", set()),
        ("{% if contact.lifecycle_stage == 'customer' %}Thanks{% endif %}", set()),
    ],
)
def test_fields_printed_without_a_default_are_found(html, needed):
    assert fields_needing_data(draft_version(html)) == needed


def test_fields_in_the_subject_count_too():
    version = draft_version("<p>x</p>", subject="For {{ contact.preferred_name }}")
    assert fields_needing_data(version) == {"contact.preferred_name"}


def test_missing_fields_are_those_the_recipient_lacks():
    version = draft_version("Hi {{ contact.first_name }} from {{ contact.town }}")
    assert missing_fields(version, person(first_name="Ada", town="")["contact"]) == {"contact.town"}
    assert missing_fields(version, person(first_name=" ", town="Leeds")["contact"]) == {
        "contact.first_name"
    }


def test_the_hold_policy_holds_the_message_with_a_readable_reason():
    version = draft_version("Dear {{ contact.first_name }},", missing_data_policy="hold")
    with pytest.raises(MissingPersonalData) as caught:
        render_version(version, person(first_name=""))
    assert caught.value.reason == "missing first name"
    assert render_version(version, person(first_name="Ada")).html.endswith(
        "Dear Ada,</body></html>"
    )


def test_the_fallback_policy_uses_the_owners_friendly_wording():
    version = draft_version(
        "Hi {{ contact.first_name }}, see you in {{ contact.town }}",
        fallbacks={"contact.first_name": "there", "contact.town": "town"},
    )
    rendered = render_version(version, person(first_name="", town=""))
    assert "Hi there, see you in town" in rendered.html


def test_without_wording_the_fallback_policy_holds_rather_than_sending_a_blank():
    version = draft_version("Hi {{ contact.first_name }},", fallbacks={"contact.first_name": " "})
    with pytest.raises(MissingPersonalData):
        render_version(version, person(first_name=""))


def test_the_reason_names_every_missing_field():
    version = draft_version(
        "{{ contact.first_name }} {{ contact.town }}", missing_data_policy="hold"
    )
    with pytest.raises(MissingPersonalData) as caught:
        render_version(version, person(first_name="", town=""))
    assert caught.value.reason == "missing first name and town"


@pytest.mark.django_db
def test_a_fallback_policy_needs_wording_for_each_field_it_prints(owner):
    content: dict[str, Any] = {
        "subject": "Hi",
        "html_source": "{{ contact.first_name }} {{ contact.town }}",
    }
    with pytest.raises(TemplateError) as caught:
        create_template(
            actor=Actor.system(),
            name="N",
            draft=Draft(**content, fallbacks={"contact.first_name": "there"}),
        )
    assert caught.value.field == "fallbacks" and "contact.town" in caught.value.message
    fine = Draft(**content, fallbacks={"contact.first_name": "there", "contact.town": "town"})
    assert create_template(actor=Actor.system(), name="N", draft=fine).number == 1
    held = Draft(**content, missing_data_policy="hold")
    assert create_template(actor=Actor.system(), name="H", draft=held).number == 1


@pytest.mark.django_db
def test_audience_gaps_counts_each_missing_field_in_one_query():
    CustomField.objects.create(key="shoe_size", label="Shoe size")
    ada = make_contact(first_name="Ada", town="Leeds")
    set_custom_fields(actor=Actor.system(), contact=ada, values={"shoe_size": "5"})
    make_contact(first_name="", last_name="Hopper", email="g@example.net", town="Leeds")
    make_contact(first_name="", last_name="Noether", email="e@example.net", town="")
    version = draft_version(
        "{{ contact.first_name }} {{ contact.town }} {{ contact.birthday }} "
        "{{ contact.custom.shoe_size }} {{ contact.name }} {{ contact.last_name | default('') }}"
    )
    with CaptureQueriesContext(connection) as queries:
        gaps = audience_gaps(version, Contact.objects.all())
    assert len(queries) == 1
    assert gaps == {
        "contact.first_name": 2,
        "contact.town": 1,
        "contact.birthday": 3,
        "contact.custom.shoe_size": 2,
        "contact.name": 2,
    }


@pytest.mark.django_db
def test_audience_gaps_is_empty_when_everything_has_a_default():
    version = draft_version("Hi {{ contact.first_name | default('there') }}")
    assert audience_gaps(version, Contact.objects.all()) == {}
