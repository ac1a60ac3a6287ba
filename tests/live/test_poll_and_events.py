"""The polling fallback, and every action's events checked against the schema and the page.

As in Zulip's `verify_action`: a reader who stays connected and applies the events must end up
with what a reader who reloads sees.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from newsdesk.live.events import check_payload, encode
from newsdesk.stories import actions
from newsdesk.stories.models import FeedEvent

pytestmark = pytest.mark.django_db


def test_poll_returns_missed_events_and_304_while_nothing_changes(client, editor, publish):
    """`/live/poll?after=` lists events after the id as JSON; repeating it with the ETag gives
    304 until something new is published."""
    publish("Before")
    start = FeedEvent.objects.latest("pk").pk
    story = publish("Ferries cancelled for the night")

    response = client.get(f"/live/poll?after={start}")
    assert response.status_code == 200
    body = response.json()
    assert [e["story"]["id"] for e in body["events"]] == [story.pk]
    assert "Ferries cancelled" in body["events"][0]["html"]
    assert body["last_id"] == FeedEvent.objects.latest("pk").pk

    again = client.get(f"/live/poll?after={start}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    publish("Something new")
    changed = client.get(f"/live/poll?after={start}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert len(changed.json()["events"]) == 2


@pytest.mark.parametrize("query", ["after=abc", "after=-4", "after=99999999999999999999"])
def test_poll_refuses_bad_ids_with_a_message(client, query):
    response = client.get(f"/live/poll?{query}")
    assert response.status_code == 400
    assert "event id" in response.json()["error"]["message"]


def test_poll_resets_a_reader_too_far_behind(client, editor, publish, settings):
    settings.LIVE_REPLAY_LIMIT = 2
    for n in range(4):
        publish(f"Item {n}")
    assert client.get("/live/poll?after=0").json()["reset"] is True


def apply(page: dict[int, str], payload: dict) -> None:
    """What live.js does with an event, on a dict of story id → item HTML."""
    story_id = payload["story"]["id"]
    if payload["event"] == "unpublished" or not payload["story"]["visible"]:
        page.pop(story_id, None)
    else:
        page[story_id] = payload["html"]


def first_page(client) -> dict[int, str]:
    """The feed as a reader who reloads sees it: story id → its article HTML."""
    html = client.get("/").content.decode()
    items = re.findall(
        r'(<article class="feed-item[^"]*" id="story-(\d+)".*?</article>)', html, re.S
    )
    return {int(story_id): " ".join(article.split()) for article, story_id in items}


def test_every_action_emits_events_that_bring_a_connected_reader_to_the_fresh_page(
    client, editor, topic
):
    """Old page + the events each action emitted = a fresh read of the page."""
    story = actions.do_quick_post(editor, "Water main bursts on Quay Street", "Crews on site.")
    other = actions.do_quick_post(editor, "Council meets at noon", "Agenda published.")
    draft = actions.do_create_story(editor, {"headline": "Draft about the budget"})
    steps = [
        lambda: actions.do_update_story(
            editor,
            story.pk,
            {"body": "Crews on site; road closed."},
            expected_version=None,
            mark_as_update=True,
        ),
        lambda: actions.do_update_story(
            editor, story.pk, {"headline": "Water main burst on Quay Street"}, expected_version=None
        ),
        lambda: actions.do_add_correction(editor, story.pk, "An earlier version said Quay Road."),
        lambda: actions.do_set_pinned(editor, story.pk, True),
        lambda: actions.do_set_pinned(editor, story.pk, False),
        lambda: actions.do_set_breaking(editor, other.pk, True),
        lambda: actions.do_publish_story(editor, draft.pk),
        lambda: actions.do_unpublish_story(editor, other.pk),
        lambda: actions.do_update_story(
            editor, story.pk, {"topic_ids": [topic.pk]}, expected_version=None
        ),
    ]
    page = first_page(client)
    for step in steps:
        last = FeedEvent.objects.latest("pk").pk
        step()
        emitted = list(FeedEvent.objects.filter(pk__gt=last).order_by("pk"))
        assert emitted, "every action that readers must see records a feed event"
        for encoded in encode(emitted):
            check_payload(encoded.payload)
            apply(page, encoded.payload)
        fresh = first_page(client)
        assert {k: " ".join(v.split()) for k, v in page.items()} == fresh


def test_scheduled_publishing_emits_a_published_event(editor):
    story = actions.do_create_story(editor, {"headline": "Embargoed until nine"})
    actions.do_schedule_story(editor, story.pk, timezone.now() + timezone.timedelta(hours=1))
    assert not FeedEvent.objects.filter(story=story).exists()
    actions.do_publish_due_stories(now=timezone.now() + timezone.timedelta(hours=2))
    assert list(FeedEvent.objects.filter(story=story).values_list("kind", flat=True)) == [
        "published"
    ]
