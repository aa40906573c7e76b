"""The apps' words for the audit log (core.audit_words), registered at start-up: web sits on
top, so it may name every app; core, at the bottom, names none."""

import uuid
from typing import Any

from dearly.audiences.models import Segment
from dearly.branches.models import Branch
from dearly.campaigns.models import Campaign, CampaignStatus, Schedule, Series, SeriesStatus, Value
from dearly.contacts.fields import FIELDS as CONTACT_FIELDS
from dearly.contacts.models import (
    Channel,
    ConsentMethod,
    ConsentStatus,
    Lifecycle,
    Purpose,
    SuppressionReason,
)
from dearly.core import audit_words as words
from dearly.core.models import ApiKey, Role, Source
from dearly.delivery.models import MessagePurpose
from dearly.imports.models import JobStatus
from dearly.journeys.models import Journey, JourneyStatus
from dearly.messaging.models import EmailTemplate
from dearly.plans.models import Metric, Plan, Unit
from dearly.rhythms.models import Action, Rhythm
from dearly.touches.models import CallOutcome, TaskKind, TouchChannel

ACTIONS = {
    "contact.created": "Contact added",
    "contact.updated": "Details changed",
    "contact.imported": "Imported",
    "contact.tags_changed": "Tags changed",
    "contact.point_added": "Address added",
    "contact.point_removed": "Address removed",
    "contact.point_changed": "Address relabelled",
    "contact.household_changed": "Household changed",
    "contact.custom_fields_changed": "Custom fields changed",
    "contact.data_exported": "Their data was downloaded",
    "contact.erased": "Erased",
    "contact.exported": "Data exported",
    "contacts.exported": "Contacts exported",
    "consent.grant": "Consent granted",
    "consent.withdraw": "Consent withdrawn",
    "suppression.lifted": "Removed from the do-not-contact list",
    "touch.call": "Call logged",
    "touch.visit": "Visit logged",
    "touch.message": "Card or message logged",
    "touch.note": "Note logged",
    "task.created": "Task added",
    "task.done": "Task done",
    "task.cancelled": "Task cancelled",
    "member.created": "Account created",
    "member.role_changed": "Role or branch changed",
    "member.deactivated": "Account deactivated",
    "member.reactivated": "Account reactivated",
    "settings.changed": "Settings changed",
    "custom_field.created": "Custom field added",
    "custom_field.changed": "Custom field changed",
    "custom_field.deleted": "Custom field deleted",
    "login.locked_out": "Signing in paused after wrong passwords",
    "member.password_changed": "Password changed",
    "member.profile_updated": "Profile changed",
    "session.ended": "Signed out of a browser",
    "two_factor.enabled": "Two-factor sign-in turned on",
    "two_factor.disabled": "Two-factor sign-in turned off",
    "two_factor.recovery_code_used": "Recovery code used to sign in",
    "two_factor.recovery_codes_renewed": "New recovery codes made",
    "webhook.created": "Webhook added",
    "webhook.updated": "Webhook changed",
    "webhook.deleted": "Webhook deleted",
    "webhook.secret_rotated": "Webhook secret renewed",
    "webhook.replayed": "Webhook delivery sent again",
    "webhook.test_queued": "Webhook test sent",
    "webhook.private_network_allowed": "Webhook allowed to reach the private network",
    "webhook.private_network_denied": "Webhook kept off the private network",
    "preferences.frequency_changed": "Chose how often to hear from us",
    "preferences.paused": "Paused messages",
    "preferences.resumed": "Resumed messages",
    "signup.confirmed": "Confirmed their signup",
    "signup_form.saved": "Signup form changed",
    "series.updated": "Recurring series changed",
    "series.resumed": "Recurring series resumed",
    "journey.renamed": "Journey renamed",
    "apikey.created": "API key created",
    "apikey.revoked": "API key revoked",
    "campaign.created": "Campaign created",
    "campaign.updated": "Campaign changed",
    "campaign.launched": "Campaign launched",
    "campaign.cancelled": "Campaign stopped",
    "template.created": "Template created",
    "template.renamed": "Template renamed",
    "template.version_saved": "Template version saved",
    "plan.created": "Plan created",
    "plan.updated": "Plan changed",
    "playbook.installed": "Starter playbook installed",
    "journey.created": "Journey created",
    "journey.published": "Journey version published",
    "rhythm.created": "Rhythm created",
    "rhythm.updated": "Rhythm changed",
    "segment.created": "Segment created",
    "segment.updated": "Segment changed",
    "segment.deleted": "Segment deleted",
    "series.created": "Series created",
    "branch.created": "Branch created",
    "branch.changed": "Branch changed",
    "import.finished": "Import finished",
}

FIELDS = {
    **{key: spec.label.lower() for key, spec in CONTACT_FIELDS.items()},
    "method": "way we were told",
    "reasons": "reasons",
    "branch": "branch",
    "branch_id": "branch",
    "segment_id": "segment",
    "template_ids": "templates",
    "bad_rows": "rows with problems",
    "consent_purpose": "consent needed",
    "value": "what it gives",
    "suppressed_addresses": "addresses kept on the do-not-contact list",
}


def _labels(*choices: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for c in choices:
        found.update({str(k): str(v) for k, v in c.choices})
    return found


def _by_pk(model: Any) -> words.Resolve:
    def resolve(ids: set[str]) -> dict[str, str]:
        pks = [int(i) for i in ids if i.isdigit()]
        return {
            str(pk): name for pk, name in model.objects.filter(pk__in=pks).values_list("pk", "name")
        }

    return resolve


def _by_public_id(model: Any) -> words.Resolve:
    def resolve(ids: set[str]) -> dict[str, str]:
        valid = [i for i in ids if _is_uuid(i)]
        rows = model.objects.filter(public_id__in=valid).values_list("public_id", "name")
        return {str(pid): name for pid, name in rows}

    return resolve


def _api_keys(ids: set[str]) -> dict[str, str]:
    """An API key by its name and the prefix its holder sees (the one id a person needs)."""
    valid = [i for i in ids if _is_uuid(i)]
    rows = ApiKey.objects.filter(public_id__in=valid).values_list("public_id", "name", "prefix")
    return {str(pid): f"{name}, key {prefix}…" for pid, name, prefix in rows}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def register() -> None:
    words.actions(ACTIONS)
    words.fields(FIELDS)
    words.values("method", _labels(ConsentMethod))
    words.values("reasons", _labels(SuppressionReason))
    words.values(words.CONSENT, _labels(ConsentStatus))
    words.values("channel", _labels(TouchChannel, Channel))
    words.values("channels", _labels(TouchChannel, Channel))
    words.values("purpose", _labels(MessagePurpose, Purpose))
    words.values("consent_purpose", _labels(Purpose))
    words.values("outcome", _labels(CallOutcome))
    words.values("lifecycle_stage", _labels(Lifecycle))
    words.values("role", _labels(Role))
    words.values("source", _labels(Source))
    words.values("status", _labels(CampaignStatus, SeriesStatus, JourneyStatus, JobStatus))
    words.values("schedule", _labels(Schedule))
    words.values("value", _labels(Value))
    words.values("metric", _labels(Metric))
    words.values("unit", _labels(Unit))
    words.values("action", _labels(Action))
    words.values("task_kind", _labels(TaskKind))
    words.names("branch_id", _by_pk(Branch))
    words.names("segment_id", _by_pk(Segment))
    words.names("template_ids", _by_pk(EmailTemplate))
    words.subjects("contact", "Contact")
    words.subjects("consent", "Consent")
    words.subjects("suppression", "Do-not-contact list")
    words.subjects("touch", "Touch")
    words.subjects("task", "Task")
    words.subjects("user", "Account")
    words.subjects("custom_field", "Custom field")
    words.subjects("import", "Import")
    words.subjects("signup_form", "Signup form")
    words.subjects("business", "Business details")
    words.subjects("deliverysettings", "Contact budget")
    words.subjects("apikey", "API key", _api_keys)
    words.subjects("branch", "Branch", _by_public_id(Branch))
    words.subjects("campaign", "Campaign", _by_public_id(Campaign))
    words.subjects("series", "Series", _by_public_id(Series))
    words.subjects("emailtemplate", "Template", _by_public_id(EmailTemplate))
    words.subjects("segment", "Segment", _by_public_id(Segment))
    words.subjects("journey", "Journey", _by_public_id(Journey))
    words.subjects("rhythm", "Rhythm", _by_public_id(Rhythm))
    words.subjects("plan", "Plan", _by_public_id(Plan))
