"""Fixtures for feeds, sitemaps and structured data: a newsroom with a public address, a story
with a lead image, the schemas real consumers check against, and a WebSub hub to ping."""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from lxml import etree

from newsdesk.config import env
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from tests.media.imagefiles import image_bytes

SCHEMAS = Path(__file__).parent / "schemas"
SCHEMAORG = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "schemaorg"
    / "schemaorg-current-https.jsonld"
)
SITE_URL = "https://news.example.org"
SITE_NAME = "The Harbour Ledger"


@pytest.fixture(autouse=True)
def _public_site(settings):
    """Feeds and sitemaps name the public address, not the test client's host."""
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = SITE_NAME
    settings.WEBSUB_HUB = ""
    # Argon2 is slow on purpose; these tests log nobody in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead_image(editor):
    return do_upload_image(
        editor,
        image_bytes(size=(1200, 675)),
        alt_text="Lineworkers raise a pylon at dusk",
        caption="The new line near Eastmoor.",
        credit="Jo Finch / Ledger",
    )


@pytest.fixture
def article(editor, author, topic, lead_image):
    """A published article with everything a feed entry can carry."""
    story = actions.do_create_story(
        editor,
        {
            "headline": "Grid operator & unions agree <overnight> repair plan",
            "summary": "Crews will work in shifts until the eastern line is back.",
            "body": "The **eastern line** goes back into service on Friday.\n\n"
            "[The timetable](/stories/timetable/) is online.",
            "kind": "article",
            "author_ids": [author.pk],
            "topic_ids": [topic.pk],
            "lead_image_id": lead_image.pk,
        },
    )
    return actions.do_publish_story(editor, story.pk)


def dated(client, url: str):
    """GET `url` until it carries Last-Modified: feeds date a change only once its second is
    over (`syndication.caching._last_modified`), about two seconds after a publish."""
    deadline = time.monotonic() + 10
    response = client.get(url)
    while "Last-Modified" not in response:
        assert time.monotonic() < deadline, f"{url} never gave a Last-Modified"
        time.sleep(0.1)  # polling with a deadline
        response = client.get(url)
    return response


def xml_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def news_sitemap_schema() -> etree.XMLSchema:
    """sitemap.xsd only accepts other namespaces it can check, so import both schemas."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9"
                  schemaLocation="{(SCHEMAS / "sitemap.xsd").as_uri()}"/>
      <xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9"
                  schemaLocation="{(SCHEMAS / "sitemap-news.xsd").as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@pytest.fixture(scope="session")
def schemaorg_types() -> set[str]:
    """Names of every class in the schema.org vocabulary (loaded once: the file is large)."""
    if not SCHEMAORG.exists():
        if env.is_ci():
            pytest.fail(f"The schema.org vocabulary is missing at {SCHEMAORG}.")
        pytest.skip("The schema.org vocabulary (shared/data/schemaorg) is not on this machine.")
    graph = json.loads(SCHEMAORG.read_text())["@graph"]
    names = set()
    for node in graph:
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if "rdfs:Class" in types:
            names.add(node["@id"].removeprefix("schema:"))
    return names


class Hub:
    """A WebSub hub on 127.0.0.1 that records each POST and answers with `statuses` in turn."""

    def __init__(self, statuses: list[int], expected: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], str]] = []
        self.done = threading.Event()
        self.expected = expected
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                hub.requests.append((dict(self.headers), body))
                status = hub.statuses.pop(0) if hub.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if len(hub.requests) >= hub.expected:
                    hub.done.set()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_hub():
    hubs: list[Hub] = []

    def _make(statuses: list[int] = (), expected: int = 1) -> Hub:
        hub = Hub(list(statuses), expected)
        hubs.append(hub)
        return hub

    yield _make
    for hub in hubs:
        hub.close()


def alternates_sitemap_schema() -> etree.XMLSchema:
    """sitemap.xsd with the `xhtml:link` alternates of a story in other languages."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9"
                  schemaLocation="{(SCHEMAS / "sitemap.xsd").as_uri()}"/>
      <xsd:import namespace="http://www.w3.org/1999/xhtml"
                  schemaLocation="{(SCHEMAS / "xhtml-link.xsd").as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))
