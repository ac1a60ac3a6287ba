from django.contrib.auth import views as auth_views
from django.urls import path

from newsdesk.desk import views

app_name = "desk"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.story_list, name="story_list"),
]
