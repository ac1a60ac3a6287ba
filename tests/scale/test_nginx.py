"""nginx (deploy/nginx.conf) in front of a real `newsdesk serve`.

Expected: nginx serves /static/ itself; keeps anonymous pages (X-Cache-Status: HIT) for the
app's s-maxage, so a publish is on the page through nginx within a couple of seconds; never
stores or serves a logged-in editor's page; and passes the live stream through unbuffered.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.scale.nginx import Nginx, nginx_binary, static_root
from tests.servers import LiveReader

pytestmark = [pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def proxied(site, tmp_path_factory):
    """(nginx, editor session through nginx): nginx in front of one `newsdesk serve`."""
    nginx_binary()
    app = site.serve()
    run_dir = tmp_path_factory.mktemp("nginx")
    nginx = Nginx(run_dir, [app.removeprefix("http://")], static_root(site.environ))
    yield nginx, site.editor(nginx.url)
    nginx.stop()


def test_static_files_come_from_nginx(proxied, site):
    """A file put in the collected static folder is served by nginx (the app does not know it),
    with a year-long immutable Cache-Control."""
    nginx, _ = proxied
    (static_root(site.environ) / "only-nginx-knows.txt").write_text("from disk\n")
    response = httpx.get(nginx.url + "/static/only-nginx-knows.txt")
    assert response.status_code == 200
    assert response.text == "from disk\n"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    css = httpx.get(
        nginx.url + "/static/newsdesk/newsdesk.css", headers={"Accept-Encoding": "gzip"}
    )
    assert css.status_code == 200
    assert "x-newsdesk-cache" not in css.headers


def test_anonymous_pages_are_cached_and_a_publish_shows_within_the_ttl(proxied):
    """The second anonymous GET is a HIT; after a publish the new item is on the page through
    nginx within the 1 s TTL plus one background refresh."""
    nginx, desk = proxied
    desk.quick_post("Before the cache", "Words.")
    httpx.get(nginx.url + "/")
    assert httpx.get(nginx.url + "/").headers["x-cache-status"] == "HIT"
    assert desk.quick_post("Ferry service resumes", "Boats sail.").status_code == 302
    published = time.monotonic()
    while "Ferry service resumes" not in httpx.get(nginx.url + "/").text:
        assert time.monotonic() - published < 3, "the publish did not reach nginx readers"
    assert time.monotonic() - published < 3


def test_a_logged_in_editor_is_never_cached_or_served_to_others(proxied):
    """Requests with a session bypass nginx's cache; anonymous readers never get the editor's
    page (which links to the desk), before or after the editor's visit."""
    nginx, desk = proxied
    desk.quick_post("Shared page", "Words.")
    httpx.get(nginx.url + "/")
    for _ in range(3):
        mine = desk.client.get("/")
        assert mine.headers["x-cache-status"] == "BYPASS"
        assert "private" in mine.headers["cache-control"]
        assert 'href="/desk/"' in mine.text
    for _ in range(3):
        anonymous = httpx.get(nginx.url + "/")
        assert 'href="/desk/"' not in anonymous.text
        assert anonymous.headers["x-cache-status"] in {
            "HIT",
            "MISS",
            "STALE",
            "UPDATING",
            "EXPIRED",
        }
    desk_page = desk.client.get("/desk/")
    assert desk_page.status_code == 200
    assert "x-cache-status" not in desk_page.headers or desk_page.headers["x-cache-status"] == ""


def test_the_live_stream_flows_through_nginx(proxied):
    """An SSE reader connected through nginx gets the event of a publish (no buffering)."""
    nginx, desk = proxied
    reader = LiveReader(nginx.url + "/live/stream")
    try:
        assert desk.quick_post("Live through the proxy", "Streaming.").status_code == 302
        event = reader.next_event(timeout=15)
        assert event["event"] == "published"
        assert "Live through the proxy" in str(event["data"])
    finally:
        reader.close()
