"""Uploaded images: the cleaned original plus renditions for `srcset`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from newsdesk.media.processing import ACCEPTED_FORMATS


class Image(models.Model):
    # The original, re-encoded without EXIF (GPS included) and upright.
    file = models.FileField(upload_to="images/%Y/%m/", max_length=255)
    format = models.CharField(max_length=8, help_text="JPEG, PNG or WEBP")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=500)
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. Jane Doe / Agency")
    # [{"width": 400, "height": 225, "format": "webp", "name": "images/…/x-400.webp"}, …]
    renditions = models.JSONField(default=list, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt_text[:60] or self.file.name

    @property
    def url(self) -> str:
        return self.file.url

    def rendition_urls(self, fmt: str) -> list[tuple[str, int]]:
        from django.core.files.storage import default_storage

        # Renditions record their file extension ("jpg"), callers may name the format ("JPEG").
        ext = ACCEPTED_FORMATS.get(fmt.upper(), fmt.lower())
        return [
            (default_storage.url(r["name"]), r["width"])
            for r in sorted(self.renditions, key=lambda r: r["width"])
            if r["format"] == ext
        ]

    def srcset(self, fmt: str | None = None) -> str:
        """`srcset` for one format (default: the original's), widest last."""
        fmt = (fmt or self.format).lower()
        return ", ".join(f"{url} {width}w" for url, width in self.rendition_urls(fmt))

    def smallest_url(self, min_width: int = 0) -> str:
        """The narrowest rendition at least min_width wide, in the original format.

        Falls back to the original when there is none that wide."""
        for url, width in self.rendition_urls(self.format.lower()):
            if width >= min_width:
                return url
        return self.url
