import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from dearly.touches.queries import open_task_count

register = template.Library()


@register.simple_tag(takes_context=True)
def open_tasks(context: template.Context) -> int:
    """The nav badge: open tasks the signed-in member may act on (one indexed count)."""
    member: Any = context.get("member")
    return open_task_count(member) if member is not None else 0


@register.filter
def days_ago(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "today", "yesterday", "12 days ago"; beyond two months, "3 months ago"."""
    if when is None:
        return ""
    now = now or timezone.now()
    days = (timezone.localdate(now) - timezone.localdate(when)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return f"{timesince(when, now, depth=1)} ago"
