from django.urls import path

from newsdesk.public import live_pages, views

app_name = "public"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("more/", views.feed_more, name="feed_more"),
    path("stories/<str:slug>/", views.story, name="story"),
    path("authors/<str:slug>/", views.author, name="author"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("media/<path:path>", views.media, name="media"),
    path("live/<str:slug>/", live_pages.live, name="live"),
    path("live/<str:slug>/more/", live_pages.live_more, name="live_more"),
    path("live/<str:slug>/entries/<int:entry_id>/", live_pages.live_entry, name="live_entry"),
]

# The way around (issue 16): indexes of topics and authors, the web app manifest, the favicon.
urlpatterns += [
    path("topics/", views.topic_index, name="topic_index"),
    path("authors/", views.author_index, name="author_index"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]
