"""What an import remembers (the source id of every item it wrote) and the old addresses that
answer 301 (redirects, from an import or added by an editor)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from newsdesk.stories.models import Story


class Source(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    GHOST = "ghost", "Ghost"


class ItemKind(models.TextChoices):
    POST = "post", "Post"
    AUTHOR = "author", "Author"
    TOPIC = "topic", "Topic"
    IMAGE = "image", "Image"


class SourceItem(models.Model):
    """One item of an export that an import wrote: which row it became, and a fingerprint of
    what it said, so a second run of the same export knows what is new, changed or the same.

    `site` is the exported site's address, so two WordPress sites with the same post ids stay
    apart. `version` is the story's version right after the import wrote it: a story edited in
    Newsdesk since then is left alone by a later import (its edits win)."""

    source = models.CharField(max_length=16, choices=Source.choices)
    site = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    source_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "kind", "source_id"], name="source_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"


class Redirect(models.Model):
    """An old address answering 301: to a story (imported permalinks), or to a path on this
    site that an editor typed. `old_path` is a path, with its query for WordPress's `/?p=123`.
    Only published stories are redirected to: a redirect never tells anyone a draft's address."""

    old_path = models.CharField(max_length=500, unique=True)
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="redirects"
    )
    target = models.CharField(max_length=500, blank=True, help_text="a path on this site")
    origin = models.CharField(max_length=16, default="editor", help_text="wordpress, ghost, editor")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.target or self.story_id}"
