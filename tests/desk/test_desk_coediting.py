"""Two people in one story: conflicts shown side by side and resolved field by field (nothing
lost), who else has the story open, autosave of a story never saved, revision diffs, and restore
on a published story."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.desk.conftest import story_form

pytestmark = pytest.mark.django_db

FIRST_BODY = "The bridge closes at ten.\n\nDivers found a crack in the second pillar."
BASE_BODY = "The bridge closes at ten."


@pytest.fixture(autouse=True)
def _nobody_present():
    """Presence lives in the cache; story ids repeat from test to test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_editors(editor, admin_user):
    """The same story open in two browsers: the editor's and the admin's."""
    story = actions.do_create_story(
        editor, {"headline": "Old bridge closes", "summary": "Tonight.", "body": BASE_BODY}
    )
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(admin_user)
    return story, first, second


def edit_url(story) -> str:
    return f"/desk/stories/{story.pk}/"


def test_stale_save_is_refused_again_and_never_overwrites(two_editors):
    """The second person gets the conflict screen; pressing Save again with the same (stale)
    version is refused again: the first person's paragraph stays."""
    story, first, second = two_editors
    stale = story_form(story, body=BASE_BODY + "\n\nSecond person's line.")
    assert first.post(edit_url(story), story_form(story, body=FIRST_BODY)).status_code == 302
    for _ in range(2):
        response = second.post(edit_url(story), stale)
        assert response.status_code == 409
        page = response.content.decode()
        assert "Somebody else saved this story" in page
        assert "Yours" in page and "Saved now (version" in page
        side_by_side = page[page.index('data-side="mine"') : page.index('name="choose_body"')]
        assert "Second" in side_by_side and "pillar." in side_by_side
    story.refresh_from_db()
    assert "Divers found a crack in the second pillar." in story.body
    assert "Second person" not in story.body


def test_conflict_marks_the_differences_word_by_word(two_editors):
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, headline="Old bridge closes tonight"))
    page = second.post(
        edit_url(story), story_form(story, headline="Old bridge shuts")
    ).content.decode()
    assert 'Old bridge <del class="diff-del">shuts</del>' in page
    assert 'Old bridge <ins class="diff-ins">closes tonight</ins>' in page


def resolve_form(page: str) -> dict:
    """The conflict screen's form as a browser would send it untouched: hidden fields, checked
    radios and the merged texts."""
    form = page[
        page.index("data-conflict-form") : page.index("</form>", page.index("data-conflict-form"))
    ]
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="radio"' in tag and " checked" not in tag:
            continue
        data.setdefault(name.group(1), []).append(_unescape(value.group(1) if value else ""))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = [_unescape(text.lstrip("\n"))]
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_a_field_both_changed_needs_an_explicit_choice(two_editors):
    """Saving the conflict screen without choosing for a field both people changed is refused
    (400, the screen again); after choosing "take theirs" the save goes through."""
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    page = second.post(edit_url(story), story_form(story, body="Mine only.")).content.decode()
    data = resolve_form(page)
    assert "choose_body" not in data  # no default where both changed
    refused = second.post(edit_url(story), data)
    assert refused.status_code == 400
    assert "Choose what to keep for: Body" in refused.content.decode()
    story.refresh_from_db()
    assert story.body == FIRST_BODY
    data["choose_body"] = ["theirs"]
    assert second.post(edit_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.body == FIRST_BODY


def test_keep_mine_is_an_explicit_choice_and_is_saved(two_editors):
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    page = second.post(edit_url(story), story_form(story, body="Mine only.")).content.decode()
    data = resolve_form(page)
    data["choose_body"] = ["mine"]
    assert second.post(edit_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.body == "Mine only."
    assert "Divers found a crack" in story.revisions.get(number=2).content["body"]


def test_merged_text_keeps_both_peoples_words(two_editors):
    """Both changed the body in different places: the merged text holds both, and is saved
    once chosen; fields only one side changed are pre-chosen so nothing is lost."""
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    mine = story_form(story, body="The old bridge closes at ten.", summary="Tonight, for a year.")
    page = second.post(edit_url(story), mine).content.decode()
    assert "both changes applied" in page
    data = resolve_form(page)
    assert data["choose_summary"] == ["mine"]  # only I changed it
    assert data["merged_body"] == [
        "The old bridge closes at ten.\n\nDivers found a crack in the second pillar."
    ]
    data["choose_body"] = ["merged"]
    assert second.post(edit_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (
        story.body == "The old bridge closes at ten.\n\nDivers found a crack in the second pillar."
    )
    assert story.summary == "Tonight, for a year."


def test_changes_to_different_fields_are_kept_without_a_choice(two_editors):
    """One changed the headline, the other the body: both fields come pre-chosen (theirs for
    the headline, mine for the body), so saving the screen as it is keeps both changes."""
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, headline="Old bridge closes for a year"))
    page = second.post(edit_url(story), story_form(story, body="Closed from ten.")).content.decode()
    data = resolve_form(page)
    assert data["choose_headline"] == ["theirs"] and data["choose_body"] == ["mine"]
    assert second.post(edit_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Old bridge closes for a year", "Closed from ten.")


def test_unpublish_and_restore_ask_first(editor_client, publish, editor):
    story = publish("Ferry strike", body="Crews walk out.")
    actions.do_update_story(
        editor, story.pk, {"body": "Crews out."}, expected_version=story.version
    )
    page = editor_client.get(edit_url(story)).content.decode()
    assert 'data-confirm="Unpublish “Ferry strike”? Readers will no longer see it."' in page
    assert 'class="button--danger">Unpublish</button>' in page
    assert 'data-confirm="Restore revision 1? Its words go into the form' in page


def test_edited_merge_is_saved_as_typed(two_editors):
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    page = second.post(edit_url(story), story_form(story, body="Bridge shut.")).content.decode()
    data = resolve_form(page)
    data["choose_body"] = ["merged"]
    data["merged_body"] = ["Bridge shut at ten. Divers found a crack."]
    assert second.post(edit_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.body == "Bridge shut at ten. Divers found a crack."


def test_resolving_against_a_version_that_moved_on_shows_the_screen_again(two_editors):
    """A third save between the conflict screen and its Save: refused, a new screen."""
    story, first, second = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    page = second.post(edit_url(story), story_form(story, body="Mine only.")).content.decode()
    data = resolve_form(page)
    data["choose_body"] = ["mine"]
    story.refresh_from_db()
    first.post(edit_url(story), story_form(story, headline="Old bridge closes for a year"))
    again = second.post(edit_url(story), data)
    assert again.status_code == 409
    story.refresh_from_db()
    assert story.body == FIRST_BODY and story.headline == "Old bridge closes for a year"


def test_api_stale_version_is_a_409_with_a_clear_message(two_editors, editor, client):
    """The API refuses a stale `version` the same way (the action checks it), saying why."""
    from newsdesk.api.actions import do_create_token

    story, first, _ = two_editors
    first.post(edit_url(story), story_form(story, body=FIRST_BODY))
    token = do_create_token(editor, "script")[1]
    response = client.patch(
        f"/api/v1/stories/{story.pk}",
        {"body": "Overwrite", "version": story.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert "Somebody else saved this story" in message and "Nothing was saved" in message
    assert Story.objects.get(pk=story.pk).body == FIRST_BODY


# ── who else has the story open ──────────────────────────────────────────────────────────────


def test_presence_shows_who_else_has_the_story_open(two_editors, editor):
    """Each editor page's heartbeat answers who else has the story open; leaving removes them."""
    story, first, second = two_editors
    url = f"/desk/stories/{story.pk}/presence/"
    assert first.post(url).json()["others"] == []
    seen = second.post(url, {"typing": "1"}).json()
    assert [p["name"] for p in seen["others"]] == ["ed"]
    assert seen["version"] == story.version and seen["every"] == 5
    assert first.post(url).json()["others"] == [{"name": "ada", "typing": True}]
    page = first.get(edit_url(story)).content.decode()
    assert "Also open now: ada (typing)." in page
    second.post(url, {"leaving": "1"})
    assert first.post(url).json()["others"] == []


def test_presence_is_for_people_who_may_open_the_story(two_editors, contributor):
    story, _, _ = two_editors
    outsider = Client()
    outsider.force_login(contributor)
    assert outsider.post(f"/desk/stories/{story.pk}/presence/").status_code == 403
    assert Client().post(f"/desk/stories/{story.pk}/presence/").status_code == 302  # to login
    assert outsider.get(f"/desk/stories/{story.pk}/presence/").status_code == 405


# ── autosave of a story never saved ──────────────────────────────────────────────────────────


def test_first_autosave_of_a_new_story_creates_the_draft(editor_client, editor):
    """Typing in a new story's body is enough: the draft exists, its words kept, and its first
    real headline gives it its address."""
    response = editor_client.post("/desk/stories/new/autosave/", {"body": "Smoke over the pier."})
    assert response.status_code == 201
    made = response.json()
    story = Story.objects.get(pk=made["story"])
    assert made["edit_url"] == f"/desk/stories/{story.pk}/"
    assert story.status == "draft" and story.body == "Smoke over the pier."
    assert story.headline == "Untitled draft" and story.created_by == editor
    page = editor_client.get(made["edit_url"]).content.decode()
    assert "Smoke over the pier." in page
    assert 'name="headline" value="Untitled draft"' not in page
    saved = editor_client.post(
        made["edit_url"], story_form(story, headline="Fire on the north pier")
    )
    assert saved.status_code == 302
    story.refresh_from_db()
    assert story.slug == "fire-on-the-north-pier"
    assert "created by autosave" in page


def test_new_story_autosave_refuses_bad_text_with_a_message(editor_client):
    response = editor_client.post("/desk/stories/new/autosave/", {"body": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]
    assert not Story.objects.exists()


# ── revisions: differences, and restoring on a published story ───────────────────────────────


def test_revision_diff_shows_each_changed_field_side_by_side(editor_client, editor, topic):
    story = actions.do_create_story(editor, {"headline": "Storm warning", "body": "Winds of 80."})
    story = actions.do_update_story(
        editor,
        story.pk,
        {"headline": "Storm warning upgraded", "body": "Winds of 120.", "topic_ids": [topic.pk]},
        expected_version=story.version,
    )
    page = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert f'action="/desk/stories/{story.pk}/revisions/diff/"' in page  # the compare form
    response = editor_client.get(f"/desk/stories/{story.pk}/revisions/diff/?a=1&b=2")
    assert response.status_code == 200
    diff = response.content.decode()
    assert 'Storm warning<ins class="diff-ins"> upgraded</ins>' in diff
    assert 'Winds of <del class="diff-del">80.</del>' in diff
    assert 'Winds of <ins class="diff-ins">120.</ins>' in diff
    assert f'<ins class="diff-ins">{topic.name}</ins>' in diff
    assert "Unchanged: " in diff and "Kind" in diff.split("Unchanged: ")[1]
    # either order, and the last two by default
    for other in ("?a=2&b=1", ""):
        again = editor_client.get(f"/desk/stories/{story.pk}/revisions/diff/{other}")
        assert "<h1>Revisions 1 and 2 of" in again.content.decode()


def test_revision_diff_bad_input_is_a_clear_4xx(editor_client, editor, contributor):
    story = actions.do_create_story(editor, {"headline": "Storm warning"})
    base = f"/desk/stories/{story.pk}/revisions/diff/"
    assert editor_client.get(base + "?a=1&b=9").status_code == 404
    assert editor_client.get(base + "?a=x&b=1").status_code == 400
    alone = editor_client.get(base)
    assert alone.status_code == 400 and "only one revision" in alone.content.decode()
    outsider = Client()
    outsider.force_login(contributor)
    assert outsider.get(base + "?a=1&b=1").status_code == 403


def test_restoring_on_a_published_story_is_a_pending_change(editor_client, editor, publish):
    """Restoring revision 1 of a live article publishes nothing and keeps flags and corrections:
    the old words come into the editor, and readers see them only after the editor publishes
    (here as an update, which shows "Updated")."""
    story = publish("Turnout at 41%", body="Turnout was 41 per cent.")
    story = actions.do_update_story(
        editor, story.pk, {"body": "Turnout was 48 per cent."}, expected_version=story.version
    )
    actions.do_add_correction(editor, story.pk, "An earlier version gave turnout as 41%.")
    actions.do_set_breaking(editor, story.pk, True)
    story.refresh_from_db()
    version = story.version
    response = editor_client.post(
        f"/desk/stories/{story.pk}/revisions/1/restore/", {"version": version}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "readers still see the published version" in page
    assert "A correction was published after revision 1" in page
    assert "Turnout was 41 per cent." in page  # in the form
    story.refresh_from_db()
    assert story.body == "Turnout was 48 per cent." and story.breaking
    assert story.version == version and story.updated_at is None
    reader = Client().get(story.get_absolute_url()).content.decode()
    assert "48 per cent" in reader and "41 per cent." not in reader
    published = editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(story, body="Turnout was 41 per cent.", action="publish_update", breaking="on"),
    )
    assert published.status_code == 302
    story.refresh_from_db()
    assert story.body == "Turnout was 41 per cent." and story.updated_at is not None
    assert story.breaking and story.corrections.count() == 1


def test_restoring_a_draft_keeps_its_flags(editor_client, editor):
    story = actions.do_create_story(editor, {"headline": "Quiet night", "body": "Nothing."})
    actions.do_set_breaking(editor, story.pk, True)
    story = actions.do_update_story(
        editor, story.pk, {"body": "Sirens."}, expected_version=Story.objects.get().version
    )
    editor_client.post(f"/desk/stories/{story.pk}/revisions/1/restore/", {"version": story.version})
    story.refresh_from_db()
    assert story.body == "Nothing." and story.breaking
