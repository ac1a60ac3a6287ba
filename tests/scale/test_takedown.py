"""A takedown is gone everywhere within a second: a real `newsdesk serve` (two worker processes,
each with its own page cache unless the run has Redis) with the page cache on.

Expected: every surface that showed a story (its page by GET and HEAD, with and without the
validators of the old copy, the News Feed with its JSON-LD, the Show More fragment, RSS, Atom, JSON
Feed, the sitemaps, the search page, the API's story by id and slug, its feed and search, live
replay, the story's image and every rendition) is answered from a cache while the story is up.
Readers fire at all of them in parallel threads across the unpublish; of the answers to requests
sent one second or more after the unpublish returned, none still gives the story: no word of it,
no 200 for its image or a HEAD of its page, no 304 to the old validators. The same for a
correction: from one second on, the page and the API always carry it.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.scale.conftest import EDITOR
from tests.scale.takedown import (
    Newsroom,
    Probe,
    hammer,
    media_paths,
    show_more_path,
    unique_word,
    validators,
    warm,
)

pytestmark = [pytest.mark.timeout(240)]

READERS = 12
DATED = ("/feed/", "/sitemap", "/news-sitemap")  # answer If-Modified-Since themselves
GRACE = 1.0  # seconds after the write returned from which no copy may be given
AFTER = 2.5  # how long readers go on after the write returned


@pytest.fixture(scope="module")
def newsroom(site):
    """(base URL, Newsroom) of a server with two workers and a few stories."""
    base = site.serve("--workers", "2")
    token = site.newsdesk("token", EDITOR[0]).strip().split()[-1]
    room = Newsroom(base, token)
    for n in range(3):
        room.publish(f"Background update {n}", f"Nothing to see in update {n}.")
    return base, room


def _text_copy(*needles: str):
    def is_copy(response: httpx.Response) -> bool:
        text = response.text.lower() if response.status_code == 200 else ""
        return any(needle.lower() in text for needle in needles)

    return is_copy


def _served(response: httpx.Response) -> bool:
    return response.status_code in (200, 304)


def _or_not_modified(is_copy):
    """A conditional request: a 304 (the client keeps its old copy) or a copy in full."""
    return lambda response: response.status_code == 304 or is_copy(response)


def _run_across(base: str, probes: list[Probe], write) -> tuple[list, float, float]:
    """Readers on every probe from before `write()` until `AFTER` seconds after it returned;
    (answers, monotonic time the write was sent, and when it returned)."""
    returned: list[float] = []
    answers: list = []

    def until() -> bool:
        """Once every probe was asked twice after the grace second (at most `AFTER` + 15 s)."""
        if not returned or time.monotonic() < returned[0] + AFTER:
            return False
        late = [a.probe.name for a in list(answers) if a.sent >= returned[0] + GRACE]
        covered = all(late.count(p.name) >= 2 for p in probes)
        return covered or time.monotonic() > returned[0] + AFTER + 15

    readers = threading.Thread(
        target=hammer, args=(base, probes, READERS, until, answers), daemon=True
    )
    readers.start()
    deadline = time.monotonic() + 30
    while len(answers) < 2 * len(probes):  # every reader is under way before the write
        assert time.monotonic() < deadline, "the readers did not start"
        time.sleep(0.01)  # polling with a deadline
    sent = time.monotonic()
    write()
    returned.append(time.monotonic())
    readers.join(timeout=120)
    return answers, sent, returned[0]


def _from_the_cache(base: str, path: str) -> None:
    """Wait (with a deadline) until `path` is answered from the page cache: the test then sees
    what a stale copy would do."""
    deadline = time.monotonic() + 10
    while httpx.get(base + path).headers.get("x-newsdesk-cache") != "hit":
        assert time.monotonic() < deadline, f"{path} never came from the page cache"


def _report(answers, returned: float) -> tuple[list, list]:
    late = [a for a in answers if a.sent >= returned + GRACE]
    copies = [a for a in late if a.copy]
    return late, copies


def test_an_unpublished_story_is_gone_from_every_surface_within_a_second(newsroom):
    """After the unpublish returns, within a second no request of any method, with or without
    the old validators, gets the story from any surface."""
    base, room = newsroom
    word = unique_word()
    image = room.upload_image()
    story = room.publish(
        f"Harbour {word} memo",
        f"The {word} memo names everyone involved.\n\nMore paragraphs follow.",
        kind="article",
        lead_image_id=image["id"],
    )
    room.publish("A later update", "Published after the memo.")
    path = f"/stories/{story['slug']}/"
    page = httpx.get(base + path)
    assert page.status_code == 200 and word in page.text
    images = media_paths(page.text)
    assert len(images) >= 2, images  # the original and its renditions
    has_word = _text_copy(word, story["slug"])
    probes = [
        Probe("story page", path, is_copy=has_word),
        Probe("story page HEAD", path, "HEAD", is_copy=_served),
        Probe("News Feed and its JSON-LD", "/", is_copy=has_word),
        Probe("Show More fragment", show_more_path(), is_copy=has_word),
        Probe("RSS", "/feed/rss.xml", is_copy=has_word),
        Probe("Atom", "/feed/atom.xml", is_copy=has_word),
        Probe("JSON Feed", "/feed/feed.json", is_copy=has_word),
        Probe("stories sitemap", "/sitemap-stories.xml", is_copy=has_word),
        Probe("news sitemap", "/news-sitemap.xml", is_copy=has_word),
        # Search answers echo the query: only the story's address counts there.
        Probe("search page", f"/search?q={word}", is_copy=_text_copy(story["slug"])),
        Probe("API story", f"/api/v1/stories/{story['id']}", is_copy=has_word),
        Probe("API story by slug", f"/api/v1/stories/by-slug/{story['slug']}", is_copy=has_word),
        Probe("API feed", "/api/v1/feed", is_copy=has_word),
        Probe("API search", f"/api/v1/search?q={word}", is_copy=_text_copy(story["slug"])),
        Probe("live replay", "/live/poll?after=0", is_copy=has_word),
        *[Probe(f"image {p}", p, is_copy=_served) for p in images],
        *[Probe(f"image HEAD {p}", p, "HEAD", is_copy=_served) for p in images[:1]],
    ]
    # Then every validator a client got for a copy: each must be a 304 now (so the probe can
    # fail), and must never be one after the takedown.
    conditional = []
    with httpx.Client(base_url=base, timeout=30) as client:
        warm(base, probes)
        for probe in list(probes):
            if probe.method != "GET":
                continue
            got = validators(client.get(probe.path))
            deadline = time.monotonic() + 10
            while probe.path.startswith(DATED) and "last-modified" not in got:
                # feeds date a change once its second is over (syndication.caching)
                assert time.monotonic() < deadline, f"{probe.name} never gave Last-Modified"
                time.sleep(0.1)  # polling with a deadline
                got = validators(client.get(probe.path))
            if "etag" in got:
                conditional.append(
                    Probe(f"{probe.name} If-None-Match", probe.path,
                          headers={"If-None-Match": got["etag"]},
                          is_copy=_or_not_modified(probe.is_copy))
                )  # fmt: skip
            if "last-modified" in got:
                conditional.append(
                    Probe(f"{probe.name} If-Modified-Since", probe.path,
                          headers={"If-Modified-Since": got["last-modified"]},
                          is_copy=_or_not_modified(probe.is_copy))
                )  # fmt: skip
        page_dates = validators(client.get(path))
    conditional.append(
        Probe("story page If-Modified-Since", path,
              headers={"If-Modified-Since": page_dates["last-modified"]},
              is_copy=_or_not_modified(has_word))
    )  # fmt: skip
    names = {p.name for p in conditional}
    assert {
        "story page If-None-Match",
        "RSS If-None-Match",
        "RSS If-Modified-Since",
        "news sitemap If-Modified-Since",
        "API story If-None-Match",
    } <= names
    probes += conditional
    warm(base, conditional)
    _from_the_cache(base, path)

    answers, sent, returned = _run_across(base, probes, lambda: room.unpublish(story["id"]))

    late, copies = _report(answers, returned)
    before = [a for a in answers if a.answered < sent]
    missed = sorted({(a.probe.name, a.status) for a in before if not a.copy})
    assert before and not missed, f"the readers did not see the story before: {missed}"
    asked = {a.probe.name for a in late}
    assert asked == {p.name for p in probes}, "some surface was not asked after the grace second"
    assert not copies, sorted({(a.probe.name, a.status) for a in copies})
    last_copy = max((a.sent for a in answers if a.copy), default=returned) - returned
    print(f"\n{len(probes)} probes, {len(answers)} answers, {len(late)} after {GRACE}s, "
          f"{len(copies)} copies; "
          f"last copy sent {last_copy * 1000:.0f} ms after the unpublish returned")  # fmt: skip


def test_a_correction_is_on_every_copy_within_a_second(newsroom):
    """After a correction returns, within a second the story page and the API always carry it:
    never the uncorrected copy, by GET, HEAD or a 304 to the old validators."""
    base, room = newsroom
    word = unique_word()
    story = room.publish(f"Council {word} vote", f"The {word} vote passed by 12 to 3.")
    path = f"/stories/{story['slug']}/"
    note = f"An earlier version of this story gave the wrong count {word}zz."
    has_word = _text_copy(word)

    def uncorrected(response: httpx.Response) -> bool:
        return has_word(response) and note.lower() not in response.text.lower()

    probes = [
        Probe("story page", path, is_copy=uncorrected),
        Probe("API story", f"/api/v1/stories/{story['id']}", is_copy=uncorrected),
        Probe("API story by slug", f"/api/v1/stories/by-slug/{story['slug']}",
              is_copy=uncorrected),
    ]  # fmt: skip
    warm(base, probes)
    with httpx.Client(base_url=base, timeout=30) as client:
        old_page = validators(client.get(path))
        old_api = validators(client.get(f"/api/v1/stories/{story['id']}"))
    old_etag = old_page["etag"]
    # Each worker keeps its own copy (with its own CSP nonce, so its own ETag): a HEAD answered
    # with any of them describes an uncorrected copy.
    old_etags = {httpx.get(base + path).headers["etag"] for _ in range(20)}
    probes += [
        Probe("story page HEAD", path, "HEAD",
              is_copy=lambda r: r.headers.get("etag") in old_etags),
        Probe("story page If-None-Match", path, headers={"If-None-Match": old_etag},
              is_copy=_or_not_modified(uncorrected)),
        Probe("story page If-Modified-Since", path,
              headers={"If-Modified-Since": old_page["last-modified"]},
              is_copy=_or_not_modified(uncorrected)),
        Probe("API story If-None-Match", f"/api/v1/stories/{story['id']}",
              headers={"If-None-Match": old_api["etag"]}, is_copy=_or_not_modified(uncorrected)),
    ]  # fmt: skip
    warm(base, probes[3:])
    _from_the_cache(base, path)

    answers, _, returned = _run_across(base, probes, lambda: room.correct(story["id"], note))

    late, copies = _report(answers, returned)
    assert {a.probe.name for a in late} == {p.name for p in probes}
    assert not copies, sorted({(a.probe.name, a.status) for a in copies})
    shown = httpx.get(base + path)
    assert note in shown.text
