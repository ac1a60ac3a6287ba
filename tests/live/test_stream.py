"""The live stream as a reader's browser sees it: the real ASGI handler, the real database."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from newsdesk.config.asgi import application
from newsdesk.core.errors import NotAllowed
from newsdesk.live.events import check_payload
from newsdesk.live.hub import Hub, _hubs
from newsdesk.stories import actions
from tests.conftest import make_user
from tests.live.sse import StreamClient, events, fresh_hubs  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(60),
    pytest.mark.usefixtures("fresh_hubs"),
]


def run(coro):
    return asyncio.run(coro)


# The hub sends to a reader's connection itself when the server takes bytes inside `send`
# (granian), and leaves it to the reader's task when `send` must be awaited: both are tested.
SENDS = pytest.mark.parametrize("at_once", [False, True], ids=["awaited-send", "send-at-once"])


def quick_post(user, headline, body="Details to follow.", **kw):
    return actions.do_quick_post(user, headline, body, **kw)


a_quick_post = sync_to_async(quick_post)
a_post_event_id = sync_to_async(lambda user, headline: quick_post(user, headline).events.get().pk)


@SENDS
def test_a_publish_reaches_a_connected_reader_with_item_html_and_payload(editor, at_once):
    """A reader connected before the publish gets one `published` event: the feed event id as
    SSE id, the rendered item, and the story's id, slug, kind and times."""

    async def scenario():
        async with StreamClient(application, at_once=at_once) as reader:
            await reader.read_until(lambda m: any("connected" in c for x in m for c in x.comments))
            assert reader.status == 200
            assert reader.headers[b"content-type"].startswith(b"text/event-stream")
            assert b"no-store" in reader.headers[b"cache-control"]
            story = await a_quick_post(editor, "Bridge reopens to traffic")
            got = events(await reader.read_until(lambda m: len(events(m)) >= 1))
            return story, got

    story, got = run(scenario())
    (message,) = got
    payload = message.json
    check_payload(payload)
    assert message.event == "published"
    assert message.id == str(payload["id"])
    assert payload["story"]["id"] == story.pk
    assert payload["story"]["slug"] == story.slug
    assert payload["story"]["kind"] == "update"
    assert payload["story"]["published_at"]
    assert "Bridge reopens to traffic" in payload["html"]
    assert 'class="feed-item' in payload["html"]


@SENDS
def test_a_reconnecting_reader_gets_exactly_what_it_missed_in_order_then_live(editor, at_once):
    """Last-Event-ID replays the missed events in id order, nothing twice, then live ones."""
    first = quick_post(editor, "First")
    last_seen = first.events.get().pk
    missed = [quick_post(editor, f"Missed {n}") for n in range(3)]

    async def scenario():
        headers = {"Last-Event-ID": str(last_seen)}
        async with StreamClient(application, headers=headers, at_once=at_once) as reader:
            replayed = events(await reader.read_until(lambda m: len(events(m)) >= 3))
            assert len(replayed) == 3, "the replay comes before anything live"
            await a_quick_post(editor, "Live after replay")
            return events(await reader.read_until(lambda m: len(events(m)) >= 4))

    got = run(scenario())
    headlines = [m.json["html"] for m in got]
    assert [m.json["story"]["id"] for m in got[:3]] == [s.pk for s in missed]
    assert "Live after replay" in headlines[3]
    ids = [int(m.id) for m in got]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert all(i > last_seen for i in ids)


def test_a_reader_too_far_behind_gets_a_reset(editor, settings):
    """An id older than the retained window gets a `reset` telling the page to reload its list."""
    settings.LIVE_REPLAY_LIMIT = 3
    first = quick_post(editor, "Old")
    first_event = first.events.get().pk
    for n in range(5):
        quick_post(editor, f"Newer {n}")

    async def scenario():
        headers = {"Last-Event-ID": str(first_event)}
        async with StreamClient(application, headers=headers) as reader:
            return events(await reader.read_until(lambda m: len(events(m)) >= 1))

    (message,) = run(scenario())
    assert message.event == "reset"


@SENDS
def test_topic_stream_carries_only_that_topics_stories(editor, topic, at_once):
    """`?topic=` delivers stories of that topic only."""

    async def scenario():
        async with StreamClient(
            application, query=f"topic={topic.slug}", at_once=at_once
        ) as reader:
            await reader.read_until(lambda m: len(m) >= 1)
            await a_quick_post(editor, "Not about energy")
            await a_quick_post(editor, "Turbines restart", topic_ids=[topic.pk])
            return events(await reader.read_until(lambda m: len(events(m)) >= 1))

    (message,) = run(scenario())
    assert "Turbines restart" in message.json["html"]


def test_drafts_and_contributor_edits_never_reach_the_stream(editor, contributor):
    """A draft, and a contributor saving their draft, send nothing; only the publish does."""

    async def scenario():
        async with StreamClient(application) as reader:
            await reader.read_until(lambda m: len(m) >= 1)

            def write():
                draft = actions.do_create_story(contributor, {"headline": "Secret draft"})
                actions.do_update_story(
                    contributor, draft.pk, {"body": "Still secret"}, expected_version=1
                )
                quick_post(editor, "Public news")

            await sync_to_async(write)()
            return events(await reader.read_until(lambda m: len(events(m)) >= 1)), reader

    got, reader = run(scenario())
    assert len(got) == 1 and "Public news" in got[0].json["html"]
    assert "Secret" not in reader.buffer


def test_unpublish_removes_and_replay_never_reveals_a_pulled_story(editor):
    """Unpublishing sends `unpublished` with no content; a later replay of the original
    `published` event carries no headline either."""
    story = quick_post(editor, "Embargo broken by mistake")
    before = story.events.get().pk - 1
    actions.do_unpublish_story(editor, story.pk)

    async def scenario():
        async with StreamClient(application, headers={"Last-Event-ID": str(before)}) as reader:
            return events(await reader.read_until(lambda m: len(events(m)) >= 2)), reader

    got, reader = run(scenario())
    assert [m.event for m in got] == ["published", "unpublished"]
    for message in got:
        check_payload(message.json)
        assert message.json["story"] == {"id": story.pk, "visible": False}
    assert "Embargo" not in reader.buffer


@SENDS
def test_a_reader_back_from_another_process_gets_each_later_event_once(editor, at_once):
    """A reader that reconnects here with the id of an event another process already sent it
    (this process has not read that far yet) gets only what comes after it; a reader that was
    here all along gets everything, in order."""
    before = quick_post(editor, "Before").events.get().pk

    async def scenario():
        # This process's hub, read only when the test says (as if its bus were slow).
        hub = _hubs[asyncio.get_running_loop()] = Hub()
        hub.last_id = before
        hub._started = asyncio.get_running_loop().create_future()
        hub._started.set_result(True)
        async with StreamClient(application, at_once=at_once) as here_all_along:
            await here_all_along.read_until(lambda m: len(m) >= 1)
            for n in (1, 2):
                got_upto = await a_post_event_id(editor, f"Sent by the other process {n}")
            headers = {"Last-Event-ID": str(got_upto)}
            async with StreamClient(application, headers=headers, at_once=at_once) as back:
                await back.read_until(lambda m: len(m) >= 1)
                await a_quick_post(editor, "After the move")
                await hub.check_now()
                moved = events(await back.read_until(lambda m: len(events(m)) >= 1))
                stayed = events(await here_all_along.read_until(lambda m: len(events(m)) >= 3))
                return got_upto, moved, stayed, back

    got_upto, moved, stayed, back = run(scenario())
    assert ["After the move" in m.json["html"] for m in moved] == [True]
    assert "Sent by the other process" not in back.buffer
    assert [int(m.id) for m in stayed] == sorted(int(m.id) for m in stayed)
    assert [m.json["html"].count("Sent by the other process") for m in stayed[:2]] == [1, 1]
    assert int(moved[0].id) > got_upto


@SENDS
def test_heartbeat_comments_keep_an_idle_stream_open(settings, db, at_once):
    settings.LIVE_HEARTBEAT_SECONDS = 0.2

    async def scenario():
        async with StreamClient(application, at_once=at_once) as reader:
            return await reader.read_until(
                lambda m: any("heartbeat" in c for x in m for c in x.comments)
            )

    assert run(scenario())


@SENDS
def test_a_reader_that_stops_reading_is_dropped_not_buffered(editor, settings, at_once):
    """With a full queue the server ends that reader's stream (it will reconnect and replay)."""
    settings.LIVE_QUEUE_SIZE = 2

    async def scenario():
        async with StreamClient(application, at_once=at_once) as reader:
            await reader.read_until(lambda m: len(m) >= 1)
            hub = next(iter(_hubs.values()))
            reader.reading.clear()  # the reader's connection stops taking bytes
            n = 0
            while hub.readers:
                await a_quick_post(editor, f"Flood {n}")
                await hub.check_now()
                n += 1
                assert n < 50, "a reader that stopped reading was never dropped"
            reader.reading.set()
            await asyncio.wait_for(reader.task, timeout=10)
            return hub

    hub = run(scenario())
    assert hub.readers == set()


@SENDS
def test_a_reader_that_disconnects_is_forgotten(db, at_once):
    async def scenario():
        async with StreamClient(application, at_once=at_once) as reader:
            await reader.read_until(lambda m: len(m) >= 1)
            hub = next(iter(_hubs.values()))
            assert len(hub.readers) == 1
            reader.disconnect()
            await asyncio.wait_for(reader.task, timeout=10)
            return hub

    assert run(scenario()).readers == set()


@pytest.mark.parametrize(
    ("query", "headers", "status"),
    [
        ("", {"Last-Event-ID": "abc"}, 400),
        ("after=-1", {}, 400),
        ("topic=no-such-topic", {}, 404),
    ],
)
def test_bad_requests_get_a_clear_4xx(db, query, headers, status):
    async def go():
        client = StreamClient(application, query=query, headers=headers)
        async with client:
            await asyncio.wait_for(client.task, timeout=10)
            body = b""
            while not client.chunks.empty():
                body += (await client.chunks.get()).get("body", b"")
        return client.status, body

    got_status, body = run(go())
    assert got_status == status
    assert b'"message"' in body


def test_post_is_refused(db):
    async def go():
        client = StreamClient(application)
        client.scope["method"] = "POST"
        async with client:
            await asyncio.wait_for(client.task, timeout=10)
        return client.status

    assert run(go()) == 405


def test_any_write_by_a_contributor_is_refused_before_reaching_readers(db):
    contributor = make_user("contributor")
    story = actions.do_create_story(contributor, {"headline": "Mine"})
    with pytest.raises(NotAllowed):
        actions.do_publish_story(contributor, story.pk)
    assert not story.events.exists()
