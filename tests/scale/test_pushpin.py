"""Pushpin (deploy/pushpin/, NEWSDESK_PUSH=pushpin) in front of two real `newsdesk serve`
processes: readers are held by Pushpin, the app answers each stream once and publishes.

Expected: a reader through Pushpin gets an editor's publish as SSE whose id is the feed event's
id; a reader that reconnects with Last-Event-ID gets exactly what it missed; with two app
processes publishing, every event arrives once and in order; a topic's reader gets only that
topic; an event whose publish never reached Pushpin still reaches readers (Pushpin asks the app
for what the reader missed when the next event does not follow); with Pushpin down the editor's
publish is as quick as ever, and readers that come back get everything.
"""

from __future__ import annotations

import json
import queue
import time

import httpx
import pytest

from newsdesk.config import env
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.scale.conftest import EDITOR
from tests.scale.nginx import Nginx, nginx_binary, static_root
from tests.scale.pushpin import Pushpin, pushpin_binary
from tests.servers import LiveReader, free_port, start_server

pytestmark = [pytest.mark.timeout(120)]


class Tier:
    def __init__(self, site, pushpin: Pushpin, apps: list[str]) -> None:
        self.site = site
        self.pushpin = pushpin
        self.apps = apps
        self.desks = [site.editor(app) for app in apps]

    def reader(self, query: str = "", last_event_id: int | None = None) -> LiveReader:
        headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else None
        return LiveReader(f"{self.pushpin.url}/live/stream{query}", headers=headers)

    def post(self, headline: str, through: int = 0) -> None:
        response = self.desks[through].quick_post(headline, "Filed for the push tier.")
        assert response.status_code == 302, response.text[:300]


@pytest.fixture(scope="module")
def tier(site, tmp_path_factory):
    """Two app processes behind two Pushpin instances; every process publishes to both."""
    pushpin_binary()
    ports = [free_port(), free_port()]
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    pushpins = [Pushpin(tmp_path_factory.mktemp("pushpin"), upstreams) for _ in range(2)]
    site.environ.update(
        {
            "NEWSDESK_PUSH": "pushpin",
            "NEWSDESK_PUSHPIN_PUBLISH_URL": " ".join(p.publish_url for p in pushpins),
        }
    )
    site.newsdesk("collectstatic", "--noinput", "--verbosity", "0")  # for the browser test
    apps = [site.serve(port=port) for port in ports]
    the_tier = Tier(site, pushpins[0], apps)
    the_tier.second = pushpins[1]
    yield the_tier
    for pushpin in pushpins:
        pushpin.stop()


@pytest.fixture(scope="module")
def api(tier):
    """The JSON API of the second app process, as the scale editor (a token made once)."""
    token = tier.site.newsdesk("token", EDITOR[0]).strip().splitlines()[-1]
    with httpx.Client(
        base_url=tier.apps[1] + "/api/v1",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    ) as client:
        yield client


def received(reader: LiveReader, count: int, timeout: float = 10) -> list[dict]:
    return [reader.next_event(timeout=timeout) for _ in range(count)]


def assert_nothing_more(reader: LiveReader, tier: Tier) -> None:
    """No stray copy is waiting: a marker posted now is the very next event."""
    marker = f"Marker {time.monotonic_ns()}"
    tier.post(marker)
    event = reader.next_event(timeout=10)
    assert marker in event["data"]["html"], f"got {event['id']} before the marker"


def test_a_reader_through_pushpin_gets_a_publish_as_sse_with_its_feed_event_id(tier):
    reader = tier.reader()
    try:
        tier.post("Dam gates open at noon")
        event = reader.next_event(timeout=10)
        assert event["event"] == "published"
        assert "Dam gates open at noon" in event["data"]["html"]
        poll = httpx.get(tier.apps[0] + "/live/poll").json()
        assert event["id"] == event["data"]["id"] == poll["last_id"]
    finally:
        reader.close()


def test_reconnecting_with_last_event_id_replays_exactly_what_was_missed(tier):
    reader = tier.reader()
    tier.post("Before the tunnel")
    seen = reader.next_event(timeout=10)
    reader.close()
    tier.post("Missed in the tunnel one", through=1)
    tier.post("Missed in the tunnel two", through=0)

    again = tier.reader(last_event_id=seen["id"])
    try:
        missed = received(again, 2)
        assert "Missed in the tunnel one" in missed[0]["data"]["html"]
        assert "Missed in the tunnel two" in missed[1]["data"]["html"]
        assert seen["id"] < missed[0]["id"] < missed[1]["id"]
        assert_nothing_more(again, tier)
    finally:
        again.close()


def test_two_app_processes_publishing_reach_a_reader_once_each_in_order(tier):
    reader = tier.reader()
    try:
        headlines = [f"Relay item {n}" for n in range(6)]
        for n, headline in enumerate(headlines):
            tier.post(headline, through=n % 2)
        events = received(reader, len(headlines))
        assert [h in e["data"]["html"] for h, e in zip(headlines, events, strict=True)] == [
            True
        ] * len(headlines)
        ids = [e["id"] for e in events]
        assert ids == sorted(set(ids))
        assert_nothing_more(reader, tier)
    finally:
        reader.close()


def test_a_topic_reader_gets_only_its_topic(tier, api):
    site = tier.site
    site.newsdesk(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from newsdesk.stories import actions\n"
        f"editor = get_user_model().objects.get(username={EDITOR[0]!r})\n"
        "actions.do_save_topic(editor, None, {'name': 'Grid', 'description': 'Power lines.'})",
    )
    on_topic, everything = tier.reader("?topic=grid"), tier.reader()
    try:
        tier.post("Not about the grid")
        draft = api.post(
            "/stories",
            content=json.dumps({"headline": "Grid holds overnight", "body": "Words.",
                                "topics": ["grid"]}),
        )  # fmt: skip
        assert draft.status_code == 201, draft.text
        assert api.post(f"/stories/{draft.json()['id']}/publish").status_code == 200

        event = on_topic.next_event(timeout=10)
        assert "Grid holds overnight" in event["data"]["html"]
        assert event["data"]["story"]["topics"] == ["grid"]
        both = received(everything, 2)
        assert "Not about the grid" in both[0]["data"]["html"]
        assert "Grid holds overnight" in both[1]["data"]["html"]
        with pytest.raises(queue.Empty):
            on_topic.events.get_nowait()
    finally:
        on_topic.close()
        everything.close()


def test_readers_of_either_pushpin_instance_get_every_event_once_in_order(tier):
    first, second = tier.reader(), LiveReader(f"{tier.second.url}/live/stream")
    try:
        headlines = [f"Both towers carry {n}" for n in range(3)]
        for n, headline in enumerate(headlines):
            tier.post(headline, through=n % 2)
        for reader in (first, second):
            events = received(reader, len(headlines))
            assert [h in e["data"]["html"] for h, e in zip(headlines, events, strict=True)] == [
                True
            ] * len(headlines)
        assert_nothing_more(first, tier)
    finally:
        first.close()
        second.close()


def test_drafts_never_reach_the_push_tier_and_an_unpublish_carries_no_headline(tier, api):
    reader = tier.reader()
    try:
        draft = api.post("/stories", content=json.dumps({"headline": "Secret draft of the mayor",
                                                          "body": "Not yet."}))  # fmt: skip
        assert draft.status_code == 201, draft.text
        story = api.post("/stories", content=json.dumps({"headline": "Soon pulled back",
                                                          "body": "Words."}))  # fmt: skip
        story_id = story.json()["id"]
        assert api.post(f"/stories/{story_id}/publish").status_code == 200
        assert api.post(f"/stories/{story_id}/unpublish").status_code == 200
        published, unpublished = received(reader, 2)
        assert published["event"] == "published"
        assert unpublished["event"] == "unpublished"
        assert unpublished["data"]["story"] == {"id": story_id, "visible": False}
        assert unpublished["data"]["html"] == ""
        for event in (published, unpublished):
            assert "Secret draft of the mayor" not in json.dumps(event)
        assert_nothing_more(reader, tier)
    finally:
        reader.close()


def test_the_news_feed_in_a_browser_updates_through_pushpin(tier):
    """A reader's page loaded through Pushpin streams through it: an editor's publish shows up
    behind "Show 1 new update" and is inserted on top. (Chromium is launched here rather than
    by the shared `browser` fixture, which would send this test to another worker, away from
    this module's servers.)"""
    path = chromium_path()
    if path is None:
        if env.is_ci():
            pytest.fail("chromium is not installed, and CI=true forbids skipping browser tests")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(tier.pushpin.url + "/")
            expect(page.locator("[data-feed]")).to_have_attribute("data-live-mode", "stream")
            tier.post("Pushpin carries this to an open page")
            page.get_by_role("button", name="Show 1 new update").click()
            first = page.locator("main [data-feed] [data-feed-list] > article").first
            expect(first.locator("h2")).to_have_text("Pushpin carries this to an open page")
        finally:
            browser.close()


def test_an_event_whose_publish_was_lost_still_reaches_held_readers(tier, tmp_path):
    """A third app process whose publishes go nowhere commits an event; Pushpin never hears of
    it. The next event (published) does not follow the reader's last one, so Pushpin asks the
    app for what the reader missed: the reader gets both, in order, each once."""
    port = free_port()
    nowhere = f"http://127.0.0.1:{free_port()}/publish/"
    environ = {**tier.site.environ, "NEWSDESK_PUSHPIN_PUBLISH_URL": nowhere}
    silent = start_server(environ, port, "--no-scheduler")
    reader = tier.reader()
    try:
        tier.post("Heard by everyone")
        first = reader.next_event(timeout=10)
        desk = tier.site.editor(f"http://127.0.0.1:{port}")
        assert desk.quick_post("Published where Pushpin cannot hear", "Words.").status_code == 302
        tier.post("Published where it can")
        events = received(reader, 2)
        assert "Published where Pushpin cannot hear" in events[0]["data"]["html"]
        assert "Published where it can" in events[1]["data"]["html"]
        assert first["id"] < events[0]["id"] < events[1]["id"]
        assert_nothing_more(reader, tier)
    finally:
        reader.close()
        silent.terminate()
        silent.wait(timeout=20)


def test_with_pushpin_down_publishing_stays_quick_and_returning_readers_get_everything(tier):
    reader = tier.reader()
    tier.post("Before the outage")
    last = reader.next_event(timeout=10)
    tier.pushpin.stop()
    try:
        assert reader.ended.wait(10), "readers lose their connection with Pushpin"
        timings = []
        for n in range(3):
            started = time.monotonic()
            tier.post(f"During the outage {n}")
            timings.append(time.monotonic() - started)
        assert max(timings) < 1.5, f"publishing waited on the push tier: {timings}"
    finally:
        reader.close()
        tier.pushpin.start()
    tier.pushpin.wait_until_it_passes_requests()
    back = tier.reader(last_event_id=last["id"])
    try:
        events = received(back, 3)
        assert [f"During the outage {n}" in e["data"]["html"] for n, e in enumerate(events)] == [
            True
        ] * 3
        assert_nothing_more(back, tier)
    finally:
        back.close()


def test_nginx_sends_the_live_stream_to_pushpin_and_pages_to_the_app(tier, tmp_path):
    """deploy/nginx.conf rendered with --live-upstream: readers of /live/stream through nginx are
    held by Pushpin (they get publishes); pages still come from the app."""
    nginx_binary()
    upstream = tier.apps[0].removeprefix("http://")
    nginx = Nginx(
        tmp_path / "nginx",
        [upstream],
        static_root(tier.site.environ),
        extra=("--live-upstream", f"127.0.0.1:{tier.pushpin.port}"),
    )
    reader = LiveReader(f"{nginx.url}/live/stream")
    try:
        tier.post("Through nginx and Pushpin")
        event = reader.next_event(timeout=10)
        assert "Through nginx and Pushpin" in event["data"]["html"]
        assert "Through nginx and Pushpin" in httpx.get(nginx.url + "/").text
    finally:
        reader.close()
        nginx.stop()


def test_straight_to_the_app_the_stream_is_the_built_in_hub(tier):
    """`newsdesk serve` without Pushpin in front still streams (no GRIP headers leak out)."""
    reader = LiveReader(tier.apps[0] + "/live/stream")
    try:
        tier.post("Served by the hub")
        event = reader.next_event(timeout=10)
        assert "Served by the hub" in event["data"]["html"]
    finally:
        reader.close()
    with httpx.stream("GET", tier.apps[0] + "/live/stream") as response:
        assert not [h for h in response.headers if h.lower().startswith("grip-")]


def _open_coverage(api, headline: str) -> tuple[int, str]:
    made = api.post(
        "/stories",
        content=json.dumps({"headline": headline, "summary": "What we know.", "kind": "live"}),
    )
    assert made.status_code == 201, made.text
    coverage_id = made.json()["id"]
    published = api.post(f"/stories/{coverage_id}/publish")
    assert published.status_code == 200, published.text
    return coverage_id, published.json()["slug"]


def _post_entry(api, coverage_id: int, text: str) -> int:
    made = api.post(f"/live/{coverage_id}/entries", content=json.dumps({"body": text}))
    assert made.status_code == 201, made.text
    return made.json()["id"]


def test_a_live_page_reader_through_pushpin_gets_only_its_coverage_with_exact_replay(tier, api):
    """Two live pages run at once; each reader, held by Pushpin on its page's channel, gets only
    that coverage's entries and changes (not the News Feed's other stories), and a reader that
    reconnects with Last-Event-ID gets exactly the entries it missed, then the next one."""
    flood, fire = _open_coverage(api, "Flood: live"), _open_coverage(api, "Fire: live")
    flood_reader = tier.reader(f"?coverage={flood[1]}")
    fire_reader = tier.reader(f"?coverage={fire[1]}")
    try:
        first = _post_entry(api, flood[0], "River over the quay.")
        _post_entry(api, fire[0], "Smoke over the hills.")
        tier.post("A feed update about something else")
        assert api.post(
            f"/live/entries/{first}/key-event", content=json.dumps({"key_event": True})
        ).status_code == 200  # fmt: skip
        published, key_event = received(flood_reader, 2)
        assert published["event"] == "published"
        assert "River over the quay." in published["data"]["html_entry"]
        assert published["data"]["story"]["coverage"] == flood[1]
        assert key_event["event"] == "key_event" and key_event["data"]["data"]["key_event"]
        on_fire = fire_reader.next_event(timeout=10)
        assert "Smoke over the hills." in on_fire["data"]["html_entry"]
        with pytest.raises(queue.Empty):
            fire_reader.events.get_nowait()
    finally:
        fire_reader.close()
        flood_reader.close()

    missed = [_post_entry(api, flood[0], f"Missed on the flood page {n}.") for n in range(2)]
    _post_entry(api, fire[0], "Missed, but on the other page.")
    tier.post("Missed, but in the feed only")
    back = tier.reader(f"?coverage={flood[1]}", last_event_id=key_event["id"])
    try:
        replayed = received(back, 2)
        assert [e["data"]["story"]["id"] for e in replayed] == missed
        assert key_event["id"] < replayed[0]["id"] < replayed[1]["id"]
        marker = _post_entry(api, flood[0], "The next flood entry.")
        next_one = back.next_event(timeout=10)
        assert next_one["data"]["story"]["id"] == marker
        # Held by Pushpin itself on the page's channel (not passed through to the app's hub):
        # an item published to Pushpin on `live-<slug>`, chained after the marker, reaches it.
        probe = {
            "channel": f"live-{flood[1]}",
            "id": "probe",
            "prev-id": str(next_one["id"]),
            "formats": {"http-stream": {"content": "event: probe\ndata: {}\n\n"}},
        }
        assert httpx.post(tier.pushpin.publish_url, json={"items": [probe]}).status_code == 200
        assert back.next_event(timeout=10)["event"] == "probe"
    finally:
        back.close()
