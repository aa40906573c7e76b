"""Settings → Webhooks: the owner's list, each webhook's settings and delivery log, replay."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from dearly.core.access import Can
from dearly.core.decorators import MemberRequest, member_required
from dearly.core.views import actor, settings_page
from dearly.hooks import queries, services
from dearly.hooks.forms import SubscriptionForm
from dearly.hooks.models import Subscription


def _apply_error(form: SubscriptionForm, exc: services.HookError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _show_secret(request: MemberRequest, sub: Subscription, secret: str) -> HttpResponse:
    # Rendered, not redirected: the secret never sits in a session or a browser cache.
    context = {"sub": sub, "secret": secret}
    response = settings_page(request, "hooks/secret.html", context, tab="webhooks")
    add_never_cache_headers(response)
    return response


@member_required(Can.MANAGE_WEBHOOKS)
def hook_list(request: MemberRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sub, secret = services.create_subscription(
                actor=actor(request), member=request.member, details=form.details()
            )
        except services.HookError as exc:
            _apply_error(form, exc)
        else:
            return _show_secret(request, sub, secret)
    context = {"form": form, "subs": queries.subscriptions_for_member(request.member)}
    return settings_page(request, "hooks/list.html", context, tab="webhooks")


@member_required(Can.MANAGE_WEBHOOKS)
def hook_detail(request: MemberRequest, public_id: str) -> HttpResponse:
    sub = queries.get_subscription_for_member(request.member, public_id)
    form = SubscriptionForm.for_subscription(sub, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(
                actor=actor(request),
                member=request.member,
                subscription=sub,
                details=form.details(),
            )
        except services.HookError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
            return redirect("hooks:detail", public_id=sub.public_id)
    context = {"sub": sub, "form": form, "log": queries.delivery_log(sub)}
    return settings_page(request, "hooks/detail.html", context, tab="webhooks")


@member_required(Can.MANAGE_WEBHOOKS)
@require_POST
def hook_test(request: MemberRequest, public_id: str) -> HttpResponse:
    sub = queries.get_subscription_for_member(request.member, public_id)
    services.send_test(actor=actor(request), member=request.member, subscription=sub)
    messages.success(request, "A test event is on its way; it shows in the log below.")
    return redirect("hooks:detail", public_id=sub.public_id)


@member_required(Can.MANAGE_WEBHOOKS)
@require_POST
def hook_rotate(request: MemberRequest, public_id: str) -> HttpResponse:
    sub = queries.get_subscription_for_member(request.member, public_id)
    secret = services.rotate_secret(actor=actor(request), member=request.member, subscription=sub)
    return _show_secret(request, sub, secret)


@member_required(Can.MANAGE_WEBHOOKS)
def hook_delete(request: MemberRequest, public_id: str) -> HttpResponse:
    sub = queries.get_subscription_for_member(request.member, public_id)
    if request.method == "POST":
        services.delete_subscription(actor=actor(request), member=request.member, subscription=sub)
        messages.success(request, f"Deleted “{sub.name}”. Nothing more is sent to it.")
        return redirect("hooks:list")
    return settings_page(request, "hooks/delete.html", {"sub": sub}, tab="webhooks")


@member_required(Can.MANAGE_WEBHOOKS)
@require_POST
def delivery_replay(request: MemberRequest, public_id: str, delivery_id: str) -> HttpResponse:
    sub = queries.get_subscription_for_member(request.member, public_id)
    delivery = queries.get_delivery(sub, delivery_id)
    try:
        services.replay_delivery(actor=actor(request), member=request.member, delivery=delivery)
    except services.HookError as exc:
        messages.error(request, str(exc).capitalize() + ".")
    else:
        messages.success(request, "Sending it again, with the same webhook-id.")
    return redirect("hooks:detail", public_id=sub.public_id)
