"""The sitemap index, the Google News sitemap and robots.txt (feeds are in `feeds`)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from newsdesk.core import editions
from newsdesk.core.addresses import path_in
from newsdesk.syndication import entries, sitemaps
from newsdesk.syndication.caching import cached
from newsdesk.syndication.wellformed import xml_response

XML = "application/xml; charset=utf-8"
_ISO_639 = re.compile("[a-z]{2,3}")


def news_language(language: str) -> str:
    """A story's language as Google News wants it: ISO 639 (`en`), or zh-cn / zh-tw.

    A language field holding something else (it is free text) gives the site's own language,
    so the news sitemap stays valid against Google's schema whatever a story says.
    """
    tag = language.strip().lower().replace("_", "-")
    if tag in {"zh-cn", "zh-tw"}:
        return tag
    primary = tag.split("-")[0]
    if _ISO_639.fullmatch(primary):
        return primary
    return settings.LANGUAGE_CODE.split("-")[0].lower()


@cached
@xml_response
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One entry per section page: stories past 50,000 get a second page, and so on."""
    items = []
    for section, sitemap_class in sitemaps.SECTIONS.items():
        sitemap = sitemap_class()
        location = entries.absolute(reverse("syndication:sitemap", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return render(request, "sitemap_index.xml", {"sitemaps": items}, content_type=XML)


@cached
@xml_response
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section's sitemap (or one page of it), times to the second rather than Django's day."""
    return django_sitemap(
        request,
        sitemaps.SECTIONS,
        section=section,
        template_name="syndication/sitemap.xml",
        content_type=XML,
    )


@cached
@xml_response
def news_sitemap(request: HttpRequest) -> HttpResponse:
    stories = [
        {
            "location": entries.story_url(story),
            "language": news_language(story.language),
            "published": story.published_at.replace(microsecond=0),
            "title": story.headline,
        }
        for story in sitemaps.news_stories()
    ]
    context = {"stories": stories, "publication": settings.SITE_NAME}
    return render(request, "syndication/news_sitemap.xml", context, content_type=XML)


@cached
def robots_txt(request: HttpRequest) -> HttpResponse:
    """At / only (robots.txt has one place), naming every edition's sitemaps."""
    if not editions.current().is_default:
        raise Http404("robots.txt is at the root of the site.")
    sitemaps_of_editions = []
    for edition in editions.every():
        for name in ("syndication:sitemap_index", "syndication:news_sitemap"):
            sitemaps_of_editions.append(entries.absolute(path_in(edition.language, name)))
    context = {
        "sitemaps": sitemaps_of_editions,
        "disallowed": [reverse("desk:story_list"), reverse("admin:index")],
    }
    return render(
        request, "syndication/robots.txt", context, content_type="text/plain; charset=utf-8"
    )
