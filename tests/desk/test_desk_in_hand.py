"""The desk in a person's hands: the login page names the newsroom, the story list's rows can
be asked for alone under the same filters (its self-refresh), and every desk page lists its
keyboard shortcuts for the "?" overlay."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


def test_login_page_shows_the_site_name_not_the_host(settings):
    settings.SITE_NAME = "Lindenhav Courier"
    page = Client().get("/desk/login/", HTTP_HOST="127.0.0.1:8400").content.decode()
    assert "Log in to the Lindenhav Courier desk" in page
    assert "<title>Log in · Desk · Lindenhav Courier</title>" in page
    assert "127.0.0.1:8400" not in page


def test_rows_follow_the_filters_and_only_for_the_desk(editor_client, editor, contributor, publish):
    """The rows answer lists what the same filters list on the page; readers get the login."""
    actions.do_create_story(editor, {"headline": "Depot draft"})
    publish("Depot reopens")
    drafts = editor_client.get("/desk/stories/rows/", {"status": "draft"})
    assert drafts.status_code == 200
    assert "no-store" in drafts["Cache-Control"]
    text = drafts.content.decode()
    assert "Depot draft" in text and "Depot reopens" not in text
    assert "data-rows-stamp=" in text and "<html" not in text
    everything = editor_client.get("/desk/stories/rows/").content.decode()
    assert "Depot draft" in everything and "Depot reopens" in everything
    assert editor_client.get("/desk/stories/rows/", {"status": "lost"}).status_code == 400
    anonymous = Client().get("/desk/stories/rows/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_rows_stamp_changes_when_the_list_does(editor_client, editor):
    def stamp() -> str:
        text = editor_client.get("/desk/stories/rows/").content.decode()
        return text.split('data-rows-stamp="', 1)[1].split('"', 1)[0]

    story = actions.do_create_story(editor, {"headline": "Ferry timetable"})
    before = stamp()
    assert stamp() == before
    actions.do_update_story(
        editor, story.pk, {"headline": "Ferry timetable changes"}, expected_version=story.version
    )
    assert stamp() != before


def test_every_desk_page_lists_the_shortcuts(editor_client, contributor):
    """The overlay lists n, /, the "g" places, ? and Esc; the review queue only for editors."""
    page = editor_client.get("/desk/").content.decode()
    assert 'id="shortcuts"' in page and "Keyboard shortcuts" in page
    for words in ("Write a new story", "Search the stories", "Go to the review queue", "Close it"):
        assert words in page
    assert 'data-go-review="/desk/review/"' in page
    writer = Client()
    writer.force_login(contributor)
    page = writer.get("/desk/stories/new/").content.decode()
    assert "Keyboard shortcuts" in page and "Go to the review queue" not in page
