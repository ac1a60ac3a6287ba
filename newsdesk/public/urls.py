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
