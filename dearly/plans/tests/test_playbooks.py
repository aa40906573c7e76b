"""Every starter playbook installs, its emails pass the pre-send checks, and its journeys work:
a contact enrolled through the real trigger gets the first email in the outbox once the
journeys stepper has run."""

import datetime as dt
import importlib
from collections.abc import Callable

import pytest
import time_machine

from dearly.campaigns.models import Series
from dearly.campaigns.tests.helpers import business, grant, person
from dearly.contacts.models import Contact
from dearly.contacts.services import update_contact
from dearly.core.chores import run_due
from dearly.core.models import AuditEvent
from dearly.core.signals import emit_contact_event
from dearly.delivery.models import OutboxMessage
from dearly.journeys.models import Enrollment, Journey
from dearly.messaging.checks import check_version, is_blocking
from dearly.messaging.models import EmailTemplate, TemplateVersion
from dearly.plans.models import Plan
from dearly.plans.playbooks import PLAYBOOKS, PlaybookError, install
from dearly.plans.tests.helpers import ACTOR, purchase
from dearly.rhythms.models import Rhythm

pytestmark = pytest.mark.django_db
TUESDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def step(now: dt.datetime) -> None:
    with time_machine.travel(now, tick=False):
        run_due(now, names={"journeys.step"})


def first_send(journey: Journey) -> str:
    steps = journey.version.definition["steps"]  # type: ignore[union-attr]
    template_id = next(s["template_id"] for s in steps if s["type"] == "send")
    return EmailTemplate.objects.get(pk=template_id).name


def outbox_for(journey: Journey) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(origin_type="journey", origin_id=journey.pk))


def sent_template(message: OutboxMessage) -> str:
    return TemplateVersion.objects.get(pk=message.template_version_id).template.name


@pytest.fixture
def installed_at_tuesday() -> Callable[[str], Plan]:
    business()

    def go(key: str) -> Plan:
        with time_machine.travel(TUESDAY, tick=False):
            return install(actor=ACTOR, key=key)

    return go


@pytest.mark.parametrize("key", list(PLAYBOOKS))
def test_each_playbook_installs_its_plan_emails_and_journeys(
    key: str, installed_at_tuesday: Callable[[str], Plan]
) -> None:
    playbook = PLAYBOOKS[key]
    plan = installed_at_tuesday(key)
    assert plan.playbook == key
    assert plan.period_start == dt.date(2026, 11, 24)
    assert (plan.period_end - plan.period_start).days == playbook.plan.days - 1
    assert plan.journeys.count() == len(playbook.journeys)
    assert all(j.status == "active" for j in plan.journeys.all())
    assert EmailTemplate.objects.count() == len(playbook.emails)
    assert (plan.rhythm is not None) == (playbook.rhythm is not None)
    assert plan.series.count() == (1 if playbook.series else 0)
    assert AuditEvent.objects.filter(action="playbook.installed").count() == 1


@pytest.mark.parametrize("key", list(PLAYBOOKS))
def test_each_playbooks_emails_pass_the_pre_send_checks(
    key: str, installed_at_tuesday: Callable[[str], Plan]
) -> None:
    installed_at_tuesday(key)
    for template in EmailTemplate.objects.all():
        version = template.versions.get()
        checks = check_version(version, purpose="promotional")
        assert not is_blocking(checks), (template.name, checks)
        assert "{{ links.unsubscribe_url }}" in version.html_source
        assert version.fallbacks == {"contact.first_name": "there"}


def test_installing_the_same_playbook_twice_is_refused_and_changes_nothing(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    plan = installed_at_tuesday("welcome")
    with pytest.raises(PlaybookError, match="already installed, as the plan “Welcome new"):
        install(actor=ACTOR, key="welcome")
    assert Plan.objects.get() == plan
    assert Journey.objects.count() == 1
    assert EmailTemplate.objects.count() == 3


def test_an_unknown_playbook_is_refused() -> None:
    with pytest.raises(PlaybookError, match="no such playbook"):
        install(actor=ACTOR, key="nope")


def test_a_failing_install_leaves_nothing_behind(
    installed_at_tuesday: Callable[[str], Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("dearly.plans.playbooks.install")

    def broken(**_: object) -> None:
        raise RuntimeError("the series could not be made")

    monkeypatch.setattr(module, "create_series", broken)
    with pytest.raises(RuntimeError):
        installed_at_tuesday("newsletter")
    assert not Plan.objects.exists()
    assert not EmailTemplate.objects.exists()
    assert not Rhythm.objects.exists()


def _customer(**kw: object) -> Contact:
    kw.setdefault("lifecycle_stage", "customer")
    return person("ada@example.com", purpose="marketing", **kw)


def test_welcome_sends_the_welcome_when_someone_signs_up_for_the_newsletter(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("welcome").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = person("ada@example.com", purpose=None)
        grant(ada, "newsletter")
    assert Enrollment.objects.filter(journey=journey, contact=ada).exists()
    step(TUESDAY)
    [message] = outbox_for(journey)
    assert sent_template(message) == first_send(journey) == "Welcome: hello from us"
    assert message.value == "useful_information"


def test_birthday_sends_the_treat_at_nine_on_their_birthday(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    plan = installed_at_tuesday("birthday")
    birthday = plan.journeys.get(name="Birthday treat")
    with time_machine.travel(TUESDAY, tick=False):
        _customer(birthday=dt.date(1990, 11, 25))
    nine = dt.datetime(2026, 11, 25, 9, 5, tzinfo=dt.UTC)
    with time_machine.travel(nine, tick=False):
        run_due(nine, names={"journeys.dates"})
    step(nine)
    [message] = outbox_for(birthday)
    assert sent_template(message) == "Birthday: a treat for you"
    assert outbox_for(plan.journeys.get(name="Anniversary thank-you")) == []


def test_post_purchase_thanks_them_the_next_day(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("post-purchase").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = _customer()
    purchase(ada, TUESDAY)
    step(TUESDAY)
    assert outbox_for(journey) == []
    step(TUESDAY + dt.timedelta(days=1, minutes=1))
    [message] = outbox_for(journey)
    assert sent_template(message) == "After purchase: thank you"


def test_feedback_asks_three_days_after_a_purchase(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("feedback").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = _customer()
        grant(ada, "surveys")
    purchase(ada, TUESDAY)
    step(TUESDAY)
    step(TUESDAY + dt.timedelta(days=2))
    assert outbox_for(journey) == []
    step(TUESDAY + dt.timedelta(days=3, minutes=1))
    [message] = outbox_for(journey)
    assert sent_template(message) == "Feedback: one question"


def test_win_back_starts_when_a_customer_becomes_former(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("win-back").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = _customer()
        update_contact(actor=ACTOR, contact=ada, values={"lifecycle_stage": "former"})
    step(TUESDAY)
    [message] = outbox_for(journey)
    assert sent_template(message) == "Win-back: what we changed"


def test_quiet_sends_something_useful_when_someone_is_overdue(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("quiet").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = _customer()
        emit_contact_event(
            contact_id=ada.pk,
            name="rhythm.overdue",
            occurred_at=TUESDAY,
            properties={"rhythm_id": 7},
        )
    step(TUESDAY)
    [message] = outbox_for(journey)
    assert sent_template(message) == "Re-engagement: something useful"


def test_the_newsletter_series_falls_on_the_first_and_third_thursday(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    plan = installed_at_tuesday("newsletter")
    series = Series.objects.get()
    assert plan.series.get() == series
    assert series.rule["nths"] == [1, 3]
    assert series.next_issue_at is not None
    local = series.next_issue_at.astimezone(dt.UTC)
    assert (local.date(), local.hour) == (dt.date(2026, 12, 3), 9)  # first Thursday, 09:00
    assert plan.rhythm is not None
    assert plan.rhythm.phases == [{"every_days": 14}]


def test_welcome_lessons_wait_for_a_weekend_morning_in_the_readers_time_zone(
    installed_at_tuesday: Callable[[str], Plan],
) -> None:
    journey = installed_at_tuesday("welcome").journeys.get()
    with time_machine.travel(TUESDAY, tick=False):
        ada = person("ada@example.com", purpose=None, time_zone="America/New_York")
        grant(ada, "newsletter")
    step(TUESDAY)
    step(TUESDAY + dt.timedelta(days=3, minutes=1))  # Friday: three days on, not a weekend
    assert len(outbox_for(journey)) == 1
    saturday_8_local = dt.datetime(2026, 11, 28, 13, 0, tzinfo=dt.UTC)
    step(saturday_8_local)
    assert len(outbox_for(journey)) == 1
    saturday_9_local = dt.datetime(2026, 11, 28, 14, 1, tzinfo=dt.UTC)
    step(saturday_9_local)
    lesson = outbox_for(journey)[-1]
    assert sent_template(lesson) == "Welcome: first lesson"
