"""The ASGI application served by `newsdesk serve` (granian).

`/live/stream` goes to the lean live handler; anonymous reader pages are answered from the page
cache when it holds a current copy (`newsdesk.cache.front`); everything else goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")

django_application = get_asgi_application()

from newsdesk.cache.front import PageCache  # noqa: E402  (needs Django set up)
from newsdesk.live.stream import PATH as LIVE_PATH  # noqa: E402
from newsdesk.live.stream import live_stream  # noqa: E402

pages = PageCache(django_application)


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == LIVE_PATH:
        return await live_stream(scope, receive, send)
    return await pages(scope, receive, send)
