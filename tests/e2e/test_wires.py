"""The wire desk against a real `newsdesk serve`: its own loop polls an agency feed served over
HTTP; an item pushed while an editor has the wire list open is offered without a reload; the
editor opens it and uses it to start a credited draft."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import EDITOR
from tests.e2e.test_accessibility import violations
from tests.e2e.test_review import log_in, refresh_counter
from tests.wires.conftest import FeedServer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Coast Agency</title><link>https://agency.example/</link>
<description>Invented agency copy</description>
<item><title>Pilot boats stay in port as swell builds</title>
<link>https://agency.example/pilot-boats</link><guid>urn:coast:pilot-boats</guid>
<description>&lt;p&gt;The harbour master closed the outer channel.&lt;/p&gt;</description>
<pubDate>Sun, 29 Nov 2026 06:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_feeds_are_polled_by_the_server_and_pushed_items_show_while_the_list_is_open(
    server, browser
):
    feed = FeedServer()
    try:
        feed.pages["/coast.xml"] = (200, "application/rss+xml", RSS)
        server.newsdesk("wire", "add", "E2E Coast Agency", "--feed", f"{feed.url}/coast.xml")
        added = server.newsdesk("wire", "add", "E2E Harbour Press", "--push", "ninjs").stdout
        token = added.split("Bearer ")[1].split()[0]
        page = browser.new_context().new_page()
        log_in(page, server.url, EDITOR)
        page.goto(server.url + "/desk/wires/")
        # The server's own loop polls the feed (NEWSDESK_SCHEDULER_INTERVAL=1 here).
        polled = page.get_by_role("link", name="Pilot boats stay in port as swell builds")
        for _ in range(30):
            if polled.count():
                break
            page.wait_for_timeout(500)  # polling the page for the server's poll, with a deadline
            page.reload()
        expect(polled).to_be_visible()
        assert violations(page) == []

        item = {
            "uri": "urn:harbour:e2e-1",
            "urgency": 1,
            "headlines": [{"role": "main", "value": "Ferry aground off the north mole"}],
            "bodies": [{"contenttype": "text/html", "value": "<p>No one was hurt.</p>"}],
        }
        response = httpx.post(
            f"{server.url}/api/v1/wires/e2e-harbour-press/items",
            content=json.dumps(item),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text
        url_before = page.url
        refresh_counter(page)  # what the page does every 15 s, asked for now
        notice = page.get_by_role("link", name="New wire items have arrived: show them")
        expect(notice).to_be_visible()
        assert page.url == url_before
        notice.click()
        page.get_by_role("link", name="Ferry aground off the north mole").click()
        expect(page.get_by_text("No one was hurt.")).to_be_visible()
        page.get_by_role("button", name="Use: start a draft").click()
        expect(page).to_have_url(re.compile(r"/desk/stories/\d+/$"))
        expect(page.get_by_label("Body")).to_have_value(
            re.compile(r"No one was hurt\.\s+\(Source: E2E Harbour Press\)")
        )
    finally:
        feed.close()
