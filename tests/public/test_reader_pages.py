"""What readers get over HTTP: the News Feed, story, author and topic pages, and their errors."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.utils import timezone

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db


def get_html(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, lxml.html.fromstring(response.content)


def feed_item_ids(tree) -> list[int]:
    return [int(x) for x in tree.xpath("//*[@data-feed]//article/@data-story-id")]


def text_of(tree) -> str:
    return " ".join(tree.text_content().split())


# ── the News Feed ────────────────────────────────────────────────────────────────────────────


def test_feed_shows_items_with_time_summary_body_and_topics(client, publish, topic):
    """Each feed item shows its headline, a machine-readable time, summary, body and topics."""
    story = publish(
        "Power restored in the north",
        summary="Crews worked overnight.",
        body="Most homes have **power** again.",
        topic_ids=[topic.pk],
    )
    story.refresh_from_db()
    _, tree = get_html(client, "/")
    item = tree.xpath(f"//article[@id='story-{story.pk}']")[0]
    assert item.xpath(".//h2//a/text()") == ["Power restored in the north"]
    assert item.xpath(".//h2//a/@href") == [story.get_absolute_url()]
    datetimes = item.xpath(".//time/@datetime")
    # HTML allows a datetime to the millisecond, no finer.
    assert dt.datetime.fromisoformat(datetimes[0]) == story.published_at.replace(
        microsecond=story.published_at.microsecond // 1000 * 1000
    )
    assert "Crews worked overnight." in text_of(item)
    assert item.xpath(".//strong/text()") == ["power"]
    assert item.xpath(".//ul[@aria-label='Topics']//a/text()") == ["Energy"]
    assert "(Updated:" not in text_of(item)


def test_updated_label_only_for_marked_updates(client, editor, publish):
    """'(Updated: …)' appears for an edit marked as update, not for a silent fix."""
    marked = publish("Marked")
    silent = publish("Silent")
    for story, mark in ((marked, True), (silent, False)):
        story.refresh_from_db()
        actions.do_update_story(
            editor, story.pk, {"body": "New."}, expected_version=story.version, mark_as_update=mark
        )
    _, tree = get_html(client, "/")
    assert "(Updated:" in text_of(tree.xpath(f"//article[@id='story-{marked.pk}']")[0])
    assert "(Updated:" not in text_of(tree.xpath(f"//article[@id='story-{silent.pk}']")[0])
    _, page = get_html(client, marked.get_absolute_url())
    assert "(Updated:" in text_of(page.xpath("//article[contains(@class,'story')]")[0])


def test_pinned_and_breaking_badges(client, editor, publish):
    """A pinned story shows above the feed with a Pinned badge; breaking ones say Breaking."""
    pinned = publish("Pinned live blog")
    breaking = publish("Breaking: bridge closed")
    publish("Ordinary")
    actions.do_set_pinned(editor, pinned.pk, True)
    actions.do_set_breaking(editor, breaking.pk, True)
    _, tree = get_html(client, "/")
    pinned_section = tree.xpath("//section[contains(@class,'pinned')]")[0]
    assert pinned_section.xpath(".//article/@data-story-id") == [str(pinned.pk)]
    assert pinned_section.xpath(".//*[contains(@class,'badge--pinned')]/text()") == ["Pinned"]
    assert pinned.pk not in feed_item_ids(tree)
    item = tree.xpath(f"//article[@id='story-{breaking.pk}']")[0]
    assert item.xpath(".//*[contains(@class,'badge--breaking')]/text()") == ["Breaking"]
    assert len(tree.xpath("//*[contains(@class,'badge--breaking')]")) == 1


def test_show_more_pages_through_older_items_without_overlap(client, publish):
    """After 20 items a Show More link leads to the next 20 older ones, then the rest."""
    stories = [publish(f"Item {i}") for i in range(45)]
    newest_first = [s.pk for s in reversed(stories)]
    _, first = get_html(client, "/")
    assert feed_item_ids(first) == newest_first[:20]
    more = first.xpath("//*[@data-show-more]//a")[0]
    assert more.text.startswith("Show More")
    _, second = get_html(client, more.get("href"))
    assert feed_item_ids(second) == newest_first[20:40]
    third_href = second.xpath("//*[@data-show-more]//a[@rel='next']/@href")[0]
    _, third = get_html(client, third_href)
    assert feed_item_ids(third) == newest_first[40:]
    assert not third.xpath("//*[@data-show-more]//a[@rel='next']")  # the end: Newer only


def test_show_more_fragment_returns_only_items(client, publish):
    """The JavaScript Show More gets bare items to append, no page around them."""
    stories = [publish(f"Item {i}") for i in range(25)]
    _, first = get_html(client, "/")
    fragment_url = first.xpath("//*[@data-show-more]//a/@data-fragment")[0]
    response = client.get(fragment_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body.lower()
    assert "<main" not in body
    ids = [
        int(x) for x in lxml.html.fromstring(f"<div>{body}</div>").xpath("//article/@data-story-id")
    ]
    assert ids == [s.pk for s in reversed(stories)][20:]


@pytest.mark.parametrize("url", ["/?before=", "/more/?before=", "/topics/energy/?before="])
@pytest.mark.parametrize("token", ["garbage", "%%%", "MTIz", "ä"])
def test_bad_before_is_a_400_with_a_message(client, topic, url, token):
    """A damaged page link is a 400 that says what went wrong, never a server error."""
    response = client.get(url + token)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


# ── the story page ───────────────────────────────────────────────────────────────────────────


@pytest.fixture
def full_story(editor, publish, topic):
    avatar = do_upload_image(editor, image_bytes(size=(400, 400)), alt_text="Mira Osei")
    mira = actions.do_save_author(
        editor,
        None,
        {
            "name": "Mira Osei",
            "role": "News Operations Editor",
            "bio": "Mira runs the night desk.",
            "avatar_id": avatar.pk,
        },
    )
    jon = actions.do_save_author(editor, None, {"name": "Jon Park", "role": "Reporter"})
    lead = do_upload_image(
        editor,
        image_bytes(size=(2000, 1000)),
        alt_text="Firefighters on a ladder",
        caption="Crews at the warehouse fire.",
        credit="Jane Doe / Agency",
    )
    story = publish(
        "Fire at the docks",
        summary="A warehouse burned overnight.",
        body="Fire crews arrived at 2am.\n\n# What we know\n\nNobody was hurt.",
        kind="article",
        author_ids=[mira.pk, jon.pk],
        topic_ids=[topic.pk],
        lead_image_id=lead.pk,
    )
    actions.do_add_correction(editor, story.pk, "An earlier version gave the wrong street.")
    return story


def test_story_page_shows_headline_byline_and_reading_time(client, full_story):
    """One <h1> with the headline, a byline linking each author, and the reading time."""
    _, tree = get_html(client, full_story.get_absolute_url())
    assert [text_of(h) for h in tree.xpath("//h1")] == ["Fire at the docks"]
    byline = tree.xpath("//*[@class='byline']")[0]
    assert text_of(byline) == "By Mira Osei and Jon Park"
    assert byline.xpath(".//a/@href") == ["/authors/mira-osei/", "/authors/jon-park/"]
    assert tree.xpath("//*[@class='reading-time']/text()") == ["1 min read"]
    assert tree.xpath("//div[contains(@class,'story__body')]//h2/text()") == ["What we know"]
    assert tree.xpath("//title/text()")[0].startswith("Fire at the docks")


def test_story_page_lead_image_figure(client, full_story):
    """The lead image has alt text, size, srcset renditions and a caption with its credit."""
    _, tree = get_html(client, full_story.get_absolute_url())
    figure = tree.xpath("//figure[contains(@class,'lead-figure')]")[0]
    image = figure.xpath(".//img")[0]
    assert image.get("alt") == "Firefighters on a ladder"
    assert (image.get("width"), image.get("height")) == ("2000", "1000")
    widths = [part.split()[-1] for part in image.get("srcset").split(", ")]
    assert widths == ["400w", "800w", "1600w"]
    webp = figure.xpath(".//source[@type='image/webp']/@srcset")[0]
    assert ".webp 400w" in webp
    caption = text_of(figure.xpath(".//figcaption")[0])
    assert caption == "Crews at the warehouse fire. (Photo: Jane Doe / Agency)"
    for url in [image.get("src")] + [p.split()[0] for p in image.get("srcset").split(", ")]:
        assert client.get(url).status_code == 200


def test_story_page_author_boxes(client, full_story):
    """Each author has a box with avatar, name, role, bio and a link to their page."""
    _, tree = get_html(client, full_story.get_absolute_url())
    boxes = tree.xpath("//section[contains(@class,'author-box')]")
    assert len(boxes) == 2
    mira, jon = boxes
    assert mira.xpath(".//h2/text()") == ["Mira Osei"]
    assert mira.xpath(".//*[@class='author-box__role']/text()") == ["News Operations Editor"]
    assert mira.xpath(".//*[@class='author-box__bio']/text()") == ["Mira runs the night desk."]
    assert mira.xpath(".//img[contains(@class,'avatar')]/@src")[0].startswith("/media/")
    read_more = mira.xpath(".//a[starts-with(normalize-space(.), 'Read more')]/@href")
    assert read_more == ["/authors/mira-osei/"]
    assert not jon.xpath(".//img")
    assert not jon.xpath(".//*[@class='author-box__bio']")


def test_story_page_corrections_follow_the_body(client, full_story):
    """Corrections are listed under the story's body."""
    _, tree = get_html(client, full_story.get_absolute_url())
    article = tree.xpath("//article[contains(@class,'story')]")[0]
    children = [el.get("class", "") for el in article]
    assert children.index("corrections") > children.index("story__body prose")
    assert text_of(article.xpath(".//section[@class='corrections']//li/p")[0]) == (
        "An earlier version gave the wrong street."
    )


def test_story_page_sidebar_lists_the_news_feed(client, publish, full_story):
    """Beside a story, a compact News Feed block lists the latest stories."""
    other = publish("Meanwhile, elsewhere")
    _, tree = get_html(client, full_story.get_absolute_url())
    sidebar = tree.xpath("//aside[contains(@class,'sidebar')]")[0]
    assert sidebar.xpath(".//h2/text()") == ["News Feed"]
    headlines = sidebar.xpath(".//h3//a/text()")
    assert headlines[:2] == ["Meanwhile, elsewhere", "Fire at the docks"]
    assert sidebar.xpath(f".//article[@id='story-{other.pk}']")


def test_html_semantics(client, full_story):
    """Pages have a language, a skip link to <main>, and stories are <article>s."""
    for url in ("/", full_story.get_absolute_url(), "/authors/mira-osei/", "/topics/energy/"):
        _, tree = get_html(client, url)
        assert tree.get("lang")
        assert tree.xpath("//a[contains(@class,'skip-link')]/@href") == ["#main"]
        assert len(tree.xpath("//main[@id='main']")) == 1
        assert tree.xpath("//main//article")
        assert len(tree.xpath("//h1")) == 1


# ── author and topic pages ───────────────────────────────────────────────────────────────────


def test_author_page_shows_profile_and_paginated_stories(client, editor, publish, author):
    """An author's page shows their bio and role, and lists only their stories, 20 at a time."""
    theirs = [publish(f"By Mira {i}", author_ids=[author.pk]) for i in range(22)]
    publish("Not hers")
    _, tree = get_html(client, author.get_absolute_url())
    assert tree.xpath("//h1/text()") == ["Mira Osei"]
    assert tree.xpath("//*[@class='profile__role']/text()") == ["News Operations Editor"]
    assert tree.xpath("//*[@class='profile__bio']/text()") == ["Mira runs the night desk."]
    newest_first = [s.pk for s in reversed(theirs)]
    assert feed_item_ids(tree) == newest_first[:20]
    next_href = tree.xpath("//*[@data-show-more]//a/@href")[0]
    assert next_href.startswith(author.get_absolute_url())
    _, second = get_html(client, next_href)
    assert feed_item_ids(second) == newest_first[20:]


def test_topic_page_lists_its_stories(client, publish, topic):
    """A topic page shows its name, description and only its stories."""
    tagged = publish("Grid upgrade", topic_ids=[topic.pk])
    publish("Sports")
    _, tree = get_html(client, topic.get_absolute_url())
    assert tree.xpath("//h1/text()") == ["Energy"]
    assert "Power and grids." in text_of(tree)
    assert feed_item_ids(tree) == [tagged.pk]


@pytest.mark.parametrize("url", ["/authors/nobody/", "/topics/nothing/", "/stories/nope/"])
def test_unknown_pages_are_404(client, url):
    """Unknown addresses get the reader 404 page."""
    _, tree = get_html(client, url, 404)
    assert tree.xpath("//h1/text()") == ["Page not found"]


def test_unpublished_draft_and_scheduled_stories_are_404(client, editor, publish):
    """Nothing but published stories has a public page, and the 404 never shows their text."""
    draft = actions.do_create_story(editor, {"headline": "Draft secret headline", "body": "x"})
    scheduled = actions.do_create_story(editor, {"headline": "Scheduled secret", "body": "x"})
    actions.do_schedule_story(editor, scheduled.pk, timezone.now() + dt.timedelta(days=1))
    gone = publish("Withdrawn secret")
    actions.do_unpublish_story(editor, gone.pk)
    for story in (draft, scheduled, gone):
        response, tree = get_html(client, story.get_absolute_url(), 404)
        assert tree.xpath("//h1/text()") == ["Page not found"]
        assert story.headline not in response.content.decode()
    _, feed = get_html(client, "/")
    assert "secret" not in text_of(feed).lower()


# ── caching ──────────────────────────────────────────────────────────────────────────────────


def test_cache_control_public_for_anonymous_private_for_staff(client, editor, full_story):
    """Proxies may keep anonymous pages briefly, never an editor's."""
    for url in ("/", full_story.get_absolute_url(), "/topics/energy/"):
        header = client.get(url)["Cache-Control"]
        assert "public" in header
        assert "private" not in header
    client.force_login(editor)
    for url in ("/", full_story.get_absolute_url(), "/topics/energy/"):
        header = client.get(url)["Cache-Control"]
        assert "private" in header
        assert "public" not in header


def test_the_page_around_the_items_is_drawn_for_each_request(client, editor, full_story):
    """Nothing of one request's own (who is logged in, their CSRF token) reaches the next
    reader's page: an editor's page and an anonymous reader's, asked one after the other,
    differ exactly there, in every order."""
    for url in ("/", full_story.get_absolute_url(), "/topics/energy/"):
        anonymous_before = client.get(url).content.decode()
        client.force_login(editor)
        staff = client.get(url).content.decode()
        client.logout()
        anonymous_after = client.get(url).content.decode()
        assert 'href="/desk/"' in staff
        assert 'href="/desk/"' not in anonymous_before
        assert 'href="/desk/"' not in anonymous_after
        assert "csrfmiddlewaretoken" not in anonymous_after


def test_times_are_shown_in_the_newsroom_time_zone(client, publish, settings):
    """Without JavaScript a reader sees the newsroom's clock, as the footer says."""
    settings.TIME_ZONE = "Asia/Kathmandu"  # UTC+5:45: no other zone shares its minutes
    story = publish("Curfew lifted")
    story.refresh_from_db()
    _, tree = get_html(client, "/")
    shown = text_of(tree.xpath(f"//article[@id='story-{story.pk}']//time")[0])
    local = timezone.localtime(story.published_at, timezone=dt.timezone(dt.timedelta(minutes=345)))
    assert shown == local.strftime("%-d %B %Y, %H:%M")  # the day is hidden under its heading
    assert tree.xpath("//*[@data-feed-list]/h2[@data-feed-day]/time/text()")[0] == (
        local.strftime("%-d %B %Y")
    )
    assert "(Asia/Kathmandu)" in text_of(tree.xpath("//footer")[0])


# ── naughty strings ──────────────────────────────────────────────────────────────────────────


def naughty_sample() -> list[str]:
    from tests.stories.test_story_text import shared_data

    lines = shared_data("blns.txt").read_text(encoding="utf-8").splitlines()
    strings = [line for line in lines if line.strip() and not line.startswith("#")]
    picked = strings[::5][:90]
    picked += [
        "\u202eRTL override headline",
        "zero\u200bwidth\u200djoiner\ufeff",
        "👩‍👩‍👧‍👦 family 🇺🇦 flag",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "'; DROP TABLE stories_story; --",
        "1' OR '1'='1",
        "<script>alert('h')</script>",
        "&lt;b&gt;entities&lt;/b&gt;",
        "%s %d %(name)s {0}",
    ]
    return picked


def test_naughty_strings_are_shown_escaped_or_refused(client, editor):
    """Each string is stored and shown exactly (escaped), or refused with InvalidInput."""
    from newsdesk.core.errors import InvalidInput

    strings = naughty_sample()
    assert len(strings) >= 100
    shown = 0
    for text in strings:
        try:
            story = actions.do_create_story(
                editor, {"headline": text, "summary": text, "body": text}
            )
        except InvalidInput:
            continue
        actions.do_publish_story(editor, story.pk)
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200, text
        tree = lxml.html.fromstring(response.content)
        stored = Story.objects.get(pk=story.pk).headline
        assert stored == text.strip()
        assert tree.xpath("//h1")[0].text_content() == stored, text
        assert not tree.xpath("//main//script"), text
        shown += 1
    assert shown > len(strings) * 0.8  # refusing is for the truly unstorable, not the odd
    assert client.get("/").status_code == 200
