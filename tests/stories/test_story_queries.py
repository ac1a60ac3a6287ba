"""Reader queries: keyset pagination that never skips, repeats or leaks, at a fixed cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.stories import actions, queries
from newsdesk.stories.models import Story
from newsdesk.stories.queries import Cursor

pytestmark = pytest.mark.django_db


def walk(**filters) -> list[Story]:
    """Every item of every page, following next_cursor to the end."""
    seen, cursor = [], None
    for _ in range(100):
        page = queries.feed_page(cursor, **filters)
        seen.extend(page.items)
        if not page.has_more:
            return seen
        cursor = Cursor.decode(page.next_cursor.encode())  # as a link would carry it
    raise AssertionError("pagination never ended")


def test_walking_the_feed_returns_every_published_story_once_in_order(editor, publish):
    """45 stories published in the same microsecond still page cleanly, and drafts never show."""
    published = [publish(f"Same time {i}") for i in range(45)]
    for i in range(3):
        actions.do_create_story(editor, {"headline": f"Secret draft {i}", "body": "x"})
    same = timezone.now().replace(microsecond=123456)
    Story.objects.filter(pk__in=[s.pk for s in published]).update(published_at=same)

    seen = walk()
    assert [s.pk for s in seen] == sorted((s.pk for s in published), reverse=True)
    assert all(s.status == "published" for s in seen)
    assert len({s.pk for s in seen}) == 45
    first = queries.feed_page()
    assert len(first.items) == queries.PAGE_SIZE


def test_feed_order_is_newest_first_across_different_times(publish):
    """Stories with distinct times come newest first; ties broken by id, highest first."""
    stories = [publish(f"S{i}") for i in range(5)]
    base = timezone.now()
    times = [base - dt.timedelta(minutes=m) for m in (10, 0, 5, 0, 20)]
    for story, when in zip(stories, times, strict=True):
        Story.objects.filter(pk=story.pk).update(published_at=when)
    seen = [s.pk for s in walk()]
    expected = sorted(
        zip(times, (s.pk for s in stories), strict=True), key=lambda t: (t[0], t[1]), reverse=True
    )
    assert seen == [pk for _, pk in expected]


def test_pinned_stories_are_listed_apart_from_the_feed(editor, publish):
    """A pinned story sits above the feed, not inside it too."""
    plain = publish("Plain")
    pinned = publish("Pinned")
    actions.do_set_pinned(editor, pinned.pk, True)
    assert [s.pk for s in queries.feed_page().items] == [plain.pk]
    assert [s.pk for s in queries.pinned_stories()] == [pinned.pk]
    included = queries.feed_page(include_pinned=True).items
    assert {s.pk for s in included} == {plain.pk, pinned.pk}


def test_topic_and_author_filters(editor, publish, topic, author):
    """Topic and author pages list only their stories (pinned ones included)."""
    tagged = publish("On energy", topic_ids=[topic.pk])
    bylined = publish("By Mira", author_ids=[author.pk])
    publish("Neither")
    actions.do_set_pinned(editor, tagged.pk, True)
    assert [s.pk for s in queries.feed_page(topic=topic).items] == [tagged.pk]
    assert [s.pk for s in queries.feed_page(author=author).items] == [bylined.pk]


def test_story_by_slug_hides_everything_but_published(editor, publish):
    """Drafts, scheduled and unpublished stories are NotFound for readers."""
    live = publish("Live one")
    assert queries.story_by_slug(live.slug).pk == live.pk
    hidden = actions.do_create_story(editor, {"headline": "Hidden", "body": ""})
    with pytest.raises(NotFound):
        queries.story_by_slug(hidden.slug)
    actions.do_unpublish_story(editor, live.pk)
    with pytest.raises(NotFound):
        queries.story_by_slug(live.slug)


def test_cursor_round_trips():
    """A cursor survives being put in a link and read back."""
    cursor = Cursor(dt.datetime(2024, 5, 1, 12, 30, 15, 654321, tzinfo=dt.UTC), 4242)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize(
    "token",
    ["", "!!!", "abc", "bm90LWEtY3Vyc29y", "MTIz", "ä", "MS4yLjM", "OTk5OTk5OTk5OTk5OTk5OTk5OS4x"],
)
def test_bad_cursor_tokens_raise_invalid_input(token):
    """Anything we did not make is refused with a message, never another exception."""
    with pytest.raises(InvalidInput, match="not valid"):
        Cursor.decode(token)


def test_feed_page_uses_no_offset_and_a_fixed_number_of_queries(publish, topic, author):
    """A page costs the same whatever its size and position: no OFFSET, no N+1."""
    for i in range(25):
        publish(f"Story {i}", topic_ids=[topic.pk], author_ids=[author.pk])

    def count(limit: int, before=None) -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            page = queries.feed_page(before, limit=limit)
            for story in page.items:  # what a feed item draws
                story.ordered_authors()
                list(story.topics.all())
                _ = story.lead_image
        return len(captured), [q["sql"] for q in captured.captured_queries]

    small, _ = count(5)
    large, sqls = count(20)
    cursor = queries.feed_page(limit=5).next_cursor
    later, later_sqls = count(20, cursor)
    assert small == large == later
    assert not any("OFFSET" in sql.upper() for sql in sqls + later_sqls)


def test_pinned_list_reads_its_own_index_not_the_whole_feed(publish):
    """The front page asks for pinned stories on every request. With an index on (status,
    pinned) alone SQLite walked the feed index and read every story to test `pinned` (1.3 s at
    1,000,000 stories); the pinned list must be read from the index ordered like it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan; PostgreSQL picks the pinned index by its statistics")
    publish("Anything")
    sql, params = (
        queries.published().filter(pinned=True).order_by("-published_at").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "story_pinned_feed_idx" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort: the index is already in the list's order


def _topic_and_author_pages_sql(subject_kwargs: dict) -> str:
    with CaptureQueriesContext(connection) as captured:
        queries.feed_page(**subject_kwargs, relations=False)
    return next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])


@pytest.fixture
def busy_and_small(editor, publish):
    """45 stories: 40 in one topic by one author (busy), 2 in another topic by another (small).
    Returns the stories of each, newest first, and the four subjects."""
    busy_topic = actions.do_save_topic(editor, None, {"name": "Weather"})
    small_topic = actions.do_save_topic(editor, None, {"name": "Chess"})
    busy_author = actions.do_save_author(editor, None, {"name": "Ola Busy"})
    small_author = actions.do_save_author(editor, None, {"name": "Ben Rare"})
    busy, small = [], []
    for n in range(45):
        in_busy, in_small = n % 9 != 0, n in (3, 30)
        story = publish(
            f"Story {n}",
            topic_ids=[busy_topic.pk] * in_busy + [small_topic.pk] * in_small,
            author_ids=[busy_author.pk] * in_busy + [small_author.pk] * in_small,
        )
        if in_busy:
            busy.append(story)
        if in_small:
            small.append(story)
    newest_first = lambda stories: [s.headline for s in reversed(stories)]  # noqa: E731
    return {
        "busy": newest_first(busy),
        "small": newest_first(small),
        "subjects": (busy_topic, small_topic, busy_author, small_author),
    }


# Ids from 1, as in a real archive: the plan is chosen from the highest story id, and
# PostgreSQL's sequences otherwise run on across the tests of a session.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_topic_and_author_pages_list_exactly_their_stories_whichever_way_they_are_read(
    busy_and_small,
):
    """A busy subject is read by walking the feed newest first, a small one through its links
    (`queries._of_subject`); readers get the same pages either way, across Show More."""
    busy_topic, small_topic, busy_author, small_author = busy_and_small["subjects"]
    for filters, expected in (
        ({"topic": busy_topic}, busy_and_small["busy"]),
        ({"author": busy_author}, busy_and_small["busy"]),
        ({"topic": small_topic}, busy_and_small["small"]),
        ({"author": small_author}, busy_and_small["small"]),
    ):
        assert [story.headline for story in walk(**filters)] == expected, filters
    assert "EXISTS" in _topic_and_author_pages_sql({"topic": busy_topic}).upper()
    assert "EXISTS" not in _topic_and_author_pages_sql({"topic": small_topic}).upper()
