"""What reader pages tell machines: feed links, OpenGraph and Twitter tags, schema.org JSON-LD."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from lxml import html
from PIL import Image

from newsdesk.stories import actions
from tests.syndication.conftest import SITE_NAME, SITE_URL


def page(client, url: str) -> html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content)


def meta(document: html.HtmlElement) -> dict[str, str]:
    tags = document.xpath("//head/meta[@property or @name]")
    return {tag.get("property") or tag.get("name"): tag.get("content") for tag in tags}


def feed_links(document: html.HtmlElement) -> dict[str, str]:
    links = document.xpath("//head/link[@rel='alternate']")
    return {link.get("href"): link.get("type") for link in links}


def json_ld(document: html.HtmlElement) -> list[dict]:
    scripts = document.xpath("//script[@type='application/ld+json']")
    return [json.loads(script.text) for script in scripts]


def types_used(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*(types_used(value) for value in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["@type"]} if "@type" in node else set()
    return found.union(*(types_used(value) for value in node.values()))


SITE_FEEDS = {
    f"{SITE_URL}/feed/rss.xml": "application/rss+xml",
    f"{SITE_URL}/feed/atom.xml": "application/atom+xml",
    f"{SITE_URL}/feed/feed.json": "application/feed+json",
}


@pytest.mark.django_db
def test_every_reader_page_links_the_site_feeds(client, article, author, topic):
    """Feed readers find the site's RSS, Atom and JSON feeds from any reader page; topic and
    author pages add their own feeds."""
    for url in (
        "/",
        article.get_absolute_url(),
        author.get_absolute_url(),
        topic.get_absolute_url(),
    ):
        links = feed_links(page(client, url))
        assert SITE_FEEDS.items() <= links.items(), url
    topic_links = feed_links(page(client, topic.get_absolute_url()))
    assert topic_links[f"{SITE_URL}/topics/{topic.slug}/feed/atom.xml"] == "application/atom+xml"
    author_links = feed_links(page(client, author.get_absolute_url()))
    assert author_links[f"{SITE_URL}/authors/{author.slug}/feed/feed.json"] == (
        "application/feed+json"
    )
    titles = page(client, "/").xpath("//head/link[@rel='alternate']/@title")
    assert f"{SITE_NAME} (RSS)" in titles


@pytest.mark.django_db
def test_story_page_has_canonical_lang_description_opengraph_and_twitter(client, article):
    """A story page names its canonical address and language, and shares as an article with
    its image, size, alt text and times."""
    document = page(client, article.get_absolute_url())
    url = f"{SITE_URL}{article.get_absolute_url()}"
    assert document.xpath("//link[@rel='canonical']/@href") == [url]
    assert document.get("lang") == "en"
    tags = meta(document)
    assert tags["description"] == article.summary
    assert tags["og:title"] == article.headline
    assert tags["og:description"] == article.summary
    assert tags["og:url"] == url
    assert tags["og:site_name"] == SITE_NAME
    assert tags["og:type"] == "article"
    assert tags["og:image"].startswith(f"{SITE_URL}/media/images/")
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "675")
    assert tags["og:image:alt"] == "Lineworkers raise a pylon at dusk"
    assert tags["article:published_time"].startswith(article.published_at.date().isoformat())
    assert "article:modified_time" in tags
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


@pytest.mark.django_db
def test_story_without_image_shares_as_a_summary_card(client, publish):
    """Without a lead image there is no og:image and the Twitter card is a plain summary."""
    story = publish("Council meets at seven")
    tags = meta(page(client, story.get_absolute_url()))
    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"


@pytest.mark.django_db
def test_other_pages_share_as_websites(client, article, author, topic):
    """The News Feed, author and topic pages are og:type website with their own address."""
    for url in ("/", author.get_absolute_url(), topic.get_absolute_url()):
        tags = meta(page(client, url))
        assert tags["og:type"] == "website", url
        assert tags["og:url"] == f"{SITE_URL}{url}"


@pytest.mark.django_db
def test_story_page_json_ld_is_a_complete_news_article(client, article, author, schemaorg_types):
    """The story page describes itself as a schema.org NewsArticle with the properties search
    engines ask for, using only types that exist in schema.org."""
    [data] = json_ld(page(client, article.get_absolute_url()))
    url = f"{SITE_URL}{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["description"] == article.summary
    assert data["inLanguage"] == "en"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["image"][0].startswith(f"{SITE_URL}/media/images/")
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert "dateModified" in data
    assert data["author"] == [
        {
            "@type": "Person",
            "name": author.name,
            "url": f"{SITE_URL}/authors/{author.slug}/",
            "jobTitle": author.role,
        }
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == SITE_NAME
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith(f"{SITE_URL}/static/syndication/logo")
    assert types_used(data) <= schemaorg_types
    logo = finders.find("syndication/logo.png")
    with Image.open(logo) as image:
        assert (publisher["logo"]["width"], publisher["logo"]["height"]) == image.size


@pytest.mark.django_db
def test_news_feed_json_ld_is_a_live_blog_of_the_latest_items(client, publish, schemaorg_types):
    """The News Feed is a LiveBlogPosting whose updates are its newest stories, each with its
    text, authors and address (issue 14: the same completeness as a live page's updates)."""
    first = publish("Polls open")
    second = publish("Turnout high at noon")
    [data] = json_ld(page(client, "/"))
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"].startswith(first.published_at.date().isoformat())
    updates = data["liveBlogUpdate"]
    assert [update["headline"] for update in updates] == [second.headline, first.headline]
    assert updates[0] == {
        "@type": "BlogPosting",
        "@id": f"{SITE_URL}{second.get_absolute_url()}",
        "headline": second.headline,
        "url": f"{SITE_URL}{second.get_absolute_url()}",
        "articleBody": "Some words.",
        "datePublished": updates[0]["datePublished"],
        "dateModified": updates[0]["dateModified"],
        "author": [],
    }
    assert types_used(data) <= schemaorg_types


@pytest.mark.django_db
def test_author_page_json_ld_is_a_profile_page(client, author, schemaorg_types):
    """An author page is a ProfilePage whose main entity is the author as a Person."""
    [data] = json_ld(page(client, author.get_absolute_url()))
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == author.name
    assert person["url"] == f"{SITE_URL}/authors/{author.slug}/"
    assert types_used(data) <= schemaorg_types


@pytest.mark.django_db
def test_json_ld_cannot_break_out_of_its_script_element(client, editor, publish):
    """A headline with </script> and markup stays data: <, > and & are JSON escapes, the parsed
    JSON-LD gives back the exact headline, and the page's CSP still forbids inline scripts."""
    headline = "Breaking </script><script>alert('x')</script> & <!-- more"
    story = publish(headline, summary="A < B && C > D")
    response = client.get(story.get_absolute_url())
    body = response.content.decode()
    start = body.index('<script type="application/ld+json">')
    block = body[start : body.index("</script>", start)]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    assert "&" not in block and ">" not in block.split(">", 1)[1]
    [data] = json_ld(html.fromstring(response.content))
    assert data["headline"] == headline
    assert data["description"] == "A < B && C > D"
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_json_ld_follows_an_edit(client, editor, article):
    """After an update the JSON-LD carries the new headline and a later dateModified."""
    actions.do_update_story(
        editor,
        article.pk,
        {"headline": "Repair plan agreed"},
        expected_version=article.version,
        mark_as_update=True,
    )
    [data] = json_ld(page(client, article.get_absolute_url()))
    assert data["headline"] == "Repair plan agreed"
    assert data["dateModified"] > data["datePublished"]


def test_live_page_json_ld_is_a_live_blog_of_its_entries(client, editor, schemaorg_types):
    """A live coverage's page is a LiveBlogPosting of schema.org types only, whose updates are
    its entries at their own addresses (issue 14)."""
    coverage = actions.do_create_story(
        editor, {"headline": "Count night: live", "summary": "Counting.", "kind": "live"}
    )
    actions.do_publish_story(editor, coverage.pk)
    coverage.refresh_from_db()
    entry = actions.do_post_entry(editor, coverage.pk, {"body": "First box opened."})
    [data] = json_ld(page(client, coverage.get_absolute_url()))
    assert data["@type"] == "LiveBlogPosting" and data["coverageStartTime"]
    [update] = data["liveBlogUpdate"]
    assert update["url"] == f"{SITE_URL}{entry.get_absolute_url()}"
    assert update["articleBody"] == "First box opened."
    assert types_used(data) <= schemaorg_types
