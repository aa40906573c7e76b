import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractDay, ExtractMonth, Lower


class Lifecycle(models.TextChoices):
    LEAD = "lead", "Lead"
    CUSTOMER = "customer", "Customer"
    FORMER = "former", "Former customer"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PHONE = "phone", "Phone"
    POST = "post", "Post"
    SOCIAL = "social", "Social"


class Purpose(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    NEWSLETTER = "newsletter", "Newsletter"
    SURVEYS = "surveys", "Surveys"


class Tag(models.Model):
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Yes/no"
    CHOICE = "choice", "Choice"


class CustomField(models.Model):
    """A typed field the business adds to every contact; values live in Contact.custom_fields."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    field_type = models.CharField(max_length=10, choices=FieldType.choices, default=FieldType.TEXT)
    choices = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Contact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True)
    # Primary email (lower-cased, IDNA-normalised) and phone (E.164): the keys imports and the
    # API de-duplicate on. Further addresses and social handles are ContactPoints.
    email = models.CharField(max_length=254, null=True, blank=True, unique=True)
    phone = models.CharField(max_length=20, null=True, blank=True, unique=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, blank=True)
    birthday = models.DateField(null=True, blank=True)
    anniversary = models.DateField(null=True, blank=True)
    household = models.JSONField(default=dict, blank=True)
    lifecycle_stage = models.CharField(
        max_length=10, choices=Lifecycle.choices, default=Lifecycle.LEAD
    )
    lifecycle_changed_at = models.DateTimeField(null=True, blank=True)
    # The newest real touch on any channel (touches.Touch); the overdue list compares it.
    last_touch_at = models.DateTimeField(null=True, blank=True)
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    # True when someone chose the branch; otherwise the nearest branch may reassign it.
    branch_chosen = models.BooleanField(default=False)
    custom_fields = models.JSONField(default=dict, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # The contacts list: ORDER BY last_name, first_name within a branch.
            models.Index(fields=["branch", "last_name", "first_name"], name="contact_branch_name"),
            models.Index(fields=["last_name", "first_name"], name="contact_name"),
            # Segments: lifecycle stage within the member's branches.
            models.Index(fields=["lifecycle_stage", "branch"], name="contact_lifecycle"),
            # Segments: "created in the last N days".
            models.Index(fields=["created_at"], name="contact_created"),
            # The overdue list: WHERE lifecycle_stage=%s AND last_touch_at < now - rhythm.
            models.Index(fields=["lifecycle_stage", "last_touch_at"], name="contact_last_touch"),
            # Segments: "birthday / anniversary in the next N days" in each contact's time zone,
            # matched on month*100+day per time zone (audiences.compile.Compiler.yearly).
            models.Index(
                ExtractMonth("birthday") * 100 + ExtractDay("birthday"),
                "time_zone",
                name="contact_birthday_day",
            ),
            models.Index(
                ExtractMonth("anniversary") * 100 + ExtractDay("anniversary"),
                "time_zone",
                name="contact_anniversary_day",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        name = f"{first} {self.last_name}".strip()
        return name or self.email or self.phone or "(no name)"


class PointKind(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    SOCIAL = "social", "Social handle"


class ContactPoint(models.Model):
    """An address beyond the primary email and phone: a work email, a landline, @handle."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=10, choices=PointKind.choices)
    label = models.CharField(max_length=40, blank=True)  # "work", "instagram", …
    value = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind", "value"], name="point_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.label}"


class LifecycleChange(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="lifecycle_changes")
    from_stage = models.CharField(max_length=10, choices=Lifecycle.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Lifecycle.choices)
    reason = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_stage}→{self.to_stage}"


class ConsentAction(models.TextChoices):
    GRANT = "grant", "Granted"
    WITHDRAW = "withdraw", "Withdrawn"


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    PAPER_FORM = "paper_form", "Paper form"
    IN_PERSON = "in_person", "Said in person"
    PHONE_CALL = "phone_call", "On the phone"
    EMAIL = "email", "By email"
    IMPORT = "import", "Imported list"
    API = "api", "From another system (API)"
    UNSUBSCRIBE_LINK = "unsubscribe", "Unsubscribe link"
    PREFERENCE_CENTRE = "preferences", "Preference centre"
    ERASURE = "erasure", "Erasure request"


class ConsentEvent(models.Model):
    """The consent ledger: append-only, one row per grant or withdrawal, with its proof."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by consent_event_contact below, which leads with contact: no second index.
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consent_events", db_index=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16)  # core.models.Source
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    # Evidence: the form and the exact wording the person agreed to, and how it reached us.
    form_name = models.CharField(max_length=120, blank=True)
    wording_version = models.CharField(max_length=40, blank=True)
    wording = models.TextField(blank=True)
    note = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-occurred_at"], name="consent_event_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.channel}/{self.purpose}"


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", "Granted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.Model):
    """Current state per contact, channel and purpose; derived from the ledger by services."""

    # Indexed by consent_one_per_purpose, which leads with contact: no second index.
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consents", db_index=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    updated_at = models.DateTimeField()
    last_event = models.ForeignKey(ConsentEvent, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "channel", "purpose"], name="consent_one_per_purpose"
            )
        ]
        indexes = [
            # Audience filters: contacts WITH granted consent on a channel for a purpose.
            models.Index(fields=["channel", "purpose", "status"], name="consent_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}/{self.purpose}: {self.status}"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    COMPLAINT = "complaint", "Complained (spam report)"
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    DO_NOT_CALL = "do_not_call", "Do not call"
    ERASED = "erased", "Erased at their request"


class Suppression(models.Model):
    """An address that must not be contacted, kept as a keyed hash so it outlives erasure."""

    kind = models.CharField(max_length=10, choices=PointKind.choices)
    key_hash = models.CharField(max_length=64)
    reason = models.CharField(max_length=16, choices=SuppressionReason.choices)
    source = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key_hash", "reason"], name="suppression_unique"
            )
        ]
        indexes = [models.Index(fields=["key_hash"], name="suppression_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.reason}"
