"""The ASGI application served by `newsdesk serve` (granian).

`/live/stream` goes to the lean live handler; everything else to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")

django_application = get_asgi_application()

from newsdesk.live.stream import PATH as LIVE_PATH  # noqa: E402  (needs Django set up)
from newsdesk.live.stream import live_stream  # noqa: E402


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == LIVE_PATH:
        return await live_stream(scope, receive, send)
    return await django_application(scope, receive, send)
