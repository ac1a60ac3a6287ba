"""Agencies push ninjs and NewsML-G2 to `/api/v1/wires/{source}/items`: every IPTC sample is
stored, duplicates merge by GUID, newer versions update and mark the item changed, and bad input
is refused with a 4xx that says why, writing nothing."""

from __future__ import annotations

import json

import pytest

from newsdesk.wires.models import WireItem, WireSource

from .conftest import NEWSML_SAMPLES, NINJS_SAMPLES

pytestmark = pytest.mark.django_db


def push(client, new, body: bytes, content_type: str, token: str | None = None):
    return client.post(
        f"/api/v1/wires/{new.source.slug}/items",
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {token or new.token}"},
    )


def test_every_iptc_ninjs_sample_is_stored(client, ninjs_source):
    assert len(NINJS_SAMPLES) >= 15
    for path in NINJS_SAMPLES:
        data = json.loads(path.read_bytes())
        data["uri"] = f"{path.parent.name}/{path.name}"  # the samples share URIs; keep each
        response = push(client, ninjs_source, json.dumps(data).encode(), "application/json")
        assert response.status_code == 200, (path, response.content)
        assert response.json()["created"] == 1
    assert WireItem.objects.count() == len(NINJS_SAMPLES)
    captain = WireItem.objects.get(guid="2.2/004_simple_text_article.json")
    assert captain.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert captain.byline == "Paulo Santalucia and Frances d'Emilio"
    assert "GROSSETO, Italy (AP)" in captain.body
    photo = WireItem.objects.get(guid="3.1/006_photo_only.json")  # 3.x: camelCase fields
    assert photo.images[0]["width"] == 429 and photo.images[0]["href"].endswith(".jpg")
    assert photo.version_at.isoformat() == "2013-07-08T08:12:00+00:00"
    event = WireItem.objects.get(guid="3.1/008_event.json")
    assert event.headline == "2023 NATO Summit Press Conference"


def test_every_iptc_newsml_sample_is_stored(client, newsml_source):
    assert len(NEWSML_SAMPLES) == 5
    for path in NEWSML_SAMPLES:
        response = push(client, newsml_source, path.read_bytes(), "application/xml")
        assert response.status_code == 200, (path, response.content)
    assert WireItem.objects.count() == 5
    fed = WireItem.objects.get(guid="urn:newsml:acmenews.com:20161121:US-FINANCE-FED")
    assert fed.headline == 'Fed to halt QE to avert "bubble"'
    assert "Ugiating ea feugait" in fed.body and fed.byline == "Meredith Jameson"
    photo = WireItem.objects.get(guid="tag:gettyimages.com,2010:GYI0062134533")
    assert photo.headline.startswith("Variety Of Recessionary Forces")
    assert [image["width"] for image in photo.images] == [1500, 480, 80]
    # Sent again, the same items are recognised by their GUIDs: nothing doubles.
    for path in NEWSML_SAMPLES:
        again = push(client, newsml_source, path.read_bytes(), "application/xml")
        assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert WireItem.objects.count() == 5


def _item(version: int, headline: str, urgency: int = 3) -> bytes:
    return json.dumps(
        {
            "uri": "urn:harbour:ferry-strike",
            "version": str(version),
            "urgency": urgency,
            "headlines": [{"role": "main", "value": headline}],
            "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Words.</p>"}],
        }
    ).encode()


def test_duplicates_merge_and_a_newer_version_updates_and_is_marked_changed(client, ninjs_source):
    assert (
        push(client, ninjs_source, _item(1, "Ferry strike called"), "application/json").json()[
            "created"
        ]
        == 1
    )
    again = push(client, ninjs_source, _item(1, "Ferry strike called"), "application/json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}
    item = WireItem.objects.get()
    assert not item.changed
    newer = push(client, ninjs_source, _item(2, "Ferry strike called off", 1), "application/json")
    assert newer.json() == {"created": 0, "updated": 1, "unchanged": 0}
    item.refresh_from_db()
    assert item.headline == "Ferry strike called off" and item.changed and item.urgency == 1
    older = push(client, ninjs_source, _item(1, "Ferry strike called"), "application/json")
    assert older.json()["unchanged"] == 1
    item.refresh_from_db()
    assert item.headline == "Ferry strike called off"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"{not json", "application/json", 400, "not well-formed JSON"),
        (b'{"headline": "no uri"}', "application/json", 400, "'uri'"),
        (b"<newsItem", "application/xml", 400, "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "application/xml",
            400,
            "DOCTYPE",
        ),
        (b"<rss><channel/></rss>", "application/xml", 400, "not a NewsML-G2 item"),
        (b"hello", "text/plain", 415, "Unknown item format"),
        (b"[]", "application/json", 400, "empty"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested too deeply"),
        (
            json.dumps({"uri": "deep", "body_html": "<div>" * 50_000}).encode(),
            "application/json",
            400,
            "too complex",
        ),
        (
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentSet>'
            b'<inlineXML><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>'
            b"<body.content>" + b"<p>" * 20_000 + b"</body.content></body></nitf></inlineXML>"
            b"</contentSet></newsItem>",
            "application/xml",
            400,
            "",
        ),
        (b'{"uri": "x", "pad": "' + b"a" * (3 * 1024 * 1024) + b'"}', "application/json", 413, ""),
    ],
)
def test_bad_input_is_a_clear_4xx_and_writes_nothing(
    client, ninjs_source, body, content_type, status, says
):
    response = push(client, ninjs_source, body, content_type)
    assert response.status_code == status, response.content
    assert says in response.json()["error"]["message"]
    assert WireItem.objects.count() == 0
    source = WireSource.objects.get(pk=ninjs_source.source.pk)  # the desk shows why
    assert source.status == "error" and says in source.last_error
    good = push(client, ninjs_source, _item(1, "Ferry strike called"), "application/json")
    assert good.status_code == 200
    assert WireSource.objects.get(pk=source.pk).status == "ok"


def test_a_wrong_token_or_unknown_source_is_401(client, ninjs_source, newsml_source):
    body = _item(1, "Ferry strike called")
    assert push(client, ninjs_source, body, "application/json", token="guess").status_code == 401
    # another source's token does not open this one
    wrong = push(client, ninjs_source, body, "application/json", token=newsml_source.token)
    assert wrong.status_code == 401
    no_header = client.post(
        f"/api/v1/wires/{ninjs_source.source.slug}/items", body, content_type="application/json"
    )
    assert no_header.status_code == 401
    unknown = client.post(
        "/api/v1/wires/nobody/items",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {ninjs_source.token}"},
    )
    assert unknown.status_code == 401
    assert WireItem.objects.count() == 0


def test_the_token_is_stored_hashed(ninjs_source):
    stored = WireSource.objects.get(pk=ninjs_source.source.pk)
    assert ninjs_source.token not in stored.token_hash and len(stored.token_hash) == 64
