"""Live coverage through the JSON API: read coverage, entries and key events; write with a token."""

from __future__ import annotations

import json

import pytest

from newsdesk.api.actions import do_create_token
from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(user, 'test')[1]}"}


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_reading_coverage_entries_and_key_events(client, coverage, post, editor):
    entry = post("Sea wall breached.", headline="Sea wall breached")
    post("Later entry.")
    actions.do_set_key_event(editor, entry.pk, True)
    actions.do_set_pinned_entry(editor, entry.pk, True)
    data = client.get(f"/api/v1/live/{coverage.pk}").json()
    assert data["kind"] == "live" and data["pinned_entry_id"] == entry.pk
    assert [k["id"] for k in data["key_events"]] == [entry.pk]
    assert data["url"].endswith(f"/live/{coverage.slug}/")
    listed = client.get(f"/api/v1/live/{coverage.pk}/entries").json()
    assert len(listed["items"]) == 2 and listed["items"][1]["id"] == entry.pk
    assert listed["items"][1]["url"].endswith(entry.get_absolute_url())
    assert listed["items"][1]["coverage_id"] == coverage.pk and listed["items"][1]["key_event"]
    oldest = client.get(f"/api/v1/live/{coverage.pk}/entries?order=oldest").json()
    assert oldest["items"][0]["id"] == entry.pk
    keys = client.get(f"/api/v1/live/{coverage.pk}/key-events").json()
    assert [k["id"] for k in keys] == [entry.pk]
    assert [c["id"] for c in client.get("/api/v1/live").json()] == [coverage.pk]
    assert client.get("/api/v1/feed").status_code == 200  # entries in the feed fit its schema


def test_writing_entries_key_events_pins_and_ending(client, coverage, editor, author):
    auth = bearer(editor)
    made = post_json(
        client,
        f"/api/v1/live/{coverage.pk}/entries",
        {"headline": "Roads shut", "body": "The A3 is shut.", "authors": [author.slug]},
        **auth,
    )
    assert made.status_code == 201, made.content
    entry_id = made.json()["id"]
    assert made.json()["status"] == "published" and made.json()["authors"][0]["slug"] == author.slug
    marked = post_json(
        client, f"/api/v1/live/entries/{entry_id}/key-event", {"key_event": True}, **auth
    )
    assert marked.status_code == 200 and marked.json()["key_event"] is True
    pinned = post_json(client, f"/api/v1/live/entries/{entry_id}/pin", {"pinned": True}, **auth)
    assert pinned.status_code == 200
    ended = client.post(f"/api/v1/live/{coverage.pk}/end", **auth)
    assert ended.status_code == 200 and ended.json()["ended_at"]
    late = post_json(client, f"/api/v1/live/{coverage.pk}/entries", {"body": "Late."}, **auth)
    assert late.status_code == 422 and "ended" in late.json()["error"]["message"]


def test_bad_requests_are_clear_4xx(client, coverage, post, editor, contributor):
    auth = bearer(editor)
    assert (
        post_json(client, "/api/v1/live/999999/entries", {"body": "x"}, **auth).status_code == 404
    )
    assert client.get("/api/v1/live/999999").status_code == 404
    assert (
        post_json(client, f"/api/v1/live/{coverage.pk}/entries", {"body": "x"}).status_code == 401
    )
    entry = post("Gone soon.")
    actions.do_unpublish_story(editor, entry.pk)
    refused = post_json(client, f"/api/v1/live/entries/{entry.pk}/key-event", {}, **auth)
    assert refused.status_code == 422
    mine = bearer(contributor)
    posted = post_json(
        client, f"/api/v1/live/{coverage.pk}/entries", {"body": "Field note."}, **mine
    )
    assert posted.status_code == 403
    draft = post_json(
        client,
        f"/api/v1/live/{coverage.pk}/entries",
        {"body": "Field note.", "draft": True},
        **mine,
    )
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    # The draft is not readable anonymously
    assert client.get(f"/api/v1/stories/{draft.json()['id']}").status_code == 404
    assert all(
        i["id"] != draft.json()["id"]
        for i in client.get(f"/api/v1/live/{coverage.pk}/entries").json()["items"]
    )
