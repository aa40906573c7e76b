import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    MARKETER = "marketer", "Marketer"
    STAFF = "staff", "Branch staff"
    APPROVER = "approver", "Approver"
    VIEWER = "viewer", "Viewer (read only)"


class Membership(models.Model):
    """A user's place in the business: their role and, for branch staff, their branch."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # One of settings.LANGUAGES; blank means the installation's LANGUAGE_CODE.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="staff") | models.Q(branch__isnull=False),
                name="membership_staff_has_branch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def sees_all_branches(self) -> bool:
        from dearly.core.access import sees_all_branches  # access decides; models describe

        return sees_all_branches(self)


class Business(models.Model):
    """The one business this installation serves (a singleton row, pk=1)."""

    name = models.CharField(max_length=200, default="My business")
    postal_address = models.TextField(blank=True)
    default_country = models.CharField(max_length=2, default="GB")
    # Everyone, whatever their role, signs in with a code from an authenticator app too.
    require_two_factor = models.BooleanField(default=False)
    # How long records of behaviour are kept (core.retention); the consent ledger and the audit
    # log are evidence and are never deleted by age.
    keep_tracking_months = models.PositiveSmallIntegerField(default=24)
    keep_caught_mail_months = models.PositiveSmallIntegerField(default=3)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    UI = "ui", "Web app"
    API = "api", "API"
    IMPORT = "import", "Import"
    CLI = "cli", "Command line"
    CUSTOMER = "customer", "Customer's own link"
    SYSTEM = "system", "System"


class AuditEvent(models.Model):
    """Append-only: who changed what, when, from where, with the old and new values."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    action = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        db_constraint=False,
        db_index=False,  # audit_contact_recent leads with contact
    )
    old = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The contact page's history: WHERE contact_id = ? ORDER BY occurred_at DESC.
            models.Index(fields=["contact", "-occurred_at"], name="audit_contact_recent"),
            # The owner's log filtered by action.
            models.Index(fields=["action", "-occurred_at"], name="audit_action_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id}"


class ApiKey(models.Model):
    """A key an integrator sends as `Authorization: Bearer KEY`; only its hash is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ChoreRun(models.Model):
    """When a periodic chore (a daily date pass, the overdue pass) may next run. Workers race
    for it with one conditional UPDATE, so across many machines exactly one runs it."""

    name = models.CharField(max_length=60, primary_key=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name


class SignIn(models.Model):
    """One signed-in browser: a row per session, so a member can see and end their sessions.

    Written when someone signs in and removed when they sign out or end it from the security
    page; a row whose session has expired is simply no longer listed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} at {self.created_at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """A form post that recorded a fact, kept by its one-time token so that a double click,
    a resent page or a retried request records the fact once (see core.once)."""

    token = models.UUIDField(primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.token)
