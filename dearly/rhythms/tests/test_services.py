import pytest

from dearly.core.models import AuditEvent
from dearly.rhythms.phases import describe, interval_at
from dearly.rhythms.services import RhythmError, update_rhythm
from dearly.rhythms.tests.helpers import FORMER_PHASES, make_rhythm, make_template

pytestmark = pytest.mark.django_db


def test_it_creates_a_rhythm_with_its_content_pool_and_audits_it() -> None:
    template = make_template()
    rhythm = make_rhythm(template_ids=[template.pk], phases=FORMER_PHASES)
    assert list(rhythm.templates.all()) == [template]
    assert rhythm.phases == FORMER_PHASES
    assert AuditEvent.objects.filter(action="rhythm.created").count() == 1


def test_errors_name_the_field() -> None:
    with pytest.raises(RhythmError) as caught:
        make_rhythm(
            name=" ",
            phases=[{"until_days": 0, "every_days": 30}, {"every_days": "x"}],
            template_ids=[],
        )
    assert set(caught.value.errors) == {
        "name",
        "phases.0.until_days",
        "phases.1.every_days",
        "template_ids",
    }


def test_the_last_phase_is_open_ended() -> None:
    with pytest.raises(RhythmError) as caught:
        make_rhythm(phases=[{"every_days": 30, "until_days": 90}])
    assert "phases.0.until_days" in caught.value.errors


def test_a_task_rhythm_needs_no_pool_and_updates_are_audited() -> None:
    rhythm = make_rhythm(action="task", task_kind="card")
    update_rhythm(actor=rhythm_actor(), rhythm=rhythm, phases=[{"every_days": 7}])
    rhythm.refresh_from_db()
    assert rhythm.phases == [{"every_days": 7}]
    event = AuditEvent.objects.get(action="rhythm.updated")
    assert event.new == {"phases": [{"every_days": 7}]}


def test_phases_read_as_people_say_them() -> None:
    assert describe(FORMER_PHASES) == "every 30 days for 180 days, then every 90 days"
    assert interval_at(FORMER_PHASES, 100) == 30
    assert interval_at(FORMER_PHASES, 200) == 90


def rhythm_actor():  # type: ignore[no-untyped-def]
    from dearly.rhythms.tests.helpers import ACTOR

    return ACTOR
