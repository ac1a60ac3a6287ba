"""Our published stories as IPTC ninjs 2.2, validated against the IPTC's own schema: one story
(`?format=ninjs` or `Accept: application/ninjs+json`) and the partners' feed."""

from __future__ import annotations

import json

import jsonschema
import pytest

from newsdesk.stories import actions

from .conftest import IPTC

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((IPTC / "ninjs" / "ninjs-schema_2.2.json").read_text())


def valid(item: dict) -> dict:
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(item)
    return item


def test_a_story_answers_as_valid_ninjs(client, publish, author, topic):
    story = publish(
        "Tide gauge repaired",
        summary="The gauge reads again.",
        body="It was *fixed* at dawn.",
        author_ids=[author.pk],
        topic_ids=[topic.pk],
    )
    by_query = client.get(f"/api/v1/stories/{story.pk}?format=ninjs")
    assert by_query["Content-Type"] == "application/ninjs+json"
    item = valid(by_query.json())
    assert item["headlines"][0]["value"] == "Tide gauge repaired"
    assert "<em>fixed</em>" in item["bodies"][0]["value"]
    assert item["by"] == "Mira Osei" and item["subjects"][0]["name"] == "Energy"
    assert item["descriptions"][0]["value"] == "The gauge reads again."
    by_accept = client.get(
        f"/api/v1/stories/{story.pk}", headers={"Accept": "application/ninjs+json"}
    )
    assert by_accept.json() == item
    assert "headline" in client.get(f"/api/v1/stories/{story.pk}").json()  # plain JSON stays


def test_the_partner_feed_is_valid_ninjs_of_published_stories_only(client, publish, editor):
    publish("First out")
    publish("Second out")
    actions.do_create_story(editor, {"headline": "Secret draft", "body": "Hidden."})
    response = client.get("/api/v1/ninjs/stories")
    assert response.status_code == 200
    items = [valid(item) for item in response.json()]
    assert [i["headlines"][0]["value"] for i in items] == ["Second out", "First out"]
    assert b"Secret draft" not in response.content


def test_a_draft_is_not_given_as_ninjs(client, editor):
    draft = actions.do_create_story(editor, {"headline": "Secret draft", "body": "Hidden."})
    assert client.get(f"/api/v1/stories/{draft.pk}?format=ninjs").status_code == 404
