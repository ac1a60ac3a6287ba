"""WebSub pings, received by a real HTTP hub listening on 127.0.0.1."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

import pytest

from newsdesk.stories import actions
from newsdesk.syndication import websub
from tests.syndication.conftest import SITE_URL

WAIT = 10  # seconds; the hub is local, so this only bounds a broken test


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch):
    """Back-off delays of milliseconds, so retries are exercised without slowing the suite."""
    monkeypatch.setattr(websub, "RETRY_DELAYS", (0.01, 0.02, 0.04))


def hub_urls(body: str) -> list[str]:
    form = parse_qs(body)
    assert form["hub.mode"] == ["publish"]
    return form["hub.url"]


@pytest.mark.django_db
def test_publishing_pings_the_hub_with_every_affected_feed(
    settings, make_hub, editor, author, topic, django_capture_on_commit_callbacks
):
    """Publishing a story POSTs hub.mode=publish to the hub, form-encoded, naming the site's
    feeds and the feeds of the story's topic and author, in every format."""
    hub = make_hub()
    settings.WEBSUB_HUB = hub.url
    story = actions.do_create_story(
        editor,
        {"headline": "Ferry strike called off", "topic_ids": [topic.pk], "author_ids": [author.pk]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_publish_story(editor, story.pk)
    assert hub.done.wait(WAIT)
    [(headers, body)] = hub.requests
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    urls = hub_urls(body)
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert f"{SITE_URL}/feed/{name}" in urls
        assert f"{SITE_URL}/topics/{topic.slug}/feed/{name}" in urls
        assert f"{SITE_URL}/authors/{author.slug}/feed/{name}" in urls
    assert len(urls) == 9


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["update", "correct", "unpublish"])
def test_updates_corrections_and_unpublishing_ping_too(
    settings, make_hub, editor, publish, topic, change, django_capture_on_commit_callbacks
):
    """Every change readers see reaches the hub, including a story leaving the feeds."""
    story = publish("Bridge inspection results", topic_ids=[topic.pk])
    hub = make_hub()
    settings.WEBSUB_HUB = hub.url
    with django_capture_on_commit_callbacks(execute=True):
        if change == "update":
            actions.do_update_story(
                editor, story.pk, {"summary": "Cracks found."}, expected_version=story.version
            )
        elif change == "correct":
            actions.do_add_correction(editor, story.pk, "The bridge is 40 years old, not 50.")
        else:
            actions.do_unpublish_story(editor, story.pk)
    assert hub.done.wait(WAIT)
    assert f"{SITE_URL}/topics/{topic.slug}/feed/atom.xml" in hub_urls(hub.requests[0][1])


@pytest.mark.django_db
def test_a_failing_hub_is_retried_with_back_off(
    settings, make_hub, publish, django_capture_on_commit_callbacks
):
    """A hub that fails twice and then accepts gets exactly three requests."""
    hub = make_hub(statuses=[503, 500, 204], expected=3)
    settings.WEBSUB_HUB = hub.url
    with django_capture_on_commit_callbacks(execute=True):
        publish("Power restored in the old town")
    assert hub.done.wait(WAIT)
    assert len(hub.requests) == 3
    assert hub.requests[0][1] == hub.requests[2][1]


def test_a_hub_that_never_answers_is_given_up_and_logged(make_hub, caplog):
    """After the first try and every retry have failed, the ping is dropped with an error in
    the log that says what to check; it never raises."""
    hub = make_hub(statuses=[500, 500, 500, 500], expected=4)
    with caplog.at_level(logging.WARNING, logger="newsdesk.syndication.websub"):
        assert websub.ping(hub.url, [f"{SITE_URL}/feed/rss.xml"]) is False
    assert len(hub.requests) == 1 + len(websub.RETRY_DELAYS)
    assert "NEWSDESK_WEBSUB_HUB" in caplog.records[-1].getMessage()


@pytest.mark.django_db
def test_an_unreachable_hub_never_fails_the_editors_action(
    settings, make_hub, editor, publish, django_capture_on_commit_callbacks
):
    """With the hub down, publishing still succeeds at once: the ping runs in the background."""
    hub = make_hub()
    settings.WEBSUB_HUB = hub.url
    hub.close()
    with django_capture_on_commit_callbacks(execute=True):
        story = publish("Library opens late")
    assert story.is_published


@pytest.mark.django_db
def test_no_hub_no_ping(settings, make_hub, publish, django_capture_on_commit_callbacks):
    """With NEWSDESK_WEBSUB_HUB empty nothing is sent (the hub that exists hears nothing)."""
    hub = make_hub()
    settings.WEBSUB_HUB = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish("Quiet news day")
    assert callbacks  # the change was committed and announced ...
    assert not hub.done.wait(0.2)  # ... but no ping was sent
    assert hub.requests == []
