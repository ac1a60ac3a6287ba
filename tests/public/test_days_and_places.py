"""Times that read like a news feed (a heading per day, the time alone under it, one format
everywhere) and lists whose place is kept in their address (`?through=`, Newer)."""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
import pytest
from django.utils import timezone

from newsdesk.stories import actions
from newsdesk.stories.models import Story
from newsdesk.stories.queries import Cursor

pytestmark = pytest.mark.django_db

# A valid HTML global date and time string as we write them: UTC, milliseconds at most.
HTML_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")


def tree_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return lxml.html.fromstring(response.content)


def words(element) -> str:
    return " ".join(element.text_content().split())


def list_children(tree) -> list[str]:
    """The main list in order: 'day:<text>' for a heading, the story id for an item."""
    out = []
    for child in tree.xpath("//main//*[@data-feed-list][@data-keep-place]/*"):
        if child.get("data-feed-day"):
            out.append(f"day:{words(child)}")
        elif child.tag == "article":
            out.append(int(child.get("data-story-id")))
    return out


@pytest.fixture
def three_days(publish, settings):
    """Six stories over three newsroom days (Kyiv), published at known times."""
    settings.TIME_ZONE = "Europe/Kyiv"
    kyiv = dt.timezone(dt.timedelta(hours=2))
    at = [
        dt.datetime(2026, 11, 29, 21, 40, 16, 128702, tzinfo=kyiv),
        dt.datetime(2026, 11, 29, 0, 5, tzinfo=kyiv),
        dt.datetime(2026, 11, 28, 23, 55, tzinfo=kyiv),
        dt.datetime(2026, 11, 28, 9, 0, tzinfo=kyiv),
        dt.datetime(2026, 11, 27, 21, 40, tzinfo=kyiv),
        dt.datetime(2026, 11, 27, 7, 4, tzinfo=kyiv),
    ]
    stories = []
    for when in at:
        story = publish(f"At {when:%d %H:%M}")
        Story.objects.filter(pk=story.pk).update(published_at=when)
        stories.append(Story.objects.get(pk=story.pk))
    return stories


def test_items_are_grouped_under_a_heading_per_newsroom_day(client, three_days):
    """Each day of the newsroom's zone gets one heading, written as a date (the browser says
    "Today"); an item under it shows its time alone, its day only to screen readers."""
    a, b, c, d, e, f = three_days
    tree = tree_of(client, "/")
    assert list_children(tree) == [
        "day:29 November 2026", a.pk, b.pk,
        "day:28 November 2026", c.pk, d.pk,
        "day:27 November 2026", e.pk, f.pk,
    ]  # fmt: skip
    headings = tree.xpath("//*[@data-feed-list]/h2[@data-feed-day]")
    assert [h.get("data-feed-day") for h in headings] == ["2026-11-29", "2026-11-28", "2026-11-27"]
    assert [h.xpath("time/@datetime")[0] for h in headings] == [
        "2026-11-29", "2026-11-28", "2026-11-27",
    ]  # fmt: skip
    item_time = tree.xpath(f"//article[@id='story-{a.pk}']//time")[0]
    assert item_time.get("datetime") == "2026-11-29T19:40:16.128Z"
    assert item_time.xpath("span[@class='time__day']/text()") == ["29 November 2026, "]
    assert words(item_time) == "29 November 2026, 21:40"
    assert "Today" not in words(tree.xpath("//main")[0])


def test_twelve_hour_clock_is_a_newsroom_setting(client, three_days, settings):
    settings.CLOCK_HOURS = 12
    tree = tree_of(client, "/")
    times = [words(t) for t in tree.xpath("//article//time")]
    assert times[0] == "29 November 2026, 9:40 PM"
    assert times[1] == "29 November 2026, 12:05 AM"
    assert tree.xpath("//article//time/@data-clock")[0] == "12"


def test_the_clock_setting_says_how_to_fix_a_bad_value(monkeypatch):
    from newsdesk.config import env

    for value, hours in (("", 24), ("24", 24), ("12", 12)):
        monkeypatch.setenv("NEWSDESK_CLOCK", value)
        assert env.get_clock_hours() == hours
    monkeypatch.setenv("NEWSDESK_CLOCK", "13")
    with pytest.raises(env.ConfigError, match=r"NEWSDESK_CLOCK='13'.*use 24 \(21:40\) or 12"):
        env.get_clock_hours()


def test_every_time_on_reader_pages_is_valid_html(client, editor, three_days):
    """No microseconds in `<time datetime>`: HTML allows milliseconds at most."""
    story = three_days[0]
    actions.do_update_story(
        editor, story.pk, {"body": "More."}, expected_version=None, mark_as_update=True
    )
    actions.do_add_correction(editor, story.pk, "An earlier version gave the wrong time.")
    for url in ("/", story.get_absolute_url(), "/?before=" + Cursor.after(story).encode()):
        tree = tree_of(client, url)
        values = tree.xpath("//time/@datetime")
        assert values
        for value in values:
            assert HTML_DATETIME.match(value) or re.match(r"^\d{4}-\d\d-\d\d$", value), value


def test_updated_label_shows_the_time_alone_on_the_same_day_and_no_stray_space(
    client, editor, three_days
):
    """ "(Updated: 21:52)" on the day of publication; with its day after it."""
    old = three_days[4]
    actions.do_update_story(
        editor, old.pk, {"body": "Later."}, expected_version=None, mark_as_update=True
    )
    kyiv = dt.timezone(dt.timedelta(hours=2))
    same_day = dt.datetime(2026, 11, 27, 21, 52, tzinfo=kyiv)
    next_day = dt.datetime(2026, 11, 29, 7, 4, tzinfo=kyiv)
    labels = ((same_day, "(Updated: 21:52)"), (next_day, "(Updated: 29 November 2026, 07:04)"))
    for when, label in labels:
        Story.objects.filter(pk=old.pk).update(updated_at=when)  # the item's key holds it
        tree = tree_of(client, "/")
        item = tree.xpath(f"//article[@id='story-{old.pk}']")[0]
        assert words(item.xpath(".//*[@class='updated']")[0]) == label
        page = tree_of(client, old.get_absolute_url())
        assert words(page.xpath("//*[@class='updated']")[0]) == label
        assert "27 November 2026, 21:40" in words(page.xpath("//*[@class='story__meta']")[0])


def test_show_more_fragment_and_older_pages_have_day_headings(client, publish, settings):
    """A page that starts mid-day starts with that day's heading too."""
    settings.TIME_ZONE = "UTC"
    stories = [publish(f"Item {i}") for i in range(25)]
    start = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    for i, story in enumerate(stories):  # the older half on the day before
        Story.objects.filter(pk=story.pk).update(published_at=start - dt.timedelta(hours=i))
    tree = tree_of(client, "/")
    fragment = tree.xpath("//*[@data-show-more]//a/@data-fragment")[0]
    body = client.get(fragment).content.decode()
    more = lxml.html.fromstring(f"<div>{body}</div>")
    first = more.xpath("./*")[0]
    assert first.get("data-feed-day") is not None
    assert (
        more.xpath("//template/@data-list-end")[0]
        == Cursor.after(Story.objects.get(pk=stories[-1].pk)).encode()
    )
    older = tree_of(client, tree.xpath("//*[@data-show-more]//a[@rel='next']/@href")[0])
    assert list_children(older)[0].startswith("day:")


# ── the reader's place: ?through= and Newer ──────────────────────────────────────────────────


def ids(tree) -> list[int]:
    return [x for x in list_children(tree) if isinstance(x, int)]


def test_through_draws_every_item_the_reader_had_loaded(client, publish):
    """`?through=` (what the browser writes after Show More) draws the first page and every
    older one down to and including that story, with Show More after it."""
    stories = [publish(f"Item {i}") for i in range(50)]
    newest_first = [s.pk for s in reversed(stories)]
    fortieth = Story.objects.get(pk=newest_first[39])
    tree = tree_of(client, "/?through=" + Cursor.after(fortieth).encode())
    assert ids(tree) == newest_first[:40]
    more = tree.xpath("//*[@data-show-more]//a[@rel='next']/@href")[0]
    assert ids(tree_of(client, more)) == newest_first[40:]
    assert tree.xpath("//link[@rel='canonical']/@href")  # still the News Feed itself
    assert tree.xpath("//*[@data-live-stream]")  # and still live
    assert not tree.xpath("//*[@data-show-more]//a[@rel='prev']")
    listed = tree.xpath("//*[@data-keep-place]")[0]
    assert listed.get("data-list-start") == ""
    assert listed.get("data-list-end") == Cursor.after(fortieth).encode()


def test_through_from_an_older_page_and_its_limit(client, publish):
    stories = [publish(f"Item {i}") for i in range(45)]
    newest_first = [s.pk for s in reversed(stories)]
    cursor = lambda pk: Cursor.after(Story.objects.get(pk=pk)).encode()  # noqa: E731
    before, through = cursor(newest_first[19]), cursor(newest_first[44])
    tree = tree_of(client, f"/?before={before}&through={through}")
    assert ids(tree) == newest_first[20:45]
    assert not tree.xpath("//*[@data-show-more]//a[@rel='next']")


def test_through_stops_at_its_page_limit(client, publish, settings, monkeypatch):
    """However old the cursor, `?through=` draws at most `THROUGH_PAGES` pages, then Show More."""
    from newsdesk.public import pages

    settings.PAGE_CACHE = False
    monkeypatch.setattr(pages, "THROUGH_PAGES", 2)
    stories = [publish(f"Item {i}") for i in range(45)]
    newest_first = [s.pk for s in reversed(stories)]
    last = Cursor.after(Story.objects.get(pk=newest_first[-1])).encode()
    tree = tree_of(client, "/?through=" + last)
    assert ids(tree) == newest_first[:40]
    assert tree.xpath("//*[@data-show-more]//a[@rel='next']")


def test_older_pages_have_a_newer_link_that_never_skips_a_story(client, publish):
    """Page 2's Newer leads to the first page; page 3's to the 20 stories just above it."""
    stories = [publish(f"Item {i}") for i in range(65)]
    newest_first = [s.pk for s in reversed(stories)]
    first = tree_of(client, "/")
    assert not first.xpath("//a[@rel='prev']")
    second = tree_of(client, first.xpath("//*[@data-show-more]//a[@rel='next']/@href")[0])
    assert set(second.xpath("//a[@rel='prev']/@href")) == {"/"}
    third = tree_of(client, second.xpath("//*[@data-show-more]//a[@rel='next']/@href")[0])
    assert ids(third) == newest_first[40:60]
    newer = third.xpath("//*[@data-show-more]//a[@rel='prev']/@href")[0]
    assert third.xpath("//p[@class='page-nav']//a/@href") == [newer]
    assert ids(tree_of(client, newer)) == newest_first[20:40]
    # A story published meanwhile: Newer still shows the twenty just above, skipping none,
    # and the first page after them.
    publish("Late news")
    again = tree_of(client, tree_of(client, newer).xpath("//a[@rel='prev']/@href")[0])
    assert ids(again) == newest_first[:20]
    assert set(again.xpath("//a[@rel='prev']/@href")) == {"/"}


def test_topic_and_author_pages_keep_their_place_too(client, publish, topic, author):
    stories = [publish(f"T {i}", topic_ids=[topic.pk], author_ids=[author.pk]) for i in range(25)]
    publish("Elsewhere")
    newest_first = [s.pk for s in reversed(stories)]
    last = Cursor.after(Story.objects.get(pk=newest_first[-1])).encode()
    for subject in (topic, author):
        url = subject.get_absolute_url()
        assert ids(tree_of(client, f"{url}?through={last}")) == newest_first
        twentieth = Cursor.after(Story.objects.get(pk=newest_first[19])).encode()
        second = tree_of(client, f"{url}?before={twentieth}")
        assert ids(second) == newest_first[20:]
        assert second.xpath("//a[@rel='prev']/@href")[0] == url


def test_a_damaged_through_is_a_bad_request_that_says_which(client):
    response = client.get("/?through=%%%")
    assert response.status_code == 400
    assert "its 'through' value is damaged" in words(lxml.html.fromstring(response.content))


def test_the_pinned_section_is_ready_for_live_pins(client, editor, publish):
    """The first page always has the pinned section (hidden when empty), for live.js."""
    story = publish("Soon pinned")
    tree = tree_of(client, "/")
    section = tree.xpath("//section[@data-pinned-list]")[0]
    assert section.get("hidden") is not None
    actions.do_set_pinned(editor, story.pk, True)
    section = tree_of(client, "/").xpath("//section[@data-pinned-list]")[0]
    assert section.get("hidden") is None
    assert section.xpath(".//article/@data-story-id") == [str(story.pk)]
    older = tree_of(client, "/?before=" + Cursor.after(story).encode())
    assert not older.xpath("//section[@data-pinned-list]")
