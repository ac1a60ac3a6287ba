"""Hostile agency copy: XSS payloads in headlines, bylines, bodies (HTML and plain text) and image
addresses of pushed ninjs items, and naughty strings, are stored or refused with a 4xx, never a
500, and the desk's wire list and item pages draw none of them as code."""

from __future__ import annotations

import json

import lxml.html
import pytest

from newsdesk.wires.models import WireItem
from tests.trust.hostile import assert_safe_html, hostile_strings, xss_vectors

pytestmark = pytest.mark.django_db


def test_xss_and_naughty_strings_from_an_agency_never_render_as_code(client, editor, ninjs_source):
    payloads = xss_vectors() + hostile_strings()[:200]
    items = [
        {
            "uri": f"hostile-{n}",
            "headlines": [{"role": "main", "value": payload}],
            "by": payload,
            "bodies": [
                {"role": "main", "contenttype": "text/html", "value": payload},
                {"role": "plain", "contenttype": "text/plain", "value": payload},
            ],
            "renditions": [{"name": "x", "href": payload, "contenttype": "image/jpeg"}],
        }
        for n, payload in enumerate(payloads)
    ]
    response = client.post(
        f"/api/v1/wires/{ninjs_source.source.slug}/items",
        json.dumps(items),
        content_type="application/json",
        headers={"Authorization": f"Bearer {ninjs_source.token}"},
    )
    assert response.status_code == 200, response.content[:300]
    assert WireItem.objects.count() == len(payloads)
    client.force_login(editor)
    listing = client.get("/desk/wires/")
    assert listing.status_code == 200
    assert_safe_html(_part(listing, "wire-items"), "wire list")
    for item in WireItem.objects.all():
        page = client.get(f"/desk/wires/{item.pk}/")
        assert page.status_code == 200
        assert_safe_html(_part(page, "wire-item"), f"wire item {item.guid}")


def _part(response, css_class: str) -> str:
    """What the agency's words are drawn in (not the desk's own forms around it)."""
    tree = lxml.html.fromstring(response.content.decode())
    (part,) = tree.find_class(css_class)
    return lxml.html.tostring(part, encoding="unicode")
