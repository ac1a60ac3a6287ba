"""The story list: filters, search, contributors' own stories, and the quick post box."""

from __future__ import annotations

import pytest

from newsdesk.stories import actions
from newsdesk.stories.models import Story

pytestmark = pytest.mark.django_db


def test_list_filters_by_status_and_searches_headlines(editor_client, editor, publish, topic):
    """Filters narrow the list by status, topic and headline words, through a GET form."""
    publish("Tram strike ends after talks", topic_ids=[topic.pk])
    actions.do_create_story(editor, {"headline": "Draft on bridge repairs", "body": "…"})
    html = editor_client.get("/desk/?status=draft").content.decode()
    assert "Draft on bridge repairs" in html
    assert "Tram strike ends" not in html
    html = editor_client.get(f"/desk/?topic={topic.pk}").content.decode()
    assert "Tram strike ends" in html and "bridge repairs" not in html
    html = editor_client.get("/desk/?q=tram").content.decode()
    assert "Tram strike ends" in html and "bridge repairs" not in html


def test_bad_filter_values_are_a_400_with_a_message(editor_client):
    """A tampered filter is answered with the form's message, never a 500."""
    response = editor_client.get("/desk/?author=abc&status=nonsense")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_contributor_sees_only_own_stories_and_no_quick_post(
    contributor_client, contributor, editor
):
    """A contributor's list holds their own stories; the quick post box is for editors."""
    actions.do_create_story(contributor, {"headline": "My notes on the flood defences"})
    actions.do_create_story(editor, {"headline": "Editor's private draft"})
    html = contributor_client.get("/desk/").content.decode()
    assert "My notes on the flood defences" in html
    assert "Editor's private draft" not in html
    assert "Post now" not in html


def test_quick_post_publishes_to_the_public_feed(editor_client, client):
    """Headline and text go straight to the News Feed; the message links to the story."""
    response = editor_client.post(
        "/desk/quick-post/",
        {"headline": "Harbour reopens to small boats", "text": "Pilots resume at dawn."},
        follow=True,
    )
    story = Story.objects.get(headline="Harbour reopens to small boats")
    html = response.content.decode()
    assert "Published “Harbour reopens to small boats”" in html
    assert f'href="{story.get_absolute_url()}"' in html
    client.logout()
    feed = client.get("/").content.decode()
    assert "Harbour reopens to small boats" in feed
    assert "Pilots resume at dawn." in feed


def test_quick_post_refused_for_contributors(contributor_client):
    """A contributor's direct post is refused with 403 and publishes nothing."""
    refused = contributor_client.post("/desk/quick-post/", {"headline": "x", "text": "y"})
    assert refused.status_code == 403
    assert not Story.objects.exists()


def test_quick_post_with_nul_shows_form_error(editor_client):
    """Text the database cannot store is reported on the form, with what was typed kept."""
    response = editor_client.post(
        "/desk/quick-post/", {"headline": "Bad\x00headline", "text": "Words kept here"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "NUL character" in html
    assert "Words kept here" in html
    assert not Story.objects.exists()
