from django.urls import path

from newsdesk.live import views

app_name = "live"

urlpatterns = [
    path("poll", views.poll, name="poll"),
]
