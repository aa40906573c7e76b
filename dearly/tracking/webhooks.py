"""Provider webhooks, normalised by django-anymail, become message events."""

from typing import Any


def on_tracking_event(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    return None
