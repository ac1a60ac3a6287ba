"""The photo library through the API: list and search, one image with its uses, new words,
a library image as lead image or inline; and nothing of it for anonymous clients."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from tests.api.conftest import bearer
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db


def _upload(user, alt: str, caption: str = "", credit: str = ""):
    return do_upload_image(
        user, image_bytes(size=(900, 600)), alt_text=alt, caption=caption, credit=credit
    )


def test_the_library_lists_newest_first_searches_and_pages(client, editor, editor_token):
    """`GET /images` lists every upload for an editor, newest first; `q` matches caption,
    credit and alt text; `before` pages on."""
    quay = _upload(editor, "Cranes on the quay", "Morning at the port", "Ana Ruiz")
    ferry = _upload(editor, "A ferry leaving", "The last crossing", "Bo Lind")
    nets = _upload(editor, "Nets drying in the sun", "", "Ana Ruiz")
    answer = client.get("/api/v1/images", **bearer(editor_token)).json()
    assert [item["id"] for item in answer["items"]] == [nets.pk, ferry.pk, quay.pk]
    assert answer["next_before"] is None
    assert answer["items"][0]["body_line"] == f"[image {nets.pk}]"
    assert " 400w" in answer["items"][0]["srcset"]
    by_credit = client.get("/api/v1/images?q=ana ruiz", **bearer(editor_token)).json()
    assert {item["id"] for item in by_credit["items"]} == {quay.pk, nets.pk}
    by_caption = client.get("/api/v1/images?q=crossing", **bearer(editor_token)).json()
    assert [item["id"] for item in by_caption["items"]] == [ferry.pk]
    first = client.get("/api/v1/images?limit=2", **bearer(editor_token)).json()
    assert [item["id"] for item in first["items"]] == [nets.pk, ferry.pk]
    rest = client.get(
        f"/api/v1/images?limit=2&before={first['next_before']}", **bearer(editor_token)
    ).json()
    assert [item["id"] for item in rest["items"]] == [quay.pk]


def test_anonymous_clients_get_no_library(client, editor):
    """Without a token the library answers 401 and names no image, not even a published one."""
    image = _upload(editor, "Seen by nobody yet", "Embargoed caption")
    for path in ("/api/v1/images", f"/api/v1/images/{image.pk}", "/api/v1/images?q=embargoed"):
        response = client.get(path)
        assert response.status_code == 401
        assert "Embargoed" not in response.content.decode()


def test_a_contributor_lists_own_uploads_and_public_images_only(
    client, editor, contributor, contributor_token
):
    """An editor's photo for a draft is not in a contributor's library; their own upload and
    a photo shown inline by a published story are."""
    draft_photo = _upload(editor, "Embargoed photo")
    own = _upload(contributor, "My own photo")
    inline = _upload(editor, "Shown inline")
    story = actions.do_create_story(
        editor, {"headline": "Out now", "body": f"Words.\n\n[image {inline.pk}]"}
    )
    actions.do_publish_story(editor, story.pk)
    answer = client.get("/api/v1/images", **bearer(contributor_token)).json()
    assert {item["id"] for item in answer["items"]} == {own.pk, inline.pk}
    assert (
        client.get(f"/api/v1/images/{draft_photo.pk}", **bearer(contributor_token)).status_code
        == 404
    )


def test_one_image_lists_the_stories_using_it(client, editor, editor_token):
    """`GET /images/{id}` names each story showing the image, as lead image or in the body."""
    image = _upload(editor, "The harbour wall")
    lead = actions.do_create_story(editor, {"headline": "Wall repaired", "lead_image_id": image.pk})
    actions.do_publish_story(editor, lead.pk)
    inline = actions.do_create_story(
        editor, {"headline": "Storm damage", "body": f"[image {image.pk} | Before | Port office]"}
    )
    answer = client.get(f"/api/v1/images/{image.pk}", **bearer(editor_token)).json()
    uses = {use["story_id"]: use for use in answer["uses"]}
    assert uses[lead.pk]["as_lead"] and not uses[lead.pk]["inline"]
    assert uses[lead.pk]["url"].endswith(f"/stories/{lead.slug}/")
    assert uses[inline.pk]["inline"] and uses[inline.pk]["status"] == "draft"
    assert uses[inline.pk]["url"] is None


def test_library_image_as_lead_and_inline_on_create_and_new_words(client, editor, editor_token):
    """A story made through the API takes a library image as lead image and another inline;
    PATCHing the inline image's alt text changes the published figure."""
    lead = _upload(editor, "Lead picture")
    inline = _upload(editor, "Old alt text", "Library caption", "Library credit")
    response = client.post(
        "/api/v1/stories",
        {
            "headline": "Two pictures",
            "body": f"First.\n\n[image {inline.pk}]\n\nLast.",
            "lead_image_id": lead.pk,
        },
        content_type="application/json",
        **bearer(editor_token),
    )
    assert response.status_code == 201, response.content
    story = response.json()
    assert story["lead_image"]["id"] == lead.pk
    assert "<figure" in story["body_html"] and "Library caption" in story["body_html"]
    assert "(Photo: Library credit)" in story["body_html"]
    client.post(f"/api/v1/stories/{story['id']}/publish", **bearer(editor_token))
    patched = client.patch(
        f"/api/v1/images/{inline.pk}",
        {"alt_text": "New alt text"},
        content_type="application/json",
        **bearer(editor_token),
    )
    assert patched.status_code == 200
    page = Client().get(f"/stories/{story['slug']}/").content.decode()
    assert 'alt="New alt text"' in page and "Old alt text" not in page


def test_a_contributor_cannot_place_an_editors_embargoed_photo_inline(
    client, editor, contributor_token
):
    """Placing an image one may not use in a body is refused like using it as lead image,
    with the same answer as for an image that does not exist."""
    secret = _upload(editor, "Embargoed", "Secret caption")
    for image_id in (secret.pk, 999_999):
        response = client.post(
            "/api/v1/stories",
            {"headline": "Sneaky", "body": f"[image {image_id}]"},
            content_type="application/json",
            **bearer(contributor_token),
        )
        assert response.status_code == 422, response.content
        assert f"No image with id {image_id} that you can use" in response.content.decode()
        assert "Secret caption" not in response.content.decode()
