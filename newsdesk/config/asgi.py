"""The ASGI application served by `newsdesk serve` (granian).

`/live/stream` goes to the lean live handler; anonymous reader pages are answered from the page
cache when it holds a current copy (`newsdesk.cache.front`); everything else goes to Django.

Django itself runs as a WSGI application on a small pool of long-lived threads (a2wsgi), not
through Django's ASGI handler: our views are all synchronous, and the ASGI handler starts a new
thread for each request (with a new database connection) and hops between the event loop and
threads around the middleware. Measured on the feed page with the page cache off: about a third
less CPU per request this way (docs/benchmarks.md). Long-lived connections stay in the event loop:
the live stream never reaches Django.
"""

import os

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")

_django_wsgi = WSGIMiddleware(get_wsgi_application(), workers=settings.DJANGO_THREADS)


async def django_application(scope, receive, send):
    async def receive_message():  # a2wsgi needs a coroutine; granian's receive gives a future
        return await receive()

    return await _django_wsgi(scope, receive_message, send)


from newsdesk.cache.front import PageCache  # noqa: E402  (needs Django set up)
from newsdesk.live.stream import PATH as LIVE_PATH  # noqa: E402
from newsdesk.live.stream import live_stream  # noqa: E402

pages = PageCache(django_application)


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == LIVE_PATH:
        return await live_stream(scope, receive, send)
    return await pages(scope, receive, send)
