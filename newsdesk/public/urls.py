from django.urls import path

from newsdesk.public import views

app_name = "public"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("more/", views.feed_more, name="feed_more"),
    path("stories/<str:slug>/", views.story, name="story"),
    path("authors/<str:slug>/", views.author, name="author"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("media/<path:path>", views.media, name="media"),
]

# The way around (issue 16): indexes of topics and authors, the web app manifest, the favicon.
urlpatterns += [
    path("topics/", views.topic_index, name="topic_index"),
    path("authors/", views.author_index, name="author_index"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]
