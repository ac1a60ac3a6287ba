"""The ASGI application served by `newsdesk serve` (granian)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")

application = get_asgi_application()
