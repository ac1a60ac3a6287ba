"""A topic or a guest author whose only stories are drafts is named on no public surface: a list
of topics nobody has published in yet says what a newsroom is preparing. Once a story of theirs
is published, every list names them."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from newsdesk.api.actions import do_create_token
from newsdesk.stories import actions

pytestmark = pytest.mark.django_db

SURFACES = ["/", "/topics/", "/authors/", "/search?q=x", "/sitemap-topics.xml"]
SURFACES += ["/sitemap-authors.xml", "/api/v1/topics", "/api/v1/authors"]


def _surfaces_naming(client, word: str) -> list[str]:
    cache.clear()  # the page cache keeps pages until the next feed event; ask afresh
    return [path for path in SURFACES if word in client.get(path).content.decode().lower()]


def test_a_topic_and_guest_author_of_drafts_only_are_named_nowhere_until_published(
    client, editor, publish
):
    publish("Tides turn", body="The harbour is open.")  # something to list
    topic = actions.do_save_topic(editor, None, {"name": "Quarrymoor Inquiry"})
    guest = actions.do_save_author(editor, None, {"name": "Zelda Quarrymoor"})
    draft = actions.do_create_story(
        editor, {"headline": "Embargoed", "topic_ids": [topic.pk], "author_ids": [guest.pk]}
    )
    assert _surfaces_naming(client, "quarrymoor") == []
    token = do_create_token(editor, "desk script")[1]
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert "Quarrymoor Inquiry" in client.get("/api/v1/topics", **staff).content.decode()
    assert "Zelda Quarrymoor" in client.get("/api/v1/authors", **staff).content.decode()
    actions.do_publish_story(editor, draft.pk)
    assert _surfaces_naming(client, "quarrymoor") == SURFACES


def test_the_sitemaps_list_the_readers_ways_in(client):
    text = client.get("/sitemap-pages.xml").content.decode()
    for path in ["/", "/topics/", "/authors/"]:
        assert f"{path}</loc>" in text, path
    assert "sitemap-pages.xml" in client.get("/sitemap.xml").content.decode()
