"""In a real browser, no XSS vector posted through the API runs on the pages readers open.

Over 100 vectors (see `hostile.py`), armed to set `window.__xss` and to open a dialog if they
ever run, are published as headline, summary and body on the real server; Chromium opens each
story page and the News Feed pages. No dialog may open and `window.__xss` must stay unset, while
the harmless text around each vector is on the page.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.helpers import EDITOR
from tests.trust.hostile import xss_vectors

pytestmark = [pytest.mark.database_agnostic, pytest.mark.e2e, pytest.mark.timeout(600)]


def test_no_vector_runs_in_chromium(server, page):
    """Every story page and the feed: no dialog, no `window.__xss`, harmless text intact."""
    vectors = xss_vectors()
    token = server.newsdesk("token", EDITOR[0], "--label", "xss").stdout.strip().split()[-1]
    api = httpx.Client(
        base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    )
    slugs = []
    for i, vector in enumerate(vectors):
        created = api.post(
            "/api/v1/stories",
            json={
                "headline": f"Browser vector {i} {vector}"[:300],
                "summary": f"Summary {vector}",
                "body": f"Harmless lead {i}.\n\n{vector}\n\nHarmless tail {i}.",
            },
        )
        assert created.status_code == 201, created.text[:300]
        published = api.post(f"/api/v1/stories/{created.json()['id']}/publish")
        assert published.status_code == 200
        slugs.append((i, published.json()["slug"]))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for i, slug in slugs:
        page.goto(f"{server.url}/stories/{slug}/", wait_until="load")
        assert page.evaluate("window.__xss === undefined"), slug
        body = page.locator("main").inner_text()
        assert f"Harmless lead {i}." in body and f"Harmless tail {i}." in body, slug
    page.goto(server.url + "/", wait_until="load")
    for _ in range(8):
        assert page.evaluate("window.__xss === undefined")
        more = page.get_by_role("link", name="Show More")
        if not more.count():
            break
        more.first.click()
        page.wait_for_load_state("load")
    assert page.evaluate("window.__xss === undefined")
    assert dialogs == []
