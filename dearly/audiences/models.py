import uuid

from django.conf import settings
from django.db import models

from dearly.audiences.rules import empty_tree


class Segment(models.Model):
    """A saved audience: a rule tree (see audiences.rules) that compiles to a contact query.

    Segments belong to the business, not a branch: the same segment counts only a branch's
    contacts for that branch's staff, because every audience is read through the member's scope.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    rules = models.JSONField(default=empty_tree)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
