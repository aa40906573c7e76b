"""Writes to the delivery rules (the contact budget), audited."""

from django.db import transaction

from dearly.core.actor import Actor
from dearly.core.audit import record_event
from dearly.delivery.models import DeliverySettings

BUDGET_MAX_LIMIT = 20
BUDGET_DAYS_LIMIT = 90


class SettingsError(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def set_budget(*, actor: Actor, max_messages: int, days: int) -> DeliverySettings:
    """At most `max_messages` marketing messages per contact in any `days` days (F4)."""
    if not 1 <= max_messages <= BUDGET_MAX_LIMIT:
        raise SettingsError(f"choose between 1 and {BUDGET_MAX_LIMIT}", field="max_messages")
    if not 1 <= days <= BUDGET_DAYS_LIMIT:
        raise SettingsError(f"choose between 1 and {BUDGET_DAYS_LIMIT} days", field="days")
    current, _ = DeliverySettings.objects.select_for_update().get_or_create(pk=1)
    old = {"budget_max": current.budget_max, "budget_days": current.budget_days}
    current.budget_max, current.budget_days = max_messages, days
    current.save(update_fields=["budget_max", "budget_days", "updated_at"])
    new = {"budget_max": max_messages, "budget_days": days}
    if old != new:
        record_event(actor=actor, action="settings.changed", subject=current, old=old, new=new)
    return current
