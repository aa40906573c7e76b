"""Invalid rule trees are refused with the path of each mistake, and never compile."""

import pytest

from dearly.audiences.queries import audience_for
from dearly.audiences.rules import InvalidRules, RuleError, validate_rules
from dearly.audiences.tests.helpers import cond, tree
from dearly.contacts.models import CustomField

pytestmark = pytest.mark.django_db


def paths(rules) -> dict[str, str]:
    return {e.path: e.message for e in validate_rules(rules)}


def test_a_valid_nested_tree_has_no_errors(north):
    rules = tree(
        cond("lifecycle_stage", "in", ["customer"]),
        tree(cond("branch", "is", north.pk), cond("tag", "all_of", ["VIP"]), match="any"),
    )
    assert validate_rules(rules) == []


def test_errors_name_the_path_of_the_value_that_is_wrong():
    rules = tree(
        cond("first_name", "is", "Ada"),
        cond("town", "contains", ""),
        tree(cond("birthday", "in_next_days", 0), cond("email", "sounds_like", "x")),
    )
    assert paths(rules) == {
        "rules.1.value": "enter a value",
        "rules.2.rules.0.value": "enter a whole number of days from 1 to 366",
        "rules.2.rules.1.op": "choose how to compare",
    }


@pytest.mark.parametrize(
    ("node", "path", "message"),
    [
        (cond("shoe", "is", "x"), "rules.0.field", "choose a field"),
        (cond("tag", "is", "x"), "rules.0.op", "choose how to compare"),
        (cond("lifecycle_stage", "is", "vip"), "rules.0.value", "choose one of the options"),
        (cond("lifecycle_stage", "in", []), "rules.0.value", "choose at least one option"),
        (cond("branch", "is", 999), "rules.0.value", "choose a branch"),
        (cond("branch", "is", True), "rules.0.value", "choose a branch"),
        (cond("tag", "all_of", "VIP"), "rules.0.value", "choose at least one tag"),
        (cond("consent", "granted", {"channel": "fax", "purpose": "marketing"}),
         "rules.0.value", "choose a channel"),
        (cond("consent", "granted", {"channel": "email"}),
         "rules.0.value", "choose a channel and a purpose"),
        (cond("created_at", "before", "31/12/2020"), "rules.0.value", "enter a date (YYYY-MM-DD)"),
        (cond("created_at", "in_last_days", "7"), "rules.0.value",
         "enter a whole number of days from 1 to 366"),
        (cond("birthday", "today", 3), "rules.0.value", "this comparison takes no value"),
        ({"field": "town", "op": "is", "value": "x", "sql": "1=1"}, "rules.0.sql", "unknown key"),
        ("town = 'x'", "rules.0", "a condition needs a field, an operator and a value"),
    ],
)  # fmt: skip
def test_each_kind_of_mistake_is_reported(node, path, message):
    assert paths(tree(node)) == {path: message}


def test_custom_fields_are_checked_against_their_definition():
    CustomField.objects.create(key="size", label="Size", field_type="number")
    CustomField.objects.create(key="colour", label="Colour", field_type="choice", choices=["Red"])
    rules = tree(
        cond("custom.size", "gt", "big"),
        cond("custom.size", "contains", "1"),
        cond("custom.colour", "is", "Green"),
        cond("custom.gone", "is", "x"),
    )
    assert paths(rules) == {
        "rules.0.value": "enter a number",
        "rules.1.op": "choose how to compare",
        "rules.2.value": "choose one of the options",
        "rules.3.field": "choose a field",
    }


def test_groups_nest_at_most_three_deep():
    deepest = tree(cond("town", "is", "Leeds"))
    assert paths(tree(tree(deepest))) == {}
    assert paths(tree(tree(tree(deepest)))) == {
        "rules.0.rules.0.rules.0": "groups nest at most 3 deep"
    }


def test_the_shape_of_the_tree_is_checked():
    assert paths({"match": "some", "rules": []}) == {"match": "choose all or any"}
    assert paths({"match": "all"}) == {"rules": "a group needs a list of rules"}
    assert paths([]) == {"rules": "a group needs a list of rules"}
    assert paths(tree(tree())) == {"rules.0.rules": "add a condition to this group or remove it"}


def test_an_invalid_tree_never_compiles(owner):
    with pytest.raises(InvalidRules) as raised:
        audience_for(owner.membership, tree(cond("town", "is", {"$ne": None})))
    assert raised.value.errors == [RuleError("rules.0.value", "enter a value")]
