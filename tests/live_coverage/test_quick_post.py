"""The shift's quick post on the desk's front page: into the News Feed, a topic or a live page
(remembered for the next post), with authors defaulting to the editor's own author profile, a
breaking flag, and an image picked from the recent ones or uploaded with its alt text."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Image, Story
from tests.desk.conftest import jpeg_file
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def own_profile(editor):
    """The editor's own author profile (accounts are linked to author profiles)."""
    return actions.do_save_author(editor, None, {"name": "Ed Nightly", "user": editor})


def test_a_quick_post_into_a_topic_reaches_the_topic_page_with_byline_breaking_and_image(
    desk, editor, topic, own_profile
):
    picked = do_upload_image(editor, image_bytes("JPEG"), alt_text="Pylons in the snow")
    page = desk.get("/desk/").content.decode()
    assert f'value="{own_profile.pk}" selected' in page  # the editor's own byline, chosen
    assert "Pylons in the snow" in page  # offered in the picker of recent images
    answer = desk.post(
        "/desk/quick-post/",
        {"target": f"topic:{topic.pk}", "headline": "Grid holds through the night",
         "text": "No outages reported.", "author_ids": [own_profile.pk], "breaking": "on",
         "image_id": picked.pk},
        **JSON,
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    story = Story.objects.get(pk=answer.json()["id"])
    assert story.status == "published" and story.breaking and story.lead_image_id == picked.pk
    assert [a.pk for a in story.ordered_authors()] == [own_profile.pk]
    topic_page = Client().get(f"/topics/{topic.slug}/").content.decode()
    assert "Grid holds through the night" in topic_page
    again = desk.get("/desk/").content.decode()
    assert f'<option value="topic:{topic.pk}" selected>' in again  # remembered


def test_a_quick_post_into_a_live_page_lists_the_entry_under_the_box(desk, coverage):
    assert f'value="live:{coverage.pk}"' in desk.get("/desk/").content.decode()
    answer = desk.post(
        "/desk/quick-post/",
        {"target": f"live:{coverage.pk}", "text": "Power back in the old town."},
        **JSON,
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["coverage_id"] == coverage.pk and "Power back in the old town." in body["row"]
    entry = Story.objects.get(pk=body["id"])
    assert entry.kind == "entry" and entry.coverage_id == coverage.pk
    page = desk.get("/desk/").content.decode()
    assert f'<option value="live:{coverage.pk}" selected>' in page
    assert "Latest entries" in page and f'id="desk-entry-{entry.pk}"' in page
    reader_page = Client().get(coverage.get_absolute_url()).content.decode()
    assert "Power back in the old town." in reader_page


def test_an_uploaded_image_goes_with_the_post_and_a_refused_post_leaves_none(
    desk, coverage, editor
):
    sent = desk.post(
        "/desk/quick-post/",
        {"target": f"live:{coverage.pk}", "text": "The harbour at dawn.",
         "image_file": jpeg_file(), "alt_text": "Boats tied up in the harbour"},
        **JSON,
    )  # fmt: skip
    assert sent.status_code == 201, sent.content
    entry = Story.objects.get(pk=sent.json()["id"])
    assert entry.lead_image.alt_text == "Boats tied up in the harbour"
    images = Image.objects.count()
    no_alt = desk.post(
        "/desk/quick-post/",
        {"target": f"live:{coverage.pk}", "text": "Kept.", "image_file": jpeg_file()},
    )
    assert no_alt.status_code == 400 and "alt text is required" in no_alt.content.decode()
    assert "Kept." in no_alt.content.decode()
    actions.do_end_coverage(editor, coverage.pk)
    refused = desk.post(
        f"/desk/live/{coverage.pk}/post/",
        {"text": "After the end.", "image_file": jpeg_file(), "alt_text": "Late boats"},
        **JSON,
    )
    assert refused.status_code == 400 and "ended" in refused.json()["error"]["message"]
    assert Image.objects.count() == images  # the upload went with the refused post


def test_bad_targets_are_clear_4xx_and_nothing_is_posted(desk, coverage, editor):
    before = Story.objects.count()
    for target in ("live:999999", "topic:999999", "nonsense"):
        answer = desk.post("/desk/quick-post/", {"target": target, "text": "Lost?"}, **JSON)
        assert answer.status_code == 400, target
        assert "target" in answer.json()["error"]["fields"]
    actions.do_end_coverage(editor, coverage.pk)
    ended = desk.post(
        "/desk/quick-post/", {"target": f"live:{coverage.pk}", "text": "Too late."}, **JSON
    )
    assert ended.status_code == 400
    no_headline = desk.post("/desk/quick-post/", {"target": "feed", "text": "Words."}, **JSON)
    assert no_headline.status_code == 400 and "headline" in no_headline.json()["error"]["fields"]
    assert Story.objects.count() == before


def test_an_image_the_contributor_may_not_use_is_not_offered_nor_accepted(
    client, contributor, editor, coverage
):
    private = do_upload_image(editor, image_bytes("JPEG"), alt_text="Unpublished scoop photo")
    client.force_login(contributor)
    page = client.get(f"/desk/live/{coverage.pk}/").content.decode()
    assert "Unpublished scoop photo" not in page
    answer = client.post(
        f"/desk/live/{coverage.pk}/post/",
        {"text": "From the field.", "review": "1", "image_id": private.pk},
        **JSON,
    )
    assert answer.status_code == 400
    assert not Story.objects.filter(body="From the field.").exists()
