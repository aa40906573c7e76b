"""Campaigns, reviews and reports as the plain dicts the campaign schemas publish."""

from typing import Any

from dearly.campaigns.models import Campaign
from dearly.campaigns.report import Reason, Report
from dearly.campaigns.review import Review


def campaign_body(campaign: Campaign, review: Review | None) -> dict[str, Any]:
    segment, template = campaign.segment, campaign.template
    return {
        "id": campaign.public_id,
        "name": campaign.name,
        "status": campaign.status,
        "segment": {"id": segment.public_id, "name": segment.name} if segment else None,
        "template": {"id": template.public_id, "name": template.name},
        "version": campaign.version.number if campaign.version else None,
        "purpose": campaign.purpose,
        "consent_purpose": campaign.consent_purpose or None,
        "value": campaign.value or None,
        "schedule": campaign.schedule,
        "send_at": campaign.send_at,
        "recipients": campaign.recipients,
        "launched_at": campaign.launched_at,
        "created_at": campaign.created_at,
        "updated_at": campaign.updated_at,
        "review": review_body(review) if review else None,
    }


def review_body(review: Review) -> dict[str, Any]:
    budget = review.budget
    return {
        "version": review.version.number if review.version else None,
        "problem": review.problem,
        "in_segment": review.in_segment,
        "recipients": review.recipients,
        "without_consent": review.without_consent,
        "without_email": review.without_email,
        "gaps": review.gaps,
        "checks": review.checks,
        "blocking": review.blocking,
        "window": review.window,
        "first_sends": review.zones,
        "budget": {"max_messages": budget.budget_max, "days": budget.budget_days}
        if budget
        else None,
        "at_budget": review.at_budget,
    }


def report_body(campaign: Campaign, report: Report) -> dict[str, Any]:
    """The counts the web report shows, from the same build_report."""
    chart = report.chart
    return {
        "status": campaign.status,
        "total": report.total,
        "queued": report.queued,
        "sending": report.sending,
        "sent": report.sent,
        "failed": report.failed,
        "cancelled": report.cancelled,
        "held": report.held_total,
        "held_by_reason": [_reason(r) for r in report.held],
        "deferred": report.deferred_total,
        "deferred_by_reason": [_reason(r) for r in report.deferred],
        "engagement": {name: count for name, _, count in report.engagement_rows},
        "bucket": chart.bucket if chart else "hour",
        "timeline": chart.points if chart else [],
    }


def _reason(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "label": reason.label,
        "count": reason.count,
        "earliest": reason.earliest,
    }
