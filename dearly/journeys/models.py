"""Journeys (G1): a trigger, then steps each contact walks through at their own pace.

A journey's definition lives in immutable versions; the journey points at its current one.
Each contact's walk is an Enrollment row: the step it is at, and when the worker should look
at it next. Every step taken is a StepRun row, numbered per enrollment, so a step that has run
cannot run again (UNIQUE(enrollment, seq)).
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models


class JourneyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ARCHIVED = "archived", "Archived"


class Journey(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    status = models.CharField(
        max_length=10, choices=JourneyStatus.choices, default=JourneyStatus.DRAFT
    )
    version = models.ForeignKey(
        "JourneyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the current version so an event finds its journeys through one index:
    # "consent.granted", "lifecycle.changed", "event.<name>", "rhythm.overdue", "survey", "date".
    trigger_key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # A contact event: WHERE status='active' AND trigger_key=%s.
            models.Index(fields=["trigger_key", "status"], name="journey_trigger"),
        ]

    def __str__(self) -> str:
        return self.name


class ImmutableVersion(Exception):
    """Raised when code tries to change a saved journey version: publish a new one."""


class JourneyVersion(models.Model):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["journey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="journey_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.journey_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersion("A saved journey version cannot change; publish a new one.")
        super().save(*args, **kwargs)


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "In the journey"
    DONE = "done", "Finished"
    EXITED = "exited", "Left early"


class Enrollment(models.Model):
    """One contact's walk through one version of a journey.

    `step_id` is the step the contact is at. `waiting` says that step (a wait) has started and
    the contact sleeps until `next_run_at`. `seq` numbers the next StepRun. `occurrence` names
    what caused the enrolment (the year for a date trigger, the event otherwise), so the same
    cause never enrols twice.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="enrollments")
    version = models.ForeignKey(JourneyVersion, on_delete=models.PROTECT, related_name="+")
    # Indexed by enrollment_contact below, which leads with contact: no second index.
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    step_id = models.CharField(max_length=40, blank=True)
    waiting = models.BooleanField(default=False)
    seq = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    occurrence = models.CharField(max_length=120)
    entered_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    exit_reason = models.CharField(max_length=200, blank=True)
    # Which worker last advanced it, and when. The claim itself is the row lock held for the
    # stepping transaction (see stepper), so a killed worker leaves nothing to expire.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        indexes = [
            # The stepper's claim: WHERE status='active' AND next_run_at <= now
            # ORDER BY next_run_at LIMIT n FOR UPDATE SKIP LOCKED.
            models.Index(
                fields=["next_run_at"],
                name="enrollment_due",
                condition=models.Q(status="active"),
            ),
            # Step counts: WHERE journey_id=%s AND status='active' GROUP BY step_id.
            models.Index(fields=["journey", "status", "step_id"], name="enrollment_step"),
            # A contact's history and the re-entry rules: WHERE contact_id=%s [AND journey_id=%s].
            models.Index(fields=["contact", "journey", "-entered_at"], name="enrollment_contact"),
        ]
        constraints = [
            # The same cause (event, year) never enrols a contact twice in one journey.
            models.UniqueConstraint(
                fields=["journey", "contact", "occurrence"], name="enrollment_occurrence"
            ),
            # At most one walk in progress per contact and journey.
            models.UniqueConstraint(
                fields=["journey", "contact"],
                name="enrollment_one_active",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journey_id}/{self.contact_id} at {self.step_id or '-'}"


class StepRun(models.Model):
    """One step a contact took: what it did (sent, waited until, branched to…)."""

    # Indexed by steprun_seq below, which leads with enrollment: no second index.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="runs", db_index=False
    )
    seq = models.PositiveIntegerField()
    step_id = models.CharField(max_length=40)
    outcome = models.CharField(max_length=20)
    detail = models.CharField(max_length=300, blank=True)
    ran_at = models.DateTimeField()

    class Meta:
        ordering = ["enrollment", "seq"]
        constraints = [
            # A step is never run twice: the stepper's insert fails if another worker ran it.
            models.UniqueConstraint(fields=["enrollment", "seq"], name="steprun_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}#{self.seq} {self.step_id}: {self.outcome}"
