"""What the takedown tests share: a newsroom driven through the API of a real server, the list of
every surface that can show a story, and readers that hammer them in parallel threads.

A *probe* is one request a reader (or a feed reader, a crawler, a cache revalidating) makes, and
a rule telling whether its answer is still a copy of the story: its words or address in a body,
a 200 for its image or to a HEAD of its page, or a 304 to validators taken from a copy made
before the takedown (the client would go on showing that copy).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from newsdesk.stories.queries import Cursor
from tests.media.imagefiles import image_bytes


@dataclass(frozen=True)
class Probe:
    name: str
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    # (response) -> True when the answer still gives the reader what was taken away
    is_copy: Callable[[httpx.Response], bool] = lambda response: False


@dataclass
class Answer:
    probe: Probe
    sent: float  # time.monotonic() when the request was sent
    status: int
    copy: bool
    answered: float = 0.0  # time.monotonic() when the answer was in


class Newsroom:
    """An editor working through the API of a real `newsdesk serve`."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.api = httpx.Client(
            base_url=base + "/api/v1", timeout=30, headers={"Authorization": f"Bearer {token}"}
        )

    def upload_image(self) -> dict:
        response = self.api.post(
            "/images",
            files={"file": ("photo.jpg", image_bytes(size=(1600, 900)), "image/jpeg")},
            data={"alt_text": "The harbour at dawn"},
        )
        assert response.status_code == 201, response.text
        return response.json()

    def publish(self, headline: str, body: str, **fields) -> dict:
        created = self.api.post("/stories", json={"headline": headline, "body": body, **fields})
        assert created.status_code in (200, 201), created.text
        published = self.api.post(f"/stories/{created.json()['id']}/publish")
        assert published.status_code == 200, published.text
        return published.json()

    def unpublish(self, story_id: int) -> None:
        response = self.api.post(f"/stories/{story_id}/unpublish")
        assert response.status_code == 200, response.text

    def correct(self, story_id: int, text: str) -> None:
        response = self.api.post(f"/stories/{story_id}/corrections", json={"text": text})
        assert response.status_code in (200, 201), response.text


def unique_word() -> str:
    """A word no other story will ever contain (letters only: it survives slugs and search)."""
    return "quokka" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])


def show_more_path() -> str:
    """The Show More fragment from the top of the feed (a cursor after every story)."""
    return "/more/?before=" + Cursor(dt.datetime(2100, 1, 1, tzinfo=dt.UTC), 10**9).encode()


def media_paths(html: str) -> list[str]:
    """The /media/ files a page shows (img src and every srcset candidate)."""
    return sorted(set(re.findall(r"(/media/[^\"'\s,?<>]+)", html)))


def validators(response: httpx.Response) -> dict:
    return {k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers}


def hammer(
    base: str, probes: list[Probe], threads: int, until: Callable[[], bool], answers: list[Answer]
) -> None:
    """`threads` readers, each on its own connection, going round `probes` (each starting at a
    different one) until `until()`; every answer is appended to `answers`."""
    lock = threading.Lock()

    def reader(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            n = offset
            while not until():
                probe = probes[n % len(probes)]
                n += 1
                sent = time.monotonic()
                try:
                    response = client.request(probe.method, probe.path, headers=probe.headers)
                except httpx.HTTPError:
                    continue
                answer = Answer(
                    probe, sent, response.status_code, probe.is_copy(response), time.monotonic()
                )
                with lock:
                    answers.append(answer)

    workers = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)


def warm(base: str, probes: list[Probe], deadline_seconds: float = 20) -> None:
    """Ask every probe until it is answered with a copy (the cache then holds one), and assert
    it is: a probe that never shows the story could not catch a takedown that failed."""
    deadline = time.monotonic() + deadline_seconds
    with httpx.Client(base_url=base, timeout=30) as client:
        for probe in probes:
            while True:
                response = client.request(probe.method, probe.path, headers=probe.headers)
                if probe.is_copy(response):
                    break
                assert time.monotonic() < deadline, (
                    f"{probe.name} never showed the story before the takedown "
                    f"({response.status_code})"
                )
                time.sleep(0.05)  # polling with a deadline
