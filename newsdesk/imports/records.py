"""What a reader of an export hands to the import: plain records, the same for every source.

The readers (`wordpress`, `ghost`) only parse; they never touch the database, so a test can read
an export the same way the import does and compare item by item."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class AuthorRecord:
    source_id: str
    name: str
    slug: str = ""
    bio: str = ""
    avatar_url: str = ""


@dataclass(frozen=True)
class TopicRecord:
    source_id: str
    name: str
    slug: str = ""
    description: str = ""


@dataclass(frozen=True)
class ImageRecord:
    """An image the export knows by address (a WordPress attachment, a Ghost feature image)."""

    url: str
    alt: str = ""
    caption: str = ""


@dataclass
class PostRecord:
    source_id: str
    title: str
    slug: str
    status: str  # one of stories.models.Status: draft, scheduled, published, unpublished
    html: str  # the post's content as the source stores it
    autop: bool = False  # WordPress classic content: blank lines make paragraphs
    excerpt: str = ""
    published_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    author_ids: list[str] = field(default_factory=list)
    topic_ids: list[str] = field(default_factory=list)
    featured_image: ImageRecord | None = None
    old_paths: list[str] = field(default_factory=list)  # addresses that should answer 301
    language: str = ""

    def fingerprint(self) -> str:
        """Changes whenever anything the import writes from this post changes."""
        data = asdict(self)
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str).encode("utf-8")
        ).hexdigest()


@dataclass
class Skipped:
    """Items of the export that do not become stories, counted by kind ("comments", "pages"…)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n


@dataclass
class Export:
    """An export read: its site, people and topics up front, posts as an iterator (a WXR file of
    100,000 posts is streamed, never held whole), and what was skipped (complete once the posts
    have been iterated)."""

    source: str
    site: str
    authors: list[AuthorRecord]
    topics: list[TopicRecord]
    posts: object  # Iterator[PostRecord]
    skipped: Skipped
    images: dict[str, ImageRecord] = field(default_factory=dict)  # by attachment id (WordPress)
    total: int | None = None  # posts to come, for the time left
