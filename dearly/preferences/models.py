"""What a customer chose beyond consent (frequency, a pause), and the signup form's wording.

Consent itself lives in the contacts ledger; these rows never decide who may be contacted on
their own: the delivery policy reads them (see dearly.preferences.queries).
"""

import uuid

from django.conf import settings
from django.db import models


class Frequency(models.TextChoices):
    ANY = "any", "As it comes"
    WEEKLY = "weekly", "At most once a week"
    MONTHLY = "monthly", "At most once a month"


class ContactPreference(models.Model):
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ANY)
    # No marketing until then; null when not paused.
    paused_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The delivery gate: WHERE paused_until > now for a batch of contacts.
            models.Index(
                fields=["paused_until"],
                name="preference_paused",
                condition=models.Q(paused_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.frequency}, paused until {self.paused_until}"


class SignupFormVersion(models.Model):
    """One version of the signup form's text. Immutable: a snippet pasted on a website last
    year still shows the wording it was copied with, and its signups cite that version."""

    number = models.PositiveIntegerField(unique=True)
    form_name = models.CharField(max_length=120)
    heading = models.CharField(max_length=200)
    wording = models.TextField()  # the consent statement the person agrees to
    purposes = models.JSONField(default=list)  # contacts.Purpose values granted on email
    ask_name = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.form_name} v{self.number}"

    @property
    def wording_version(self) -> str:
        return f"signup-v{self.number}"


class PendingSignup(models.Model):
    """A signup waiting for its confirmation click: no consent exists until then."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="pending_signups"
    )
    form_version = models.ForeignKey(
        SignupFormVersion, on_delete=models.PROTECT, related_name="signups"
    )
    requested_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The confirmation: a contact's unconfirmed signups.
            models.Index(fields=["contact", "confirmed_at"], name="signup_pending"),
        ]

    def __str__(self) -> str:
        return f"signup {self.public_id}"


class SystemTemplate(models.Model):
    """Which email template Dearly itself sends from (the signup confirmation). A plain id,
    not a foreign key, as the outbox keeps it: owners may edit the template's wording, and
    the newest version is used."""

    key = models.CharField(max_length=40, unique=True)
    template_id = models.BigIntegerField()

    def __str__(self) -> str:
        return self.key
