"""RSS, Atom and JSON Feed, read by the consumers that read them in the wild."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import jsonschema
import pytest
import referencing
from referencing.jsonschema import DRAFT4

from newsdesk.stories import actions
from tests.syndication.conftest import SCHEMAS, SITE_NAME, SITE_URL, dated

FEEDS = ["/feed/rss.xml", "/feed/atom.xml", "/feed/feed.json"]


def json_feed_validator() -> jsonschema.Draft4Validator:
    feed_1 = json.loads((SCHEMAS / "feed-1.json").read_text())
    feed = json.loads((SCHEMAS / "feed.json").read_text())
    registry = referencing.Registry().with_resources(
        [
            ("https://json.schemastore.org/feed-1", DRAFT4.create_resource(feed_1)),
            ("https://json.schemastore.org/feed.json", DRAFT4.create_resource(feed)),
        ]
    )
    return jsonschema.Draft4Validator(feed, registry=registry)


def headlines(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        return [item["title"] for item in json.loads(response.content)["items"]]
    return [entry.title for entry in feedparser.parse(response.content).entries]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feed/rss.xml", "/feed/atom.xml"])
def test_rss_and_atom_parse_cleanly_with_every_field(client, article, author, topic, url):
    """feedparser reads the feed without complaint (bozo 0) and finds title, link, id, summary,
    full content with absolute links, author, topic, times and the lead image."""
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == SITE_NAME
    assert parsed.feed.language == "en"
    entry = parsed.entries[0]
    assert entry.title == "Grid operator & unions agree <overnight> repair plan"
    assert entry.link == f"{SITE_URL}/stories/{article.slug}/"
    assert entry.id == f"tag:news.example.org,{article.published_at.date()}:story-{article.pk}"
    assert entry.summary == "Crews will work in shifts until the eastern line is back."
    content = entry.content[0].value
    assert "<strong>eastern line</strong>" in content
    assert f'href="{SITE_URL}/stories/timetable/"' in content
    assert [a.name for a in entry.authors] == [author.name]
    assert [tag.term for tag in entry.tags] == [topic.name]
    assert entry.published_parsed[:6] == article.published_at.utctimetuple()[:6]
    if url.endswith("atom.xml"):
        assert entry.updated_parsed >= entry.published_parsed
    enclosure = entry.enclosures[0]
    assert enclosure.href.startswith(f"{SITE_URL}/media/images/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == article.lead_image.file.size


@pytest.mark.django_db
def test_rss_carries_media_content_and_atom_entry_language(client, article):
    """RSS names the lead image as media:content with its size and alt text; Atom entries say
    their language."""
    rss = feedparser.parse(client.get("/feed/rss.xml").content).entries[0]
    media = rss.media_content[0]
    assert media["url"].startswith(f"{SITE_URL}/media/")
    assert (media["width"], media["height"]) == ("1200", "675")
    assert "Lineworkers raise a pylon" in client.get("/feed/rss.xml").content.decode()
    atom = feedparser.parse(client.get("/feed/atom.xml").content).entries[0]
    assert atom.content[0].language == "en"


@pytest.mark.django_db
def test_json_feed_is_valid_json_feed_1_1(client, article, author, topic):
    """The JSON Feed validates against the JSON Feed 1.1 schema and carries the same entry."""
    response = client.get("/feed/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    document = json.loads(response.content)
    json_feed_validator().validate(document)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE_URL}/feed/feed.json"
    item = document["items"][0]
    assert item["id"].startswith("tag:news.example.org,")
    assert item["url"] == f"{SITE_URL}/stories/{article.slug}/"
    assert item["image"].startswith(f"{SITE_URL}/media/")
    assert item["authors"] == [{"name": author.name, "url": f"{SITE_URL}/authors/{author.slug}/"}]
    assert item["tags"] == [topic.name]
    assert item["language"] == "en"
    assert item["summary"] == "Crews will work in shifts until the eastern line is back."
    assert "hubs" not in document


@pytest.mark.django_db
def test_only_published_stories_reach_any_feed(client, editor, publish, topic, author):
    """Drafts, scheduled and unpublished stories are in no feed, in no format."""
    publish("Published ferry timetable", topic_ids=[topic.pk], author_ids=[author.pk])
    actions.do_create_story(editor, {"headline": "Draft secret merger", "topic_ids": [topic.pk]})
    scheduled = actions.do_create_story(
        editor, {"headline": "Scheduled embargoed report", "author_ids": [author.pk]}
    )
    actions.do_schedule_story(editor, scheduled.pk, dt.datetime.now(dt.UTC) + dt.timedelta(hours=3))
    gone = publish("Unpublished mistaken claim", topic_ids=[topic.pk])
    actions.do_unpublish_story(editor, gone.pk)
    for prefix in ("/feed/", f"/topics/{topic.slug}/feed/", f"/authors/{author.slug}/feed/"):
        for name in ("rss.xml", "atom.xml", "feed.json"):
            body = client.get(prefix + name).content.decode()
            assert "Published ferry timetable" in body, prefix + name
            for secret in ("Draft secret", "Scheduled embargoed", "Unpublished mistaken"):
                assert secret not in body, (prefix + name, secret)


@pytest.mark.django_db
def test_topic_and_author_feeds_hold_only_their_stories(client, editor, publish, topic, author):
    """A topic's feed lists the stories on that topic; an author's, the stories they wrote."""
    other_topic = actions.do_save_topic(editor, None, {"name": "Transport"})
    publish("Tidal turbines switched on", topic_ids=[topic.pk])
    publish("Tram line reopens", topic_ids=[other_topic.pk], author_ids=[author.pk])
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        assert headlines(client, f"/topics/{topic.slug}/feed/{fmt}") == [
            "Tidal turbines switched on"
        ]
        assert headlines(client, f"/topics/{other_topic.slug}/feed/{fmt}") == ["Tram line reopens"]
        assert headlines(client, f"/authors/{author.slug}/feed/{fmt}") == ["Tram line reopens"]
    parsed = feedparser.parse(client.get(f"/topics/{topic.slug}/feed/atom.xml").content)
    assert parsed.feed.title == f"{topic.name} · {SITE_NAME}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/topics/no-such-topic/feed/rss.xml",
        "/topics/no-such-topic/feed/feed.json",
        "/authors/nobody/feed/atom.xml",
    ],
)
def test_unknown_topic_or_author_feed_is_404(client, url):
    """A feed for a topic or author that does not exist is a 404, not an empty feed."""
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_editing_a_story_keeps_its_id_in_every_format(client, editor, article):
    """A new headline, body and update time change the entry but never its id."""

    def ids() -> list[str]:
        rss = feedparser.parse(client.get("/feed/rss.xml").content).entries[0].id
        atom = feedparser.parse(client.get("/feed/atom.xml").content).entries[0].id
        item = json.loads(client.get("/feed/feed.json").content)["items"][0]["id"]
        return [rss, atom, item]

    before = ids()
    actions.do_update_story(
        editor,
        article.pk,
        {"headline": "Repair plan agreed after all-night talks", "body": "New words."},
        expected_version=article.version,
        mark_as_update=True,
    )
    assert ids() == before
    assert headlines(client, "/feed/rss.xml") == ["Repair plan agreed after all-night talks"]
    item = json.loads(client.get("/feed/feed.json").content)["items"][0]
    published = dt.datetime.fromisoformat(item["date_published"])
    assert dt.datetime.fromisoformat(item["date_modified"]) > published


@pytest.mark.django_db
def test_feeds_hold_the_fifty_newest_stories(client, publish):
    """A feed is the 50 newest stories, newest first."""
    for n in range(52):
        publish(f"Bulletin {n}")
    titles = headlines(client, "/feed/feed.json")
    assert len(titles) == 50
    assert titles[0] == "Bulletin 51"
    assert "Bulletin 1" not in titles


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEEDS)
def test_conditional_requests_get_304_until_something_changes(client, editor, publish, url):
    """A repeated request with If-None-Match or If-Modified-Since is answered 304 with no body;
    after a publish the same validators get the new feed."""
    publish("First bulletin")
    response = dated(client, url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get(url, headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    publish("Second bulletin")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Second bulletin" in changed.content.decode()


@pytest.mark.django_db
def test_site_feeds_of_different_formats_have_different_etags(client, publish):
    """Each feed URL has its own ETag, so a proxy never serves Atom for RSS."""
    publish("Only story")
    assert len({client.get(url)["ETag"] for url in FEEDS}) == 3


@pytest.mark.django_db
def test_feeds_advertise_the_websub_hub_and_themselves(client, settings, publish):
    """With a hub configured every format names the hub and its own address."""
    settings.WEBSUB_HUB = "https://hub.example.net/"
    publish("Hub-announced story")
    rss = feedparser.parse(client.get("/feed/rss.xml").content).feed
    atom = feedparser.parse(client.get("/feed/atom.xml").content).feed
    for feed, url in ((rss, "/feed/rss.xml"), (atom, "/feed/atom.xml")):
        links = {link.rel: link.href for link in feed.links}
        assert links["hub"] == "https://hub.example.net/"
        assert links["self"] == SITE_URL + url
    document = json.loads(client.get("/feed/feed.json").content)
    json_feed_validator().validate(document)
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]


@pytest.mark.django_db
def test_html_in_headlines_and_bodies_stays_escaped_and_valid(client, editor, publish):
    """Markup-like text in a headline is text to the reader, and the feeds stay well formed."""
    publish(
        "</title><script>alert(1)</script> & ]]> test",
        summary='Less < more & "quotes" ]]>',
        body="<script>alert(1)</script> **bold** ]]>",
    )
    for url in ("/feed/rss.xml", "/feed/atom.xml"):
        parsed = feedparser.parse(client.get(url).content)
        assert parsed.bozo == 0
        assert parsed.entries[0].title == "</title><script>alert(1)</script> & ]]> test"
        assert "<script>" not in parsed.entries[0].content[0].value
    document = json.loads(client.get("/feed/feed.json").content)
    assert document["items"][0]["title"] == "</title><script>alert(1)</script> & ]]> test"
    assert "<script>" not in document["items"][0]["content_html"]
