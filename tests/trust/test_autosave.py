"""Autosave: what someone types is kept every few seconds, never publishes or overwrites by
itself, and comes back when the editor is reopened after the tab was closed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from newsdesk.stories import actions
from newsdesk.stories.models import FeedEvent, Story
from tests.conftest import make_user
from tests.e2e.helpers import EDITOR


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/desk/")
    return client


def _autosave(client: Client, story_id: int, **fields):
    token = client.cookies["csrftoken"].value
    return client.post(
        f"/desk/stories/{story_id}/autosave/", {**fields, "csrfmiddlewaretoken": token}
    )


@pytest.mark.django_db
def test_autosave_keeps_typed_words_without_changing_the_story(editor):
    """An autosave of a published story answers with the time, writes one autosave revision,
    and changes neither the story, its version, nor what readers see (no feed event)."""
    story = actions.do_quick_post(editor, "Storm closes the ferry", "First words.")
    before = Story.objects.filter(pk=story.pk).values().get()
    events = FeedEvent.objects.count()
    client = _csrf_client(editor)
    response = _autosave(client, story.pk, headline="Storm closes ferry", body="Half a thought")
    assert response.status_code == 200
    assert response.json()["saved_at"]
    response = _autosave(client, story.pk, headline="Storm closes ferry", body="A whole thought")
    assert response.status_code == 200
    assert Story.objects.filter(pk=story.pk).values().get() == before
    assert FeedEvent.objects.count() == events
    autosaves = story.revisions.filter(action="autosave")
    assert autosaves.count() == 1  # the newer autosave replaced the older one
    assert autosaves.get().content["body"] == "A whole thought"
    assert "First words." in Client().get(story.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_reopening_the_editor_offers_the_newer_autosave_and_a_save_supersedes_it(editor):
    """The editor form comes back with the autosaved text and a note saying so; after a real
    save the autosave is no longer offered."""
    story = actions.do_create_story(editor, {"headline": "Draft", "body": "Saved words."})
    client = _csrf_client(editor)
    _autosave(client, story.pk, headline="Draft", summary="", body="Typed, never saved.")
    page = client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "Typed, never saved." in page
    assert "Restored the text you were typing" in page
    shown = client.get(f"/desk/stories/{story.pk}/?autosave=discard").content.decode()
    assert "Saved words." in shown and "Typed, never saved." not in shown
    actions.do_update_story(editor, story.pk, {"body": "Saved again."}, expected_version=None)
    page = client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "Restored the text" not in page and "Saved again." in page


@pytest.mark.django_db
def test_autosave_is_refused_without_csrf_or_permission_and_for_bad_text(editor, contributor):
    """No token → 403; another person's story for a contributor → 403; a NUL in the body →
    400 with a message; nothing is written in each case."""
    story = actions.do_create_story(editor, {"headline": "Editor's own", "body": "x"})
    revisions = story.revisions.count()
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(editor)
    assert forged.post(f"/desk/stories/{story.pk}/autosave/", {"body": "y"}).status_code == 403
    assert _autosave(_csrf_client(contributor), story.pk, body="mine now").status_code == 403
    response = _autosave(_csrf_client(editor), story.pk, body="bad \x00 byte")
    assert response.status_code == 400 and "NUL" in response.json()["error"]
    assert story.revisions.count() == revisions
    assert make_user("contributor")  # the desk still works for others afterwards


@pytest.mark.e2e
@pytest.mark.timeout(120)
def test_typed_words_survive_closing_the_tab(server, browser):
    """Type in the editor, wait for "Saved", close the tab without saving, reopen: the words
    are in the form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/desk/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    page.goto(server.url + "/desk/stories/new/")
    page.get_by_label("Headline").fill("Autosave proof")
    page.locator("form#story-form").get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/desk/stories/\d+/$"))
    editor_url = page.url
    words = "The harbour master confirmed the pier reopens at noon."
    page.locator("textarea[name=body]").fill(words)
    status = page.locator("[data-autosave-status][data-state=saved]")
    expect(status).to_contain_text("Saved", timeout=15000)
    page.close()
    again = context.new_page()
    again.goto(editor_url)
    expect(again.locator("textarea[name=body]")).to_have_value(words)
    expect(again.get_by_text("Restored the text you were typing")).to_be_visible()
    context.close()
