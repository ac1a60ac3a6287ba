from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from newsdesk.api.api import api
from newsdesk.api.errors import for_status


@csrf_exempt  # an unknown route is a 404 whatever the method, never a CSRF 403
def _unknown(request, rest: str = ""):
    return for_status(404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", _unknown),
]
