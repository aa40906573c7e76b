import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from dearly.conftest import make_contact
from dearly.contacts.models import Contact
from dearly.core.chores import run_due
from dearly.core.signals import contact_event
from dearly.delivery.models import OutboxMessage, Status
from dearly.delivery.outbox import enqueue_one
from dearly.preferences.models import ContactPreference, Frequency
from dearly.rhythms.fill import fill_rhythm
from dearly.rhythms.models import ConflictReason, Episode, EpisodeState
from dearly.rhythms.tests.helpers import ACTOR, consent, days, make_rhythm, make_template
from dearly.touches.models import Task
from dearly.touches.services import complete_task

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = START + days(20)


def customer(email: str, *, consented: bool = True) -> Contact:
    with time_machine.travel(START, tick=False):
        contact = make_contact(lifecycle_stage="customer", email=email)
        if consented:
            consent(contact)
    return contact


def sent_marketing(contact: Contact, at: dt.datetime, n: int = 1) -> None:
    version = make_template("Old news").versions.get()
    for _ in range(n):
        message, _ = enqueue_one(
            contact=contact,
            origin_type="campaign",
            origin_id=1,
            purpose="promotional",
            consent_purpose="marketing",
            template_version_id=version.pk,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENT, sent_at=at)


def rhythm_messages() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(origin_type="rhythm"))


def test_a_contact_at_the_budget_is_not_queued_and_the_conflict_says_until_when() -> None:
    full = customer("full@example.com")
    # Two marketing messages (the default budget is two per seven days) two days ago; they
    # do not reset the rhythm here because they were written straight to the outbox.
    sent_marketing(full, LATER - days(2), n=2)
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(make_rhythm(), now=timezone.now())
    assert rhythm_messages() == []
    episode = Episode.objects.get(contact=full)
    assert (episode.state, episode.reason) == (EpisodeState.CONFLICT, ConflictReason.BUDGET)
    assert episode.detail == "budget full until 27 Mar 2026"
    assert episode.retry_at == LATER + days(5)


def test_a_contact_with_room_gets_exactly_one_message_even_when_the_fill_runs_twice() -> None:
    roomy = customer("roomy@example.com")
    sent_marketing(roomy, LATER - days(2), n=1)
    rhythm = make_rhythm(value="useful_information")
    with time_machine.travel(LATER, tick=False):
        run_due(timezone.now(), names={"rhythms.fill"})
        fill_rhythm(rhythm, now=timezone.now())
    with time_machine.travel(LATER + dt.timedelta(hours=1), tick=False):
        fill_rhythm(rhythm, now=timezone.now())
    [message] = rhythm_messages()
    assert (message.contact_id, message.origin_id) == (roomy.pk, rhythm.pk)
    assert message.status == "queued"
    assert message.template_version_id == rhythm.templates.get().versions.get().pk
    assert (message.value, message.consent_purpose) == ("useful_information", "marketing")
    assert Episode.objects.get(contact=roomy).state == EpisodeState.QUEUED


def test_the_persons_own_frequency_counts_as_a_budget() -> None:
    weekly = customer("weekly@example.com")
    ContactPreference.objects.create(contact=weekly, frequency=Frequency.WEEKLY)
    sent_marketing(weekly, LATER - days(1))
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(make_rhythm(), now=timezone.now())
    assert rhythm_messages() == []
    assert Episode.objects.get(contact=weekly).reason == ConflictReason.BUDGET


def test_without_consent_nothing_is_queued_and_the_conflict_names_the_channel() -> None:
    silent = customer("silent@example.com", consented=False)
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(make_rhythm(), now=timezone.now())
    assert rhythm_messages() == []
    episode = Episode.objects.get(contact=silent)
    assert episode.reason == ConflictReason.NO_CONSENT
    assert episode.detail == "no consent on email for marketing"


def test_a_conflict_is_retried_once_the_budget_frees_up() -> None:
    full = customer("later@example.com")
    sent_marketing(full, LATER - days(2), n=2)
    rhythm = make_rhythm()
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(rhythm, now=timezone.now())
    with time_machine.travel(LATER + days(6), tick=False):
        fill_rhythm(rhythm, now=timezone.now())
    assert len(rhythm_messages()) == 1
    assert Episode.objects.get(contact=full).state == EpisodeState.QUEUED


def test_the_pool_sends_what_the_contact_got_least_recently() -> None:
    contact = customer("pool@example.com")
    first, second = make_template("First"), make_template("Second")
    enqueue_one(
        contact=contact,
        origin_type="campaign",
        purpose="informational",
        template_version_id=first.versions.get().pk,
    )
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(make_rhythm(template_ids=[first.pk, second.pk]), now=timezone.now())
    [message] = rhythm_messages()
    assert message.template_version_id == second.versions.get().pk


def test_a_task_rhythm_creates_one_task_per_episode() -> None:
    contact = customer("task@example.com")
    rhythm = make_rhythm(action="task", task_kind="call")
    with time_machine.travel(LATER, tick=False):
        fill_rhythm(rhythm, now=timezone.now())
        fill_rhythm(rhythm, now=timezone.now())
    task = Task.objects.get()
    assert (task.contact_id, task.kind, task.origin_type) == (contact.pk, "call", "rhythm")
    # Doing the task logs the call, which ends the episode; fourteen days on, a new one.
    with time_machine.travel(LATER + days(1), tick=False):
        complete_task(task=task, actor=ACTOR, outcome="spoke")
        fill_rhythm(rhythm, now=timezone.now())
    assert Task.objects.count() == 1
    with time_machine.travel(LATER + days(16), tick=False):
        fill_rhythm(rhythm, now=timezone.now())
        fill_rhythm(rhythm, now=timezone.now())
    assert Task.objects.count() == 2


def test_overdue_is_announced_once_per_episode() -> None:
    customer("told@example.com", consented=False)
    heard: list[dict[str, Any]] = []

    def listen(**kw: Any) -> None:
        if kw["name"] == "rhythm.overdue":
            heard.append(kw["properties"])

    rhythm = make_rhythm()
    contact_event.connect(listen)
    try:
        for hours in (0, 30, 60):
            with time_machine.travel(LATER + dt.timedelta(hours=hours), tick=False):
                fill_rhythm(rhythm, now=timezone.now())
    finally:
        contact_event.disconnect(listen)
    assert heard == [{"rhythm_id": rhythm.pk}]
