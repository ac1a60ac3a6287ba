"""`newsdesk wire add|poll|list` against feeds served over real HTTP by a local server: our own
RSS and Atom are polled into wire items, a broken feed puts its error in the source's status and
leaves the desk's items alone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsdesk.wires.models import WireItem, WireSource

pytestmark = pytest.mark.django_db


def wire(*args: str) -> str:
    out = StringIO()
    call_command("wire", *args, stdout=out)
    return out.getvalue()


def test_our_own_rss_and_atom_are_polled_into_wire_items(client, publish, feed_server):
    publish("Harbour crane toppled in gale", body="The **crane** fell at 04:10.")
    publish("Night buses run later")
    for name in ("rss.xml", "atom.xml"):
        feed_server.pages[f"/{name}"] = (
            200,
            "application/xml",
            client.get(f"/feed/{name}").content,
        )
    assert "Added feed 'Coast RSS'" in wire(
        "add", "Coast RSS", "--feed", f"{feed_server.url}/rss.xml"
    )
    wire("add", "Coast Atom", "--feed", f"{feed_server.url}/atom.xml")
    output = wire("poll")
    assert "Coast RSS: 2 new, 0 updated, 0 unchanged" in output
    assert "Coast Atom: 2 new" in output
    crane = WireItem.objects.get(source__name="Coast RSS", headline="Harbour crane toppled in gale")
    assert "crane" in crane.body and crane.link.endswith("/")
    assert wire("poll") == "No feed is due.\n"  # polled a moment ago
    assert "2 new" not in wire("poll", "--all") and WireItem.objects.count() == 4
    listing = wire("list")
    assert "Coast RSS" in listing and "2 items" in listing and "OK" in listing


def test_a_broken_or_missing_feed_is_an_error_in_the_status(feed_server):
    feed_server.pages["/bad.xml"] = (200, "application/xml", b"<rss><channel><item>")
    feed_server.pages["/huge.xml"] = (200, "application/xml", b"<rss>" + b" " * (6 * 1024 * 1024))
    deep = (
        b"<rss version='2.0'><channel><item><guid>d</guid><description>"
        + (b"&lt;div&gt;" * 20_000)
        + b"</description></item></channel></rss>"
    )
    feed_server.pages["/deep.xml"] = (200, "application/xml", deep)
    wire("add", "Deep", "--feed", f"{feed_server.url}/deep.xml")
    feed_server.pages["/moved.xml"] = (302, "text/plain", b"ftp://127.0.0.1/feed.xml")
    wire("add", "Moved", "--feed", f"{feed_server.url}/moved.xml")
    wire("add", "Bad", "--feed", f"{feed_server.url}/bad.xml")
    wire("add", "Gone", "--feed", f"{feed_server.url}/gone.xml")
    wire("add", "Huge", "--feed", f"{feed_server.url}/huge.xml")
    output = wire("poll")
    assert "Gone: error: The feed answered HTTP 404" in output
    assert "larger than" in WireSource.objects.get(name="Huge").last_error
    assert "too complex" in WireSource.objects.get(name="Deep").last_error
    assert "not http(s)" in WireSource.objects.get(name="Moved").last_error
    bad = WireSource.objects.get(name="Bad")
    assert bad.status == "error" and bad.last_error and bad.last_polled_at
    assert WireItem.objects.count() == 0
    assert "Error" in wire("list")


def test_push_sources_print_their_token_once_and_bad_adds_say_why():
    output = wire("add", "Harbour Press", "--push", "ninjs")
    assert "/api/v1/wires/harbour-press/items" in output and "Bearer " in output
    token = output.split("Bearer ")[1].split()[0]
    assert token not in wire("list")
    with pytest.raises(CommandError, match="already a source"):
        wire("add", "Harbour Press", "--push", "newsml")
    with pytest.raises(CommandError, match="http"):
        wire("add", "Odd", "--feed", "file:///etc/passwd")
    with pytest.raises(CommandError, match="Usage"):
        wire("add", "Neither")
