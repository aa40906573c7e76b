"""Plan pages: the list with progress and flags, a plan's page, and its form."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dearly.core.access import Can
from dearly.core.actor import Actor
from dearly.core.decorators import MemberRequest, member_required
from dearly.plans import queries
from dearly.plans.contributions import contributions
from dearly.plans.forms import PlanForm, initial_for
from dearly.plans.models import Plan
from dearly.plans.origins import origins_of
from dearly.plans.progress import measure
from dearly.plans.services import PlanError, create_plan, update_plan
from dearly.plans.value import THRESHOLD, distribution, plan_ratio

NAV = "plans"


@member_required(Can.SEND_CAMPAIGNS)
def plan_list(request: MemberRequest) -> HttpResponse:
    rows = queries.summaries(request.member, now=timezone.now())
    context = {"rows": rows, "threshold": int(THRESHOLD * 100), "nav": NAV}
    return render(request, "plans/list.html", context)


@member_required(Can.SEND_CAMPAIGNS)
def plan_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    plan = queries.get_plan_for_member(request.member, public_id)
    now = timezone.now()
    progress, chart = measure(plan, now=now)
    origins = origins_of(plan)
    context = {
        "plan": plan,
        "progress": progress,
        "chart": chart,
        "rows": contributions(plan),
        "ratio": plan_ratio(origins),
        "buckets": distribution(origins, now=now),
        "threshold": int(THRESHOLD * 100),
        "nav": NAV,
    }
    return render(request, "plans/detail.html", context)


@member_required(Can.SEND_CAMPAIGNS)
def plan_new(request: MemberRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, member=request.member)
    if request.method == "POST" and form.is_valid():
        try:
            plan = create_plan(actor=Actor.from_request(request), details=form.details())
        except PlanError as e:
            form.add_service_errors(e)
        else:
            return redirect("plans:detail", public_id=plan.public_id)
    return _form_page(request, form, plan=None)


@member_required(Can.SEND_CAMPAIGNS)
def plan_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    plan = queries.get_plan_for_member(request.member, public_id)
    form = PlanForm(request.POST or None, member=request.member, initial=initial_for(plan))
    if request.method == "POST" and form.is_valid():
        try:
            update_plan(actor=Actor.from_request(request), plan=plan, details=form.details())
        except PlanError as e:
            form.add_service_errors(e)
        else:
            return redirect("plans:detail", public_id=plan.public_id)
    return _form_page(request, form, plan=plan)


def _form_page(request: MemberRequest, form: PlanForm, *, plan: Plan | None) -> HttpResponse:
    return render(request, "plans/form.html", {"form": form, "plan": plan, "nav": NAV})
