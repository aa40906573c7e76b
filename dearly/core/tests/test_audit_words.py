"""Audit events in people's words: codes, dates, consents and nested values."""

from typing import Any

import pytest

from dearly.core import audit_words
from dearly.core.actor import Actor
from dearly.core.audit import record_event

pytestmark = pytest.mark.django_db


def sentences(*, old: dict[str, Any] | None = None, new: dict[str, Any] | None = None) -> list[str]:
    actor = Actor.system("tests")
    event = record_event(actor=actor, action="x.y", subject_type="x", old=old, new=new)
    [described] = audit_words.describe([event])
    return [c.sentence for c in described.changes]


def test_a_consent_key_and_its_status_read_as_words():
    found = sentences(old={"sms/marketing": "granted"}, new={"sms/marketing": "withdrawn"})
    assert found == ["Changed the SMS for marketing from Granted to Withdrawn"]


def test_dates_read_as_people_write_them():
    found = sentences(new={"period_start": "2026-11-17", "send_at": "2026-12-14T09:30:00+00:00"})
    assert found == ["Period start: 17 Nov 2026", "Send at: 14 Dec 2026, 09:30"]


def test_a_nested_value_keeps_its_own_keys_and_no_field_words():
    found = sentences(new={"rules": {"op": "and", "value": "email"}})
    assert found == ["Rules: op and; value email"]


def test_an_unknown_action_reads_as_thing_and_verb():
    assert audit_words.action_label("gift_card.issued") == "Gift card: issued"
