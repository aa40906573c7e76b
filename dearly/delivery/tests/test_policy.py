import datetime as dt
from dataclasses import replace

from dearly.delivery.policy import Budget, Facts, judge

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # a Tuesday, 10:00 in London
OK = Facts(address="ada@example.com", time_zone="Europe/London", consented=True)
BUDGET = Budget(max_messages=2, days=7)


def verdict(purpose="promotional", **changes):
    facts = replace(OK, **changes)
    return judge(purpose=purpose, facts=facts, now=NOW, budget=BUDGET)


def test_a_consenting_reachable_contact_in_the_window_gets_the_message():
    assert verdict().action == "send"


def test_no_consent_holds_a_marketing_message_with_the_reason():
    v = verdict(consented=False)
    assert (v.action, v.reason) == ("hold", "no_consent")


def test_service_messages_need_no_marketing_consent():
    assert verdict("service", consented=False).action == "send"


def test_an_unsubscribed_address_gets_service_mail_but_no_marketing():
    assert verdict(suppression=frozenset({"unsubscribed"})).reason == "suppressed"
    assert verdict("service", suppression=frozenset({"unsubscribed"})).action == "send"


def test_a_hard_bounce_stops_even_service_mail():
    assert verdict("service", suppression=frozenset({"hard_bounce"})).reason == "suppressed"


def test_an_erased_contact_or_missing_address_is_held():
    assert verdict(contact_exists=False).reason == "contact_gone"
    assert verdict(address=None).reason == "no_address"


def test_missing_personal_data_holds_with_what_is_missing():
    v = verdict(missing_data="first name")
    assert (v.action, v.reason, v.detail) == ("hold", "missing_data", "first name")


def test_outside_the_window_it_is_deferred_to_when_the_window_opens():
    v = verdict("informational")  # Friday or Sunday only
    assert (v.action, v.reason) == ("defer", "window")
    assert v.until == dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def test_the_budget_defers_a_third_message_until_the_oldest_leaves_the_period():
    recent = (NOW - dt.timedelta(days=6), NOW - dt.timedelta(days=1))
    v = verdict(recent_marketing=recent)
    assert (v.action, v.reason) == ("defer", "budget")
    assert v.until == NOW + dt.timedelta(days=1)


def test_messages_older_than_the_period_do_not_count():
    recent = (NOW - dt.timedelta(days=8), NOW - dt.timedelta(days=1))
    assert verdict(recent_marketing=recent).action == "send"


def test_service_messages_are_exempt_from_the_budget():
    recent = (NOW - dt.timedelta(days=1), NOW - dt.timedelta(hours=1))
    assert verdict("service", recent_marketing=recent).action == "send"


def test_a_pause_defers_marketing_until_it_ends_but_not_service():
    until = NOW + dt.timedelta(days=30)
    v = verdict(paused_until=until)
    assert (v.action, v.reason, v.until) == ("defer", "paused", until)
    assert verdict("service", paused_until=until).action == "send"


def test_a_person_who_chose_monthly_gets_one_a_month_whatever_the_business_allows():
    recent = (NOW - dt.timedelta(days=20),)
    v = verdict(recent_marketing=recent, own_budget=Budget(1, 30))
    assert (v.action, v.reason) == ("defer", "budget")
    assert v.until == NOW + dt.timedelta(days=10)
