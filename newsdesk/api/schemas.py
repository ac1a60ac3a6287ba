"""What the API accepts and answers, as Ninja schemas (they are the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict

from newsdesk.core.ids import MAX_ID
from newsdesk.core.validation import max_length
from newsdesk.stories.models import Author, Correction, Image, Story, StoryNote, Topic

# An id sent in a body: outside 1..MAX_ID it is a 422 naming the field, never a query (ids.py).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorDetail(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. 'not_found'")
    message: str = Field(description="What went wrong and how to fix it, for a person")
    fields: dict[str, list[str]] = Field(description="Per-field messages for invalid input")
    current_version: int | None = Field(None, description="On 409/412: the story's version now")


class ErrorOut(Schema):
    error: ErrorDetail


class AuthorRef(Schema):
    id: int
    slug: str
    name: str


class TopicRef(Schema):
    id: int
    slug: str
    name: str


class AuthorOut(AuthorRef):
    role: str
    bio: str
    url: str

    @staticmethod
    def resolve_url(obj: Author) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class TopicOut(TopicRef):
    description: str
    url: str

    @staticmethod
    def resolve_url(obj: Topic) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class ImageOut(Schema):
    id: int
    url: str
    width: int
    height: int
    alt_text: str
    caption: str
    credit: str

    @staticmethod
    def resolve_url(obj: Image) -> str:
        return settings.SITE_URL + obj.url if obj.url.startswith("/") else obj.url


class LibraryImageOut(ImageOut):
    """An image as the photo library shows it (token only: it may be a draft's)."""

    format: str
    created_at: dt.datetime
    srcset: str = Field(description="Renditions in the original's format, for <img srcset>")
    body_line: str = Field(description="The line that places it in a story body")

    @staticmethod
    def resolve_srcset(obj: Image) -> str:
        return ", ".join(
            f"{settings.SITE_URL + url if url.startswith('/') else url} {width}w"
            for url, width in obj.rendition_urls(obj.format)
        )

    @staticmethod
    def resolve_body_line(obj: Image) -> str:
        return f"[image {obj.pk}]"


class ImageUseOut(Schema):
    story_id: int
    headline: str
    status: Literal["draft", "scheduled", "published", "unpublished"]
    as_lead: bool = Field(description="It is the story's lead image")
    inline: bool = Field(description="The story's body shows it")
    url: str | None = Field(description="The story's page, when published")


class ImageDetailOut(LibraryImageOut):
    uses: list[ImageUseOut] = Field(
        description="Stories showing it that your token may open at the desk, and published ones"
    )


class ImageListOut(Schema):
    items: list[LibraryImageOut]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page")


class CorrectionOut(Schema):
    id: int
    text: str
    created_at: dt.datetime


class StoryOut(Schema):
    id: int
    slug: str
    url: str
    headline: str
    summary: str
    body: str = Field(description="Markdown source")
    body_html: str = Field(description="Sanitised HTML rendered from body")
    kind: Literal["update", "article", "live", "entry"]
    status: Literal["draft", "scheduled", "published", "unpublished"]
    language: str
    breaking: bool
    pinned: bool
    published_at: dt.datetime | None
    updated_at: dt.datetime | None = Field(description="Set when an edit was marked as an update")
    version: int = Field(description="Send it back as If-Match or 'version' when you edit")
    review: Literal["none", "in_review", "returned"] = Field(
        description="Where a draft stands in review (see /stories/{id}/submit); 'none' for "
        "every story readers see"
    )
    authors: list[AuthorRef]
    topics: list[TopicRef]
    lead_image: ImageOut | None
    corrections: list[CorrectionOut]
    coverage_id: int | None = Field(None, description="An entry's live coverage")
    key_event: bool = Field(False, description="An entry marked as a key event")
    ended_at: dt.datetime | None = Field(None, description="When a live coverage ended")

    @staticmethod
    def resolve_url(obj: Story) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    @staticmethod
    def resolve_authors(obj: Story) -> list[Author]:
        return obj.ordered_authors()

    @staticmethod
    def resolve_topics(obj: Story) -> list[Topic]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_corrections(obj: Story) -> list:
        return list(obj.corrections.all())


class FeedOut(Schema):
    items: list[StoryOut]
    next: str | None = Field(description="Cursor for the next page, or null on the last page")
    next_url: str | None


class SearchHitOut(Schema):
    story: StoryOut
    headline_html: str = Field(description="Escaped headline, hits wrapped in <mark>")
    snippet_html: str = Field(description="Escaped body excerpt, hits wrapped in <mark>")


class SearchOut(Schema):
    query: str
    items: list[SearchHitOut]
    total: int = Field(
        description="Matching stories, counted up to 1,000 (the newest 1,000 are ranked)"
    )
    total_exact: bool = Field(description="False when more than `total` stories match")
    page: int
    next_page: int | None
    next_url: str | None


class Strict(Schema):
    """A request body: a field we do not take is refused (422 naming it), never ignored, so a
    client that sends `status` or `pinned` learns those are set by their own routes."""

    model_config = ConfigDict(extra="forbid")


class StoryIn(Strict):
    headline: str = Field(max_length=max_length(Story, "headline"))
    summary: str = Field("", max_length=max_length(Story, "summary"))
    body: str = Field("", max_length=max_length(Story, "body"))
    kind: Literal["update", "article", "live"] = "update"
    language: str | None = Field(None, max_length=max_length(Story, "language"))
    breaking: bool = False
    topics: list[str] = Field(default_factory=list, description="Topic slugs", max_length=50)
    authors: list[str] = Field(
        default_factory=list,
        description="Author slugs, in byline order; empty means your own author profile",
        max_length=50,
    )
    lead_image_id: Id | None = None


class StoryPatch(Strict):
    headline: str | None = Field(None, max_length=max_length(Story, "headline"))
    summary: str | None = Field(None, max_length=max_length(Story, "summary"))
    body: str | None = Field(None, max_length=max_length(Story, "body"))
    kind: Literal["update", "article", "live"] | None = None
    language: str | None = Field(None, max_length=max_length(Story, "language"))
    breaking: bool | None = None
    topics: list[str] | None = Field(None, description="Topic slugs", max_length=50)
    authors: list[str] | None = Field(None, description="Author slugs", max_length=50)
    lead_image_id: Id | None = None
    version: int | None = Field(
        None, description="The version you edited; the If-Match header does the same"
    )


class ImagePatch(Strict):
    alt_text: str | None = Field(None, max_length=max_length(Image, "alt_text"))
    caption: str | None = Field(None, max_length=max_length(Image, "caption"))
    credit: str | None = Field(None, max_length=max_length(Image, "credit"))


class PublishIn(Schema):
    as_update: bool = Field(
        False,
        description="For a story already published: mark this change as an update "
        "('Updated 21:40') instead of failing",
    )


class CorrectionIn(Schema):
    text: str = Field(max_length=max_length(Correction, "text"))


class SubmitIn(Strict):
    note: str = Field(
        "", max_length=max_length(StoryNote, "text"), description="Optional note for the editors"
    )


class ReturnIn(Strict):
    note: str = Field(
        max_length=max_length(StoryNote, "text"),
        description="What the writer should change; they see it on their story",
    )


class NoteIn(Strict):
    text: str = Field(max_length=max_length(StoryNote, "text"))


class NoteOut(Schema):
    id: int
    text: str
    kind: Literal["note", "returned", "submitted"] = Field(
        description="'returned' and 'submitted' notes came with that review step"
    )
    by: str | None = Field(description="User name of who wrote it (null: account removed)")
    created_at: dt.datetime

    @staticmethod
    def resolve_by(obj: StoryNote) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class RevisionOut(Schema):
    number: int
    action: str = Field(
        description="What the save did: 'created', 'saved', 'submitted for review', "
        "'returned for changes', 'approved and published', 'published', …"
    )
    by: str | None = Field(description="User name (null: the scheduler, or a removed account)")
    created_at: dt.datetime

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class HistoryOut(Schema):
    story_id: int
    created_by: str | None = Field(description="User name of who wrote the first version")
    review: Literal["none", "in_review", "returned"]
    review_changed_by: str | None = Field(description="Who last submitted or returned it")
    review_changed_at: dt.datetime | None
    revisions: list[RevisionOut] = Field(description="Newest first; autosaves left out")


class ReviewItemOut(Schema):
    story: StoryOut
    submitted_by: str | None
    submitted_at: dt.datetime | None


class CoverageOut(StoryOut):
    pinned_entry_id: int | None = Field(None, description="The entry pinned on top of the page")
    key_events: list[StoryOut] = Field(description="Key events, newest first")


class EntriesOut(Schema):
    items: list[StoryOut]
    next: str | None = Field(description="Cursor for the next page, or null on the last page")


class EntryIn(Strict):
    headline: str = Field("", max_length=max_length(Story, "headline"))
    body: str = Field(max_length=max_length(Story, "body"))
    breaking: bool = False
    authors: list[str] = Field(
        default_factory=list,
        description="Author slugs, in byline order; empty means your own author profile",
        max_length=50,
    )
    lead_image_id: Id | None = None
    draft: bool = Field(False, description="Keep it as a draft (what contributors may do)")


class KeyEventIn(Strict):
    key_event: bool = True


class PinIn(Strict):
    pinned: bool = True
