"""Hostile input through every road: XSS vectors posted by the desk and the API and read back
from the story page, the News Feed, the feeds and the API; naughty strings through every action
(hypothesis); a fuzz of the Markdown renderer; polyglot uploads."""

from __future__ import annotations

import io
import json
import re

import feedparser
import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from newsdesk.api.actions import do_create_token
from newsdesk.core.errors import InvalidInput
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.markdown import render_markdown
from newsdesk.stories.models import Story
from tests.conftest import make_user
from tests.desk.conftest import story_form
from tests.media.imagefiles import image_bytes
from tests.trust.hostile import assert_safe_html, shared_file, xss_vectors

pytestmark = pytest.mark.django_db


def _publish_through_api(client: Client, index: int, vector: str) -> dict:
    created = client.post(
        "/api/v1/stories",
        {
            "headline": f"Vector {index} {vector}"[:300],
            "summary": f"Summary {index} {vector}",
            "body": f"Harmless lead {index}.\n\n{vector}\n\nHarmless tail {index}.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content[:300]
    published = client.post(f"/api/v1/stories/{created.json()['id']}/publish")
    assert published.status_code == 200
    return published.json()


@pytest.mark.timeout(600)
def test_xss_vectors_posted_by_api_and_desk_never_render_as_code_anywhere(editor, client):
    """Over 100 vectors of every kind as headline, summary and body, through the API and the
    desk's story form: the story pages, the News Feed, RSS, Atom, JSON Feed and the API carry no
    script, handler or javascript: URL — and the harmless text around each vector survives."""
    vectors = xss_vectors()
    _token, secret = do_create_token(editor, "xss")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    stories = [_publish_through_api(api, i, v) for i, v in enumerate(vectors)]
    desk = Client()
    desk.force_login(editor)
    for i, vector in enumerate(vectors[:60], start=len(vectors)):
        form = story_form(
            headline=f"Desk vector {i} {vector}"[:300],
            summary=f"Summary {i} {vector}",
            body=f"Harmless lead {i}.\n\n{vector}\n\nHarmless tail {i}.",
            action="publish",
        )
        response = desk.post("/desk/stories/new/", form)
        assert response.status_code == 302, response.content[:500]
    stored = list(Story.objects.filter(status="published").order_by("pk"))
    assert len(stored) == len(vectors) + 60
    reader = Client()
    for story in stored:
        index = re.match(r"(?:Desk )?[Vv]ector (\d+)", story.headline)[1]
        page = reader.get(f"/stories/{story.slug}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert_safe_html(text, f"story page {story.slug}")
        assert f"Harmless lead {index}." in text and f"Harmless tail {index}." in text
        api_story = reader.get(f"/api/v1/stories/{story.pk}").json()
        assert_safe_html(api_story["body_html"], f"api {story.pk}")
        # Text fields come back exactly as typed (escaping is the page's job, not the store's).
        assert api_story["headline"] == story.headline
    assert len(stories) >= 100
    before = None
    for _ in range(20):
        page = reader.get("/" + (f"?before={before}" if before else ""))
        assert_safe_html(page.content.decode(), "feed page")
        found = re.search(r'href="/\?before=([^"&]+)"', page.content.decode())
        if not found:
            break
        before = found[1]
    for path in ("/feed/rss.xml", "/feed/atom.xml"):
        parsed = feedparser.parse(reader.get(path).content)
        assert parsed.entries, path
        for entry in parsed.entries:
            for content in [*(c.value for c in entry.get("content", [])), entry.get("summary", "")]:
                assert_safe_html(content, f"{path} {entry.get('link')}")
    feed = json.loads(reader.get("/feed/feed.json").content)
    for item in feed["items"]:
        assert_safe_html(item.get("content_html", ""), "feed.json")


# ── naughty strings through the actions layer (hypothesis) ──────────────────────────────────


def _blns() -> list[str]:
    path = shared_file("blns.json")
    return [s for s in json.loads(path.read_text(encoding="utf-8")) if isinstance(s, str)]


NAUGHTY_EXTRA = [
    "\u202ereversed\u202c text",
    "zero\u200bwidth\u200djoin\ufeff",
    "emoji 👩🏽‍🚒🏳️‍🌈🇺🇦",
    "nul \x00 inside",
    "lone surrogate \ud800 here",
    "'; DROP TABLE stories_story; --",
    "{{ settings.SECRET_KEY }} {% debug %}",
    "x" * 400,
    "\r\n\r\n",
    "   ",
]


@pytest.fixture(scope="module")
def naughty() -> list[str]:
    return _blns() + NAUGHTY_EXTRA


def _text(naughty_list):
    return st.one_of(st.sampled_from(naughty_list), st.text(max_size=300))


FIELD_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_any_text_in_any_story_field_is_saved_unchanged_or_refused_clearly(editor, naughty):
    """Headline, summary, body, slug and language take any string: valid ones are stored and
    served back by the API as typed (headline stripped), invalid ones raise InvalidInput with a
    message for the field — never another exception, never a 500 at the reader."""
    reader = Client()

    @FIELD_SETTINGS
    @given(
        headline=_text(naughty),
        summary=_text(naughty),
        body=_text(naughty),
        slug=_text(naughty),
        language=_text(naughty),
    )
    def check(headline, summary, body, slug, language):
        data = {"headline": headline, "summary": summary, "body": body, "slug": slug}
        data["language"] = language
        try:
            story = actions.do_create_story(editor, data)
        except InvalidInput as error:
            assert error.message and error.fields
            return
        story.refresh_from_db()
        assert story.headline == headline.strip()
        assert story.summary == summary.strip()
        assert story.body == body
        actions.do_publish_story(editor, story.pk)
        response = reader.get(f"/api/v1/stories/{story.pk}")
        assert response.status_code == 200
        assert response.json()["headline"] == headline.strip()
        assert response.json()["body"] == body
        page = reader.get(story.get_absolute_url())
        assert page.status_code == 200
        assert "SECRET_KEY" not in page.content.decode() or "{{" in headline + summary + body

    check()


def test_any_text_in_topics_authors_corrections_and_quick_posts_is_saved_or_refused(
    editor, naughty
):
    """The other writes take the same abuse: saved as typed (stripped) or InvalidInput."""
    story = actions.do_quick_post(editor, "Host", "For corrections.")

    @FIELD_SETTINGS
    @given(name=_text(naughty), text=_text(naughty))
    def check(name, text):
        for call, expect in (
            (
                lambda: actions.do_save_topic(editor, None, {"name": name, "description": text}),
                "name",
            ),
            (lambda: actions.do_save_author(editor, None, {"name": name, "bio": text}), "name"),
            (lambda: actions.do_add_correction(editor, story.pk, text), "text"),
            (lambda: actions.do_quick_post(editor, name, text), "headline"),
        ):
            try:
                saved = call()
            except InvalidInput as error:
                assert error.message
                continue
            value = getattr(saved, expect)
            assert value == (name if expect in {"name", "headline"} else text).strip()

    check()


# ── the Markdown renderer ────────────────────────────────────────────────────────────────────

MARKUP_BITS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
    "<a href='java\nscript:x'>", "![i](javascript:x)", "<svg/onload=x>", "```", "`", "*", "_",
    "<", ">", "&#106;avascript:", "&lt;script&gt;", "<!--", "-->", "\n", "\n\n", "    ",
    "[x]: javascript:y\n[z][x]", "<a href=\"data:text/html,<script>\">", "<iframe src=x>",
    "<style>x{}</style>", "onclick=", "\"", "'", "/stories/x/", "https://example.org/",
    "<details open ontoggle=x>", "<math><mi xlink:href=javascript:x>", "\x00", "\u202e",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MARKUP_BITS), st.text(max_size=20)), max_size=30))
def test_render_markdown_never_raises_and_never_emits_code(parts):
    """Any mix of Markdown, HTML and junk renders without an exception to HTML with no script
    element, no on* attribute and no javascript: URL."""
    html = render_markdown("".join(parts), site_url="https://news.example.org")
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I)
    assert not re.search(r"<[^>]*\b(href|src)\s*=\s*[\"']?\s*javascript:", html, re.I)
    assert_safe_html(html.replace("<!--card:", "<!-- ").replace("<!--/card-->", ""))


# ── uploads that are two things at once ──────────────────────────────────────────────────────


def _polyglots() -> dict[str, bytes]:
    script = b"<html><script>window.__xss=1</script></html>"
    jpeg = image_bytes("JPEG", (640, 480))
    png = image_bytes("PNG", (640, 480))
    gif_js = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;window.__xss=1;//" + b"\x00" * 40
    comment = io.BytesIO()
    PILImage.new("RGB", (640, 480), "blue").save(comment, "JPEG", comment=script)
    return {
        "jpeg+html": jpeg + script,
        "png+html": png + script,
        "jpeg-comment-html": comment.getvalue(),
        "gif/js": gif_js,
        "html-named-jpg": script,
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"/>',
    }


@pytest.mark.parametrize("name", sorted(_polyglots()))
def test_polyglot_uploads_are_refused_or_stored_as_clean_pictures(editor, client, name):
    """A picture with HTML or script appended or in its comment is re-encoded, so no stored
    file carries the script and each is served as an image with nosniff; files that are not
    pictures at all are refused with a message."""
    data = _polyglots()[name]
    try:
        image = do_upload_image(editor, data, alt_text="Polyglot")
    except InvalidInput as error:
        assert error.message
        assert name in {"gif/js", "html-named-jpg", "svg"}
        return
    assert name not in {"gif/js", "html-named-jpg", "svg"}
    story = actions.do_quick_post(editor, "With picture", "Words.")
    actions.do_update_story(editor, story.pk, {"lead_image_id": image.pk}, expected_version=None)
    for stored in [image.file.name, *(r["name"] for r in image.renditions)]:
        response = client.get(f"/media/{stored}")
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert b"<script" not in content and b"__xss" not in content
        assert response["Content-Type"].startswith("image/")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_an_anonymous_reader_never_triggers_a_500_with_hostile_addresses(naughty):
    """Naughty strings as slugs, cursors, search words and topic filters: 4xx or 200, not 500."""
    make_user("editor", "addr-editor")
    client = Client(raise_request_exception=False)
    from urllib.parse import quote

    for text in naughty[:300]:
        quoted = quote(text, safe="")
        for path in (
            f"/stories/{quoted}/",
            f"/topics/{quoted}/",
            f"/?before={quoted}",
            f"/more/?topic={quoted}",
            f"/search?q={quoted}",
            f"/api/v1/search?q={quoted}",
            f"/api/v1/feed?before={quoted}",
            f"/live/poll?after={quoted}",
        ):
            assert client.get(path).status_code < 500, path


def test_a_nul_in_any_slug_or_filter_finds_nothing_instead_of_failing(editor):
    """No slug holds a NUL, and PostgreSQL refuses one as a query parameter: every address that
    looks a slug up answers 'not found' (4xx), on both databases. Found by the API's schema fuzz
    on PostgreSQL (`/api/v1/search?author=%00`)."""
    client = Client(raise_request_exception=False)
    for path in (
        "/stories/a%00b/",
        "/topics/%00/",
        "/authors/%00/",
        "/more/?topic=%00",
        "/more/?author=%00",
        "/search?q=harbour&topic=%00",
        "/api/v1/search?q=harbour&author=%00",
        "/api/v1/search?q=harbour&topic=%00",
        "/api/v1/stories/by-slug/%00",
        "/live/poll?topic=%00",
        "/live/poll?coverage=%00",
        "/live/%00/",
        "/live/%00/entries/1/",
        "/2019/05/%00/",  # an old address of an imported archive (redirects)
    ):
        status = client.get(path).status_code
        assert 400 <= status < 500, (path, status)
    push = client.post(
        "/api/v1/wires/%00/items", "{}", content_type="application/json",
        HTTP_AUTHORIZATION="Bearer x",
    )  # fmt: skip
    assert 400 <= push.status_code < 500, push.status_code
    client.force_login(editor)
    for path in ("/desk/wires/?source=%00&q=%00", "/desk/redirects/?q=%00"):
        status = client.get(path).status_code
        assert status < 500, (path, status)


@pytest.mark.django_db(transaction=True)
def test_the_live_stream_refuses_unicode_digits_as_an_event_id():
    """'⁴²' passes str.isdigit() but is no number: the stream answers 400, not a crash."""
    import asyncio

    from newsdesk.config.asgi import application
    from tests.live.sse import StreamClient

    async def connect() -> int | None:
        async with StreamClient(application, query="after=%E2%81%B4%E2%81%B2") as reader:
            await reader.read_until(lambda m: reader.finished or bool(m), timeout=10)
            return reader.status

    assert asyncio.run(connect()) == 400
