"""A real export of Ghost 6.65 (made by bench/peers/ghost/make_export_fixture.py from the Ghost
that bench/peers installs: set up, posts, tags and an image through its admin API, then its
own export), imported and compared with the file item by item. The file is read here with
`json` on its own, not with the importer's reader."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from newsdesk.imports.models import SourceItem
from newsdesk.stories.models import Author, Story, Topic

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "ghost-6-export.json"
IMAGES = FIXTURES / "ghost-6-images"
STATUS = {"published": "published", "draft": "draft", "scheduled": "scheduled"}

pytestmark = pytest.mark.django_db


def _data() -> dict:
    return json.loads(EXPORT.read_text())["db"][0]["data"]


def _words(html: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html).lower())


def test_a_real_ghost_6_export_comes_in_item_by_item(editor, client):
    out = StringIO()
    call_command(
        "import", "ghost", str(EXPORT), "--as", editor.username, "--media", str(IMAGES), stdout=out
    )
    data = _data()
    assert json.loads(EXPORT.read_text())["db"][0]["meta"]["version"].startswith("6.")
    posts = [p for p in data["posts"] if p["type"] == "post"]
    pages = [p for p in data["posts"] if p["type"] == "page"]
    assert f"{len(posts)} created, 0 updated" in out.getvalue()
    assert f"{len(pages)} pages" in out.getvalue()
    assert Story.objects.count() == len(posts)
    internal = {t["id"] for t in data["tags"] if t["visibility"] == "internal"}
    assert Topic.objects.count() == len(data["tags"]) - len(internal)
    users = {u["id"]: u for u in data["users"]}
    assert {a.name: a.bio for a in Author.objects.all()} == {
        u["name"]: u["bio"] or "" for u in users.values()
    }
    tag_names = {t["id"]: t["name"] for t in data["tags"]}
    for post in posts:
        story = Story.objects.get(
            pk=SourceItem.objects.get(kind="post", source_id=post["id"]).object_id
        )
        assert story.headline == post["title"]
        assert story.slug == post["slug"]
        expected = STATUS[post["status"]]
        if expected == "published" and post["visibility"] != "public":
            expected = "unpublished"  # members only on Ghost
        assert story.status == expected
        if post["published_at"] and expected != "draft":
            when = dt.datetime.fromisoformat(post["published_at"].replace("Z", "+00:00"))
            assert story.published_at == when.replace(tzinfo=when.tzinfo or dt.UTC)  # UTC
        assert story.summary == (post["custom_excerpt"] or "")
        tags = [
            tag_names[link["tag_id"]]
            for link in sorted(data["posts_tags"], key=lambda link: link["sort_order"])
            if link["post_id"] == post["id"] and link["tag_id"] not in internal
        ]
        assert sorted(t.name for t in story.topics.all()) == sorted(tags)
        authors = [
            users[link["author_id"]]["name"]
            for link in sorted(data["posts_authors"], key=lambda link: link["sort_order"])
            if link["post_id"] == post["id"]
        ]
        assert [a.name for a in story.ordered_authors()] == authors
        assert _words(story.body_html) == _words(post["html"]), post["slug"]
    ferry = Story.objects.get(slug="harbour-ferry-returns")
    meta = next(m for m in data["posts_meta"] if m["post_id"] == ferry_id(data))
    assert ferry.lead_image.alt_text == meta["feature_image_alt"]
    assert ferry.lead_image.caption == meta["feature_image_caption"]
    assert f'<img src="{ferry.lead_image.url}"' in ferry.body_html  # the same file, stored once
    response = client.get("/harbour-ferry-returns/")
    assert response.status_code == 301 and response["Location"] == "/stories/harbour-ferry-returns/"


def ferry_id(data: dict) -> str:
    return next(p["id"] for p in data["posts"] if p["slug"] == "harbour-ferry-returns")
