"""Wire sources (an agency feed we poll, or an endpoint an agency pushes to) and their items."""

from __future__ import annotations

from django.db import models

from newsdesk.stories.models import Story


class SourceKind(models.TextChoices):
    RSS = "rss", "RSS/Atom feed (polled)"
    NINJS = "ninjs", "ninjs push (JSON)"
    NEWSML = "newsml", "NewsML-G2 push (XML)"


class SourceStatus(models.TextChoices):
    NEW = "new", "Not heard from yet"
    OK = "ok", "OK"
    ERROR = "error", "Error"


class WireSource(models.Model):
    """An agency source. A feed has a `url` polled every `poll_minutes`; a push source has a
    token (only its SHA-256 is kept: the token is shown once, when the source is added).
    `hidden` keeps its items out of the desk's wire list without deleting them."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    url = models.URLField(max_length=500, blank=True)
    token_hash = models.CharField(max_length=64, blank=True)
    poll_minutes = models.PositiveIntegerField(default=5)
    hidden = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=SourceStatus.choices, default="new")
    last_error = models.CharField(max_length=500, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_received_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_feed(self) -> bool:
        return self.kind == SourceKind.RSS


class WireItem(models.Model):
    """One agency item, merged by (`source`, `guid`). A newer version rewrites it in place and
    sets `changed`; `fingerprint` tells a resent copy (ignored) from a change."""

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    version = models.PositiveIntegerField(default=0)
    version_at = models.DateTimeField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 most urgent … 9
    headline = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)  # Markdown; rendered through stories.markdown (sanitised)
    images = models.JSONField(default=list, blank=True)  # [{"href", "caption", "width", "height"}]
    link = models.URLField(max_length=1000, blank=True)
    fingerprint = models.CharField(max_length=64)
    changed = models.BooleanField(default=False)
    raw_size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    used_in = models.ForeignKey(  # the last draft an editor started from it ("Use")
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="wire_item_guid_once"),
        ]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="wire_item_newest")]

    def __str__(self) -> str:
        return self.headline
