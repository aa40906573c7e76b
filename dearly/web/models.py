"""The dashboard's figures, computed by a chore so a page view reads one row.

Counting a million contacts, ten million touches and the outbox on every page view would cost
seconds; the chore `web.figures` (dearly.web.figures) counts them every 30 seconds instead and
keeps one row per scope: "all" for those who see every branch, "branch:<id>" for branch staff.
The page says how old the figures are.
"""

from django.db import models


class Figures(models.Model):
    scope = models.CharField(max_length=40, unique=True)  # "all" | "branch:<id>"
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "figures"

    def __str__(self) -> str:
        return f"{self.scope} at {self.computed_at:%H:%M:%S}"
