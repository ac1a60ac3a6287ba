"""The wire desk over HTTP: the list with its filters and changed badge, an item's sanitised
text, "Use" starting a credited draft linked back to the item, who may do what, and the small
stamp the page polls to learn that items arrived."""

from __future__ import annotations

import html
import json
import re

import pytest

from newsdesk.stories.models import Status, Story
from newsdesk.wires.models import WireItem

pytestmark = pytest.mark.django_db


def push(client, new, uri, headline, *, urgency=5, version=1, body="<p>Words.</p>"):
    data = {
        "uri": uri,
        "version": str(version),
        "urgency": urgency,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body}],
    }
    response = client.post(
        f"/api/v1/wires/{new.source.slug}/items",
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {new.token}"},
    )
    assert response.status_code == 200, response.content
    return WireItem.objects.get(source=new.source, guid=uri)


def test_the_list_filters_by_source_urgency_and_words(
    client, contributor, ninjs_source, newsml_source
):
    push(client, ninjs_source, "a", "Harbour gates closed by storm", urgency=1)
    push(client, ninjs_source, "b", "Council budget vote delayed", urgency=6)
    client.force_login(contributor)
    page = client.get("/desk/wires/").content.decode()
    assert "Harbour gates closed by storm" in page and "Council budget vote delayed" in page
    flash = client.get("/desk/wires/?urgency=2").content.decode()
    assert "Harbour gates" in flash and "Council budget" not in flash
    words = client.get("/desk/wires/?q=budget").content.decode()
    assert "Council budget" in words and "Harbour gates" not in words
    other = client.get(f"/desk/wires/?source={newsml_source.source.slug}").content.decode()
    assert "Harbour gates" not in other and "No wire items match" in other
    assert client.get("/desk/wires/?urgency=banana").status_code == 200


def test_a_newer_version_shows_as_changed_and_the_stamp_moves(client, editor, ninjs_source):
    client.force_login(editor)
    push(client, ninjs_source, "a", "Ferry strike called")
    stamp = client.get("/desk/wires/stamp/").json()
    assert stamp["count"] == 1
    assert "changed</span>" not in client.get("/desk/wires/").content.decode()
    push(client, ninjs_source, "a", "Ferry strike called off", version=2)
    page = client.get("/desk/wires/").content.decode()
    assert "Ferry strike called off" in page and "changed</span>" in page
    assert client.get("/desk/wires/stamp/").json()["newest"] != stamp["newest"]


def test_an_item_page_shows_sanitised_text_and_use_starts_a_credited_draft(
    client, contributor, ninjs_source
):
    item = push(
        client,
        ninjs_source,
        "x",
        "Lighthouse keeper rescues crew",
        body='<p>All <b>six</b> safe.</p><script>alert(1)</script><p onclick="x()">Later.</p>',
    )
    client.force_login(contributor)
    page = client.get(f"/desk/wires/{item.pk}/").content.decode()
    assert "<strong>six</strong>" in page and "Later." in page
    assert "alert(1)" not in page and "onclick" not in page
    response = client.post(f"/desk/wires/{item.pk}/use/")
    story = Story.objects.get(headline="Lighthouse keeper rescues crew")
    assert response.status_code == 302 and response["Location"] == f"/desk/stories/{story.pk}/"
    assert story.status == Status.DRAFT
    assert story.body.rstrip().endswith("(Source: Harbour Press Agency)")
    note = story.notes.get()
    assert f"/desk/wires/{item.pk}/" in note.text
    assert "Used in" in client.get(f"/desk/wires/{item.pk}/").content.decode()
    assert client.get(f"/stories/{story.slug}/").status_code == 404  # a draft, not public


def test_use_as_a_live_entry_drafts_it_in_the_running_coverage(client, editor, ninjs_source):
    """An item used in live coverage becomes a draft entry there, credited and linked back; the
    editor publishes it from the live desk. An ended coverage is not offered and refuses it."""
    from newsdesk.stories import actions

    coverage = actions.do_create_story(editor, {"headline": "Gale: live", "kind": "live"})
    coverage = actions.do_publish_story(editor, coverage.pk)
    item = push(client, ninjs_source, "g", "Gale closes the bridge")
    client.force_login(editor)
    page = client.get(f"/desk/wires/{item.pk}/").content.decode()
    assert f'<option value="{coverage.pk}">Gale: live</option>' in page
    response = client.post(f"/desk/wires/{item.pk}/use/", {"coverage": str(coverage.pk)})
    assert response.status_code == 302 and response["Location"] == f"/desk/live/{coverage.pk}/"
    entry = coverage.entries.get()
    assert entry.status == Status.DRAFT and entry.headline == "Gale closes the bridge"
    assert entry.body.rstrip().endswith("(Source: Harbour Press Agency)")
    assert f"/desk/wires/{item.pk}/" in entry.notes.get().text
    actions.do_publish_story(editor, entry.pk)
    assert "Gale closes the bridge" in client.get(coverage.get_absolute_url()).content.decode()
    actions.do_end_coverage(editor, coverage.pk)
    assert "Use as a live entry" not in client.get(f"/desk/wires/{item.pk}/").content.decode()
    refused = client.post(f"/desk/wires/{item.pk}/use/", {"coverage": str(coverage.pk)})
    assert refused.status_code == 400
    assert coverage.entries.count() == 1  # nothing half-written


def test_only_editors_hide_sources_and_hidden_sources_leave_the_list(
    client, contributor, editor, ninjs_source
):
    push(client, ninjs_source, "a", "Quarry blast heard across town")
    source = ninjs_source.source
    client.force_login(contributor)
    assert (
        client.post(f"/desk/wires/sources/{source.pk}/hidden/", {"hidden": "1"}).status_code == 403
    )
    assert "Quarry blast" in client.get("/desk/wires/").content.decode()
    client.force_login(editor)
    assert (
        client.post(f"/desk/wires/sources/{source.pk}/hidden/", {"hidden": "1"}).status_code == 302
    )
    assert "Quarry blast" not in client.get("/desk/wires/").content.decode()
    assert "Quarry blast" in client.get(f"/desk/wires/?source={source.slug}").content.decode()
    client.post(f"/desk/wires/sources/{source.pk}/hidden/", {"hidden": "0"})
    assert "Quarry blast" in client.get("/desk/wires/").content.decode()


def test_visitors_without_a_role_never_see_wires(client, ninjs_source):
    item = push(client, ninjs_source, "a", "Quarry blast heard across town")
    for url in ("/desk/wires/", f"/desk/wires/{item.pk}/", "/desk/wires/stamp/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(f"/desk/wires/{item.pk}/use/").status_code == 302
    assert not Story.objects.exists()


def test_older_items_are_reached_page_by_page(client, contributor, ninjs_source):
    """A hundred items a page; "Older wire items" continues where the page ended."""
    from newsdesk.wires.actions import do_store_items
    from newsdesk.wires.parsers import ParsedItem

    do_store_items(
        ninjs_source.source,
        [ParsedItem(guid=f"g{i}", headline=f"Bulletin number {i:03d}") for i in range(130)],
    )
    client.force_login(contributor)
    seen, url, pages = [], "/desk/wires/", 0
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r"Bulletin number (\d{3})", page)
        found = re.search(r'<a href="(\?[^"]+)">Older wire items', page)
        url = "/desk/wires/" + html.unescape(found.group(1)) if found else ""
        pages += 1
    assert pages == 2 and sorted(seen) == [f"{i:03d}" for i in range(130)]
    assert client.get("/desk/wires/?before=nonsense").status_code == 200


def test_editors_add_sources_at_the_desk_and_see_a_push_token_once(client, editor, contributor):
    client.force_login(editor)
    answer = client.post(
        "/desk/wires/sources/new/", {"name": "Quayside Agency", "kind": "ninjs"}
    ).content.decode()
    token = re.search(r"Authorization: Bearer ([\w-]+)", answer).group(1)
    assert "/api/v1/wires/quayside-agency/items" in answer
    pushed = client.post(
        "/api/v1/wires/quayside-agency/items",
        json.dumps({"uri": "q1", "headlines": [{"value": "Quay wall cracks"}]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert pushed.status_code == 200
    assert token not in client.get("/desk/wires/").content.decode()
    feed = client.post(
        "/desk/wires/sources/new/",
        {"name": "Coast Feed", "kind": "rss", "url": "https://agency.example/rss"},
        follow=True,
    )
    assert "Coast Feed is added" in feed.content.decode()
    bad = client.post("/desk/wires/sources/new/", {"name": "No Url", "kind": "rss"}, follow=True)
    assert "A feed needs its http:// or https:// address." in bad.content.decode()
    client.force_login(contributor)
    refused = client.post("/desk/wires/sources/new/", {"name": "Sneaky", "kind": "ninjs"})
    assert refused.status_code == 403
    assert "Add a source" not in client.get("/desk/wires/").content.decode()
