"""A takedown reaches the shipped nginx (deploy/nginx.conf) within a second: the app's purge hook
(`NEWSDESK_PURGE_URL`) tells nginx, and nginx never finds its old copies again, fresh or stale.

Two nginx instances stand in front of the same `newsdesk serve`; the app purges only the first.
Expected: while the story is up, both answer its page, the News Feed and its image from their
caches (HIT). Readers hammer the first across the unpublish; from one second after the unpublish
returned, none of their answers gives the story. The second nginx, never told, still serves the
story's image from its cache a second later: without the purge the first would have too, so the
test cannot pass by itself. The purge endpoint refuses addresses not allowed to purge.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.scale.conftest import EDITOR
from tests.scale.nginx import Nginx, nginx_binary, static_root
from tests.scale.takedown import Newsroom, Probe, hammer, media_paths, unique_word, warm
from tests.servers import free_port, start_server

pytestmark = [pytest.mark.timeout(180)]

GRACE = 1.0
AFTER = 2.5
READERS = 8


@pytest.fixture(scope="module")
def proxies(site, tmp_path_factory):
    """(purged nginx, unpurged nginx, Newsroom on the app)."""
    nginx_binary()
    purged_port, app_port = free_port(), free_port()
    environ = {
        **site.environ,
        "NEWSDESK_PURGE_URL": f"http://127.0.0.1:{purged_port}/_newsdesk/purge",
    }
    site.processes.append(start_server(environ, app_port, "--no-scheduler"))
    app = f"127.0.0.1:{app_port}"
    purged = Nginx(tmp_path_factory.mktemp("purged"), [app], static_root(site.environ), purged_port)
    unpurged = Nginx(tmp_path_factory.mktemp("unpurged"), [app], static_root(site.environ))
    token = site.newsdesk("token", EDITOR[0]).strip().split()[-1]
    yield purged, unpurged, Newsroom(f"http://{app}", token)
    purged.stop()
    unpurged.stop()


def _cached(url: str) -> None:
    """Ask until nginx answers `url` from its cache (with a deadline)."""
    deadline = time.monotonic() + 15
    while httpx.get(url).headers.get("x-cache-status") != "HIT":
        assert time.monotonic() < deadline, f"nginx never cached {url}"
        time.sleep(0.05)  # polling with a deadline


def test_an_unpublish_purges_nginx_within_a_second(proxies):
    """From one second after the unpublish returned, nginx gives nothing of the story (page by
    GET and HEAD, News Feed, RSS, image and renditions); an nginx that got no purge still does."""
    purged, unpurged, room = proxies
    word = unique_word()
    image = room.upload_image()
    story = room.publish(
        f"Pier {word} letter",
        f"The {word} letter was leaked.",
        kind="article",
        lead_image_id=image["id"],
    )
    path = f"/stories/{story['slug']}/"
    images = media_paths(httpx.get(purged.url + path).text)
    assert images

    def has_word(response: httpx.Response) -> bool:
        return response.status_code == 200 and word in response.text.lower()

    def served(response: httpx.Response) -> bool:
        return response.status_code in (200, 304)

    probes = [
        Probe("story page", path, is_copy=has_word),
        Probe("story page HEAD", path, "HEAD", is_copy=served),
        Probe("News Feed", "/", is_copy=has_word),
        Probe("RSS", "/feed/rss.xml", is_copy=has_word),
        *[Probe(f"image {p}", p, is_copy=served) for p in images],
    ]
    for nginx in (purged, unpurged):
        warm(nginx.url, probes)
        for url in (path, "/", images[0]):
            _cached(nginx.url + url)

    answers: list = []
    returned: list[float] = []

    def until() -> bool:
        return bool(returned) and time.monotonic() > returned[0] + AFTER

    readers = threading.Thread(
        target=hammer, args=(purged.url, probes, READERS, until, answers), daemon=True
    )
    readers.start()
    deadline = time.monotonic() + 30
    while len(answers) < 2 * len(probes):
        assert time.monotonic() < deadline, "the readers did not start"
        time.sleep(0.01)  # polling with a deadline
    sent = time.monotonic()
    room.api.post(f"/stories/{story['id']}/unpublish").raise_for_status()
    returned.append(time.monotonic())
    # The control: a second later the nginx nobody purged still has the image in its cache.
    while time.monotonic() < returned[0] + GRACE:
        time.sleep(0.05)  # waiting out the grace second the requirement allows
    control = httpx.get(unpurged.url + images[0])
    readers.join(timeout=120)

    assert control.status_code == 200 and control.headers["x-cache-status"] == "HIT"
    before = [a for a in answers if a.answered < sent]
    assert before and all(a.copy for a in before)
    late = [a for a in answers if a.sent >= returned[0] + GRACE]
    assert {a.probe.name for a in late} == {p.name for p in probes}
    copies = sorted({(a.probe.name, a.status) for a in late if a.copy})
    assert not copies, copies
    access = (purged.run_dir / "access.log").read_text()
    assert "PURGE /_newsdesk/purge" in access


def test_images_are_short_lived_keyed_and_gone_with_their_story(proxies):
    """A public image carries a short max-age (no `immutable`) and a Surrogate-Key naming the
    image and its story; once the story is unpublished the image is a 404 for anonymous readers,
    also when asked with the validators of the old copy."""
    _, _, room = proxies
    image = room.upload_image()
    story = room.publish(f"Quay {unique_word()}", "Words.", lead_image_id=image["id"])
    url = httpx.get(f"{room.base}/stories/{story['slug']}/").text
    path = media_paths(url)[0]
    shown = httpx.get(room.base + path)
    assert shown.status_code == 200
    control = shown.headers["cache-control"]
    assert "immutable" not in control and "max-age=60" in control, control
    assert shown.headers["surrogate-key"].split() == [
        f"image-{image['id']}",
        f"story-{story['id']}",
    ]
    again = httpx.get(room.base + path, headers={"If-None-Match": shown.headers["etag"]})
    assert again.status_code == 304
    room.api.post(f"/stories/{story['id']}/unpublish").raise_for_status()
    assert httpx.get(room.base + path).status_code == 404
    stale = httpx.get(room.base + path, headers={"If-None-Match": shown.headers["etag"]})
    assert stale.status_code == 404
    assert httpx.head(room.base + path).status_code == 404


def test_only_allowed_addresses_may_purge(site, tmp_path_factory):
    """The purge endpoint answers 403 to an address not given with --purge-allow, and 405 to a
    method other than PURGE or POST."""
    nginx_binary()
    guarded = Nginx(
        tmp_path_factory.mktemp("guarded"), ["127.0.0.1:9"], static_root(site.environ),
        extra=("--purge-allow", "192.0.2.1"),
    )  # fmt: skip
    try:
        refused = httpx.request(
            "PURGE", guarded.url + "/_newsdesk/purge", headers={"Surrogate-Key": "feed"}
        )
    finally:
        guarded.stop()
    assert refused.status_code == 403
    # The open one (127.0.0.1 allowed by default) takes PURGE, refuses GET.
    open_one = Nginx(tmp_path_factory.mktemp("open"), ["127.0.0.1:9"], static_root(site.environ))
    try:
        taken = httpx.request(
            "PURGE", open_one.url + "/_newsdesk/purge", headers={"Surrogate-Key": "feed image-1"}
        )
        wrong = httpx.get(open_one.url + "/_newsdesk/purge")
    finally:
        open_one.stop()
    assert taken.status_code == 200
    assert wrong.status_code == 405
