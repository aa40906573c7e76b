"""Journey pages: the list, a journey's flow with its counts and versions, and its status."""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.journeys import figures, services
from dearly.journeys.models import Journey, JourneyStatus
from dearly.journeys.queries import get_journey_for_member, journeys_for_member, with_counts
from dearly.journeys.words import goal_words, reentry_words, trigger_words
from dearly.messaging.queries import preview_contacts

NAV = "journeys"
STATUS_ACTIONS = {
    "activate": (services.activate, "Active: contacts enter it from now on."),
    "pause": (services.pause, "Paused: nobody enters or moves on until you resume it."),
    "resume": (services.resume, "Resumed: contacts move on from where they waited."),
    "archive": (services.archive, "Archived: everyone still in it has left it."),
}


@member_required(Can.SEND_CAMPAIGNS)
@require_GET
def journey_list(request: MemberRequest) -> HttpResponse:
    journeys = list(journeys_for_member(request.member).order_by("name", "id")[:500])
    rows = figures.list_rows(journeys, now=timezone.now())
    context = {"rows": rows, "sends_days": figures.SENDS_DAYS, "nav": NAV}
    return render(request, "journeys/list.html", context)


@member_required(Can.SEND_CAMPAIGNS)
@require_GET
def journey_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    journey = get_journey_for_member(request.member, public_id)
    shown = journey.version
    number = request.GET.get("version", "")
    if number.isdigit():
        shown = journey.versions.filter(number=int(number)).first() or shown
    if shown is None:
        return redirect("journeys:edit", public_id=journey.public_id)
    definition = shown.definition
    counted = with_counts(Journey.objects.filter(pk=journey.pk)).get()
    context = {
        "journey": journey,
        "shown": shown,
        "counts": counted,
        "goal_reached": figures.goal_counts([journey.pk]).get(journey.pk, 0),
        "sends": figures.send_counts(
            [journey.pk],
            since=timezone.now() - dt.timedelta(days=figures.SENDS_DAYS),
        ).get(journey.pk, 0),
        "sends_days": figures.SENDS_DAYS,
        "conversions": figures.conversions(journey),
        "trigger": trigger_words(definition["trigger"]),
        "reentry": reentry_words(definition.get("reentry", "never")),
        "goal": goal_words(definition.get("goal")),
        "flow": figures.flow(journey, shown),
        "versions": figures.versions(journey),
        "contacts": preview_contacts(request.member, ""),
        "q": "",
        "start_text": "",
        "nav": NAV,
    }
    return render(request, "journeys/detail.html", context)


@member_required(Can.SEND_CAMPAIGNS)
@require_POST
def journey_status(request: MemberRequest, public_id: str) -> HttpResponse:
    journey = get_journey_for_member(request.member, public_id)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Unknown action.")
    else:
        change, said = action
        try:
            change(actor=Actor.from_request(request), journey=journey)
        except services.JourneyError as e:
            messages.error(request, f"Not changed: {e}.")
        else:
            messages.success(request, said)
    if journey.status == JourneyStatus.ARCHIVED or request.POST.get("action") == "archive":
        return redirect("journeys:list")
    return redirect("journeys:detail", public_id=journey.public_id)
