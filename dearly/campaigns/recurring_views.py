"""Recurring series pages: list, new, edit, pause/resume and the series page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dearly.campaigns import recurring_queries as queries
from dearly.campaigns.models import Series, SeriesStatus
from dearly.campaigns.recurring import create_series, set_series_status, update_series
from dearly.campaigns.recurring_forms import SeriesForm, initial_for_series
from dearly.campaigns.services import CampaignError
from dearly.campaigns.timing import marketing_windows
from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required

NAV = "campaigns"


@member_required(Can.SEND_CAMPAIGNS)
def series_list(request: MemberRequest) -> HttpResponse:
    rows = queries.list_rows(request.member)
    context = {"rows": rows, "time_zone": timezone.get_current_timezone_name(), "nav": NAV}
    return render(request, "campaigns/series_list.html", context)


@member_required(Can.SEND_CAMPAIGNS)
def series_new(request: MemberRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, member=request.member)
    if request.method == "POST" and form.is_valid():
        details = form.series_details()
        try:
            series = create_series(
                actor=Actor.from_request(request),
                name=details.name,
                template=details.template,
                purpose=details.purpose,
                rule=details.rule,
                segment=details.segment,
                consent_purpose=details.consent_purpose,
                value=details.value,
                schedule=details.schedule,
            )
        except CampaignError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, "Series created: its issues will go on the dates below.")
            return redirect("campaigns:series_detail", public_id=series.public_id)
    return _form_page(request, form, series=None)


@member_required(Can.SEND_CAMPAIGNS)
def series_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    series = queries.get_series_for_member(request.member, public_id)
    form = SeriesForm(
        request.POST or None, member=request.member, initial=initial_for_series(series)
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_series(
                actor=Actor.from_request(request), series=series, details=form.series_details()
            )
        except CampaignError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, "Saved. Issues already sent are not changed.")
            return redirect("campaigns:series_detail", public_id=series.public_id)
    return _form_page(request, form, series=series)


def _form_page(request: MemberRequest, form: SeriesForm, *, series: Series | None) -> HttpResponse:
    context = {
        "form": form,
        "series": series,
        "windows": marketing_windows(),
        "time_zone": timezone.get_current_timezone_name(),
        "nav": NAV,
    }
    return render(request, "campaigns/series_form.html", context)


@member_required(Can.SEND_CAMPAIGNS)
@require_POST
def series_status(request: MemberRequest, public_id: str) -> HttpResponse:
    series = queries.get_series_for_member(request.member, public_id)
    pause = series.is_active
    status = SeriesStatus.PAUSED if pause else SeriesStatus.ACTIVE
    set_series_status(actor=Actor.from_request(request), series=series, status=status)
    messages.success(
        request, "Paused: no issue will be sent." if pause else "Resumed from the next date."
    )
    return redirect("campaigns:series_detail", public_id=series.public_id)


@member_required(Can.SEND_CAMPAIGNS)
def series_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    series = queries.get_series_for_member(request.member, public_id)
    context = {
        "series": series,
        "upcoming": queries.upcoming_dates(series, now=timezone.now()),
        "issues": queries.issues_of(series),
        "time_zone": timezone.get_current_timezone_name(),
        "nav": NAV,
    }
    return render(request, "campaigns/series_detail.html", context)
