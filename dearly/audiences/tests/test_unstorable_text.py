"""A segment's name, description or rule value that cannot be stored is refused by field."""

import pytest

from dearly.audiences.models import Segment
from dearly.audiences.rules import empty_tree
from dearly.audiences.services import SegmentError, create_segment
from dearly.core.actor import Actor

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")


def errors_of(**fields):
    with pytest.raises(SegmentError) as caught:
        create_segment(actor=ACTOR, **{"name": "VIPs", "rules": empty_tree(), **fields})
    assert not Segment.objects.exists()
    return {e.path: e.message for e in caught.value.errors}


def test_a_name_or_description_with_a_nul_is_refused_naming_it():
    assert list(errors_of(name="V\x00IPs")) == ["name"]
    assert list(errors_of(description="Our\x00best")) == ["description"]


def test_a_rule_value_with_a_lone_surrogate_is_refused_naming_its_path():
    rules = {
        "match": "all",
        "rules": [{"field": "town", "op": "is", "value": "Lee\ud800ds"}],
    }
    assert errors_of(rules=rules) == {
        "rules.rules.0.value": "is not valid Unicode text (a broken character, U+D800)"
    }
