"""The reader fast path (`public.fast`): anonymous feed and story pages answered without Django's
request cycle. Readers must never tell: the page is byte for byte what Django draws, with the
same headers, and a publish, an edit, a pin, an unpublish or a rename shows on the very next
request. Requests go through the ASGI application `newsdesk serve` runs, with the page cache off
so that nothing else stands between the reader and the page."""

from __future__ import annotations

import asyncio

import httpx
import lxml.html
import pytest
from django.test import Client

from newsdesk.config.asgi import application
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from tests.conftest import PASSWORD
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PATH_HEADER = "x-newsdesk-path"
PER_RESPONSE = {"content-length", PATH_HEADER}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def asgi_get(path: str, headers: dict | None = None, method: str = "GET") -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, headers=headers)

    return asyncio.run(go())


def fast_get(path: str) -> httpx.Response:
    """The page as the fast path answers it (Django answers a page's first request)."""
    asgi_get(path)
    response = asgi_get(path)
    assert response.status_code == 200
    assert response.headers.get(PATH_HEADER) == "fast", path
    return response


def words(html: bytes | str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in lxml.html.fromstring(html).xpath(xpath)]


@pytest.fixture
def newsroom(editor, publish, topic, author):
    """A feed with every kind of item: pinned, breaking, updated, an article with a lead photo
    and an author, and an update whose body links another story as a card."""
    for n in range(25):  # older than the rest; enough for Show More on the feed and in the sidebar
        publish(f"Older note {n}")
    photo = do_upload_image(
        editor, image_bytes(size=(1200, 800)), alt_text="Cranes", caption="Cranes at dawn."
    )
    linked = publish("Harbour reopens", summary="Ships are back.")
    article = publish(
        "Port strike ends", kind="article", summary="Dockers vote to return.",
        lead_image_id=photo.pk, author_ids=[author.pk], topic_ids=[topic.pk],
    )  # fmt: skip
    carded = publish("What we know", body=f"Latest:\n\n/stories/{linked.slug}/\n\nMore soon.")
    breaking = publish("Bridge closed", breaking=True)
    pinned = publish("Live: the storm")
    actions.do_set_pinned(editor, pinned.pk, True)
    updated = publish("Ferry times")
    actions.do_update_story(
        editor, updated.pk, {"body": "New times."}, expected_version=None, mark_as_update=True
    )
    return {"article": article, "carded": carded, "breaking": breaking, "pinned": pinned}


def test_fast_pages_are_byte_for_byte_what_django_draws(newsroom):
    paths = ["/"] + [story.get_absolute_url() for story in newsroom.values()]
    for path in paths:
        fast = fast_get(path)
        django = Client().get(path)
        assert fast.content == django.content, path
        fast_headers = {k: v for k, v in fast.headers.items() if k not in PER_RESPONSE}
        django_headers = {k.lower(): v for k, v in django.headers.items()}
        django_headers.pop("content-length", None)
        assert fast_headers == django_headers, path
        assert int(fast.headers["content-length"]) == len(fast.content)
    feed = fast_get("/").content
    assert words(feed, "//section[@class='pinned']//h2[@class='feed-item__headline']") == [
        "Live: the storm"
    ]
    assert "Show More" in words(feed, "//p[@class='show-more']")[0]
    card = words(feed, "//aside[contains(@class, 'story-card')]")
    assert card and "Harbour reopens" in card[0]


def test_every_change_shows_on_the_next_fast_request(editor, publish, newsroom):
    fast_get("/")
    new = publish("Flood barrier raised")
    assert words(fast_get("/").content, "//h2[@class='feed-item__headline']")[1] == (
        "Flood barrier raised"  # under the pinned story
    )
    article = newsroom["article"]
    fast_get(article.get_absolute_url())
    actions.do_update_story(
        editor, article.pk, {"headline": "Port strike over"}, expected_version=None
    )
    assert words(fast_get(article.get_absolute_url()).content, "//h1") == ["Port strike over"]
    actions.do_set_pinned(editor, new.pk, True)
    pinned = words(fast_get("/").content, "//section[@class='pinned']//h2")
    assert "Flood barrier raised" in pinned
    fast_get(new.get_absolute_url())  # its page drawn and kept: unpublishing must still end it
    actions.do_unpublish_story(editor, new.pk)
    assert "Flood barrier raised" not in fast_get("/").text
    gone = asgi_get(new.get_absolute_url())
    assert gone.status_code == 404
    assert PATH_HEADER not in gone.headers


def test_a_renamed_topic_shows_on_the_next_fast_request(editor, topic, newsroom):
    article = newsroom["article"]
    assert "Energy" in words(fast_get("/").content, "//ul[@class='topic-list']")
    fast_get(article.get_absolute_url())
    actions.do_save_topic(editor, topic.pk, {"name": "Power", "description": ""})
    assert words(asgi_get("/").content, "//ul[@class='topic-list']") == ["Power"]
    assert "Power" in words(fast_get("/").content, "//ul[@class='topic-index']")[0]
    assert words(fast_get(article.get_absolute_url()).content, "//ul[@class='topic-list']") == [
        "Power"
    ]


def test_drafts_and_scheduled_stories_never_reach_the_fast_path(editor, publish, newsroom):
    draft = actions.do_create_story(editor, {"headline": "Quorvane draft", "body": "Secret."})
    fast_get("/")
    for path in (draft.get_absolute_url(), "/stories/no-such-story/"):
        response = asgi_get(path)
        assert response.status_code == 404
        assert PATH_HEADER not in response.headers
    assert "Quorvane" not in fast_get("/").text


def test_other_requests_go_to_django(editor, newsroom, settings):
    story = newsroom["article"].get_absolute_url()
    fast_get("/")
    fast_get(story)
    cursor_page = asgi_get("/?before=" + "x")
    assert cursor_page.status_code == 400 and PATH_HEADER not in cursor_page.headers
    head = asgi_get("/", method="HEAD")
    assert head.status_code == 200 and PATH_HEADER not in head.headers
    assert asgi_get(story.rstrip("/")).status_code == 301  # Django's APPEND_SLASH
    for path in ("/", story):  # served fast to testserver, still refused for a Host not allowed
        assert asgi_get(path, headers={"host": "evil.example"}).status_code == 400

    client = Client()
    assert client.login(username=editor.username, password=PASSWORD)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    mine = asgi_get("/", headers={"cookie": cookie})
    assert PATH_HEADER not in mine.headers
    assert "private" in mine.headers["cache-control"]
    assert "Desk" in words(mine.content, "//nav//a")

    settings.READER_FAST_PATH = False
    assert PATH_HEADER not in asgi_get("/").headers
    assert PATH_HEADER not in asgi_get(story).headers
