"""Launching and cancelling a campaign.

Launch, in one transaction:
1. Lock the campaign row; if it is no longer a draft, do nothing (a second click, a retried
   request or a second tab launches nothing twice).
2. Check the details again, bind the template's latest version, and refuse when a check is
   blocking: what was reviewed is what goes.
3. Fan out one outbox row per consenting recipient with a single INSERT … SELECT.
4. Mark the campaign launched (or scheduled) with the number of rows, and audit it.
The worker's policy gate then decides, per recipient, when each message may go.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dearly.audiences.rules import InvalidRules
from dearly.campaigns.audience import CHANNEL, audience_of
from dearly.campaigns.models import Campaign, CampaignStatus, Schedule
from dearly.campaigns.services import CampaignError, Details, clean
from dearly.core.access import Can, require
from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.core.models import Membership
from dearly.delivery.models import MessagePurpose
from dearly.delivery.outbox import cancel_origin, enqueue_audience
from dearly.messaging.checks import check_version, is_blocking
from dearly.messaging.models import TemplateVersion

ORIGIN = "campaign"
# Lower goes first when the outbox is busy: service before value before selling (F4).
PRIORITY = {
    MessagePurpose.SERVICE: 50,
    MessagePurpose.INFORMATIONAL: 90,
    MessagePurpose.PROMOTIONAL: 100,
}


def latest_version(campaign: Campaign) -> TemplateVersion | None:
    return campaign.template.versions.order_by("-number").first()


def details_of(campaign: Campaign) -> Details:
    return Details(
        name=campaign.name,
        template=campaign.template,
        purpose=campaign.purpose,
        segment=campaign.segment,
        consent_purpose=campaign.consent_purpose,
        value=campaign.value,
        schedule=campaign.schedule,
        send_at=campaign.send_at,
    )


def launch_campaign(*, actor: Actor, member: Membership, campaign: Campaign) -> Campaign:
    require(member, Can.SEND_CAMPAIGNS)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("template", "segment")
            .get(pk=campaign.pk)
        )
        if not locked.is_draft:
            return locked
        clean(details_of(locked), now=now)
        version = _version_to_bind(locked)
        not_before = locked.send_at if locked.schedule == Schedule.AT else now
        try:
            audience = audience_of(member, locked)
        except InvalidRules:
            raise CampaignError({"": "The segment no longer works; fix it first."}) from None
        written = enqueue_audience(
            audience,
            origin_type=ORIGIN,
            origin_id=locked.pk,
            purpose=locked.purpose,
            consent_purpose=locked.consent_purpose,
            template_version_id=version.pk,
            channel=CHANNEL,
            not_before=not_before,
            priority=PRIORITY[MessagePurpose(locked.purpose)],
            value=locked.value,
            best_hour=locked.schedule == Schedule.WINDOW,
        )
        _mark_launched(locked, actor=actor, version=version, written=written, now=now)
        return locked


def _version_to_bind(campaign: Campaign) -> TemplateVersion:
    if campaign.template.archived:
        raise CampaignError({"template": "This template is archived; choose another."})
    version = latest_version(campaign)
    if version is None:
        raise CampaignError({"template": "This template has no saved version yet."})
    if is_blocking(check_version(version, purpose=campaign.purpose)):
        raise CampaignError({"": "Fix the errors in the checks before launching."})
    return version


def _mark_launched(
    campaign: Campaign, *, actor: Actor, version: TemplateVersion, written: int, now: dt.datetime
) -> None:
    later = campaign.schedule == Schedule.AT and campaign.send_at and campaign.send_at > now
    campaign.status = CampaignStatus.SCHEDULED if later else CampaignStatus.LAUNCHED
    campaign.version = version
    campaign.launched_by = actor.user  # type: ignore[assignment]
    campaign.launched_at = now
    campaign.recipients = written
    changed = ["status", "version", "launched_by", "launched_at", "recipients", "updated_at"]
    campaign.save(update_fields=changed)
    record_event(
        actor=actor,
        action="campaign.launched",
        subject=campaign,
        new={"version": version.number, "recipients": written, "status": campaign.status},
    )


def cancel_campaign(*, actor: Actor, campaign: Campaign) -> int:
    """Stop a campaign: messages still waiting in the outbox are cancelled in one UPDATE.
    Messages already sent, or being sent this moment, are not recalled. Returns how many."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == CampaignStatus.CANCELLED:
            return 0
        cancelled = cancel_origin(origin_type=ORIGIN, origin_id=locked.pk)
        old = {"status": locked.status}
        locked.status = CampaignStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="campaign.cancelled",
            subject=locked,
            old=old,
            new={"status": locked.status, "messages_cancelled": cancelled},
        )
    campaign.status = locked.status
    return cancelled
