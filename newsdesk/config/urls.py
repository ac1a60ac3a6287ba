from django.contrib import admin
from django.urls import URLResolver, include, path

from newsdesk.core.editions import EditionPrefixPattern

urlpatterns = [
    path("desk/", include("newsdesk.desk.urls")),
    path("admin/", admin.site.urls),
    path("live/", include("newsdesk.live.urls")),
    path("api/v1/", include("newsdesk.api.urls")),
    # Each edition's pages, search, feeds and sitemaps: "/…" for the edition at /, "/uk/…" for uk
    # (newsdesk/core/editions.py). `reverse()` answers in the active language's edition.
    URLResolver(
        EditionPrefixPattern(),
        [
            path("", include("newsdesk.search.urls")),
            path("", include("newsdesk.syndication.urls")),
            path("", include("newsdesk.public.urls")),
        ],
    ),
]

handler400 = "newsdesk.api.errors.bad_request"
handler404 = "newsdesk.public.views.page_not_found"
handler500 = "newsdesk.public.views.server_error"
