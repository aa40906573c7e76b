import uuid

from django.conf import settings
from django.db import models


class ExistingPolicy(models.TextChoices):
    UPDATE_BLANKS = "update-blanks", "Fill in blank fields only"
    OVERWRITE = "overwrite", "Overwrite with the file's values"
    SKIP = "skip", "Leave existing contacts alone"


class DuplicatePolicy(models.TextChoices):
    LATER = "later", "One contact: the later row's values win"
    FIRST = "first", "Keep the first row; leave out the later ones"


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", "Waiting for mapping"
    QUEUED = "queued", "Starting"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """One uploaded file and everything decided about it; progress is checkpointed per chunk."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=16, default="import")  # core.models.Source of the actor
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField(default=0)
    file_format = models.CharField(max_length=8)  # csv | xlsx
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    headers = models.JSONField(default=list)
    # The other tool whose export this is (engine.formats key), when its headers say so.
    recognised_as = models.CharField(max_length=20, blank=True)
    file_notices = models.JSONField(default=list, blank=True)
    # {"Column header": "field name" | "tags" | "branch" | ""} ("" = ignore)
    mapping = models.JSONField(default=dict, blank=True)
    # [["email", "marketing"], …]: channel/purpose pairs granted to every imported row.
    grants = models.JSONField(default=list, blank=True)
    consent_wording = models.TextField(blank=True)
    consent_source = models.CharField(max_length=200, blank=True)
    default_branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    existing = models.CharField(
        max_length=16, choices=ExistingPolicy.choices, default=ExistingPolicy.UPDATE_BLANKS
    )
    # What to do when the file names the same person twice.
    duplicates = models.CharField(
        max_length=8, choices=DuplicatePolicy.choices, default=DuplicatePolicy.LATER
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    failure = models.TextField(blank=True)
    # The last file line whose chunk committed: a resumed run starts after it.
    checkpoint_line = models.IntegerField(default=1)
    rows_seen = models.IntegerField(default=0)
    created_count = models.IntegerField(default=0)
    updated_count = models.IntegerField(default=0)
    unchanged_count = models.IntegerField(default=0)
    skipped_count = models.IntegerField(default=0)
    bad_count = models.IntegerField(default=0)
    notice_count = models.IntegerField(default=0)
    total_rows_estimate = models.IntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class IssueKind(models.TextChoices):
    ERROR = "error", "Not imported"
    NOTICE = "notice", "Imported, with a notice"


class ImportIssue(models.Model):
    """A reason a row (or one of its cells) was not imported as given: line, column, reason."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    line = models.IntegerField()
    column = models.CharField(max_length=255, blank=True)
    value = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=500)
    kind = models.CharField(max_length=6, choices=IssueKind.choices)

    class Meta:
        ordering = ["line", "id"]
        indexes = [
            # The report page and CSV: WHERE job_id = ? ORDER BY line.
            models.Index(fields=["job", "line"], name="import_issue_job_line"),
        ]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ImportedContact(models.Model):
    """Which contact each job last wrote from which line: finds a file's own duplicates
    across chunks (the later row wins) without holding every address in memory.

    One row per imported contact, so its cost counts: no database foreign keys (each
    costs a deferred check per row at commit, ~5 µs on PostgreSQL; Django still cascades
    deletes of jobs and contacts), and no index of its own on job, which the unique
    (job, contact) index already serves."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    line = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "contact"], name="imported_contact_once")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.contact_id}"
