"""A stand-in for the embed platforms (YouTube, X, Telegram, …): a tiny HTTP server on this
machine that answers oEmbed JSON, pages with OpenGraph tags and "players", and remembers every
request, so tests can prove what was asked and when. `NEWSDESK_EMBED_ORIGIN` (settings
`EMBED_ORIGIN`) sends every embed request here: nothing in the suite reaches the internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

YOUTUBE_OEMBED = {
    "type": "video",
    "title": "Harbour crane lifts the new lighthouse lantern",
    "author_name": "Lindenhav Port Authority",
    "author_url": "https://www.youtube.com/@lindenhavport",
    "thumbnail_url": "https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg",
}
X_OEMBED = {
    "author_name": "Lindenhav Coastguard",
    "author_url": "https://x.com/lindenhavcg",
    "html": (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Ferries resume at 06:00; '
        "keep clear of the north mole.</p>&mdash; Lindenhav Coastguard (@lindenhavcg) "
        '<a href="https://x.com/lindenhavcg/status/1234567890">March 3, 2026</a></blockquote>'
    ),
}
TELEGRAM_PAGE = """<!doctype html><html><head>
<meta property="og:title" content="Lindenhav Weather Watch">
<meta property="og:description" content="Gusts of 90 km/h expected on the coast road tonight.">
</head><body>post</body></html>"""
PLAYER_PAGE = "<!doctype html><title>Player</title><p>The stand-in player.</p>"


class StandIn:
    """Start with `with StandIn() as platforms:`; `platforms.origin` is its address."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.routes: dict[str, tuple[int, str, str]] = {
            "/www.youtube.com/oembed": (200, "application/json", json.dumps(YOUTUBE_OEMBED)),
            "/publish.twitter.com/oembed": (200, "application/json", json.dumps(X_OEMBED)),
            "/t.me/lindenhavweather/512": (200, "text/html", TELEGRAM_PAGE),
            "/www.youtube-nocookie.com/embed/": (200, "text/html", PLAYER_PAGE),
        }
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                standin.requests.append(self.path)
                path = urlsplit(self.path).path
                found = next(
                    (
                        v
                        for k, v in standin.routes.items()
                        if path == k or (k.endswith("/") and path.startswith(k))
                    ),
                    (404, "text/plain", "not here"),
                )
                status, content_type, body = found
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def asked(self, prefix: str) -> list[str]:
        return [path for path in self.requests if path.startswith(prefix)]

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
