"""The newsroom's content: stories, their revisions and corrections, authors and topics, images,
and the feed events that tell readers what changed.

Models hold data and invariants only, and every length limit: a text field's `max_length` is
the one definition that validation (`core.validation`), the desk's forms and the API's
schemas read (even on a TextField, where the database itself does not enforce it). Every write
goes through `newsdesk.stories.actions`; every read a reader can reach goes through
`newsdesk.stories.queries`, which is what keeps drafts private.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from newsdesk.core import editions, memory
from newsdesk.core.addresses import path_in, path_to


def public_path(view: str, slug: str, language: str | None = None) -> str:
    """The reader URL of a story (in the edition of its `language`), or of a topic or author
    (in the current edition), remembered: `core.addresses`."""
    if language is None:
        return path_to(f"public:{view}", slug=slug)
    return path_in(editions.of_language(language).language, f"public:{view}", slug=slug)


def entry_path(coverage_id: int, entry_id: int, language: str | None = None) -> str:
    """The permanent reader URL of a live entry: /live/<coverage slug>/entries/<id>/.

    The coverage's slug is remembered per process (`core.memory`): it cannot change once the
    coverage has been published, and the entry page redirects an old slug to the current one."""
    slug = memory.get_or_set(
        ("coverage_slug", coverage_id),
        lambda: Story.objects.filter(pk=coverage_id).values_list("slug", flat=True).first() or "-",
    )
    if language is None:
        return path_to("public:live_entry", slug=slug, entry_id=entry_id)
    edition = editions.of_language(language).language
    return path_in(edition, "public:live_entry", slug=slug, entry_id=entry_id)


# The picture formats we store, with the file extension of each.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class Image(models.Model):
    """An uploaded picture: the cleaned original plus renditions for `srcset`, with the words
    that go with it (alt text, caption, credit). Content like the stories that show it, so it
    lives here; `newsdesk.media` checks uploads and makes the renditions."""

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
        db_table = "media_image"  # created by the `media` app before the model moved here
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt_text[:60] or self.file.name

    @property
    def url(self) -> str:
        return self.file.url

    def rendition_urls(self, fmt: str) -> list[tuple[str, int]]:
        from django.core.files.storage import default_storage

        # Renditions record their file extension ("jpg"), callers may name the format ("JPEG").
        ext = IMAGE_FORMATS.get(fmt.upper(), fmt.lower())
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


class Kind(models.TextChoices):
    UPDATE = "update", "Feed update"
    ARTICLE = "article", "Article"
    # Live coverage of an event: a page with a summary of what we know, entries and key events.
    LIVE = "live", "Live coverage"
    # A short update posted into a live coverage (`Story.coverage`); never chosen in an editor.
    ENTRY = "entry", "Live entry"


# Kinds an editor picks for a story; an entry is made by posting into a live coverage.
CHOSEN_KINDS = (Kind.UPDATE, Kind.ARTICLE, Kind.LIVE)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class Review(models.TextChoices):
    """Where a draft stands between its writer and an editor (`actions.review`). Publishing,
    scheduling or approving ends a review, so a story readers see is always "none"."""

    NONE = "none", "Not submitted"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned"


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    role = models.CharField(max_length=120, blank=True, help_text="e.g. News Operations Editor")
    bio = models.TextField(blank=True, max_length=5000)
    avatar = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return public_path("author", self.slug)


class Topic(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return public_path("topic", self.slug)


class Story(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(blank=True, max_length=1000)
    body = models.TextField(blank=True, max_length=200_000, help_text="Markdown source")
    body_html = models.TextField(blank=True, editable=False, help_text="Sanitised render of body")
    # What the body's embed cards say (`stories.embeds`), gathered when the body was saved.
    embeds = models.JSONField(default=list, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # For a scheduled story this is the time it goes out; once published, when it went out.
    published_at = models.DateTimeField(null=True, blank=True)
    # Shown to readers as "(Updated: 21:40)" only when an editor marked an edit as an update.
    updated_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authors = models.ManyToManyField(Author, through="StoryAuthor", related_name="stories")
    topics = models.ManyToManyField(Topic, related_name="stories", blank=True)
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=16, default="en")
    pinned = models.BooleanField(default=False)
    breaking = models.BooleanField(default=False)
    # Optimistic concurrency: every save must name the version it was based on.
    version = models.PositiveIntegerField(default=1)
    # The review between a contributor and an editor (`actions.review`): the state, and who
    # moved it there last and when (submitted, returned). The full trail is in the revisions.
    review = models.CharField(max_length=12, choices=Review.choices, default=Review.NONE)
    review_changed_at = models.DateTimeField(null=True, blank=True)
    review_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Live coverage (kind "live"): starts when published, live until an editor ends it.
    ended_at = models.DateTimeField(null=True, blank=True)
    pinned_entry = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An entry (kind "entry") belongs to one live coverage and may be one of its key events.
    coverage = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="entries"
    )
    key_event = models.BooleanField(default=False)
    # Editions (issue 19): a translation points at the original it was made from; the original
    # and every story pointing at it are one story in several languages (`stories.translations`).
    # A translation of a translation points at the same original, so a group is one hop deep
    # and a new language is a new row, never a new column.
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    # When a translation's words were last saved: the desk calls it "needs update" when its
    # original was updated for readers after this (`translations.needs_update`).
    translated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="story_feed_idx"),
            # Ordered like the pinned list is read: with (status, pinned) alone SQLite took the
            # feed index and read every story to test `pinned` (1.3 s at 1,000,000 stories).
            models.Index(
                fields=["status", "pinned", "-published_at", "-id"], name="story_pinned_feed_idx"
            ),
            # The review queue and its count on every editor's page: only the few stories in
            # review are in the index, however large the archive.
            models.Index(
                fields=["review", "review_changed_at"],
                name="story_review_idx",
                condition=~models.Q(review="none"),
            ),
            # A live page's entries, newest (or oldest) first, by keyset.
            models.Index(
                fields=["coverage", "status", "-published_at", "-id"], name="story_entries_idx"
            ),
            # A live page's key events (on every request of it): only the few marked entries are
            # in the index; through the entries index SQLite read every entry of the coverage
            # (5.5 ms at 5,000 entries, bench/live_page.py).
            models.Index(
                fields=["coverage", "status", "-published_at", "-id"],
                name="story_key_events_idx",
                condition=models.Q(key_event=True),
            ),
        ]
        constraints = [
            # One translation per language of an original (two editors translating at once).
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_translation_per_language",
                condition=models.Q(translation_of__isnull=False),
            ),
        ]
        permissions = [
            ("publish_story", "Can publish, update, unpublish, correct and pin stories"),
            ("edit_any_story", "Can edit stories written by anyone"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        if self.kind == Kind.ENTRY and self.coverage_id is not None:
            return entry_path(self.coverage_id, self.pk, self.language)
        if self.kind == Kind.LIVE:
            return public_path("live", self.slug, self.language)
        return public_path("story", self.slug, self.language)

    @property
    def edition(self) -> editions.Edition:
        """The edition readers find this story in (`core.editions.of_language`)."""
        return editions.of_language(self.language)

    @property
    def display_headline(self) -> str:
        """The headline, or for an entry posted without one its opening words."""
        if self.headline:
            return self.headline
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return Truncator(strip_tags(self.body_html or self.body)).words(12)

    @property
    def is_live(self) -> bool:
        """Live coverage that has started and not ended."""
        return self.kind == Kind.LIVE and self.is_published and self.ended_at is None

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def desk_status(self) -> str:
        """What the desk calls its state: the status, or for a draft its place in review
        ("draft", "in review", "returned", "scheduled", "published", "unpublished")."""
        if self.status in {Status.DRAFT, Status.UNPUBLISHED} and self.review != Review.NONE:
            return Review(self.review).label.lower()
        return self.status

    @property
    def reading_minutes(self) -> int:
        from newsdesk.stories.reading_time import minutes_for_words

        return minutes_for_words(self.word_count)

    def ordered_authors(self) -> list[Author]:
        """Authors in byline order; uses the prefetch made by `queries` when there is one."""
        links = getattr(self, "prefetched_author_links", None)
        if links is None:
            links = self.author_links.select_related("author__avatar").order_by("position")
        return [link.author for link in links]


class DeskPreference(models.Model):
    """A person's choices for the desk: for now the language its interface speaks to them
    (empty: the site's language). Read by `desk.language`, written by
    `accounts.do_set_desk_language`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_preference"
    )
    language = models.CharField(max_length=16, blank=True)

    def __str__(self) -> str:
        return f"desk preferences of user {self.user_id}"


class StoryAuthor(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="author_links")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="story_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "author"], name="story_author_once"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on story {self.story_id}"


class Revision(models.Model):
    """An immutable snapshot written on every save of a story: restorable, and the audit trail."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=40, help_text="What the save did, e.g. 'published'")
    content = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="revision_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} r{self.number} ({self.action})"


class Correction(models.Model):
    """A public note attached to a published story ("An earlier version said …")."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class StoryNote(models.Model):
    """A note about a story between the people at the desk: an editor's remark, a writer's
    reply, the reason a story was returned. Never public: only `desk_queries` read notes, and
    only for people who may open the story in the desk."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        RETURNED = "returned", "Returned with this note"
        SUBMITTED = "submitted", "Submitted with this note"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=5000)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EventKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    CORRECTED = "corrected", "Corrected"
    UNPUBLISHED = "unpublished", "Unpublished"
    PINNED = "pinned", "Pinned or unpinned"
    # Live coverage: an entry marked or unmarked as a key event, pinned or unpinned on its page.
    KEY_EVENT = "key_event", "Key event marked or unmarked"
    ENTRY_PINNED = "entry_pinned", "Entry pinned or unpinned on its live page"


class FeedEvent(models.Model):
    """An append-only row per change that readers must see (published, updated, corrected,
    unpublished, pinned): the source of truth for live delivery and for resuming a dropped
    connection. A reader that reconnects with the id of the last event it saw is sent every later
    row, in id order (`newsdesk.live` delivers them; the rows are content, so they live here)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # What a live reader needs besides the story itself, e.g. {"marked_update": true}.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "live_feedevent"  # created by the `live` app before the model moved here
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} story {self.story_id}"
