from django.urls import path, re_path

from newsdesk.api.api import api
from newsdesk.api.errors import for_status


def _unknown(request, rest: str = ""):
    return for_status(404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", _unknown),
]
