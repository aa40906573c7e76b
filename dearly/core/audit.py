"""The audit log's one write path. Values must be JSON-friendly; no secrets go in."""

from typing import Any

from django.db.models import Model

from dearly.core.actor import Actor
from dearly.core.models import AuditEvent


def record_event(
    *,
    actor: Actor,
    action: str,
    subject: Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    contact: Any = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    if subject is not None:
        subject_type = subject_type or subject._meta.model_name or ""
        subject_id = subject_id or str(getattr(subject, "public_id", subject.pk))
    return AuditEvent.objects.create(
        actor_id=actor.user_id,
        actor_label=actor.label,
        source=actor.source,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        contact=contact,
        old=old or {},
        new=new or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and new values of the keys that changed."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
