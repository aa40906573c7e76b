"""Campaign pages: list, draft form, review, launch, cancel and the report."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from dearly.campaigns import queries
from dearly.campaigns.forms import CampaignForm, initial_for
from dearly.campaigns.launch import cancel_campaign, launch_campaign
from dearly.campaigns.models import Campaign
from dearly.campaigns.report import build_report
from dearly.campaigns.review import build_review
from dearly.campaigns.services import CampaignError, create_campaign, update_campaign
from dearly.campaigns.timing import marketing_windows
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required

NAV = "campaigns"
POLL_SECONDS = 3


@member_required(Can.VIEW_CAMPAIGNS)
def campaign_list(request: MemberRequest) -> HttpResponse:
    campaigns = list(queries.campaigns_for_member(request.member)[:200])
    counts = queries.sent_counts(campaigns)
    rows = [(c, counts.get(c.pk, {})) for c in campaigns]
    return render(request, "campaigns/list.html", {"rows": rows, "nav": NAV})


@member_required(Can.SEND_CAMPAIGNS)
def campaign_new(request: MemberRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, member=request.member)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = create_campaign(actor=Actor.from_request(request), details=form.details())
        except CampaignError as e:
            form.add_service_errors(e)
        else:
            return redirect("campaigns:review", public_id=campaign.public_id)
    return _form_page(request, form, campaign=None)


@member_required(Can.SEND_CAMPAIGNS)
def campaign_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    campaign = queries.get_campaign_for_member(request.member, public_id)
    if not campaign.is_draft:
        messages.info(request, "This campaign has been launched; it can no longer change.")
        return redirect("campaigns:detail", public_id=campaign.public_id)
    form = CampaignForm(request.POST or None, member=request.member, initial=initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            update_campaign(
                actor=Actor.from_request(request), campaign=campaign, details=form.details()
            )
        except CampaignError as e:
            form.add_service_errors(e)
        else:
            return redirect("campaigns:review", public_id=campaign.public_id)
    return _form_page(request, form, campaign=campaign)


def _form_page(
    request: MemberRequest, form: CampaignForm, *, campaign: Campaign | None
) -> HttpResponse:
    context = {
        "form": form,
        "campaign": campaign,
        "windows": marketing_windows(),
        "time_zone": timezone.get_current_timezone_name(),
        "nav": NAV,
    }
    return render(request, "campaigns/form.html", context)


@member_required(Can.VIEW_CAMPAIGNS)
def campaign_review(request: MemberRequest, public_id: str) -> HttpResponse:
    campaign = queries.get_campaign_for_member(request.member, public_id)
    review = build_review(request.member, campaign, now=timezone.now())
    context = {
        "campaign": campaign,
        "review": review,
        "time_zone": timezone.get_current_timezone_name(),
        "nav": NAV,
    }
    return render(request, "campaigns/review.html", context)


@member_required(Can.SEND_CAMPAIGNS)
@require_POST
def campaign_launch(request: MemberRequest, public_id: str) -> HttpResponse:
    campaign = queries.get_campaign_for_member(request.member, public_id)
    was_draft = campaign.is_draft
    try:
        campaign = launch_campaign(
            actor=Actor.from_request(request), member=request.member, campaign=campaign
        )
    except CampaignError as e:
        messages.error(request, str(e))
        return redirect("campaigns:review", public_id=campaign.public_id)
    if was_draft:
        messages.success(request, _launched_message(campaign))
    return redirect("campaigns:detail", public_id=campaign.public_id)


def _launched_message(campaign: Campaign) -> str:
    count = f"{campaign.recipients} message{'' if campaign.recipients == 1 else 's'}"
    if campaign.waits_to_start and campaign.send_at:
        starts = dateformat.format(timezone.localtime(campaign.send_at), "D j M, H:i")
        return f"Scheduled: {count} in the outbox, to start {starts}."
    return f"Launched: {count} in the outbox."


@member_required(Can.SEND_CAMPAIGNS)
@require_POST
def campaign_cancel(request: MemberRequest, public_id: str) -> HttpResponse:
    campaign = queries.get_campaign_for_member(request.member, public_id)
    cancelled = cancel_campaign(actor=Actor.from_request(request), campaign=campaign)
    messages.success(request, f"Cancelled; {cancelled} waiting messages will not be sent.")
    return redirect("campaigns:detail", public_id=campaign.public_id)


@member_required(Can.VIEW_CAMPAIGNS)
def campaign_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    campaign = queries.get_campaign_for_member(request.member, public_id)
    if not campaign.was_launched:
        return redirect("campaigns:review", public_id=campaign.public_id)
    report = build_report(campaign, now=timezone.now())
    context = {
        "campaign": campaign,
        "report": report,
        "poll": POLL_SECONDS,
        "time_zone": timezone.get_current_timezone_name(),
        "nav": NAV,
    }
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, "campaigns/report.html" + ("#live" if fragment else ""), context)
    patch_vary_headers(response, ["HX-Request"])
    return response
