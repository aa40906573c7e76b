"""Each operator of each kind of field selects exactly the contacts a person would expect."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dearly.audiences.tests.helpers import cond, grant, names, tree, withdraw
from dearly.conftest import make_contact
from dearly.contacts.models import Contact, CustomField

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(north):
    make_contact(first_name="Ada", email="ada@Example.com", town="Leeds", source="")
    make_contact(first_name="Bob", email="bob@other.org", town="York", branch=north)
    make_contact(first_name="Cy", phone="+447911123456", town="", source="Fair")


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("first_name", "is", "ada", {"Ada"}),
        ("first_name", "is_not", "Ada", {"Bob", "Cy"}),
        ("town", "contains", "EE", {"Ada"}),
        ("town", "starts_with", "y", {"Bob"}),
        ("town", "is_blank", None, {"Cy"}),
        ("town", "is_not_blank", None, {"Ada", "Bob"}),
        ("email", "is", "ADA@example.com", {"Ada"}),
        ("email", "is_not", "ada@example.com", {"Bob", "Cy"}),
        ("email", "is_blank", None, {"Cy"}),
        ("email_domain", "is", "example.com", {"Ada"}),
        ("email_domain", "is_not", "example.com", {"Bob", "Cy"}),
        ("email_domain", "contains", "the", {"Bob"}),
        ("email_domain", "starts_with", "ex", {"Ada"}),
        ("source", "is", "fair", {"Cy"}),
        ("has_email", "is_true", None, {"Ada", "Bob"}),
        ("has_email", "is_false", None, {"Cy"}),
        ("has_phone", "is_true", None, {"Cy"}),
        ("has_phone", "is_false", None, {"Ada", "Bob"}),
    ],
)
def test_text_and_presence_operators(owner, people, field, op, value, expected):
    assert names(owner, tree(cond(field, op, value))) == expected


def test_contains_treats_percent_and_underscore_as_plain_characters(owner):
    make_contact(first_name="Ada", town="100% Leeds")
    make_contact(first_name="Bob", town="1000 Leeds")
    assert names(owner, tree(cond("town", "contains", "0%"))) == {"Ada"}
    assert names(owner, tree(cond("town", "contains", "_"))) == set()


def test_lifecycle_operators(owner):
    make_contact(first_name="Ada", lifecycle_stage="customer")
    make_contact(first_name="Bob", lifecycle_stage="lead")
    make_contact(first_name="Cy", lifecycle_stage="former")
    assert names(owner, tree(cond("lifecycle_stage", "is", "customer"))) == {"Ada"}
    assert names(owner, tree(cond("lifecycle_stage", "is_not", "customer"))) == {"Bob", "Cy"}
    assert names(owner, tree(cond("lifecycle_stage", "in", ["lead", "former"]))) == {"Bob", "Cy"}


def test_branch_operators_count_contacts_without_a_branch_as_not_in_it(owner, north, south):
    make_contact(first_name="Ada", branch=north)
    make_contact(first_name="Bob", branch=south)
    make_contact(first_name="Cy")
    assert names(owner, tree(cond("branch", "is", north.pk))) == {"Ada"}
    assert names(owner, tree(cond("branch", "is_not", north.pk))) == {"Bob", "Cy"}


def test_tag_operators_ignore_case_and_never_repeat_a_contact(owner):
    make_contact(first_name="Ada", tags=("VIP", "Wine"))
    make_contact(first_name="Bob", tags=("Wine",))
    make_contact(first_name="Cy")
    assert names(owner, tree(cond("tag", "has", "vip"))) == {"Ada"}
    assert names(owner, tree(cond("tag", "has_not", "VIP"))) == {"Bob", "Cy"}
    audience = tree(cond("tag", "any_of", ["VIP", "wine"]))
    assert names(owner, audience) == {"Ada", "Bob"}
    assert names(owner, tree(cond("tag", "all_of", ["VIP", "Wine"]))) == {"Ada"}


def test_tag_any_of_counts_a_contact_with_both_tags_once(owner):
    from dearly.audiences.queries import audience_for

    make_contact(first_name="Ada", tags=("VIP", "Wine"))
    rules = tree(cond("tag", "any_of", ["VIP", "Wine"]))
    assert audience_for(owner.membership, rules).count() == 1


def test_consent_operators_follow_the_current_state_not_the_history(owner):
    ada = make_contact(first_name="Ada", email="ada@example.com")
    bob = make_contact(first_name="Bob", email="bob@example.com")
    make_contact(first_name="Cy", email="cy@example.com")
    grant(ada)
    grant(bob)
    withdraw(bob)
    grant(bob, purpose="marketing")
    newsletter = {"channel": "email", "purpose": "newsletter"}
    assert names(owner, tree(cond("consent", "granted", newsletter))) == {"Ada"}
    assert names(owner, tree(cond("consent", "not_granted", newsletter))) == {"Bob", "Cy"}


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_moment_operators(owner):
    now = timezone.now()
    for name, days_ago in (("Ada", 3), ("Bob", 40), ("Cy", 400)):
        contact = make_contact(first_name=name)
        at = now - dt.timedelta(days=days_ago)
        Contact.objects.filter(pk=contact.pk).update(created_at=at, lifecycle_changed_at=at)
    assert names(owner, tree(cond("created_at", "in_last_days", 30))) == {"Ada"}
    assert names(owner, tree(cond("created_at", "more_than_days_ago", 30))) == {"Bob", "Cy"}
    assert names(owner, tree(cond("created_at", "before", "2026-05-07"))) == {"Bob", "Cy"}
    assert names(owner, tree(cond("created_at", "after", "2026-05-06"))) == {"Ada"}
    assert names(owner, tree(cond("lifecycle_changed_at", "in_last_days", 50))) == {"Ada", "Bob"}


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_customer_since_counts_only_customers(owner):
    now = timezone.now()
    for name, stage in (("Ada", "customer"), ("Bob", "lead")):
        contact = make_contact(first_name=name, lifecycle_stage=stage)
        at = now - dt.timedelta(days=400)
        Contact.objects.filter(pk=contact.pk).update(lifecycle_changed_at=at)
    rules = tree(cond("customer_since", "more_than_days_ago", 365))
    assert names(owner, rules) == {"Ada"}


@pytest.fixture
def custom(db):
    CustomField.objects.create(key="shoe-size", label="Shoe size", field_type="number")
    CustomField.objects.create(key="contains", label="Notes", field_type="text")
    CustomField.objects.create(key="joined", label="Joined", field_type="date")
    CustomField.objects.create(key="member", label="Member", field_type="boolean")
    CustomField.objects.create(
        key="colour", label="Colour", field_type="choice", choices=["Red", "Blue"]
    )
    values = {
        "Ada": {"shoe-size": 5, "contains": "Loves wine", "joined": "2020-01-31",
                "member": True, "colour": "Red"},
        "Bob": {"shoe-size": 9.5, "joined": "2024-06-01", "member": False, "colour": "Blue"},
        "Cy": {},
    }  # fmt: skip
    for name, data in values.items():
        contact = make_contact(first_name=name)
        Contact.objects.filter(pk=contact.pk).update(custom_fields=data)


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("shoe-size", "eq", 5, {"Ada"}),
        ("shoe-size", "ne", 5, {"Bob", "Cy"}),
        ("shoe-size", "gt", 5, {"Bob"}),
        ("shoe-size", "gte", 5, {"Ada", "Bob"}),
        ("shoe-size", "lt", 9.5, {"Ada"}),
        ("shoe-size", "lte", 9.5, {"Ada", "Bob"}),
        ("shoe-size", "is_blank", None, {"Cy"}),
        ("shoe-size", "is_not_blank", None, {"Ada", "Bob"}),
        ("contains", "contains", "WINE", {"Ada"}),
        ("contains", "is_not", "loves wine", {"Bob", "Cy"}),
        ("contains", "is_blank", None, {"Bob", "Cy"}),
        ("joined", "is", "2020-01-31", {"Ada"}),
        ("joined", "before", "2024-01-01", {"Ada"}),
        ("joined", "after", "2020-01-31", {"Bob"}),
        ("joined", "is_blank", None, {"Cy"}),
        ("member", "is_true", None, {"Ada"}),
        ("member", "is_false", None, {"Bob"}),
        ("member", "is_blank", None, {"Cy"}),
        ("colour", "is", "Red", {"Ada"}),
        ("colour", "is_not", "Red", {"Bob", "Cy"}),
        ("colour", "in", ["Red", "Blue"], {"Ada", "Bob"}),
        ("colour", "is_not_blank", None, {"Ada", "Bob"}),
    ],
)
def test_custom_field_operators(owner, custom, field, op, value, expected):
    assert names(owner, tree(cond("custom." + field, op, value))) == expected


def test_nested_groups_combine_all_and_any(owner):
    make_contact(first_name="Ada", lifecycle_stage="customer", tags=("VIP",))
    make_contact(first_name="Bob", lifecycle_stage="customer", town="York")
    make_contact(first_name="Cy", lifecycle_stage="lead", tags=("VIP",))
    make_contact(first_name="Di", lifecycle_stage="customer", town="Leeds")
    rules = tree(
        cond("lifecycle_stage", "is", "customer"),
        tree(
            cond("tag", "has", "VIP"),
            tree(cond("town", "is", "York"), cond("first_name", "is", "Bob")),
            match="any",
        ),
    )
    assert names(owner, rules) == {"Ada", "Bob"}
    assert names(owner, {**rules, "match": "any"}) == {"Ada", "Bob", "Cy", "Di"}


def test_an_empty_tree_is_everyone_the_member_can_see(owner, north_staff, north, south):
    make_contact(first_name="Ada", branch=north)
    make_contact(first_name="Bob", branch=south)
    assert names(owner, tree()) == {"Ada", "Bob"}
    assert names(north_staff, tree()) == {"Ada"}
