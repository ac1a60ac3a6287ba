"""Wire sources for tests: a push source of each format with its token, and a local HTTP server
serving whatever bytes a test gives it (real HTTP for the poller, no mocks)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from newsdesk.wires.actions import do_add_source

IPTC = Path(__file__).resolve().parents[3] / "shared" / "data" / "iptc"
NINJS_SAMPLES = sorted((IPTC / "ninjs" / "examples").rglob("*.json"))
NEWSML_SAMPLES = sorted((IPTC / "newsml-g2").glob("LISTING_*.xml"))


@pytest.fixture
def ninjs_source(editor):
    return do_add_source(editor, name="Harbour Press Agency", kind="ninjs")


@pytest.fixture
def newsml_source(editor):
    return do_add_source(editor, name="Acme Newswire", kind="newsml")


class FeedServer:
    """Serves `pages[path] = (status, content_type, bytes)` on 127.0.0.1 (for a 3xx status,
    the bytes are the redirect's Location)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        pages = self.pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, content_type, body = pages.get(self.path, (404, "text/plain", b"gone"))
                self.send_response(status)
                if 300 <= status < 400:  # a redirect: the body is where to
                    self.send_header("Location", body.decode())
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()
