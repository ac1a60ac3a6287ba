"""What the live stream answers to Pushpin (NEWSDESK_PUSH=pushpin): one response with the replay,
the channel to hold and the link to ask again — the real ASGI handler, the real database.
The same handler with a real Pushpin in front: tests/scale/test_pushpin.py."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.config.asgi import application
from newsdesk.stories import actions
from tests.live.sse import StreamClient, events, fresh_hubs, parse_sse  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(60),
    pytest.mark.usefixtures("fresh_hubs"),
]
THROUGH_PUSHPIN = {"Grip-Sig": "a-signed-token-from-pushpin"}


@pytest.fixture
def push_on(settings):
    settings.PUSH = "pushpin"


def answer(query: str = "", headers: dict | None = None) -> tuple[dict, str]:
    """(headers, whole body) of one stream request; it must end by itself."""

    async def scenario():
        client = StreamClient(application, query=query, headers=headers)
        async with client:
            await asyncio.wait_for(client.task, timeout=10)
            while not client.chunks.empty():
                client.buffer += (await client.chunks.get()).get("body", b"").decode()
        return client.headers, client.buffer

    return asyncio.run(scenario())


def post(editor, headline: str, **kw) -> int:
    story = actions.do_quick_post(editor, headline, "Details to follow.", **kw)
    return story.events.order_by("-pk").first().pk


def test_pushpin_is_told_to_hold_the_feed_after_the_replay(editor, push_on):
    """A reconnect through Pushpin gets what it missed in the body, then Pushpin holds it on
    `feed`, chained at the newest event, with a heartbeat and the link to ask again."""
    seen = post(editor, "Seen before the tunnel")
    missed = [post(editor, f"Missed {n}") for n in range(2)]
    headers, body = answer(headers={**THROUGH_PUSHPIN, "Last-Event-ID": str(seen)})
    assert headers[b"grip-hold"] == b"stream"
    assert headers[b"grip-channel"] == f"feed; prev-id={missed[-1]}".encode()
    assert headers[b"grip-link"] == b"</live/stream>; rel=next"
    assert headers[b"grip-keep-alive"].startswith(b": heartbeat\\n\\n; format=cstring")
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert body.startswith("retry: 3000\n: connected\n\n")
    assert [int(m.id) for m in events(parse_sse(body))] == missed


def test_a_topic_reader_is_held_on_its_topic_channel(editor, topic, push_on):
    on_topic = post(editor, "Turbines restart", topic_ids=[topic.pk])
    post(editor, "Elsewhere entirely")
    from_the_start = {**THROUGH_PUSHPIN, "Last-Event-ID": "0"}
    headers, body = answer(query=f"topic={topic.slug}", headers=from_the_start)
    assert headers[b"grip-channel"] == f"topic-{topic.slug}; prev-id={on_topic}".encode()
    assert headers[b"grip-link"] == f"</live/stream?topic={topic.slug}>; rel=next".encode()
    assert [int(m.id) for m in events(parse_sse(body))] == [on_topic]


def test_each_edition_s_readers_are_held_on_its_own_channels(editor, topic, push_on):
    """A reader of the Ukrainian edition is held on `uk:feed` (or `uk:topic-<slug>`), chained
    at that edition's newest event, with its replay and nothing of the English stories; the
    publisher sends each event to its own edition's channels only."""
    from newsdesk.live import events as live_events
    from newsdesk.live import push
    from newsdesk.stories.models import FeedEvent

    def publish(headline: str, language: str) -> int:
        story = actions.do_create_story(
            editor, {"headline": headline, "language": language, "topic_ids": [topic.pk]}
        )
        actions.do_publish_story(editor, story.pk)
        return story.events.order_by("-pk").first().pk

    ukrainian = publish("Турбіни знову працюють", "uk")
    english = publish("Turbines restart", "en")
    from_the_start = {**THROUGH_PUSHPIN, "Last-Event-ID": "0"}
    headers, body = answer(query="edition=uk", headers=from_the_start)
    assert headers[b"grip-channel"] == f"uk:feed; prev-id={ukrainian}".encode()
    assert headers[b"grip-link"] == b"</live/stream?edition=uk>; rel=next"
    assert [int(m.id) for m in events(parse_sse(body))] == [ukrainian]
    headers, _ = answer(query=f"topic={topic.slug}&edition=uk", headers=from_the_start)
    assert headers[b"grip-channel"] == f"uk:topic-{topic.slug}; prev-id={ukrainian}".encode()
    headers, body = answer(headers=from_the_start)
    assert headers[b"grip-channel"] == f"feed; prev-id={english}".encode()
    assert ukrainian not in [int(m.id) for m in events(parse_sse(body))]
    encoded = {e.id: e for e in live_events.encode(list(FeedEvent.objects.order_by("pk")))}
    assert push.channels_of(encoded[ukrainian]) == ["uk:feed", f"uk:topic-{topic.slug}"]
    assert push.channels_of(encoded[english]) == ["feed", f"topic-{topic.slug}"]


def test_a_live_page_reader_is_held_on_its_coverage_channel(editor, topic, push_on):
    """`?coverage=<slug>` through Pushpin: held on `live-<slug>`, chained at that coverage's
    newest event (not the feed's), with only its coverage's events replayed, and the same after
    Pushpin's recovery request."""
    coverage = actions.do_create_story(
        editor, {"headline": "Gale: live", "summary": "Gusts.", "kind": "live"}
    )
    coverage = actions.do_publish_story(editor, coverage.pk)
    opened = coverage.events.order_by("-pk").first().pk
    entry = actions.do_post_entry(editor, coverage.pk, {"body": "Roofs off in the harbour."})
    entry_event = entry.events.order_by("-pk").first().pk
    post(editor, "Not on the live page")
    headers, body = answer(
        query=f"coverage={coverage.slug}", headers={**THROUGH_PUSHPIN, "Last-Event-ID": "0"}
    )
    assert headers[b"grip-channel"] == f"live-{coverage.slug}; prev-id={entry_event}".encode()
    link = f"</live/stream?coverage={coverage.slug}>; rel=next".encode()
    assert headers[b"grip-link"] == link
    assert [int(m.id) for m in events(parse_sse(body))] == [opened, entry_event]
    recovery = {"Grip-Last": f"live-{coverage.slug}; last-id={opened}"}
    _, body = answer(query=f"coverage={coverage.slug}", headers=recovery)
    assert [int(m.id) for m in events(parse_sse(body))] == [entry_event]


def test_pushpins_recovery_request_gets_the_replay_after_the_readers_last_id(editor, push_on):
    """After a gap Pushpin asks the link again with `Grip-Last`; the answer is only the missed
    events (the reader already had the opening lines)."""
    last = post(editor, "The reader had this")
    gap = post(editor, "Its publish never reached Pushpin")
    headers, body = answer(headers={"Grip-Last": f"feed; last-id={last}"})
    assert headers[b"grip-channel"] == f"feed; prev-id={gap}".encode()
    assert "connected" not in body
    assert [int(m.id) for m in events(parse_sse(body))] == [gap]


def test_a_reader_too_far_behind_is_told_to_reset(editor, push_on, settings):
    settings.LIVE_REPLAY_LIMIT = 2
    first = post(editor, "Long ago")
    newest = [post(editor, f"Since then {n}") for n in range(3)][-1]
    _, body = answer(headers={**THROUGH_PUSHPIN, "Last-Event-ID": str(first)})
    (reset,) = events(parse_sse(body))
    assert reset.event == "reset"
    assert reset.id == str(newest)


def test_without_the_push_tier_grip_headers_are_ignored(editor):
    """NEWSDESK_PUSH empty: a request claiming to come through Pushpin is streamed by the hub."""

    async def scenario():
        async with StreamClient(application, headers=THROUGH_PUSHPIN) as reader:
            await reader.read_until(lambda m: any("connected" in c for x in m for c in x.comments))
            return reader.headers, reader.finished

    headers, finished = asyncio.run(scenario())
    assert b"grip-hold" not in headers
    assert not finished
