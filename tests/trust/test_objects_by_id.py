"""Objects reached by id, and fields a role may not set: what the matrix does not spell out.

The permission matrix (`test_permissions_matrix.py`) sends every role × object × operation ×
channel; these tests pin down the details a person would notice: a forbidden image and a missing
one answer alike; new words on a published photo reach readers as an update with its revision;
the tester's two tricks from issue 12 fail; `breaking` and the fields set by their own buttons
are refused the same way on the desk and the API.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from newsdesk.api.actions import do_create_token
from newsdesk.core.errors import InvalidInput
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import EventKind, FeedEvent, Image, Revision, Story
from tests.desk.conftest import story_form
from tests.media.imagefiles import image_bytes
from tests.trust.test_permissions_matrix import snapshot

pytestmark = pytest.mark.django_db


def _upload(user, caption: str) -> Image:
    return do_upload_image(user, image_bytes(size=(120, 80)), alt_text="A quay", caption=caption)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {do_create_token(user, 'test')[1]}"})


def _desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _image_fields(image: Image, **changed) -> dict:
    fields = {"alt_text": image.alt_text, "caption": image.caption, "credit": image.credit}
    fields.update(changed)
    return {f"image-{key}": value for key, value in fields.items()}


def test_a_forbidden_image_and_a_missing_one_get_the_same_answer(editor, contributor):
    """A contributor naming an editor's draft photo, or an id that does not exist, as a lead
    image gets the same 422 naming `lead_image_id` (only the id differs): ids tell nothing."""
    embargoed = _upload(editor, "Embargoed: the minister resigns")
    missing = embargoed.pk + 1000
    draft = actions.do_create_story(contributor, {"headline": "My draft"})
    api = _api(contributor)
    answers = []
    for image_id in (embargoed.pk, missing):
        response = api.patch(
            f"/api/v1/stories/{draft.pk}",
            {"lead_image_id": image_id},
            content_type="application/json",
        )
        assert response.status_code == 422
        body = response.content.decode()
        assert "Embargoed" not in body
        answers.append(body.replace(str(image_id), "<id>"))
    assert answers[0] == answers[1]
    assert "lead_image_id" in answers[0] and "that you can use" in answers[0]
    for image_id in (embargoed.pk, missing):
        response = api.get(f"/api/v1/images/{image_id}")
        assert response.status_code == 404
        answers.append(response.content.decode().replace(str(image_id), "<id>"))
    assert answers[2] == answers[3]
    draft.refresh_from_db()
    assert draft.lead_image_id is None


def test_avatars_follow_the_same_image_rules(editor, contributor):
    """An avatar id is checked like a lead image: an editor may use any image; an unknown id is
    refused naming `avatar_id` and the author keeps the avatar they had."""
    photo = _upload(contributor, "Portrait")
    author = actions.do_save_author(editor, None, {"name": "Ada", "avatar_id": photo.pk})
    assert author.avatar_id == photo.pk
    with pytest.raises(InvalidInput) as refused:
        actions.do_save_author(editor, author.pk, {"name": "Ada", "avatar_id": photo.pk + 99})
    assert list(refused.value.fields) == ["avatar_id"]
    author.refresh_from_db()
    assert author.avatar_id == photo.pk


def test_new_words_on_a_published_photo_are_an_update_readers_see(client, editor):
    """An editor's new caption on a photo used by two published stories and a draft: each
    published story gets a new version, an "image text edited" revision and an `updated` feed
    event, and its page shows the caption; the draft gets nothing."""
    photo = _upload(editor, "Cranes at dawn.")
    published = []
    for headline in ("Port strike ends", "Port reopens"):
        story = actions.do_create_story(editor, {"headline": headline, "lead_image_id": photo.pk})
        published.append(actions.do_publish_story(editor, story.pk))
    draft = actions.do_create_story(editor, {"headline": "Port plans", "lead_image_id": photo.pk})
    assert "Cranes at dawn." in client.get(published[0].get_absolute_url()).content.decode()
    events_before = FeedEvent.objects.count()
    response = _api(editor).patch(
        f"/api/v1/images/{photo.pk}",
        {"caption": "Cranes at noon."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["caption"] == "Cranes at noon."
    for before in published:
        story = Story.objects.get(pk=before.pk)
        assert story.version == before.version + 1
        assert story.revisions.order_by("-number").first().action == "image text edited"
        event = FeedEvent.objects.filter(story=story).order_by("-pk").first()
        assert event.kind == EventKind.UPDATED
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Cranes at noon." in page and "Cranes at dawn." not in page
    assert FeedEvent.objects.count() == events_before + 2
    assert not Revision.objects.filter(story=draft, action="image text edited").exists()


def test_the_testers_caption_trick_is_refused_in_the_desk(editor, contributor):
    """Issue 12: a contributor makes a published story's photo the lead image of their draft
    (allowed: readers see it anyway) and saves new words for it in the desk. The save is refused
    with a message on the form, and neither the photo, the draft nor the story changes."""
    photo = _upload(editor, "The harbour at night.")
    story = actions.do_create_story(editor, {"headline": "Harbour", "lead_image_id": photo.pk})
    actions.do_publish_story(editor, story.pk)
    response = _api(contributor).post(
        "/api/v1/stories",
        {"headline": "My draft", "lead_image_id": photo.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    draft = Story.objects.get(pk=response.json()["id"])
    before = snapshot()
    response = _desk(contributor).post(
        f"/desk/stories/{draft.pk}/",
        {**story_form(draft), **_image_fields(photo, caption="Defaced", credit="Me")},
    )
    assert response.status_code == 403
    assert "only an editor can change its alt text" in response.content.decode()
    assert snapshot() == before
    page = _desk(contributor).get(f"/desk/stories/{draft.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="image-caption"[^>]*readonly', page)
    assert "Only an editor can change the words of this image" in page


def test_a_contributor_rewords_their_own_unpublished_photo_in_the_desk(contributor):
    """Their own upload on their own draft: the desk saves the new caption."""
    draft = actions.do_create_story(contributor, {"headline": "Mine"})
    client = _desk(contributor)
    photo = _upload(contributor, "First words.")
    draft = actions.do_update_story(
        contributor, draft.pk, {"lead_image_id": photo.pk}, expected_version=None
    )
    response = client.post(
        f"/desk/stories/{draft.pk}/",
        {**story_form(draft), **_image_fields(photo, caption="Better words.")},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Better words."


# ── fields a role may not set ────────────────────────────────────────────────────────────────


def _send_breaking(channel: str, user, story: Story | None, value: bool):
    """`breaking` sent by one channel; `story` None creates a story."""
    if channel == "api":
        api = _api(user)
        if story is None:
            return api.post(
                "/api/v1/stories",
                {"headline": "Flash", "breaking": value},
                content_type="application/json",
            )
        return api.patch(
            f"/api/v1/stories/{story.pk}", {"breaking": value}, content_type="application/json"
        )
    data = story_form(story, headline=story.headline if story else "Flash")
    if value:
        data["breaking"] = "on"  # a contributor's form has no such box: a forged POST
    path = f"/desk/stories/{story.pk}/" if story else "/desk/stories/new/"
    return _desk(user).post(path, data)


@pytest.mark.parametrize("channel", ["desk", "api"])
@pytest.mark.parametrize("new", [True, False])
@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_breaking_is_an_editors_call_on_every_channel(
    request, channel, new, role, editor, contributor
):
    """A contributor changing `breaking` (new story or edit, desk or API) gets a 403 naming the
    field and nothing changes; sending the value the story has is fine; an editor may set it."""
    user = request.getfixturevalue(role)
    story = None if new else actions.do_create_story(user, {"headline": "Quiet news"})
    before = snapshot()
    response = _send_breaking(channel, user, story, True)
    if role == "editor":
        assert response.status_code < 400, response.content[:300]
        assert Story.objects.filter(breaking=True).count() == 1
    else:
        assert response.status_code == 403, response.content[:300]
        body = response.content.decode()
        assert "breaking news" in body
        if channel == "api":
            assert list(response.json()["error"]["fields"]) == ["breaking"]
        assert snapshot() == before
        unchanged = _send_breaking(channel, user, story, False)
        assert unchanged.status_code < 400, unchanged.content[:300]


SET_ELSEWHERE = {
    "status": "published",
    "pinned": True,
    "published_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
}


@pytest.mark.parametrize("field", sorted(SET_ELSEWHERE))
@pytest.mark.parametrize("channel", ["desk", "api-create", "api-edit"])
@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_fields_with_their_own_buttons_are_refused_by_a_save(request, field, channel, role, editor):
    """Status, pinning and publication times are set by publish, pin and schedule, which check
    who may: a save that names one is refused with the field named, for everyone, on the desk
    (a forged form) and the API alike, and nothing changes."""
    user = request.getfixturevalue(role)
    story = actions.do_create_story(user, {"headline": "Plain"})
    before = snapshot()
    value = SET_ELSEWHERE[field]
    if channel == "desk":
        data = {**story_form(story), field: "on" if value is True else value}
        response = _desk(user).post(f"/desk/stories/{story.pk}/", data)
        assert response.status_code == 400
        assert f"“{field}” cannot be set by saving a story" in response.content.decode()
    else:
        api = _api(user)
        if channel == "api-create":
            body = {"headline": "Plain", field: value}
            response = api.post("/api/v1/stories", body, content_type="application/json")
        else:
            body = {"headline": "Renamed", field: value}
            response = api.patch(
                f"/api/v1/stories/{story.pk}", body, content_type="application/json"
            )
        assert response.status_code == 422
        assert field in response.json()["error"]["fields"]
    assert snapshot() == before


def test_restoring_words_brings_back_no_breaking_mark_nor_a_foreign_image(editor, contributor):
    """A contributor restoring an old revision gets its words back, but not the breaking mark or
    the editor's draft photo that revision had: those stay as they are now."""
    embargoed = _upload(editor, "Embargoed")
    draft = actions.do_create_story(contributor, {"headline": "Old words"})
    actions.do_update_story(
        editor, draft.pk, {"breaking": True, "lead_image_id": embargoed.pk}, expected_version=None
    )
    actions.do_update_story(
        editor,
        draft.pk,
        {"headline": "New words", "breaking": False, "lead_image_id": None},
        expected_version=None,
    )
    old = Revision.objects.get(story=draft, number=2)
    assert old.content["breaking"] and old.content["lead_image_id"] == embargoed.pk
    story = actions.do_restore_revision(contributor, draft.pk, 2, expected_version=None)
    assert story.headline == "Old words"
    assert (story.breaking, story.lead_image_id) == (False, None)


def test_fields_set_elsewhere_are_refused_by_the_action_itself(editor):
    """The check is in the action, so any caller (a script, a future command) is refused too."""
    story = actions.do_create_story(editor, {"headline": "Plain"})
    with pytest.raises(InvalidInput) as refused:
        actions.do_update_story(editor, story.pk, {"status": "published"}, expected_version=None)
    assert list(refused.value.fields) == ["status"]
