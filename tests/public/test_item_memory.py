"""Feed items are drawn once per process and reused (`public.fragments`); a reader must never
notice: every change that touches an item shows on the very next request, with the page cache
off so that nothing else stands between the page and the item memory."""

from __future__ import annotations

import lxml.html
import pytest

from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def item(client, url: str, story_id: int):
    response = client.get(url)
    assert response.status_code == 200
    found = lxml.html.fromstring(response.content).xpath(f"//article[@id='story-{story_id}']")
    return found[0] if found else None


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_silent_fix_shows_on_the_next_request(client, editor, publish):
    """A typo fixed without "Updated" still replaces the item readers see at once."""
    story = publish("Bridge closes at noon", body="Trafic is diverted.")
    assert "Trafic is diverted." in words(item(client, "/", story.pk))
    actions.do_update_story(
        editor, story.pk, {"body": "Traffic is diverted."}, expected_version=None
    )
    shown = words(item(client, "/", story.pk))
    assert "Traffic is diverted." in shown
    assert "Trafic" not in shown


def test_marked_update_pin_and_breaking_show_on_the_next_request(client, editor, publish):
    story = publish("Ferry delayed")
    assert "(Updated:" not in words(item(client, "/", story.pk))
    actions.do_update_story(
        editor, story.pk, {"body": "Now two hours late."}, expected_version=None,
        mark_as_update=True,
    )  # fmt: skip
    assert "(Updated:" in words(item(client, "/", story.pk))
    actions.do_set_breaking(editor, story.pk, True)
    assert "Breaking" in words(item(client, "/", story.pk))
    actions.do_set_pinned(editor, story.pk, True)
    assert "Pinned" in words(item(client, "/", story.pk))


def test_renamed_topic_shows_in_items_drawn_before(
    client, editor, publish, topic, django_capture_on_commit_callbacks
):
    story = publish("Grid upgrade approved", topic_ids=[topic.pk])
    topics = item(client, "/", story.pk).xpath(".//ul[@aria-label='Topics']//a/text()")
    assert topics == ["Energy"]
    with django_capture_on_commit_callbacks(execute=True):  # the rename is told after commit
        actions.do_save_topic(editor, topic.pk, {"name": "Power", "slug": topic.slug})
    topics = item(client, "/", story.pk).xpath(".//ul[@aria-label='Topics']//a/text()")
    assert topics == ["Power"]


def test_card_follows_its_story_and_vanishes_when_it_is_unpublished(client, editor, publish):
    """An item whose body links to another story draws it as a card; when that story changes
    its headline or leaves, the item changes with it, though the item itself did not."""
    linked = publish("Harbour reopens", summary="Ships are back.")
    story = publish("What we know", body=f"Latest:\n\n/stories/{linked.slug}/\n\nMore soon.")
    card = item(client, "/", story.pk).xpath(".//aside[contains(@class, 'story-card')]")
    assert "Harbour reopens" in words(card[0])
    actions.do_update_story(
        editor, linked.pk, {"headline": "Harbour reopens to ferries"}, expected_version=None
    )
    card = item(client, "/", story.pk).xpath(".//aside[contains(@class, 'story-card')]")
    assert "Harbour reopens to ferries" in words(card[0])
    actions.do_unpublish_story(editor, linked.pk)
    shown = item(client, "/", story.pk)
    assert not shown.xpath(".//aside")
    assert "Ships are back." not in words(shown)


def test_unpublished_story_leaves_every_list_at_once(client, editor, publish, topic):
    story = publish("Wrong figures", topic_ids=[topic.pk])
    for url in ("/", topic.get_absolute_url()):
        assert item(client, url, story.pk) is not None
    actions.do_unpublish_story(editor, story.pk)
    for url in ("/", topic.get_absolute_url()):
        assert item(client, url, story.pk) is None


def test_compact_and_full_items_are_kept_apart(client, publish):
    """The story page's sidebar shows the compact item, the feed the full one, whichever was
    drawn first."""
    story = publish("Storm warning", summary="Gusts up to 90 km/h.")
    other = publish("Schools open late")
    sidebar = item(client, other.get_absolute_url(), story.pk)
    assert "feed-item--compact" in sidebar.get("class")
    assert "Gusts up to 90 km/h." not in words(sidebar)
    full = item(client, "/", story.pk)
    assert "feed-item--compact" not in full.get("class")
    assert "Gusts up to 90 km/h." in words(full)


# ── the story page's own parts (`fragments.story_parts`) ─────────────────────────────────────


def story_page(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def test_story_page_shows_a_correction_and_an_edit_on_the_next_request(client, editor, publish):
    story = publish("Turbine count", body="There are 40 turbines.")
    assert "There are 40 turbines." in story_page(client, story)
    actions.do_add_correction(editor, story.pk, "An earlier version gave the wrong count.")
    actions.do_update_story(
        editor, story.pk, {"body": "There are 14 turbines."}, expected_version=None
    )
    page = story_page(client, story)
    assert "There are 14 turbines." in page
    assert "An earlier version gave the wrong count." in page


def test_story_page_shows_a_new_bio_and_a_new_caption(
    client, editor, publish, django_capture_on_commit_callbacks
):
    """Author boxes and the photo caption come from other rows than the story's own."""
    from newsdesk.media.actions import do_update_image_text, do_upload_image
    from tests.media.imagefiles import image_bytes

    lead = do_upload_image(
        editor, image_bytes(size=(1200, 800)), alt_text="Cranes", caption="Cranes at dawn."
    )
    writer = actions.do_save_author(editor, None, {"name": "Ada Lind", "bio": "Covers ports."})
    story = publish("Port strike ends", kind="article", lead_image_id=lead.pk,
                    author_ids=[writer.pk])  # fmt: skip
    page = story_page(client, story)
    assert "Covers ports." in page and "Cranes at dawn." in page
    with django_capture_on_commit_callbacks(execute=True):  # authors are told after commit
        actions.do_save_author(editor, writer.pk, {"name": "Ada Lind", "bio": "Covers trade."})
    do_update_image_text(editor, lead.pk, alt_text="Cranes", caption="Cranes at noon.", credit="")
    page = story_page(client, story)
    assert "Covers trade." in page and "Covers ports." not in page
    assert "Cranes at noon." in page and "Cranes at dawn." not in page
