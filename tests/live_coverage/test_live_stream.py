"""A live page's stream: only its own events, every kind of change, exact replay."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from newsdesk.config.asgi import application
from newsdesk.live.events import check_payload
from newsdesk.stories import actions
from tests.live.sse import StreamClient, events, fresh_hubs  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(60),
    pytest.mark.usefixtures("fresh_hubs"),
]


def other_coverage(editor):
    story = actions.do_create_story(
        editor, {"headline": "Election night: live", "summary": "Counting.", "kind": "live"}
    )
    return actions.do_publish_story(editor, story.pk)


def test_a_live_page_reader_gets_only_its_entries_and_every_kind_of_change(editor, coverage, post):
    """New entry, edit marked as update, correction, key event, pin, deletion and a summary
    change arrive on `?coverage=<slug>`; another coverage's entries and plain updates do not."""
    other = other_coverage(editor)
    first = post("Trees down on the coast road.")

    def changes():
        actions.do_post_entry(editor, other.pk, {"body": "Polls close."})
        actions.do_quick_post(editor, "Unrelated update", "Not about the storm.")
        entry = post("Ferries cancelled.", headline="Ferries stop")
        actions.do_update_story(
            editor,
            entry.pk,
            {"body": "Ferries cancelled until 6:00."},
            expected_version=None,
            mark_as_update=True,
        )
        actions.do_add_correction(editor, entry.pk, "The ferries stop at 22:00, not 21:00.")
        actions.do_set_key_event(editor, entry.pk, True)
        actions.do_set_pinned_entry(editor, first.pk, True)
        actions.do_unpublish_story(editor, first.pk)
        actions.do_update_story(
            editor, coverage.pk, {"summary": "Winds are easing."}, expected_version=None
        )
        return entry

    async def scenario():
        query = f"coverage={coverage.slug}"
        async with StreamClient(application, query=query) as reader:
            await reader.read_until(lambda m: len(m) >= 1)
            entry = await sync_to_async(changes)()
            got = events(await reader.read_until(lambda m: len(events(m)) >= 7))
            return entry, got

    entry, got = asyncio.run(scenario())
    kinds = [m.event for m in got]
    assert kinds == [
        "published",
        "updated",
        "corrected",
        "key_event",
        "entry_pinned",
        "unpublished",
        "updated",
    ]
    for message in got:
        check_payload(message.json)
    published = got[0].json
    assert published["story"]["id"] == entry.pk and published["story"]["coverage"] == coverage.slug
    assert "Ferries stop" in published["html_entry"] and 'id="entry-' in published["html_entry"]
    assert "(Updated:" in got[1].json["html_entry"]
    assert "not 21:00" in got[2].json["html_entry"]
    assert got[3].json["story"]["key_event"] is True and got[3].json["data"] == {"key_event": True}
    summary = [m.json for m in got if m.json["story"]["id"] == coverage.pk]
    assert summary and summary[-1]["story"]["summary"] == "Winds are easing."
    assert not any("Polls close" in (m.json.get("html") or "") for m in got)
    assert not any("Unrelated update" in (m.json.get("html") or "") for m in got)


def test_a_reconnecting_live_page_reader_replays_exactly_its_missed_entries(editor, coverage, post):
    seen = post("Seen before the drop.")
    last = seen.events.order_by("-id").first().pk
    other = other_coverage(editor)
    missed = [post(f"Missed {n}.") for n in range(3)]
    actions.do_post_entry(editor, other.pk, {"body": "Not this page."})

    async def scenario():
        headers = {"Last-Event-ID": str(last)}
        async with StreamClient(
            application, query=f"coverage={coverage.slug}", headers=headers
        ) as r:
            return events(await r.read_until(lambda m: len(events(m)) >= 3))

    got = asyncio.run(scenario())
    assert [m.json["story"]["id"] for m in got] == [e.pk for e in missed]


def test_a_stream_for_a_coverage_that_does_not_exist_is_a_404(db):
    async def scenario():
        async with StreamClient(application, query="coverage=no-such-page") as reader:
            await reader.read_until(lambda m: reader.status is not None, timeout=5)
            return reader.status

    assert asyncio.run(scenario()) == 404


def test_polling_a_live_page_gives_only_its_events(client, editor, coverage, post):
    """`/live/poll?coverage=<slug>` is the stream's fallback: the same payloads, one channel."""
    other = other_coverage(editor)
    mine = post("Mine.")
    actions.do_post_entry(editor, other.pk, {"body": "Not mine."})
    response = client.get(f"/live/poll?after=0&coverage={coverage.slug}")
    assert response.status_code == 200
    events = response.json()["events"]
    assert mine.pk in [e["story"]["id"] for e in events]
    assert all(e["story"]["id"] in {coverage.pk, mine.pk} for e in events)
    for payload in events:
        check_payload(payload)
    assert client.get("/live/poll?coverage=no-such").status_code == 404
