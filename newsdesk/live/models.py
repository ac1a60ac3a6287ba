"""Feed events: an append-only row per change that readers must see.

They are the source of truth for live delivery and for resuming a dropped connection: a reader
that reconnects with the id of the last event it saw is sent every later row, in id order.
"""

from __future__ import annotations

from django.db import models


class EventKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    CORRECTED = "corrected", "Corrected"
    UNPUBLISHED = "unpublished", "Unpublished"
    PINNED = "pinned", "Pinned or unpinned"


class FeedEvent(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # What a live reader needs besides the story itself, e.g. {"marked_update": true}.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} story {self.story_id}"
