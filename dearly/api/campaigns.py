"""Campaign endpoints: create a draft, read it with its review, launch it, read its report.

The key acts for the whole business, so audiences are counted and launched as an owner
would see them (every branch).
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dearly.api.audience_schemas import CampaignList, CampaignQuery
from dearly.api.auth import api_actor, api_member
from dearly.api.campaign_schemas import CampaignIn, CampaignOut, LaunchRefusedOut, ReportOut
from dearly.api.lookups import get_campaign, get_segment, get_template, referenced
from dearly.api.report_bodies import campaign_body, report_body
from dearly.api.schemas import ErrorOut
from dearly.campaigns.launch import launch_campaign
from dearly.campaigns.models import Campaign, CampaignStatus
from dearly.campaigns.queries import campaigns_for_member, sent_counts
from dearly.campaigns.report import build_report
from dearly.campaigns.review import build_review
from dearly.campaigns.services import Details, create_campaign

router = Router(tags=["campaigns"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/campaigns",
    response={201: CampaignOut, 401: ErrorOut, 422: ErrorOut},
    operation_id="create_campaign",
    summary="Create a draft campaign",
)
def create(request: HttpRequest, payload: CampaignIn) -> Status[Any]:
    """Every problem with the details is reported at once, each naming its field."""
    segment = referenced(get_segment, payload.segment, field="segment") if payload.segment else None
    details = Details(
        name=payload.name,
        template=referenced(get_template, payload.template, field="template"),
        purpose=payload.purpose,
        segment=segment,
        consent_purpose=payload.consent_purpose or "",
        value=payload.value or "",
        schedule=payload.schedule,
        send_at=payload.send_at,
    )
    campaign = create_campaign(actor=api_actor(request), details=details)
    return Status(201, _shown(get_campaign(campaign.public_id)))


@router.get(
    "/campaigns",
    response={200: CampaignList, 401: ErrorOut, 422: ErrorOut},
    operation_id="list_campaigns",
    summary="Campaigns, newest first, with how many were sent and are still waiting",
)
def list_campaigns(request: HttpRequest, query: Query[CampaignQuery]) -> dict[str, Any]:
    campaigns = campaigns_for_member(api_member())
    if query.status:
        campaigns = campaigns.filter(status=query.status)
    window = query.offset + query.limit
    rows = list(campaigns.order_by("-created_at", "-id")[query.offset : window + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    counts = sent_counts(rows)
    return {
        "items": [_summary(c, counts.get(c.pk, {})) for c in rows],
        "next_offset": window if more else None,
    }


def _summary(campaign: Campaign, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": campaign.public_id,
        "name": campaign.name,
        "status": campaign.status,
        "purpose": campaign.purpose,
        "consent_purpose": campaign.consent_purpose,
        "segment": campaign.segment.public_id if campaign.segment else None,
        "template": campaign.template.public_id,
        "schedule": campaign.schedule,
        "send_at": campaign.send_at,
        "launched_at": campaign.launched_at,
        "recipients": campaign.recipients,
        "sent": counts.get("sent", 0),
        "waiting": counts.get("waiting", 0),
        "created_at": campaign.created_at,
    }


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **ERRORS},
    operation_id="get_campaign",
    summary="A campaign's status, and while a draft the review figures",
)
def read_campaign(request: HttpRequest, campaign_id: str) -> dict[str, Any]:
    return _shown(get_campaign(campaign_id))


@router.post(
    "/campaigns/{campaign_id}/launch",
    response={200: CampaignOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: LaunchRefusedOut},
    operation_id="launch_campaign",
    summary="Launch a draft: one outbox message per recipient",
)
def launch(request: HttpRequest, campaign_id: str) -> Status[Any]:
    """Launching twice is safe: a campaign already launched is returned as it is and nothing
    more is queued. 422 lists the blocking checks; 409 when the campaign was cancelled."""
    campaign = get_campaign(campaign_id)
    if campaign.status == CampaignStatus.CANCELLED:
        raise HttpError(409, "this campaign was cancelled; create a new one")
    if campaign.is_draft:
        review = build_review(api_member(), campaign, now=timezone.now())
        if review.blocking:
            return Status(422, _refusal(review.problem, review.checks))
    launch_campaign(actor=api_actor(request), member=api_member(), campaign=campaign)
    return Status(200, _shown(get_campaign(campaign.public_id)))


@router.get(
    "/campaigns/{campaign_id}/report",
    response={200: ReportOut, **ERRORS},
    operation_id="get_campaign_report",
    summary="Where every message is, and what recipients did with it",
)
def report(request: HttpRequest, campaign_id: str) -> dict[str, Any]:
    campaign = get_campaign(campaign_id)
    return report_body(campaign, build_report(campaign, now=timezone.now()))


def _shown(campaign: Any) -> dict[str, Any]:
    review = build_review(api_member(), campaign, now=timezone.now()) if campaign.is_draft else None
    return campaign_body(campaign, review)


def _refusal(problem: str, checks: list[Any]) -> dict[str, Any]:
    """The blocking checks as errors on the template (where in it is in each message)."""
    errors: list[tuple[str | None, str]] = [(None, problem)] if problem else []
    for c in checks:
        if c.level == "error":
            errors.append(("template", f"{c.message} ({c.where})" if c.where else c.message))
    return {
        "detail": [{"field": field, "message": message} for field, message in errors],
        "checks": checks,
    }
