"""Takedowns in one process: the purge hook, and images of a story that is no longer published.

Expected:
- After an unpublish commits, the purge hook sends `PURGE` with `Surrogate-Key: feed story-<id>
  image-<id>` to `NEWSDESK_PURGE_URL`, retrying a cache that fails (503) a bounded number of
  times, and once more a moment later; a correction purges the page keys but no image; a cache
  that cannot be reached never fails the write.
- An image is public (short max-age, never `immutable`, keyed by image and story) while a
  published story shows it, a 404 for anonymous readers once no published story does (with or
  without the old validators), and stays public while another published story still shows it.
- `/media/` paths the file system refuses (a NUL byte, 5,000 characters) are a 404, never a 500.

The real-server and nginx halves are tests/scale/test_takedown.py and test_nginx_takedown.py.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from django.test import Client

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from tests.media.imagefiles import image_bytes


class PurgeCache:
    """A stand-in for nginx's purge endpoint on a loopback port: records each request, and
    answers 503 to the first `failures` of them."""

    def __init__(self, failures: int = 0) -> None:
        self.requests: list[tuple[str, str]] = []
        self.failures = failures
        cache = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self) -> None:
                cache.requests.append((self.command, self.headers.get("Surrogate-Key", "")))
                failing = len(cache.requests) <= cache.failures
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/_newsdesk/purge"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, seconds: float = 10) -> list[tuple[str, str]]:
        deadline = time.monotonic() + seconds
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"only {self.requests} arrived"
            time.sleep(0.02)  # polling with a deadline
        return self.requests

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def purge_cache(settings):
    cache = PurgeCache(failures=2)
    settings.PURGE_URL = cache.url
    yield cache
    cache.close()


@pytest.fixture
def photo(editor):
    return do_upload_image(editor, image_bytes(size=(1200, 675)), alt_text="Boats in a harbour")


@pytest.mark.django_db
def test_an_unpublish_purges_its_keys_retrying_a_failing_cache(
    editor, publish, photo, purge_cache, django_capture_on_commit_callbacks
):
    """Two 503s, then the purge goes through (three tries), and it is sent once more after."""
    with django_capture_on_commit_callbacks(execute=True):  # a publish purges nothing
        story = publish("Leaked letter", lead_image_id=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unpublish_story(editor, story.pk)
    requests = purge_cache.wait_for(4)
    assert [method for method, _ in requests] == ["PURGE"] * 4
    keys = requests[0][1].split()
    assert keys == ["feed", f"story-{story.pk}", f"image-{photo.pk}"]
    assert {k for _, k in requests} == {requests[0][1]}  # nothing from the publish


@pytest.mark.django_db
def test_a_correction_purges_pages_but_no_image(
    editor, publish, photo, purge_cache, django_capture_on_commit_callbacks
):
    purge_cache.failures = 0
    story = publish("Vote count", lead_image_id=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_add_correction(editor, story.pk, "The count was 12 to 3, not 13 to 2.")
    assert purge_cache.wait_for(1)[0][1].split() == ["feed", f"story-{story.pk}"]


@pytest.mark.django_db
def test_an_edit_purges_pages_and_only_the_photo_it_dropped(
    editor, publish, photo, purge_cache, django_capture_on_commit_callbacks
):
    """Swapping the lead photo names the old photo (now private), not the new one; an edit that
    keeps its photo names no image."""
    purge_cache.failures = 0
    story = publish("Quay fire", lead_image_id=photo.pk)
    other = do_upload_image(editor, image_bytes(size=(900, 600)), alt_text="The quay at night")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_update_story(
            editor, story.pk, {"lead_image_id": other.pk}, expected_version=None
        )
    first, repeat = purge_cache.wait_for(2)  # the purge and its repeat
    assert first == repeat
    assert first[1].split() == ["feed", f"story-{story.pk}", f"image-{photo.pk}"]
    purge_cache.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_update_story(editor, story.pk, {"summary": "Now out."}, expected_version=None)
    assert purge_cache.wait_for(1)[0][1].split() == ["feed", f"story-{story.pk}"]


@pytest.mark.django_db
def test_a_library_photo_in_the_body_is_purged_with_its_story_and_when_an_edit_cuts_it(
    editor, publish, photo, purge_cache, django_capture_on_commit_callbacks
):
    """A photo placed inline (`[image N]`) is keyed like a lead image: unpublishing the story
    names it, and so does an edit that takes its line out of the body."""
    purge_cache.failures = 0
    story = publish("Harbour in pictures", body=f"Boats.\n\n[image {photo.pk}]")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_update_story(editor, story.pk, {"body": "Boats."}, expected_version=None)
    first, _repeat = purge_cache.wait_for(2)
    assert first[1].split() == ["feed", f"story-{story.pk}", f"image-{photo.pk}"]
    purge_cache.requests.clear()
    actions.do_update_story(  # (on_commit hooks do not run here: no purge is sent)
        editor, story.pk, {"body": f"Boats.\n\n[image {photo.pk}]"}, expected_version=None
    )
    assert Client().get(f"/media/{photo.file.name}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unpublish_story(editor, story.pk)
    assert purge_cache.wait_for(1)[0][1].split() == [
        "feed",
        f"story-{story.pk}",
        f"image-{photo.pk}",
    ]
    assert Client().get(f"/media/{photo.file.name}").status_code == 404


@pytest.mark.django_db
def test_an_unreachable_cache_never_fails_the_write(
    editor, publish, settings, django_capture_on_commit_callbacks
):
    """The purge URL points at a closed port: the unpublish still commits and returns."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    settings.PURGE_URL = f"http://127.0.0.1:{closed}/_newsdesk/purge"
    story = publish("Still taken down")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_unpublish_story(editor, story.pk)
    story.refresh_from_db()
    assert story.status == "unpublished"


@pytest.mark.django_db
def test_an_image_is_public_only_while_a_published_story_shows_it(client, editor, publish, photo):
    story = publish("Harbour photo", lead_image_id=photo.pk)
    path = photo.url
    shown = client.get(path)
    assert shown.status_code == 200
    control = shown["Cache-Control"]
    assert "immutable" not in control and "31536000" not in control
    assert control == "public, max-age=60"
    assert shown["Surrogate-Key"].split() == [f"image-{photo.pk}", f"story-{story.pk}"]
    assert client.get(path, headers={"if-none-match": shown["ETag"]}).status_code == 304
    actions.do_unpublish_story(editor, story.pk)
    assert client.get(path).status_code == 404
    assert client.get(path, headers={"if-none-match": shown["ETag"]}).status_code == 404
    assert (
        client.get(path, headers={"if-modified-since": shown["Last-Modified"]}).status_code == 404
    )
    assert client.head(path).status_code == 404


@pytest.mark.django_db
def test_an_image_another_published_story_shows_stays_public(client, editor, publish, photo):
    first = publish("First with the photo", lead_image_id=photo.pk)
    second = publish("Second with the photo", lead_image_id=photo.pk)
    actions.do_unpublish_story(editor, first.pk)
    shown = client.get(photo.url)
    assert shown.status_code == 200
    assert shown["Surrogate-Key"].split() == [f"image-{photo.pk}", f"story-{second.pk}"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/media/%00", "/media/images/%00.jpg", "/media/" + "a" * 5000, "/media/a/" * 700]
)
def test_media_paths_the_file_system_refuses_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
