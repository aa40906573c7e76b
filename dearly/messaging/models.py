"""Email templates and their versions.

A version is content frozen at the moment the editor was saved: the database refuses to
change it (see migration 0002), so a campaign bound to a version sends exactly what was
reviewed, whatever happens to the template afterwards.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models


# Why a message is sent; service messages (an order delay) are not marketing.
class MessagePurpose(models.TextChoices):
    SERVICE = "service", "Service (not marketing)"
    INFORMATIONAL = "informational", "Informational"
    PROMOTIONAL = "promotional", "Promotional"


class MissingDataPolicy(models.TextChoices):
    HOLD = "hold", "Hold the message for that person"
    FALLBACK = "fallback", "Use my friendly wording instead"


class EmailTemplate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The templates list: WHERE archived = ? ORDER BY updated_at DESC.
            models.Index(fields=["archived", "-updated_at"], name="template_list"),
        ]

    def __str__(self) -> str:
        return self.name


class ImmutableVersion(Exception):
    """Raised when code tries to save an existing version: make a new one instead."""


class TemplateVersion(models.Model):
    template = models.ForeignKey(EmailTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=300)
    preheader = models.CharField(max_length=300, blank=True)
    html_source = models.TextField()
    # Blank means "generate the plain-text part from the HTML".
    text_source = models.TextField(blank=True)
    # The owner's friendly wording per merge field, e.g. {"contact.first_name": "there"}.
    fallbacks = models.JSONField(default=dict, blank=True)
    missing_data_policy = models.CharField(
        max_length=10, choices=MissingDataPolicy.choices, default=MissingDataPolicy.FALLBACK
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersion("A saved template version cannot change; save a new version.")
        super().save(*args, **kwargs)
