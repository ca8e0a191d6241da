"""The intake's own records: the yearly reference counter, and the drafts that keep a
worker's unfinished steps."""

from django.conf import settings
from django.db import models


class ReferenceCounter(models.Model):
    """The last reference number issued per prefix and year; locked while issuing the next."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class IntakeDraft(models.Model):
    """What a worker typed so far, per step: a dropped connection loses nothing."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_draft"
    )
    data = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"draft of {self.owner_id} at step {self.step}"
