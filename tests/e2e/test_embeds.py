"""An embed on a published story's page asks the platform nothing until the reader clicks:
checked against a stand-in for the platforms that records every request it gets."""

from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import expect

from tests.embed_standin import StandIn
from tests.servers import free_port, migrated, run_newsdesk, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

VIDEO = "https://www.youtube.com/watch?v=abcDEF12345"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server of its own whose embed requests go to the stand-in, with one published story."""
    with StandIn() as platforms:
        port = free_port()
        environ = {
            **os.environ,
            "NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("embeds-site")),
            "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
            "NEWSDESK_EMBED_ORIGIN": platforms.origin,
            "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
        }
        environ.pop("NEWSDESK_DATABASE_URL", None)
        drop = migrated.prepare(environ, "newsdesk_e2e_embeds")
        run_newsdesk(environ, "collectstatic", "--noinput", "--verbosity", "0")
        run_newsdesk(
            {**environ, "NEWSDESK_PASSWORD": "Embed-Editor-Password-7"},
            "createuser", "embededitor", "--role", "editor",
        )  # fmt: skip
        seed = (
            "from django.contrib.auth import get_user_model; "
            "from newsdesk.stories import actions; "
            "u = get_user_model().objects.get(username='embededitor'); "
            "s = actions.do_create_story(u, {'headline': 'Lantern lifted', 'slug': 'lantern', "
            f"'body': 'The crane worked at dawn.\\n\\n{VIDEO}\\n'}}); "
            "actions.do_publish_story(u, s.pk)"
        )
        run_newsdesk(environ, "shell", "--no-imports", "--command", seed)
        process = start_server(environ, port)
        try:
            yield f"http://127.0.0.1:{port}", platforms
        finally:
            stop_server(process)
            drop()


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


def test_embed_loads_nothing_from_the_platform_until_clicked(site, page):
    """The reader sees the video's title and a Play button; until the click, neither the page
    nor the browser has asked the platform anything; the click loads its player in a frame."""
    base, platforms = site
    assert platforms.asked("/www.youtube.com/oembed")  # at save time, by the server
    asked_before = len(platforms.requests)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(base) else None,
    )
    page.goto(base + "/stories/lantern/")
    card = page.locator("figure.embed")
    expect(card).to_contain_text("Harbour crane lifts the new lighthouse lantern")
    button = card.get_by_role("button", name="Play the video from YouTube")
    expect(button).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(platforms.requests) == asked_before
    assert outside == []
    assert page.locator("iframe").count() == 0

    button.click()
    frame = card.locator("iframe.embed__frame")
    expect(frame).to_have_attribute("src", re.compile(r"/www\.youtube-nocookie\.com/embed/"))
    wait_for(lambda: platforms.asked("/www.youtube-nocookie.com/embed/abcDEF12345"))
    expect(
        page.frame_locator("iframe.embed__frame").get_by_text("The stand-in player.")
    ).to_be_visible()
    assert page.js_errors == []
