import datetime as dt

import pytest

from dearly.contacts.models import Contact, Suppression
from dearly.contacts.privacy import erase_contact
from dearly.delivery.claim import Result, backoff, claim_batch, expire_leases, record
from dearly.delivery.models import DeliveryAttempt, OutboxMessage
from dearly.delivery.outbox import enqueue_audience
from dearly.delivery.policy import Budget
from dearly.delivery.tests.helpers import ACTOR, consenting, queue

pytestmark = pytest.mark.django_db
TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
BUDGET = Budget(max_messages=2, days=7)


def claim(now=TUESDAY, size=100):
    return claim_batch(size=size, now=now, budget=BUDGET)


def status_of(message):
    message.refresh_from_db()
    return message.status, message.hold_reason or message.defer_reason


def test_a_due_message_to_a_consenting_contact_is_claimed_with_its_address():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    [claimed] = claim()
    assert claimed.to_address == "ada@example.com"
    assert status_of(message) == ("sending", "")


def test_consent_withdrawn_after_queueing_holds_the_message_at_sending_time():
    contact = consenting("ada@example.com")
    message = queue(contact, not_before=TUESDAY)
    contact.consents.update(status="withdrawn")
    assert claim() == []
    assert status_of(message) == ("held", "no_consent")


def test_an_erased_contact_is_held_not_sent():
    contact = consenting("ada@example.com")
    message = queue(contact, not_before=TUESDAY)
    erase_contact(actor=ACTOR, contact=contact)
    assert claim() == []
    assert status_of(message) == ("held", "contact_gone")


def test_the_budget_lets_two_marketing_messages_through_and_defers_the_third():
    contact = consenting("ada@example.com")
    messages = [queue(contact, not_before=TUESDAY) for _ in range(3)]
    assert len(claim()) == 2
    status, reason = status_of(messages[2])
    assert (status, reason) == ("queued", "budget")
    assert messages[2].not_before == TUESDAY + dt.timedelta(days=7)


def test_service_messages_pass_a_spent_budget():
    contact = consenting("ada@example.com")
    for _ in range(2):
        queue(contact, not_before=TUESDAY)
    queue(contact, purpose="service", consent_purpose="", not_before=TUESDAY)
    assert len(claim()) == 3


def test_an_informational_message_waits_for_friday_in_the_recipients_time_zone():
    message = queue(consenting("ada@example.com"), purpose="informational", not_before=TUESDAY)
    assert claim() == []
    assert status_of(message) == ("queued", "window")
    assert message.not_before == dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def test_messages_not_yet_due_are_left_alone():
    queue(consenting("ada@example.com"), not_before=TUESDAY + dt.timedelta(hours=1))
    assert claim() == []


def test_a_sent_message_is_recorded_with_an_attempt_row():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    [claimed] = claim()
    record([Result(claimed, "sent", provider_id="q1")], started=TUESDAY, now=TUESDAY, worker="w1")
    assert status_of(message) == ("sent", "")
    assert DeliveryAttempt.objects.get(message=message).provider_id == "q1"


def test_a_temporary_failure_is_retried_later_with_backoff():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    [claimed] = claim()
    record(
        [Result(claimed, "temporary", "451 try later")], started=TUESDAY, now=TUESDAY, worker="w"
    )
    assert status_of(message) == ("queued", "retry")
    assert message.not_before == TUESDAY + backoff(1)


def test_backoff_doubles_to_a_cap():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == dt.timedelta(hours=6)


def test_a_permanent_failure_fails_the_message_and_suppresses_the_address():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    [claimed] = claim()
    record(
        [Result(claimed, "permanent", "550 no such user")], started=TUESDAY, now=TUESDAY, worker="w"
    )
    assert status_of(message) == ("failed", "")
    assert Suppression.objects.filter(reason="hard_bounce").count() == 1


def test_a_dead_workers_claims_are_queued_again_after_the_lease():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    claim()
    assert expire_leases(now=TUESDAY + dt.timedelta(minutes=1)) == 0
    assert expire_leases(now=TUESDAY + dt.timedelta(minutes=6)) == 1
    assert status_of(message) == ("queued", "retry")


def test_a_stale_result_does_not_overwrite_a_newer_claim():
    message = queue(consenting("ada@example.com"), not_before=TUESDAY)
    [old] = claim()
    expire_leases(now=TUESDAY + dt.timedelta(minutes=6))
    later = TUESDAY + dt.timedelta(minutes=7)
    [new] = claim(now=later)
    record([Result(old, "temporary", "late")], started=later, now=later, worker="old")
    assert status_of(message) == ("sending", "")
    assert new.claim_token != old.claim_token


def test_fan_out_writes_one_row_per_consenting_recipient_in_one_statement(
    django_assert_max_num_queries,
):
    for i in range(5):
        consenting(f"c{i}@example.com")
    Contact.objects.create(email="no-consent@example.com")
    with django_assert_max_num_queries(3):
        written = enqueue_audience(
            Contact.objects.all(),
            origin_type="campaign",
            origin_id=7,
            purpose="promotional",
            consent_purpose="newsletter",
            template_version_id=1,
            not_before=TUESDAY,
        )
    assert written == 5
    ids = set(OutboxMessage.objects.values_list("public_id", flat=True))
    assert len(ids) == 5
    assert len(claim()) == 5


def test_a_deferred_message_is_claimed_once_its_time_comes():
    message = queue(consenting("ada@example.com"), purpose="informational", not_before=TUESDAY)
    claim()
    friday_nine = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    assert claim(now=friday_nine - dt.timedelta(seconds=1)) == []
    assert [c.id for c in claim(now=friday_nine)] == [message.id]


def test_the_preference_centres_pause_and_frequency_reach_the_gate():
    from dearly.preferences.models import ContactPreference

    paused = consenting("paused@example.com")
    monthly = consenting("monthly@example.com")
    ContactPreference.objects.create(contact=paused, paused_until=TUESDAY + dt.timedelta(days=9))
    ContactPreference.objects.create(contact=monthly, frequency="monthly")
    p = queue(paused, not_before=TUESDAY)
    first, second = queue(monthly, not_before=TUESDAY), queue(monthly, not_before=TUESDAY)
    assert [c.id for c in claim()] == [first.id]
    assert status_of(p) == ("queued", "paused")
    assert status_of(second) == ("queued", "budget")
    assert second.not_before == TUESDAY + dt.timedelta(days=30)


def test_with_send_windows_off_marketing_goes_at_once(settings):
    settings.SEND_WINDOWS = False
    message = queue(consenting("ada@example.com"), purpose="informational", not_before=TUESDAY)
    assert [c.id for c in claim()] == [message.id]
