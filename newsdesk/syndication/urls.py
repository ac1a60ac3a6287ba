"""Addresses of feeds, sitemaps and robots.txt. Included before the reader pages, so that
`/topics/<slug>/feed/…` is a feed and not a topic page."""

from django.urls import path

from newsdesk.syndication import views
from newsdesk.syndication.caching import cached
from newsdesk.syndication.feeds import (
    FORMATS,
    AuthorStoriesFeed,
    LiveCoverageFeed,
    StoriesFeed,
    TopicStoriesFeed,
)

app_name = "syndication"

urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

for fmt, (filename, _generator) in FORMATS.items():
    urlpatterns += [
        path(f"feed/{filename}", cached(StoriesFeed(fmt)), name=f"site_{fmt}"),
        path(
            f"topics/<str:slug>/feed/{filename}",
            cached(TopicStoriesFeed(fmt)),
            name=f"topic_{fmt}",
        ),
        path(
            f"authors/<str:slug>/feed/{filename}",
            cached(AuthorStoriesFeed(fmt)),
            name=f"author_{fmt}",
        ),
        path(
            f"live/<str:slug>/feed/{filename}",
            cached(LiveCoverageFeed(fmt)),
            name=f"live_{fmt}",
        ),
    ]
