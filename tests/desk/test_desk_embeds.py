"""Embeds: a link alone on a line to a post or video on a platform becomes a card whose words
were gathered when the story was saved, from a stand-in for the platforms on this machine."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.test import Client

from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.desk.conftest import story_form
from tests.embed_standin import StandIn

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=abcDEF12345"
POST = "https://x.com/lindenhavcg/status/1234567890"
TELEGRAM = "https://t.me/lindenhavweather/512"


@pytest.fixture
def platforms(settings):
    with StandIn() as standin:
        settings.EMBED_ORIGIN = standin.origin
        yield standin


def published(editor, body: str, headline: str = "Lantern lifted onto the lighthouse") -> Story:
    story = actions.do_create_story(editor, {"headline": headline, "body": body})
    return actions.do_publish_story(editor, story.pk, expected_version=story.version)


def reader_page(story) -> str:
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_video_link_alone_on_a_line_becomes_a_card_that_loads_nothing(editor, platforms):
    """The card shows the video's title, channel and a link; the page holds no frame, no
    platform script or image, and reading it asks the platform nothing."""
    story = published(editor, f"The crane worked at dawn.\n\n{VIDEO}\n\nMore to follow.")
    assert platforms.asked("/www.youtube.com/oembed")  # asked once, at save time
    before = len(platforms.requests)
    page = reader_page(story)
    assert len(platforms.requests) == before
    card = re.search(r'<figure class="embed embed--video".*?</figure>', page, re.S).group(0)
    assert "Harbour crane lifts the new lighthouse lantern" in card
    assert "Lindenhav Port Authority" in card
    assert f'href="{VIDEO}"' in card
    assert "Play the video from YouTube" in card
    assert f"{platforms.origin}/www.youtube-nocookie.com/embed/abcDEF12345" in card
    assert "<iframe" not in page and "ytimg" not in page
    assert 'src="https://' not in page and f'src="{platforms.origin}' not in page


def test_feeds_and_search_get_the_quote_and_the_link(editor, platforms):
    """RSS, JSON Feed, ninjs and search carry the post's words and its address, never the
    player."""
    story = published(editor, f"The coastguard posted at six.\n\n{POST}\n", "Ferries to resume")
    rss = Client().get("/feed/rss.xml").content.decode()
    assert "Ferries resume at 06:00; keep clear of the north mole." in rss
    assert POST in rss and "embed__load" not in rss and "youtube-nocookie" not in rss
    json_feed = json.loads(Client().get("/feed/feed.json").content)
    item = json_feed["items"][0]
    assert "keep clear of the north mole" in item["content_html"]
    assert "Lindenhav Coastguard on X, 3 March 2026" in item["content_html"]
    results = Client().get("/search", {"q": "north mole"}).content.decode()
    assert "Ferries to resume" in results
    ninjs = Client().get(f"/api/v1/stories/{story.pk}", {"format": "ninjs"}).json()
    body = ninjs["bodies"][0]["value"]
    assert "keep clear of the north mole" in body and "<!--embed" not in body


def test_reader_without_javascript_gets_the_words_and_the_link(editor, platforms):
    """The load button is hidden until the script shows it; the words and link are there."""
    story = published(editor, f"{TELEGRAM}\n")
    page = reader_page(story)
    assert "Gusts of 90 km/h expected on the coast road tonight." in page
    assert "Lindenhav Weather Watch" in page
    assert re.search(r"<div class=\"embed__player\"[^>]*hidden>", page)
    assert f'href="{TELEGRAM}"' in page


def test_platform_silent_the_editor_types_the_words_in_the_desk(editor_client, platforms):
    """When the platform answers nothing, the save still succeeds; the desk form says so and
    takes the words and author, which readers then see."""
    link = "https://vimeo.com/76543210"
    response = editor_client.post("/desk/stories/new/", story_form(body=f"Watch:\n\n{link}\n"))
    story = Story.objects.get()
    assert response.status_code == 302
    assert platforms.asked("/vimeo.com/api/oembed.json")
    form = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "Vimeo told us nothing about this link" in form
    assert 'name="embed_0_text"' in form and 'name="embed_0_author"' in form
    editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(
            story,
            action="publish",
            embed_0_url=link,
            embed_0_text="Drone footage of the storm surge over the breakwater",
            embed_0_author="Lindenhav Film Club",
        ),
    )
    story.refresh_from_db()
    assert story.status == "published"
    assert story.embeds[0]["source"] == "editor"
    page = reader_page(story)
    assert "Drone footage of the storm surge over the breakwater" in page
    assert "Lindenhav Film Club" in page
    assert (
        "Vimeo told us nothing"
        not in editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    )


def test_a_later_save_reuses_what_the_platform_said(editor, platforms):
    """Editing the words around an embed does not ask the platform again."""
    story = actions.do_create_story(editor, {"headline": "Lantern", "body": f"{VIDEO}\n"})
    asked = len(platforms.asked("/www.youtube.com/oembed"))
    from newsdesk.core import memory

    memory.clear()  # not the minute-long memo: the story's own data
    actions.do_update_story(
        editor, story.pk, {"body": f"New first line.\n\n{VIDEO}\n"}, expected_version=story.version
    )
    assert len(platforms.asked("/www.youtube.com/oembed")) == asked
    assert Story.objects.get(pk=story.pk).embeds[0]["text"].startswith("Harbour crane")


def test_only_platform_links_alone_on_a_line_are_embeds(editor, platforms):
    """A platform link inside a sentence stays a link; a Mastodon-looking link on a server not
    in the list stays a link and is never fetched (the server only asks the platforms)."""
    body = (
        f"See [the video]({VIDEO}) from the port.\n\n"
        "https://evil.example/@someone/123456\n\n"
        "http://127.0.0.1:8000/@admin/1234\n"
    )
    story = published(editor, body)
    assert platforms.requests == []
    assert story.embeds == []
    assert "embed--" not in reader_page(story)


def test_a_slow_platform_does_not_hold_the_save_for_long(editor, platforms, settings):
    """A platform that never answers costs the save the timeout, then the card is the link."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    release = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def do_GET(self):
            release.wait(10)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMBED_ORIGIN = f"http://127.0.0.1:{server.server_address[1]}"
    settings.EMBED_TIMEOUT = 1
    try:
        started = time.monotonic()
        story = published(editor, f"{VIDEO}\n")
        assert time.monotonic() - started < 3  # one timeout for oEmbed and page together
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    assert story.embeds[0]["source"] == "none"
    assert f'href="{VIDEO}"' in reader_page(story)


def test_the_embed_words_are_limited_with_a_clear_message(editor):
    """Words typed for an embed past the limit are refused with a message naming the limit."""
    from newsdesk.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="at most 1000 characters"):
        actions.do_create_story(
            editor,
            {
                "headline": "Long",
                "body": f"{VIDEO}\n",
                "embeds": [{"url": VIDEO, "text": "x" * 1001}],
            },
        )


def test_the_page_allows_only_the_platform_frames(editor, platforms):
    """The Content-Security-Policy lets frames come from the platforms' players and nothing
    else: no script source beyond our own."""
    story = published(editor, "No embed here.")
    header = Client().get(story.get_absolute_url())["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]*)", header).group(1)
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://player.vimeo.com" in frame_src
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?(;|$)", header)


def test_a_writer_cannot_forge_an_embed_in_the_body(editor, platforms):
    """An embed marker typed into the body (to make the page frame an address of the writer's
    choosing) is dropped with the rest of the raw HTML comments; the page frames nothing."""
    import base64

    forged = base64.b64encode(
        json.dumps(
            {"url": VIDEO, "platform": "youtube", "kind": "video", "player": "javascript:alert(1)"}
        ).encode()
    ).decode()
    story = published(editor, f"Before.\n\n<!--embed:{forged}--><p>x</p><!--/embed-->\n\nAfter.")
    page = reader_page(story)
    assert "data-embed-player" not in page and "javascript:" not in page
    assert story.embeds == []


def test_the_preview_draws_the_card_without_asking_the_platform(editor_client, editor, platforms):
    """While typing, the preview shows an embed as readers will see it, from what the story
    already knows; a new link is a card without words, and no platform is asked."""
    story = actions.do_create_story(editor, {"headline": "Lantern", "body": f"{VIDEO}\n"})
    asked = len(platforms.requests)
    body = f"{VIDEO}\n\n{POST}\n"
    preview = editor_client.post("/desk/preview/", {"story": story.pk, "body": body})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Harbour crane lifts the new lighthouse lantern" in html
    assert "Show the post from X" in html and f'href="{POST}"' in html
    assert len(platforms.requests) == asked
