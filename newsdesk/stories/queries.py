"""Every read of the newsroom's content that a page, a feed or the API makes.

Reader-facing functions return published stories only: this module is the one place that decides
what the public may see. Lists use keyset pagination on (`published_at`, `id`), never OFFSET, so
page 500 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import time
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from newsdesk.core import editions, memory
from newsdesk.core.editions import Edition
from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.stories.models import (
    Author,
    EventKind,
    FeedEvent,
    Kind,
    Status,
    Story,
    StoryAuthor,
    Topic,
)

PAGE_SIZE = 20
SIDEBAR_SIZE = 8  # items in the News Feed beside a story


@dataclass(frozen=True)
class Cursor:
    """A position in the feed: the (published_at, id) of the last item shown."""

    published_at: dt.datetime
    story_id: int

    def encode(self) -> str:
        micros = int(self.published_at.timestamp() * 1_000_000)
        raw = f"{micros}.{self.story_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """Raises InvalidInput for anything that is not a cursor we made."""
        try:
            padded = token + "=" * (-len(token) % 4)
            micros, story_id = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split(".")
            when = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
            return cls(when, int(story_id))
        except (ValueError, UnicodeError, binascii.Error, OverflowError, OSError):
            raise InvalidInput(
                gettext(
                    "That page link is not valid (its '%(name)s' value is damaged). "
                    "Start again from the first page."
                )
                % {"name": "before"}
            ) from None

    @classmethod
    def after(cls, story: Story) -> Cursor:
        return cls(story.published_at, story.pk)


@dataclass(frozen=True)
class Page:
    items: list[Story]
    next_cursor: Cursor | None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


def _display_prefetches() -> tuple:
    return (
        Prefetch(
            "author_links",
            queryset=StoryAuthor.objects.select_related("author__avatar").order_by("position"),
            to_attr="prefetched_author_links",
        ),
        "topics",
    )


# What a reader page reads of each story before it knows whether the story's parts are drawn
# already (`public.fragments` keys them by these, and the page around them shows these): the
# rest (body, authors, topics, the lead image) is read by `drawable` only for what must be drawn.
_KEY_FIELDS = (
    "id", "slug", "headline", "summary", "language", "kind", "version", "modified_at",
    "published_at", "pinned", "breaking", "updated_at", "lead_image_id", "coverage_id",
    "key_event", "ended_at", "translation_of_id",
)  # fmt: skip


def _for_display(queryset: QuerySet[Story], relations: bool) -> QuerySet[Story]:
    """With `relations`: the story, its lead image, authors and topics. Without: only the
    fields of `_KEY_FIELDS` (reader pages, which draw the rest once per version)."""
    if relations:
        return queryset.select_related("lead_image").prefetch_related(*_display_prefetches())
    return queryset.only(*_KEY_FIELDS)


def drawable(stories: list[Story]) -> list[Story]:
    """`stories` with everything a feed item or a story page draws, in order: stories read
    with `relations=False` are read again whole (one query for all of them), and every one gets
    its authors and topics (two more)."""
    light = [story.pk for story in stories if story.get_deferred_fields()]
    whole = {}
    if light:
        whole = Story.objects.select_related("lead_image").in_bulk(light)
    stories = [whole.get(story.pk, story) for story in stories]
    load_display_relations(stories)
    return stories


def with_display_relations(queryset: QuerySet[Story]) -> QuerySet[Story]:
    """Everything a story card or page draws, in a fixed number of queries."""
    return _for_display(queryset, relations=True)


def load_display_relations(stories: list[Story]) -> None:
    """Authors and topics for stories fetched without them (`relations=False`), in two queries
    for the whole list; stories that already have them are left alone."""
    prefetch_related_objects(stories, *_display_prefetches())


def published(edition: Edition | None = None) -> QuerySet[Story]:
    """Published stories; of one edition only when `edition` is given (every reader page gives
    its own: a reader of one edition gets only its stories)."""
    stories = Story.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
    return in_edition(stories, edition)


def edition_q(edition: Edition | None, field: str = "language") -> Q:
    """The condition on a story's `field` that it belongs to `edition`
    (`core.editions.of_language`): its language, and for the edition at / also every language
    no edition has. An empty Q (everything) for no edition."""
    if edition is None:
        return Q()

    def language_is(language: str) -> Q:
        return Q(**{field: language}) | Q(**{f"{field}__startswith": f"{language}-"})

    if not edition.is_default:
        return language_is(edition.language)
    others = Q()
    for language in editions.other_languages(edition):
        others |= language_is(language)
    return ~others if others else Q()


def in_edition(queryset: QuerySet[Story], edition: Edition | None) -> QuerySet[Story]:
    """The stories of `queryset` that belong to `edition` (all of them for None)."""
    return queryset.filter(edition_q(edition)) if edition is not None else queryset


def load_corrections(stories: list[Story]) -> None:
    """Every story's corrections in one query (`story.corrections.all()` then asks nothing)."""
    prefetch_related_objects(stories, "corrections")


def story_details(story: Story) -> Story:
    """The story whole, with authors, topics and corrections: what its page draws beyond the
    row `story_by_slug(relations=False)` read."""
    [story] = drawable([story])
    load_corrections([story])
    return story


def _page(
    queryset: QuerySet[Story], before: Cursor | None, limit: int, relations: bool = True
) -> Page:
    if before is not None:
        # The plain `<=` bound lets the database start an index range scan at the cursor; the
        # OR alone makes SQLite walk the index from the newest row (cost grows with the page).
        queryset = queryset.filter(published_at__lte=before.published_at).filter(
            Q(published_at__lt=before.published_at) | Q(id__lt=before.story_id)
        )
    rows = list(_for_display(queryset.order_by("-published_at", "-id"), relations)[: limit + 1])
    items = rows[:limit]
    next_cursor = Cursor.after(items[-1]) if len(rows) > limit else None
    return Page(items, next_cursor)


# kind: (the link rows' manager, their column naming the subject, the join from a story)
_SUBJECT_LINKS = {
    "topic": (lambda: Story.topics.through.objects, "topic_id", "topics"),
    "author": (lambda: StoryAuthor.objects, "author_id", "author_links__author"),
}


def _of_subject(queryset: QuerySet[Story], kind: str, subject_id: int, limit: int) -> QuerySet:
    """The stories of one topic or author, read the cheaper of two ways (the same stories).

    Joining the links reads *every* story of the subject and sorts them: fine for a topic of a
    few hundred, 200–280 ms for one of 33,000–50,000 at 1,000,000 stories on SQLite. Walking the
    feed's own index newest first and keeping the stories that have a link (`EXISTS`, a probe of
    the link's unique index each) reads about `limit × stories ÷ size` rows instead. Which is
    cheaper follows from the subject's size, counted at most once a minute per process: the
    choice changes only the plan, never the answer."""
    manager, column, join = _SUBJECT_LINKS[kind]
    links = manager().filter(**{column: subject_id})
    minute = int(time.monotonic() // 60)
    size = memory.get_or_set((f"{kind}_size", subject_id, minute), links.count)
    stories = memory.get_or_set(("story_id_ceiling", minute), _story_id_ceiling)
    if size * size > (limit + 1) * stories:
        return queryset.filter(Exists(links.filter(story_id=OuterRef("pk"))))
    return queryset.filter(**{join: subject_id})


def _story_id_ceiling() -> int:
    """How many stories there are at most (the highest id: an index lookup, where COUNT reads
    them all)."""
    return Story.objects.aggregate(ceiling=Max("id"))["ceiling"] or 0


def feed_page(
    before: Cursor | None = None,
    *,
    limit: int = PAGE_SIZE,
    topic: Topic | None = None,
    author: Author | None = None,
    include_pinned: bool = False,
    relations: bool = True,
    edition: Edition | None = None,
) -> Page:
    """Published stories, newest first. Pinned stories are left out of the main feed's list
    (they are shown above it by `pinned_stories`) unless `include_pinned`. With
    `relations=False` authors and topics are not loaded (see `load_display_relations`): pages
    whose items mostly come from `public.fragments` need them only for the few they draw."""
    queryset = _feed_stories(limit, topic, author, include_pinned, edition)
    return _page(queryset, before, limit, relations)


def _feed_stories(
    limit: int,
    topic: Topic | None,
    author: Author | None,
    include_pinned: bool,
    edition: Edition | None = None,
) -> QuerySet[Story]:
    queryset = published(edition)
    if topic is not None:
        queryset = _of_subject(queryset, "topic", topic.pk, limit)
    if author is not None:
        queryset = _of_subject(queryset, "author", author.pk, limit)
    if not include_pinned and topic is None and author is None:
        queryset = queryset.filter(pinned=False)
    return queryset


def newer_page_start(
    first: Cursor,
    *,
    limit: int = PAGE_SIZE,
    topic: Topic | None = None,
    author: Author | None = None,
    edition: Edition | None = None,
) -> Cursor | None:
    """Where the page of the `limit` stories just newer than `first` begins, as the `before`
    cursor that shows it (`feed_page(before=…)`, the same filters): the page a "Newer" link
    leads to. None when `limit` or fewer stories are newer: the first page shows them all.
    Keyset, like `feed_page`, walked the other way from `first` (at most `limit` + 1 rows)."""
    queryset = _feed_stories(limit, topic, author, False, edition).filter(
        published_at__gte=first.published_at
    )
    queryset = queryset.filter(Q(published_at__gt=first.published_at) | Q(id__gt=first.story_id))
    rows = list(
        queryset.order_by("published_at", "id").values_list("published_at", "id")[: limit + 1]
    )
    if len(rows) <= limit:
        return None
    return Cursor(*rows[limit])


def pinned_stories(*, relations: bool = True, edition: Edition | None = None) -> list[Story]:
    queryset = _for_display(published(edition).filter(pinned=True), relations)
    return list(queryset.order_by("-published_at"))


def possible_slug(slug: str) -> bool:
    """False for text no slug can be: PostgreSQL refuses NUL in a text parameter outright (an
    error, where a reader's mistyped address must simply find nothing)."""
    return "\x00" not in slug


def story_by_slug(slug: str, *, relations: bool = True) -> Story:
    """A published story for readers; NotFound for any other status, so drafts never leak.
    With `relations=False` only its `_KEY_FIELDS` (see `story_details`)."""
    found = published().filter(slug=slug) if possible_slug(slug) else Story.objects.none()
    story = _for_display(found, relations).first()
    if story is None:
        raise NotFound("There is no published story at this address.")
    return story


def stories_by_slugs(slugs: list[str]) -> dict[str, Story]:
    """Published stories by slug, for related-story cards."""
    if not slugs:
        return {}
    found = published().filter(slug__in=set(slugs)).select_related("lead_image")
    return {story.slug: story for story in found}


def published_versions_by_slug(slugs: list[str]) -> dict[str, int]:
    """The version of each published story among `slugs` (others are absent): what a card of it
    was drawn from. No query for the usual page, whose stories link to none."""
    if not slugs:
        return {}
    return dict(published().filter(slug__in=set(slugs)).values_list("slug", "version"))


def author_by_slug(slug: str) -> Author:
    found = Author.objects.filter(slug=slug) if possible_slug(slug) else Author.objects.none()
    author = found.select_related("avatar").first()
    if author is None:
        raise NotFound("There is no author at this address.")
    return author


def topic_by_slug(slug: str) -> Topic:
    found = Topic.objects.filter(slug=slug) if possible_slug(slug) else Topic.objects.none()
    topic = found.first()
    if topic is None:
        raise NotFound("There is no topic at this address.")
    return topic


def all_authors() -> list[Author]:
    return list(Author.objects.select_related("avatar").order_by("name"))


def all_topics() -> list[Topic]:
    return list(Topic.objects.order_by("name"))


# ── the reader's indexes (/topics/, /authors/) ───────────────────────────────────────────────


def _has_published(kind: str, edition: Edition | None = None) -> Exists:
    """EXISTS a published story (of `edition`) of the outer topic or author: a probe per row of
    the index, which stops at the first published story found (no count of all of them)."""
    manager, column, _join = _SUBJECT_LINKS[kind]
    links = manager().filter(
        edition_q(edition, "story__language"),
        **{column: OuterRef("pk")},
        story__status=Status.PUBLISHED,
        story__published_at__isnull=False,
    )
    return Exists(links)


def topic_index(edition: Edition | None = None) -> list[Topic]:
    """Topics with at least one published story, by name. A topic whose stories are all
    drafts or scheduled is left out: its page would be empty, and a list of topics nobody has
    published in yet says what a newsroom is preparing."""
    return list(Topic.objects.filter(_has_published("topic", edition)).order_by("name", "pk"))


def author_index(edition: Edition | None = None) -> list[Author]:
    """The newsroom's people, by name: every author who is staff (has a desk account) or has a
    published byline. A guest author whose only stories are drafts is not listed until one is
    published. Nothing shown depends on drafts (no counts), so a draft's existence never shows."""
    listed = Author.objects.filter(Q(user__isnull=False) | _has_published("author", edition))
    return list(listed.select_related("avatar").order_by("name", "pk"))


def latest_change() -> dt.datetime | None:
    """When anything readers can see last changed; feeds Last-Modified and cache keys."""
    return FeedEvent.objects.order_by("-id").values_list("created_at", flat=True).first()


# ── syndication ──────────────────────────────────────────────────────────────────────────────


def first_publication_time(edition: Edition | None = None) -> dt.datetime | None:
    """When the oldest published story went out: the start of the News Feed's live coverage."""
    oldest = published(edition).order_by("published_at")
    return oldest.values_list("published_at", flat=True).first()


def feed_subjects_of_events(event_ids: list[int]) -> dict[str, tuple[list[str], list[str]]]:
    """Per edition (its language) whose stories the given feed events are of, the slugs of the
    topics and authors whose feeds in that edition they changed.

    Pin changes are left out (feeds are in time order, so pinning changes none). An unpublished
    story still counts: its feeds changed by losing it. Only slugs come out, never content.
    """
    stories = (
        FeedEvent.objects.filter(pk__in=event_ids)
        .exclude(kind=EventKind.PINNED)
        .values_list("story_id", "story__language")
    )
    by_edition: dict[str, list[int]] = {}
    for story_id, language in stories:
        by_edition.setdefault(editions.of_language(language).language, []).append(story_id)
    found = {}
    for language, story_ids in by_edition.items():
        topics = Topic.objects.filter(stories__in=story_ids).order_by("slug").distinct()
        authors = (
            Author.objects.filter(story_links__story__in=story_ids).order_by("slug").distinct()
        )
        found[language] = (
            list(topics.values_list("slug", flat=True)),
            list(authors.values_list("slug", flat=True)),
        )
    return found


# ── live coverage ────────────────────────────────────────────────────────────────────────────

OLDEST = "oldest"  # the `order` of a live page read oldest first


def coverage_by_slug(slug: str) -> Story:
    """A published live coverage (live or ended); NotFound for anything else."""
    found = published().filter(slug=slug, kind=Kind.LIVE) if possible_slug(slug) else None
    story = found.select_related("lead_image").first() if found is not None else None
    if story is None:
        raise NotFound("There is no live coverage at this address.")
    load_display_relations([story])
    return story


def _entries(coverage: Story) -> QuerySet[Story]:
    return published().filter(coverage=coverage, kind=Kind.ENTRY)


def coverage_entries(
    coverage: Story,
    before: Cursor | None = None,
    *,
    order: str = "",
    limit: int = PAGE_SIZE,
    include_pinned: bool = False,
    relations: bool = True,
) -> Page:
    """A live page's published entries by keyset, newest first (or oldest first with
    `order=OLDEST`, where `before` means "after"). The pinned entry is shown above the list and
    left out of it unless `include_pinned`. `relations=False` reads only the fields fragments
    are keyed by (`drawable` reads the rest for what must be drawn)."""
    queryset = _entries(coverage)
    if coverage.pinned_entry_id and not include_pinned:
        queryset = queryset.exclude(pk=coverage.pinned_entry_id)
    if order != OLDEST:
        return _page(queryset, before, limit, relations)
    if before is not None:
        queryset = queryset.filter(published_at__gte=before.published_at).filter(
            Q(published_at__gt=before.published_at) | Q(id__gt=before.story_id)
        )
    ordered = _for_display(queryset.order_by("published_at", "id"), relations)
    rows = list(ordered[: limit + 1])
    items = rows[:limit]
    return Page(items, Cursor.after(items[-1]) if len(rows) > limit else None)


def cursor_at(entry: Story, order: str = "") -> Cursor:
    """The cursor whose page starts with `entry` itself (for its permanent address)."""
    if order == OLDEST:
        return Cursor(entry.published_at, entry.pk - 1)
    return Cursor(entry.published_at, entry.pk + 1)


def pinned_entry(coverage: Story, *, relations: bool = True) -> Story | None:
    if not coverage.pinned_entry_id:
        return None
    pinned = _entries(coverage).filter(pk=coverage.pinned_entry_id)
    return _for_display(pinned, relations).first()


def key_events(coverage: Story) -> list[Story]:
    """The coverage's key events, newest first (headline, time, address only)."""
    queryset = _entries(coverage).filter(key_event=True)
    return list(
        queryset.only(
            "id", "headline", "body_html", "published_at", "coverage_id", "kind", "language"
        ).order_by("-published_at", "-id")
    )


def entry_of_coverage(coverage: Story, entry_id: int) -> Story:
    """A published entry of this coverage; NotFound for any other (drafts never leak)."""
    entry = with_display_relations(_entries(coverage).filter(pk=entry_id)).first()
    if entry is None:
        raise NotFound("There is no published entry at this address.")
    return entry


def entry_by_id(entry_id: int) -> Story:
    """A published entry with its coverage (for an address whose coverage slug is old)."""
    entry = published().filter(pk=entry_id, kind=Kind.ENTRY).select_related("coverage").first()
    if entry is None or entry.coverage is None or entry.coverage.status != Status.PUBLISHED:
        raise NotFound("There is no published entry at this address.")
    return entry


def newer_entries_exist(coverage: Story, first: Story, order: str = "") -> bool:
    """Whether entries come before `first` in the page's order (the page is not the top)."""
    queryset = _entries(coverage)
    if coverage.pinned_entry_id:
        queryset = queryset.exclude(pk=coverage.pinned_entry_id)
    when, pk = first.published_at, first.pk
    if order == OLDEST:
        earlier = Q(published_at__lt=when) | Q(published_at=when, id__lt=pk)
    else:
        earlier = Q(published_at__gt=when) | Q(published_at=when, id__gt=pk)
    return queryset.filter(earlier).exists()


def live_coverages(limit: int = 10, edition: Edition | None = None) -> list[Story]:
    """Published live coverage still live, newest first (the desk's and readers' list)."""
    queryset = published(edition).filter(kind=Kind.LIVE, ended_at__isnull=True)
    return list(queryset.order_by("-published_at", "-id")[:limit])
