"""A way around, over HTTP: the header and its sections, the search box, the phone menu, the
topic and author indexes, the footer's feeds and links, the icons and the web app manifest, the
404 page, body headings that nest under the page's own, and links on the address the site is
served on."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core.cache import cache

from newsdesk.config import env
from newsdesk.config.management.commands.serve import follow_address
from newsdesk.stories import actions

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, lxml.html.fromstring(response.content)


def heading_levels(tree) -> list[int]:
    return [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def assert_outline(tree, url: str) -> None:
    """One <h1>, first, and no heading more than one level below the heading before it."""
    levels = heading_levels(tree)
    assert levels[:1] == [1] and levels.count(1) == 1, (url, levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (url, levels)


@pytest.fixture
def newsroom(editor, publish, author, topic):
    """A published story with headings in its body, a topic with a draft only, a guest author
    with a draft only, and a staff author with no story at all."""
    story = publish(
        "Harbour reopens at dawn",
        summary="Ships move again.",
        body="Opening words.\n\n### What we know\n\nThe quay is open.\n\n##### Details\n\nMore.",
        author_ids=[author.pk],
        topic_ids=[topic.pk],
    )
    secret_topic = actions.do_save_topic(editor, None, {"name": "Quorvane Merger"})
    guest = actions.do_save_author(editor, None, {"name": "Blixtor Guest", "role": "Freelance"})
    draft = actions.do_create_story(
        editor,
        {
            "headline": "Fennaglow embargoed plan",
            "body": "Secret.",
            "topic_ids": [secret_topic.pk],
            "author_ids": [guest.pk],
        },
    )
    staff = actions.do_save_author(editor, None, {"name": "Desk Person", "user": editor})
    return {"story": story, "draft": draft, "staff": staff, "guest": guest}


READER_PAGES = ["/", "/topics/", "/authors/", "/stories/harbour-reopens-at-dawn/",
                "/topics/energy/", "/authors/mira-osei/", "/search?q=harbour"]  # fmt: skip


# ── the header ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("url", READER_PAGES)
def test_every_reader_page_has_the_header_search_box_sections_and_phone_menu(client, newsroom, url):
    """Name and logo link home; the search box sends a GET to the search page; the sections
    (News Feed, topics with stories, all topics, authors) are in a bar and, for phones, in a
    <details> menu that needs no JavaScript."""
    _, tree = page(client, url)
    header = tree.xpath("//header[contains(@class, 'site-header')]")[0]
    brand = header.xpath(".//a[contains(@class, 'site-brand')]")[0]
    assert brand.get("href") == "/"
    assert brand.text_content().strip() == "Newsdesk"
    assert brand.xpath(".//img/@src")[0].endswith(".svg")
    forms = header.xpath(".//form[@role='search']")
    assert len(forms) == 2  # the bar's and the phone menu's
    for form in forms:
        assert (form.get("method"), form.get("action")) == ("get", "/search")
        field = form.xpath(".//input[@type='search']")[0]
        assert field.get("name") == "q"
        assert form.xpath(f".//label[@for='{field.get('id')}']")
    bar, menu = header.xpath(".//nav[@aria-label='Main']//ul")
    for sections in (bar, menu):
        names = [a.text_content() for a in sections.xpath(".//a")]
        assert names == ["News Feed", "Energy", "All topics", "Authors"]  # no draft-only topic
    summary = header.xpath(".//details[contains(@class, 'site-menu')]/summary")[0]
    assert summary.text_content().strip() == "Menu"
    assert len(tree.xpath("//@id")) == len(set(tree.xpath("//@id"))), "ids must be unique"


def test_the_current_section_is_marked(client, newsroom):
    """The section the reader is in carries aria-current="page" (bar and menu alike)."""
    _, tree = page(client, "/topics/energy/")
    current = tree.xpath("//header//a[@aria-current='page']")
    assert [a.text_content() for a in current] == ["Energy", "Energy"]
    _, tree = page(client, "/authors/")
    assert {a.text_content() for a in tree.xpath("//header//a[@aria-current]")} == {"Authors"}


def test_the_logo_is_configurable(client, newsroom, settings):
    """NEWSDESK_SITE_LOGO: a full URL or a site path as given, a static path through static."""
    settings.SITE_LOGO = "https://cdn.example.org/brand/logo.svg"
    _, tree = page(client, "/")
    assert tree.xpath("//a[contains(@class, 'site-brand')]//img/@src") == [settings.SITE_LOGO]
    settings.SITE_LOGO = "newsdesk/icon-192.png"
    _, tree = page(client, "/")
    assert tree.xpath("//a[contains(@class, 'site-brand')]//img/@src") == [
        "/static/newsdesk/icon-192.png"
    ]
    assert env.url_origin("https://cdn.example.org/brand/logo.svg") == ["https://cdn.example.org"]
    assert env.url_origin("/brand/logo.svg") == []


# ── the indexes ──────────────────────────────────────────────────────────────────────────────


def test_topic_index_lists_topics_with_published_stories(client, newsroom, editor):
    """/topics/ names each topic with a published story and links to it; a topic whose only
    story is a draft is not listed, and nothing of the draft shows."""
    response, tree = page(client, "/topics/")
    assert tree.xpath("//h1/text()") == ["Topics"]
    assert tree.xpath("//main//h2/a/text()") == ["Energy"]
    assert tree.xpath("//main//h2/a/@href") == ["/topics/energy/"]
    assert "Power and grids." in tree.xpath("//main")[0].text_content()
    body = response.content.decode()
    for secret in ("Quorvane", "Fennaglow"):
        assert secret not in body
    assert "topics" in response["Surrogate-Key"].split()
    assert "public" in response["Cache-Control"]
    actions.do_publish_story(editor, newsroom["draft"].pk)
    _, tree = page(client, "/topics/")
    assert tree.xpath("//main//h2/a/text()") == ["Energy", "Quorvane Merger"]


def test_author_index_lists_staff_and_published_bylines_only(client, newsroom):
    """/authors/ lists staff (a desk account) even before their first story and authors with a
    published byline; a guest whose only story is a draft is not listed."""
    response, tree = page(client, "/authors/")
    assert tree.xpath("//h1/text()") == ["Authors"]
    assert tree.xpath("//main//h2/a/text()") == ["Desk Person", "Mira Osei"]
    assert "News Operations Editor" in tree.xpath("//main")[0].text_content()
    assert "Blixtor" not in response.content.decode()
    assert "authors" in response["Surrogate-Key"].split()


def test_a_rename_shows_on_the_indexes_at_once(
    client, newsroom, editor, topic, django_capture_on_commit_callbacks
):
    """Topic and author edits bump the names version (after commit): neither the index nor the
    header's remembered sections outlive them."""
    page(client, "/topics/")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_topic(editor, topic.pk, {"name": "Power", "slug": topic.slug})
    _, tree = page(client, "/topics/")
    assert tree.xpath("//main//h2/a/text()") == ["Power"]
    assert "Power" in [a.text_content() for a in tree.xpath("//header//nav//a")]


def test_the_indexes_are_anonymous_and_never_cached_for_editors(client, newsroom, editor):
    client.force_login(editor)
    response = client.get("/authors/")
    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


# ── the footer ───────────────────────────────────────────────────────────────────────────────


def test_footer_has_the_site_feeds_and_configured_about_and_contact(client, newsroom, settings):
    """RSS, Atom and JSON Feed links are visible in the footer and answer; About and Contact
    show when configured, and not otherwise."""
    _, tree = page(client, "/")
    footer = tree.xpath("//footer")[0]
    feeds = {a.text_content(): a.get("href") for a in footer.xpath(".//section//a")}
    assert feeds == {
        "RSS": "/feed/rss.xml", "Atom": "/feed/atom.xml", "JSON Feed": "/feed/feed.json"
    }  # fmt: skip
    for href in feeds.values():
        assert client.get(href).status_code == 200
    links = [a.text_content() for a in footer.xpath(".//nav//a")]
    assert "About" not in links and "Contact" not in links
    settings.ABOUT_URL, settings.CONTACT_URL = "/about/", "mailto:desk@example.org"
    _, tree = page(client, "/topics/")
    footer_links = {a.text_content(): a.get("href") for a in tree.xpath("//footer//nav//a")}
    assert footer_links["About"] == "/about/"
    assert footer_links["Contact"] == "mailto:desk@example.org"


# ── icons and the manifest ───────────────────────────────────────────────────────────────────


def test_pages_name_their_icons_and_manifest(client, newsroom):
    _, tree = page(client, "/")
    head = tree.find("head")
    icons = {(link.get("rel"), link.get("type")): link.get("href") for link in head.iter("link")}
    assert icons[("icon", "image/svg+xml")].endswith("newsdesk/icon.svg")
    assert icons[("icon", "image/png")].endswith("newsdesk/icon-32.png")
    assert icons[("apple-touch-icon", None)].endswith("newsdesk/icon-180.png")
    assert icons[("manifest", None)] == "/manifest.webmanifest"
    for href in (icons[("icon", "image/svg+xml")], icons[("icon", "image/png")]):
        assert (ROOT / "newsdesk/public/static" / href.removeprefix("/static/")).is_file()


def test_favicon_ico_is_never_a_404(client):
    """Browsers and feed readers ask for /favicon.ico: it leads to the icon file."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/newsdesk/favicon.ico"
    assert (ROOT / "newsdesk/public/static/newsdesk/favicon.ico").is_file()
    assert "max-age" in response["Cache-Control"]


def test_web_app_manifest_is_valid_json_with_name_icons_start_url_and_colours(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Newsdesk"
    assert manifest["start_url"] == "/"
    assert manifest["display"] in {"standalone", "minimal-ui", "browser", "fullscreen"}
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = ROOT / "newsdesk/public/static" / icon["src"].removeprefix("/static/")
        assert path.is_file(), icon
        if icon["type"] == "image/png":
            from PIL import Image

            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


# ── the 404 page ─────────────────────────────────────────────────────────────────────────────


def test_404_offers_search_and_the_latest_published_stories(client, newsroom):
    """A dead link is not a dead end: a search box and the latest stories, never a draft."""
    response, tree = page(client, f"/stories/{newsroom['draft'].slug}/", status=404)
    main = tree.xpath("//main")[0]
    form = main.xpath(".//form[@role='search']")[0]
    assert form.get("action") == "/search"
    assert main.xpath(".//section[@aria-labelledby='not-found-latest']//a/text()") == [
        "Harbour reopens at dawn"
    ]
    assert "Fennaglow" not in response.content.decode()
    assert_outline(tree, "404")


# ── headings ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("url", READER_PAGES)
def test_headings_never_skip_a_level(client, newsroom, url):
    """Every reader page: one <h1>, and each heading at most one level below the one before."""
    _, tree = page(client, url)
    assert_outline(tree, url)


def test_body_headings_nest_under_the_page_and_the_feed_item(client, newsroom):
    """The body's ### is an <h2> right under the story's <h1>, and an <h3> under a feed item's
    <h2> headline; its ##### is the level below (no skipped level)."""
    story = newsroom["story"]
    _, tree = page(client, story.get_absolute_url())
    body = tree.xpath("//div[contains(@class, 'story__body')]")[0]
    assert [(h.tag, h.text) for h in body.iter("h2", "h3", "h4", "h5", "h6")] == [
        ("h2", "What we know"),
        ("h3", "Details"),
    ]
    _, tree = page(client, "/")
    item = tree.xpath(f"//article[@id='story-{story.pk}']")[0]
    assert [h.tag for h in item.iter("h2", "h3", "h4", "h5", "h6")] == ["h2", "h3", "h4"]
    feed = client.get("/feed/feed.json").json()
    [entry] = [i for i in feed["items"] if i["title"] == story.headline]
    assert "<h2>What we know</h2>" in entry["content_html"]


# ── the address the site is served on ────────────────────────────────────────────────────────


def settings_in_a_new_process(**environ: str) -> dict:
    """The settings a fresh `newsdesk` process computes from these NEWSDESK_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'SITE_URL': s.SITE_URL, 'CSRF': s.CSRF_TRUSTED_ORIGINS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings", **environ},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.database_agnostic  # settings read in a new process
def test_site_url_follows_host_and_port_unless_set(tmp_path):
    """`NEWSDESK_PORT=8400 make run` links to port 8400; any address is reached on
    127.0.0.1; NEWSDESK_SITE_URL, when set, wins."""
    data = {"NEWSDESK_DATA_DIR": str(tmp_path)}
    assert settings_in_a_new_process(**data, NEWSDESK_PORT="8400")["SITE_URL"] == (
        "http://127.0.0.1:8400"
    )
    found = settings_in_a_new_process(**data, NEWSDESK_HOST="0.0.0.0", NEWSDESK_PORT="8401")  # noqa: S104
    assert found == {"SITE_URL": "http://127.0.0.1:8401", "CSRF": ["http://127.0.0.1:8401"]}
    found = settings_in_a_new_process(
        **data, NEWSDESK_PORT="8402", NEWSDESK_SITE_URL="https://news.example.org/"
    )
    assert found["SITE_URL"] == "https://news.example.org"


def test_serve_port_option_moves_the_site_url_too(settings, monkeypatch):
    """`newsdesk serve --port 8500` without NEWSDESK_SITE_URL: links name port 8500."""
    # Through the fixture first, so what follow_address sets is undone after the test.
    settings.SITE_URL, settings.SERVE_HOST, settings.SERVE_PORT = (
        "http://127.0.0.1:8000",
        "127.0.0.1",
        8000,
    )
    monkeypatch.delenv("NEWSDESK_SITE_URL", raising=False)
    monkeypatch.setenv("NEWSDESK_HOST", settings.SERVE_HOST)
    monkeypatch.setenv("NEWSDESK_PORT", str(settings.SERVE_PORT))
    follow_address("127.0.0.1", 8500)
    assert settings.SITE_URL == "http://127.0.0.1:8500"
    assert os.environ["NEWSDESK_PORT"] == "8500"  # what its worker processes read
    monkeypatch.setenv("NEWSDESK_SITE_URL", "https://news.example.org")
    follow_address("127.0.0.1", 8501)
    assert settings.SITE_URL == "http://127.0.0.1:8500"  # a configured public address stays


def test_every_absolute_link_names_the_site_address(client, newsroom, settings, editor):
    """Canonical URLs, feeds, sitemaps, robots.txt, JSON-LD and API `url` fields all use the
    site's address (here the port it is served on), never another."""
    settings.SITE_URL = "http://127.0.0.1:8400"
    cache.clear()
    story = newsroom["story"]
    seen = []
    for url in ["/", story.get_absolute_url(), "/topics/", "/authors/", "/feed/rss.xml",
                "/feed/atom.xml", "/feed/feed.json", "/sitemap.xml", "/sitemap-stories.xml",
                "/news-sitemap.xml", "/robots.txt", "/api/v1/feed", "/api/v1/authors",
                f"/api/v1/stories/by-slug/{story.slug}"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "127.0.0.1:8000" not in text, url
        if "127.0.0.1:8400" in text:
            seen.append(url)
    assert len(seen) >= 11, seen
    _, tree = page(client, story.get_absolute_url())
    assert tree.xpath("//link[@rel='canonical']/@href") == [
        f"http://127.0.0.1:8400{story.get_absolute_url()}"
    ]
    assert urlsplit(tree.xpath("//meta[@property='og:url']/@content")[0]).port == 8400


def test_long_descriptions_are_cut_at_a_word(client, editor, publish, topic):
    """A page description longer than fits ends at a whole word with "…", never mid-word."""
    words = "Grid operators balance wind, water and gas supplies around the clock. " * 8
    actions.do_save_topic(editor, topic.pk, {"name": topic.name, "description": words})
    publish("Grid news", topic_ids=[topic.pk])
    _, tree = page(client, topic.get_absolute_url())
    description = tree.xpath("//meta[@name='description']/@content")[0]
    assert description.endswith("…") and len(description) <= 200
    assert words.startswith(description[:-1])
    assert words[len(description) - 1] in " ,."  # the cut falls between words
