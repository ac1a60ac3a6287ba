"""`newsdesk import wordpress|ghost`: statuses, sanitising, images from --media and the report of
missing ones, re-runs (nothing doubled, changes are revisions, Newsdesk's edits kept), stopping
and resuming, who may run it, and the old addresses over HTTP."""

from __future__ import annotations

import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from newsdesk.imports.models import Redirect, SourceItem
from newsdesk.imports.runner import run_import
from newsdesk.search.index import sync_story
from newsdesk.search.models import SearchDocument
from newsdesk.stories import actions
from newsdesk.stories.actions.common import snapshot
from newsdesk.stories.markdown import text_of_html
from newsdesk.stories.models import Author, Status, Story, Topic

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small.wordpress.xml"
GHOST = FIXTURES / "ghost-export.json"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def story_of(source_id: str) -> Story:
    item = SourceItem.objects.get(kind="post", source_id=source_id)
    return Story.objects.get(pk=item.object_id)


def _jpeg(path: Path, size=(64, 40)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


def test_statuses_map_and_the_summary_says_what_was_skipped(editor):
    output = run("wordpress", str(SMALL), "--as", editor.username)
    assert story_of("101").status == Status.PUBLISHED
    assert story_of("102").status == Status.UNPUBLISHED  # private
    assert story_of("103").status == Status.DRAFT  # pending review
    assert not SourceItem.objects.filter(source_id="104", kind="post").exists()  # in the trash
    assert "3 created, 0 updated" in output
    assert "1 attachments" in output and "2 comments" in output
    assert "1 posts in the trash" in output
    published = story_of("101")
    assert published.slug == "night-bus-lines"
    assert published.summary == "Two night lines run later."
    assert published.published_at.isoformat() == "2019-03-15T18:00:00+00:00"
    assert published.language == "en-GB"
    assert [a.name for a in published.ordered_authors()] == ["Kaja Lind"]
    assert sorted(t.name for t in published.topics.all()) == ["Buses", "City Hall"]
    assert story_of("103").headline == "Pending review" and story_of("103").slug == "pending-review"
    revision = published.revisions.get()
    assert revision.action == "imported from WordPress" and revision.created_by == editor


def test_the_first_revision_holds_what_a_snapshot_reads_back(editor):
    """Imported stories are written in bulk; their revision 1 is what `snapshot` would say."""
    run("wordpress", str(SMALL), "--as", editor.username)
    for story in Story.objects.all():
        assert story.revisions.get(number=1).content == snapshot(story)


def test_imported_stories_are_indexed_as_one_story_save_would_index_them(editor, client):
    run("ghost", str(GHOST), "--as", editor.username)
    rows = lambda: list(SearchDocument.objects.order_by("pk").values())  # noqa: E731
    bulk = rows()
    assert len(bulk) == Story.objects.count() == 4
    for story in Story.objects.all():
        sync_story(story, body_text=text_of_html(story.body_html))
    assert rows() == bulk
    found = client.get("/search", {"q": "ferry timetable"}).content.decode()
    assert "1 story matches" in found and "/stories/harbour-ferry-returns/" in found


def test_script_in_content_never_reaches_a_page(editor, client):
    run("wordpress", str(SMALL), "--as", editor.username)
    story = story_of("101")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Two night lines now run until three." in page
    assert "alert(" not in page
    assert "javascript:" not in page
    assert not re.search(r"<[^>]+\son\w+\s*=", story.body_html)
    assert '<a href="https://example.org/route"' in story.body_html


def test_images_come_from_media_and_missing_ones_are_listed(editor, tmp_path):
    uploads = tmp_path / "uploads"
    _jpeg(uploads / "2019/03/night-bus.jpg", (1200, 750))  # the original of the 640×400 copy
    output = run("wordpress", str(SMALL), "--as", editor.username, "--media", str(uploads))
    story = story_of("101")
    assert story.lead_image is not None
    assert story.lead_image.alt_text == "A night bus at the terminus"
    assert story.lead_image.caption == "The N2 at the terminus."
    # The captioned image in the text is the same file, stored once, shown from here.
    assert f'<figure><img src="{story.lead_image.url}"' in story.body_html
    assert "<figcaption>The N2 at the terminus.</figcaption>" in story.body_html
    assert "1 imported, 1 missing" in output
    assert "missing image: 2019/03/missing-map.png (in post 101)" in output
    # The missing one keeps its old address, so it shows while the old site stands.
    assert "https://evening.example.org/wp-content/uploads/2019/03/missing-map.png" in (
        story.body_html
    )
    again = run("wordpress", str(SMALL), "--as", editor.username, "--media", str(uploads))
    assert "0 imported" in again and "3 unchanged" in again


def test_running_again_updates_changed_posts_with_a_revision(editor, tmp_path):
    run("wordpress", str(SMALL), "--as", editor.username)
    counts = (Story.objects.count(), Author.objects.count(), Topic.objects.count())
    redirects = Redirect.objects.count()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        SMALL.read_text().replace("Night bus lines extended", "Night bus lines extended again")
    )
    output = run("wordpress", str(changed), "--as", editor.username)
    assert "0 created, 1 updated, 2 unchanged" in output
    assert (Story.objects.count(), Author.objects.count(), Topic.objects.count()) == counts
    assert Redirect.objects.count() == redirects
    story = story_of("101")
    assert story.headline == "Night bus lines extended again"
    assert story.revisions.first().action == "re-imported from WordPress (changed)"


def test_a_story_edited_in_newsdesk_keeps_its_edits(editor, tmp_path):
    run("wordpress", str(SMALL), "--as", editor.username)
    story = story_of("101")
    actions.do_update_story(
        editor, story.pk, {"headline": "Our own headline"}, expected_version=story.version
    )
    changed = tmp_path / "changed.xml"
    changed.write_text(SMALL.read_text().replace("Two night lines now", "Three night lines now"))
    output = run("wordpress", str(changed), "--as", editor.username)
    assert "edited in Newsdesk since it was imported; Newsdesk's version kept" in output
    assert story_of("101").headline == "Our own headline"


def test_a_stopped_import_goes_on_where_it_stopped(editor):
    """Ctrl-C between batches: what was committed stays, the next run writes only the rest."""
    calls = []

    def stop_after_first_batch(line: str) -> None:
        calls.append(line)
        raise KeyboardInterrupt

    summary = run_import(
        "wordpress",
        SMALL,
        user=editor,
        batch_size=1,
        progress=stop_after_first_batch,
        progress_seconds=0,
    )
    assert summary.stopped and summary.created == 1
    assert "1 posts of 4" in calls[0] and "posts/s" in calls[0]
    assert Story.objects.count() == 1
    resumed = run_import("wordpress", SMALL, user=editor, batch_size=1)
    assert (resumed.created, resumed.unchanged) == (2, 1)
    assert Story.objects.count() == 3


def test_progress_says_how_fast_and_how_long(editor):
    lines = []
    run_import("wordpress", SMALL, user=editor, batch_size=1, progress=lines.append,
               progress_seconds=0)  # fmt: skip
    assert re.match(r"  \d posts of 4 · [\d,]+ posts/s · about \d+ s left", lines[0])


def test_only_editors_and_admins_may_import(contributor):
    with pytest.raises(CommandError, match="Only editors"):
        run("wordpress", str(SMALL), "--as", contributor.username)
    with pytest.raises(CommandError, match="--as USERNAME"):
        run("wordpress", str(SMALL))
    with pytest.raises(CommandError, match="no account"):
        run("wordpress", str(SMALL), "--as", "nobody")
    assert Story.objects.count() == 0


def test_a_file_that_is_not_an_export_is_a_clear_error(editor, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel><item><title>half")
    with pytest.raises(CommandError, match="not a well-formed WordPress export"):
        run("wordpress", str(bad), "--as", editor.username)
    entity = tmp_path / "entity.xml"
    entity.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>')
    with pytest.raises(CommandError, match="document type"):
        run("wordpress", str(entity), "--as", editor.username)
    with pytest.raises(CommandError, match="not a Ghost export"):
        run("ghost", str(SMALL), "--as", editor.username)


def test_a_backup_archive_is_still_restored_by_import_file(tmp_path):
    with pytest.raises(CommandError, match=r"(?i)archive|zip|not"):
        run(str(tmp_path / "missing.zip"))


# ── Ghost ────────────────────────────────────────────────────────────────────────────────────


def test_ghost_export_becomes_stories(editor, tmp_path):
    images = tmp_path / "images"
    _jpeg(images / "2026/03/ferry.jpg")
    output = run("ghost", str(GHOST), "--as", editor.username, "--media", str(images))
    assert "3 created" not in output and "4 created, 0 updated" in output
    assert "1 pages" in output and "1 internal tags" in output
    ferry = story_of("6751a0c1e4b0a10001a1b001")
    assert ferry.status == Status.PUBLISHED
    assert ferry.slug == "harbour-ferry-returns"
    assert ferry.published_at.isoformat() == "2026-03-02T07:15:00+00:00"
    assert ferry.summary == "Four months in dry dock, and a new timetable."
    assert [a.name for a in ferry.ordered_authors()] == ["Ines Varga", "Tomas Berg"]
    assert Author.objects.get(name="Ines Varga").bio == "Ines covers the harbour and the islands."
    assert sorted(t.name for t in ferry.topics.all()) == ["Harbour", "Transport"]
    assert ferry.lead_image.alt_text == "The ferry leaving the harbour at dawn"
    assert ferry.lead_image.caption == "The ferry on its first crossing. Photo: Harbour Office"
    html = ferry.body_html
    assert "<strong>Lindenhav</strong>" in html and "<em>twenty minutes</em>" in html
    assert "<blockquote>" in html and "<li>Weekdays: 06:00–22:00</li>" in html
    assert 'href="https://www.youtube.com/embed/abc123XYZ?feature=oembed"' in html
    assert "<figcaption>The repainted upper deck.</figcaption>" in html
    assert "alert(" not in html
    assert "missing image: 2026/03/ferry-deck.jpg" in output
    assert story_of("6751a0c1e4b0a10001a1b002").status == Status.DRAFT
    assert story_of("6751a0c1e4b0a10001a1b003").status == Status.UNPUBLISHED  # paid members only
    scheduled = story_of("6751a0c1e4b0a10001a1b004")
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.published_at.year == 2099
    again = run("ghost", str(GHOST), "--as", editor.username, "--media", str(images))
    assert "0 created, 0 updated, 4 unchanged" in again


def test_ghost_slugs_redirect(editor, client):
    run("ghost", str(GHOST), "--as", editor.username)
    response = client.get("/harbour-ferry-returns/")
    assert response.status_code == 301
    assert response["Location"] == "/stories/harbour-ferry-returns/"
    assert client.get("/council-budget-draft/").status_code == 404  # a draft: no redirect


# ── redirects ────────────────────────────────────────────────────────────────────────────────


def test_old_wordpress_addresses_answer_301(editor, client):
    run("wordpress", str(SMALL), "--as", editor.username)
    for old in ("/2019/03/night-bus-lines/", "/2019/03/night-bus-lines", "/?p=101"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/stories/night-bus-lines/"
    assert client.get("/?p=102").status_code == 200  # private: the News Feed, no redirect
    assert "budget-leak" not in client.get("/?p=102").content.decode()


def test_normal_pages_never_read_redirects(editor, client, publish):
    run("wordpress", str(SMALL), "--as", editor.username)
    story = publish("A current story")
    for address in ("/", story.get_absolute_url(), "/topics/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        assert not [q for q in queries.captured_queries if "imports_redirect" in q["sql"]]


def test_editors_list_add_and_delete_redirects_in_the_desk(editor, client, publish):
    run("wordpress", str(SMALL), "--as", editor.username)
    story = publish("Where the map went")
    client.force_login(editor)
    listing = client.get("/desk/redirects/").content.decode()
    assert "/2019/03/night-bus-lines/" in listing and "Night bus lines extended" in listing
    response = client.post(
        "/desk/redirects/", {"old_path": "/maps/old-route/", "target": story.get_absolute_url()}
    )
    assert response.status_code == 302
    client.logout()
    moved = client.get("/maps/old-route/")
    assert moved.status_code == 301 and moved["Location"] == story.get_absolute_url()
    client.force_login(editor)
    refused = client.post(
        "/desk/redirects/", {"old_path": "/x/", "target": "https://elsewhere.example/"}
    )
    assert refused.status_code == 400 and "path on this site" in refused.content.decode()
    made = Redirect.objects.get(old_path="/maps/old-route/")
    assert client.post(f"/desk/redirects/{made.pk}/delete/").status_code == 302
    client.logout()
    assert client.get("/maps/old-route/").status_code == 404


def test_contributors_cannot_manage_redirects(contributor, client):
    client.force_login(contributor)
    assert client.get("/desk/redirects/").status_code == 403
    response = client.post("/desk/redirects/", {"old_path": "/a/", "target": "/b/"})
    assert response.status_code == 403
    assert not Redirect.objects.exists()


def test_an_image_address_cannot_reach_outside_the_media_folder(editor, tmp_path):
    """`../` in an old image address names no file outside --media (it is reported missing)."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    _jpeg(tmp_path / "outside.jpg")
    export = tmp_path / "sneaky.xml"
    export.write_text(
        SMALL.read_text().replace(
            "https://evening.example.org/wp-content/uploads/2019/03/missing-map.png",
            "https://evening.example.org/wp-content/uploads/%2E%2E/outside.jpg",
        )
    )
    output = run("wordpress", str(export), "--as", editor.username, "--media", str(uploads))
    assert "0 imported" in output
    assert "missing image: ../outside.jpg" in output
