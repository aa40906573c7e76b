"""Installing a starter playbook: its emails, journeys, rhythm, series and plan, in one
transaction, each through its own app's service (so each is validated and audited as if a
person had made it). A playbook installs once; a second install is refused and names the plan
the first one made, which the owner can edit instead."""

import copy
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dearly.campaigns.models import Series
from dearly.campaigns.recurring import create_series
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.journeys.models import Journey
from dearly.journeys.services import create_journey
from dearly.messaging.models import EmailTemplate
from dearly.messaging.services import create_template
from dearly.plans.metrics import business_tz
from dearly.plans.models import Plan
from dearly.plans.playbooks.catalogue import PLAYBOOKS
from dearly.plans.playbooks.spec import Playbook
from dearly.plans.services import Details, create_plan
from dearly.rhythms.models import Rhythm
from dearly.rhythms.services import create_rhythm


class PlaybookError(ValueError):
    pass


def installed() -> dict[str, Plan]:
    """{playbook key: the plan it installed}."""
    return {p.playbook: p for p in Plan.objects.exclude(playbook="")}


def install(*, actor: Actor, key: str, today: dt.date | None = None) -> Plan:
    playbook = PLAYBOOKS.get(key)
    if playbook is None:
        raise PlaybookError("There is no such playbook.")
    if (plan := installed().get(key)) is not None:
        raise _already(playbook, plan)
    try:
        return _install(actor=actor, playbook=playbook, today=today)
    except IntegrityError:  # installed at the same moment by someone else
        plan = installed().get(key)
        if plan is None:
            raise
        raise _already(playbook, plan) from None


def _already(playbook: Playbook, plan: Plan) -> PlaybookError:
    return PlaybookError(
        f"“{playbook.name}” is already installed, as the plan “{plan.name}”. "
        "Edit that plan and its emails instead of installing it again."
    )


@transaction.atomic
def _install(*, actor: Actor, playbook: Playbook, today: dt.date | None) -> Plan:
    templates = {
        email.key: create_template(actor=actor, name=email.name, draft=email.draft()).template
        for email in playbook.emails
    }
    journeys = [
        create_journey(actor=actor, name=j.name, definition=resolve(j.definition, templates))
        for j in playbook.journeys
    ]
    rhythm = _rhythm(actor, playbook, templates)
    series = _series(actor, playbook, templates)
    start = today or timezone.now().astimezone(business_tz()).date()
    spec = playbook.plan
    plan = create_plan(
        actor=actor,
        playbook=playbook.key,
        details=Details(
            name=spec.name,
            description=spec.description,
            metric=spec.metric,
            target=spec.target,
            unit=spec.unit,
            period_start=start,
            period_end=start + dt.timedelta(days=spec.days - 1),
            lifecycle_stage=spec.lifecycle_stage,
            channels=spec.channels,
            rhythm=rhythm,
            journeys=journeys,
            series=[series] if series else [],
        ),
    )
    record_event(
        actor=actor,
        action="playbook.installed",
        subject=plan,
        new=_made(playbook, templates, journeys, rhythm, series),
    )
    return plan


def resolve(definition: dict[str, Any], templates: dict[str, EmailTemplate]) -> dict[str, Any]:
    """The definition with each send step's email key ("template") swapped for its id."""
    resolved = copy.deepcopy(definition)
    for step in resolved["steps"]:
        if step.get("type") == "send" and "template" in step:
            step["template_id"] = templates[step.pop("template")].pk
    return resolved


def _rhythm(actor: Actor, playbook: Playbook, templates: dict[str, EmailTemplate]) -> Rhythm | None:
    spec = playbook.rhythm
    if spec is None:
        return None
    return create_rhythm(
        actor=actor,
        name=spec.name,
        lifecycle_stage=spec.lifecycle_stage,
        phases=spec.phases,
        action=spec.action,
        template_ids=[templates[k].pk for k in spec.templates],
        purpose=spec.purpose,
        consent_purpose=spec.consent_purpose,
        value=spec.value,
    )


def _series(actor: Actor, playbook: Playbook, templates: dict[str, EmailTemplate]) -> Series | None:
    spec = playbook.series
    if spec is None:
        return None
    return create_series(
        actor=actor,
        name=spec.name,
        template=templates[spec.template],
        purpose=spec.purpose,
        consent_purpose=spec.consent_purpose,
        value=spec.value,
        rule=spec.rule,
    )


def _made(
    playbook: Playbook,
    templates: dict[str, EmailTemplate],
    journeys: list[Journey],
    rhythm: Rhythm | None,
    series: Series | None,
) -> dict[str, Any]:
    return {
        "playbook": playbook.key,
        "templates": [t.name for t in templates.values()],
        "journeys": [j.name for j in journeys],
        "rhythm": rhythm.name if rhythm else "",
        "series": series.name if series else "",
    }
