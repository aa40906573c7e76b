"""What a starter playbook is made of, as plain data: emails, journeys, a rhythm, a series and
the plan that ties them together. The content lives in one module per playbook beside this one;
install.py turns it into real rows through each app's services."""

from dataclasses import dataclass, field
from typing import Any

from dearly.messaging.models import MissingDataPolicy
from dearly.messaging.services import Draft
from dearly.plans.playbooks.layout import FALLBACKS, html


@dataclass(frozen=True, slots=True)
class Email:
    key: str  # how journeys, rhythms and series in the same playbook name it
    name: str
    subject: str
    preheader: str
    heading: str
    paragraphs: tuple[str, ...]
    gift: str  # the paragraph that says what the reader gets from it (D3)

    def draft(self) -> Draft:
        return Draft(
            subject=self.subject,
            preheader=self.preheader,
            html_source=html(heading=self.heading, paragraphs=self.paragraphs, gift=self.gift),
            fallbacks=dict(FALLBACKS),
            missing_data_policy=MissingDataPolicy.FALLBACK,
        )


@dataclass(frozen=True, slots=True)
class JourneySpec:
    """A journey definition in the contract's format, except that a send step names its email
    by key ("template": "welcome") instead of by id."""

    name: str
    definition: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RhythmSpec:
    name: str
    phases: list[dict[str, int]]
    templates: tuple[str, ...]
    lifecycle_stage: str = ""
    action: str = "message"
    purpose: str = "informational"
    consent_purpose: str = "marketing"
    value: str = "useful_information"


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    name: str
    template: str
    rule: dict[str, Any]
    purpose: str = "informational"
    consent_purpose: str = "newsletter"
    value: str = "useful_information"


@dataclass(frozen=True, slots=True)
class PlanSpec:
    name: str
    description: str
    metric: str
    target: int
    days: int  # the period: from the day of installing, this many days
    unit: str = "count"
    lifecycle_stage: str = ""
    channels: tuple[str, ...] = ("email",)


@dataclass(frozen=True, slots=True)
class Playbook:
    key: str
    name: str
    gives: str  # the value it brings, said plainly on the playbooks page
    how: str  # what it installs and when it acts
    plan: PlanSpec
    emails: tuple[Email, ...]
    journeys: tuple[JourneySpec, ...] = ()
    rhythm: RhythmSpec | None = None
    series: SeriesSpec | None = None
    tags: tuple[str, ...] = field(default=())
