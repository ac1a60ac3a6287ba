"""The anonymous page cache of a real `newsdesk serve`, over HTTP.

Expected: a reader page is rendered once and then answered from the cache with exactly the
headers Django sent; conditional requests get 304; a publish is on the next anonymous page; a hot
page whose version changed is rendered once however many readers ask at that moment; logged-in
editors are never given a cached page and their pages are never cached.
"""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

pytestmark = [pytest.mark.timeout(180)]

# Headers that belong to one answer, not to the page.
PER_ANSWER = {"date", "etag", "last-modified", "x-newsdesk-cache", "server"}
SECURITY = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "cross-origin-opener-policy",
]


def page_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in PER_ANSWER}


def story_path(html: str) -> str:
    return re.search(r'href="(/stories/[^"/]+/)"', html).group(1)


@pytest.fixture(scope="module")
def newsroom(site):
    """One server with a few published updates; returns (base_url, editor session)."""
    base = site.serve()
    desk = site.editor(base)
    for n in range(3):
        assert desk.quick_post(f"Opening update {n}", f"Text of update {n}.").status_code == 302
    return base, desk


def settled(base: str) -> None:
    """Wait (with a deadline) until the feed is answered from the cache for a whole second: the
    server's content version is in step with its database, including writes another server of
    this module made to it, which a process notices within half a second (one hit alone can come
    just before the process notices them)."""
    deadline = time.monotonic() + 10
    hits_since = None
    while True:
        now = time.monotonic()
        assert now < deadline, "the feed never stayed in the cache"
        if httpx.get(base + "/").headers["x-newsdesk-cache"] != "hit":
            hits_since = None
        elif hits_since is None:
            hits_since = now
        elif now - hits_since >= 1.0:
            return


def test_second_anonymous_request_is_a_hit_with_the_same_headers(newsroom):
    """The copy from the cache carries Django's own headers (CSP and the rest) byte for byte."""
    base, _ = newsroom
    settled(base)
    story = story_path(httpx.get(base + "/").text)
    for path in ("/?first", story + "?first", "/more/?first"):
        first = httpx.get(base + path)
        second = httpx.get(base + path)
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first.headers["x-newsdesk-cache"], second.headers["x-newsdesk-cache"]) == (
            "miss",
            "hit",
        )
        assert second.content == first.content
        assert page_headers(second) == page_headers(first)
        for name in SECURITY:
            assert second.headers[name], name
        assert "'unsafe-inline'" not in second.headers["content-security-policy"]
        assert second.headers["cache-control"].startswith("public")
        assert "s-maxage=" in second.headers["cache-control"]
        assert "stale-while-revalidate=" in second.headers["cache-control"]
        assert second.headers["vary"] == "Cookie"
        assert "feed" in second.headers["surrogate-key"].split()
        assert second.headers["etag"] == first.headers["etag"]
    assert httpx.get(base + story).headers["surrogate-key"].startswith("feed story-")


def test_conditional_requests_get_304(newsroom):
    """If-None-Match with the page's ETag, or If-Modified-Since its Last-Modified, is a 304."""
    base, _ = newsroom
    settled(base)
    page = httpx.get(base + "/")
    by_etag = httpx.get(base + "/", headers={"If-None-Match": page.headers["etag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == page.headers["etag"]
    assert by_etag.headers["cache-control"] == page.headers["cache-control"]
    since = httpx.get(base + "/", headers={"If-Modified-Since": page.headers["last-modified"]})
    assert since.status_code == 304
    other = httpx.get(base + "/", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_a_publish_is_on_the_next_anonymous_page(newsroom):
    """Publish, then the very next anonymous GET of the feed and of a story page shows it."""
    base, desk = newsroom
    story = story_path(httpx.get(base + "/").text)
    for path in ("/", story, "/", story):  # both cached now
        httpx.get(base + path)
    assert desk.quick_post("Bridge reopens after inspection", "Traffic flows.").status_code == 302
    feed = httpx.get(base + "/")
    assert "Bridge reopens after inspection" in feed.text
    assert feed.headers["x-newsdesk-cache"] == "miss"
    assert "Bridge reopens after inspection" in httpx.get(base + story).text


def test_a_publish_reaches_every_worker_within_a_second(site):
    """With two workers that each keep their own memory cache, a publish made through one is on
    pages from both within a second (each worker checks the newest feed event twice a second)."""
    base = site.serve("--workers", "2")
    desk = site.editor(base)
    desk.quick_post("First update", "Words.")
    for _ in range(20):  # warm both workers' caches
        httpx.get(base + "/")
    desk.quick_post("Second update arrives", "More words.")
    published = time.monotonic()
    deadline = published + 20  # generous: only the staleness below is the promise
    streak, streak_began = 0, None
    while time.monotonic() < deadline and streak < 10:  # a new connection each: both workers
        asked = time.monotonic()
        if "Second update arrives" in httpx.get(base + "/").text:
            streak, streak_began = streak + 1, streak_began or asked
        else:
            streak, streak_began = 0, None
    assert streak >= 10, "some worker kept serving the page from before the publish"
    # Every answer to a request made from this moment on had the publish.
    assert streak_began - published < 1.5


def test_editors_never_get_or_leave_a_cached_page(newsroom):
    """A request with a session is answered by Django, private; anonymous readers never see it."""
    base, desk = newsroom
    settled(base)
    mine = desk.client.get("/")
    assert mine.status_code == 200
    assert "x-newsdesk-cache" not in mine.headers
    assert mine.headers["cache-control"] == "private, no-cache" or (
        "private" in mine.headers["cache-control"] and "no-cache" in mine.headers["cache-control"]
    )
    assert "surrogate-key" not in mine.headers
    assert 'href="/desk/"' in mine.text
    for _ in range(3):
        anonymous = httpx.get(base + "/")
        assert 'href="/desk/"' not in anonymous.text
        assert anonymous.headers["x-newsdesk-cache"] == "hit"


def test_one_render_when_a_hot_page_changes(newsroom):
    """Right after a publish, 24 simultaneous readers of the feed cause one render: the others
    wait for it or get the previous copy."""
    base, desk = newsroom
    httpx.get(base + "/")
    desk.quick_post("Stampede check", "Everyone reloads at once.")
    statuses: list[str] = []
    barrier = threading.Barrier(24)

    def read() -> None:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            statuses.append(client.get(base + "/").headers["x-newsdesk-cache"])

    threads = [threading.Thread(target=read) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 24
    assert statuses.count("miss") == 1, statuses
    assert set(statuses) <= {"miss", "hit", "stale"}


def test_head_bad_host_and_errors_are_not_served_from_the_cache(newsroom):
    """HEAD gets the headers without a body; an unknown Host is refused even when the page is
    cached; a 404 and a bad cursor are never stored."""
    base, _ = newsroom
    settled(base)
    head = httpx.head(base + "/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["x-newsdesk-cache"] == "hit"
    assert httpx.get(base + "/", headers={"Host": "evil.example"}).status_code == 400
    for path in ("/stories/no-such-story/", "/?before=%%%"):
        for _ in range(2):
            response = httpx.get(base + path)
            assert response.status_code in {400, 404}
            assert "x-newsdesk-cache" not in response.headers
