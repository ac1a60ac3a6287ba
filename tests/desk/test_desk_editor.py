"""The story editor: drafts, publishing, updates, scheduling, corrections, pins, conflicts and
history, as a contributor or an editor would use them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.desk.conftest import story_form

pytestmark = pytest.mark.django_db


def public_page(story) -> str | None:
    """The story's public page as an anonymous reader gets it, or None for a 404."""
    response = Client().get(story.get_absolute_url())
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return response.content.decode()


def test_contributor_creates_and_edits_own_draft(contributor_client, contributor):
    """A contributor writes a draft, sees it in the editor, and saves a change to it."""
    response = contributor_client.post("/desk/stories/new/", story_form())
    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/stories/{story.pk}/"
    assert story.status == "draft" and story.created_by == contributor
    page = contributor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "Ferry timetable changes from Monday" in page
    assert "Saved." in page
    contributor_client.post(
        f"/desk/stories/{story.pk}/", story_form(story, body="The crossing moves to 20:00.")
    )
    story.refresh_from_db()
    assert story.body == "The crossing moves to 20:00."
    assert story.status == "draft"


def test_contributor_cannot_publish_by_button_or_by_direct_post(contributor_client, contributor):
    """Editor buttons are absent for a contributor, and posting them anyway is refused (403)."""
    story = actions.do_create_story(contributor, {"headline": "Council vote delayed"})
    page = contributor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert ">Save draft</button>" in page
    for button in ["Publish now", "Publish as update", "Unpublish", "Schedule", "Pin to top"]:
        assert f">{button}</button>" not in page
    response = contributor_client.post(
        f"/desk/stories/{story.pk}/", story_form(story, body="Typed text", action="publish")
    )
    assert response.status_code == 403
    assert "Only editors can publish" in response.content.decode()
    assert "Typed text" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "draft" and story.body == ""
    pin = contributor_client.post(f"/desk/stories/{story.pk}/do/", {"action": "breaking_on"})
    assert pin.status_code == 403


def test_contributor_cannot_open_another_persons_story(contributor_client, editor):
    """Somebody else's story is not shown to a contributor, and cannot be changed by them."""
    story = actions.do_create_story(editor, {"headline": "Editor's scoop"})
    assert contributor_client.get(f"/desk/stories/{story.pk}/").status_code == 403
    response = contributor_client.post(f"/desk/stories/{story.pk}/", story_form(story))
    assert response.status_code == 403
    assert "Editor's scoop" not in response.content.decode()


def test_editor_publishes_a_new_story_in_one_step(editor_client):
    """Publish now on a new story saves it and puts it on the site."""
    response = editor_client.post("/desk/stories/new/", story_form(action="publish"))
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.status == "published"
    assert "Ferry timetable changes from Monday" in public_page(story)


def test_publish_as_update_shows_updated_but_a_silent_fix_does_not(editor_client, publish):
    """“Publish as update” adds “(Updated: …)” on the public page; “Save” changes the text only."""
    story = publish("Storm warning for the coast", body="Winds of 90 km/h expected.")
    editor_client.post(
        f"/desk/stories/{story.pk}/", story_form(story, body="Winds of 90 km/h expectd.")
    )
    page = public_page(story)
    assert "expectd" in page
    assert "(Updated: " not in page
    story.refresh_from_db()
    editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, body="Winds of 120 km/h now expected.", action="publish_update"),
    )
    page = public_page(story)
    assert "120 km/h" in page
    assert "(Updated: " in page


def test_published_story_keeps_its_address(editor_client, publish):
    """The slug field is locked once published; a forged change is not applied."""
    story = publish("Bridge closed overnight")
    page = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="slug"[^>]*disabled', page)
    editor_client.post(f"/desk/stories/{story.pk}/", story_form(story, slug="another-address"))
    story.refresh_from_db()
    assert story.slug == "bridge-closed-overnight"


def test_unpublish_takes_the_story_off_the_site(editor_client, publish):
    """After Unpublish the public page is a 404 and the desk shows the story as unpublished."""
    story = publish("Water main burst on High Street")
    assert public_page(story) is not None
    response = editor_client.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "unpublish", "version": story.version},
        follow=True,
    )
    assert "Unpublished" in response.content.decode()
    assert public_page(story) is None
    story.refresh_from_db()
    assert story.status == "unpublished"


def test_schedule_in_newsroom_time_then_publish_when_due(editor_client, settings):
    """The datetime-local value is newsroom time; the story appears only once it is due."""
    settings.TIME_ZONE = "Europe/Berlin"
    editor_client.post("/desk/stories/new/", story_form())
    story = Story.objects.get()
    berlin = ZoneInfo("Europe/Berlin")
    local = (
        (timezone.now() + dt.timedelta(days=2)).astimezone(berlin).replace(second=0, microsecond=0)
    )
    response = editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, action="schedule", publish_at=local.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "scheduled"
    assert story.published_at == local
    assert public_page(story) is None
    actions.do_publish_due_stories(now=local - dt.timedelta(minutes=1))
    assert public_page(story) is None
    actions.do_publish_due_stories(now=local + dt.timedelta(minutes=1))
    assert public_page(story) is not None


def test_schedule_in_the_past_is_a_form_error(editor_client):
    """A time already gone is refused on the Publish at field, and nothing is saved."""
    editor_client.post("/desk/stories/new/", story_form())
    story = Story.objects.get()
    response = editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, action="schedule", publish_at="2001-01-01T10:00", body="Kept"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pick a time in the future." in html
    assert 'aria-invalid="true"' in html
    story.refresh_from_db()
    assert story.status == "draft" and story.body != "Kept"


def test_correction_appears_on_the_public_page(editor_client, publish):
    """An editor's correction is shown under the published story."""
    story = publish("Museum reopens")
    editor_client.post(
        f"/desk/stories/{story.pk}/do/",
        {"action": "correct", "text": "An earlier version gave the wrong opening day."},
    )
    assert "An earlier version gave the wrong opening day." in public_page(story)


def test_empty_correction_is_refused_with_a_message(editor_client, publish):
    """An empty correction is a form error, not a 500."""
    story = publish("Museum reopens")
    response = editor_client.post(f"/desk/stories/{story.pk}/do/", {"action": "correct"})
    assert response.status_code == 400
    assert "Write the correction" in response.content.decode()


def test_pin_puts_the_story_above_the_feed_and_unpin_releases_it(editor_client, publish):
    """Pin to top marks the story pinned on the public feed; Unpin takes the mark away."""
    story = publish("Live: election night")
    publish("A later story")
    editor_client.post(f"/desk/stories/{story.pk}/do/", {"action": "pin"})
    page = Client().get("/").content.decode()
    feed = page[page.index("<main") :]
    assert "Pinned" in feed
    assert feed.index("Live: election night") < feed.index("A later story")
    editor_client.post(f"/desk/stories/{story.pk}/do/", {"action": "unpin"})
    story.refresh_from_db()
    assert not story.pinned


def test_breaking_on_shows_the_breaking_label(editor_client, publish):
    """Breaking on labels the story as breaking for readers."""
    story = publish("Fire at the port")
    editor_client.post(f"/desk/stories/{story.pk}/do/", {"action": "breaking_on"})
    assert "badge--breaking" in public_page(story)


def test_edit_conflict_keeps_the_second_persons_text(client, editor, admin_user):
    """Two people open the same story; the second save gets 409 with its text on the conflict
    screen beside the first person's, and the first person's text is what is stored."""
    story = actions.do_create_story(editor, {"headline": "Rail line reopens", "body": "Draft."})
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(admin_user)
    loaded_version = story.version
    assert first.get(f"/desk/stories/{story.pk}/").status_code == 200
    assert second.get(f"/desk/stories/{story.pk}/").status_code == 200
    ok = first.post(f"/desk/stories/{story.pk}/", story_form(story, body="First person's words."))
    assert ok.status_code == 302
    conflict = second.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, body="Second person's words.", version=str(loaded_version)),
    )
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Somebody else saved this story" in html
    assert 'value="Second person&#x27;s words."' in html
    assert '<ins class="diff-ins">First</ins> person&#x27;s words.' in html  # for comparison
    story.refresh_from_db()
    assert story.body == "First person's words."
    assert f'name="version" value="{story.version}"' in html  # the conflict screen's form


def test_non_integer_version_unknown_story_and_nul_headline(editor_client, editor):
    """Bad input is a 400 or 404 with a message, or a form error: never a 500."""
    story = actions.do_create_story(editor, {"headline": "Road works"})
    bad = editor_client.post(f"/desk/stories/{story.pk}/", story_form(story, version="abc"))
    assert bad.status_code == 400
    assert "not a number" in bad.content.decode()
    assert editor_client.get("/desk/stories/999999/").status_code == 404
    nul = editor_client.post(
        f"/desk/stories/{story.pk}/", story_form(story, headline="Road\x00works", body="Mine")
    )
    assert nul.status_code == 400
    assert "NUL character" in nul.content.decode()
    assert "Mine" in nul.content.decode()
    odd = editor_client.post(f"/desk/stories/{story.pk}/", story_form(story, action="explode"))
    assert odd.status_code == 400


def test_history_lists_revisions_and_restore_brings_back_old_text(editor_client, editor):
    """Each save is a revision in the History list; Restore puts an old text back."""
    story = actions.do_create_story(editor, {"headline": "Lake levels", "body": "First text."})
    editor_client.post(f"/desk/stories/{story.pk}/", story_form(story, body="Second text."))
    page = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "Revision 1</a>: created" in page
    assert "Revision 2</a>: saved" in page
    assert "by ed" in page
    revision = editor_client.get(f"/desk/stories/{story.pk}/revisions/1/").content.decode()
    assert "First text." in revision
    story.refresh_from_db()
    response = editor_client.post(
        f"/desk/stories/{story.pk}/revisions/1/restore/", {"version": story.version}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == "First text."
    page = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert "restored revision 1" in page
    assert editor_client.get(f"/desk/stories/{story.pk}/revisions/99/").status_code == 404
