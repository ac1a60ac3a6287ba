"""Lead images in the editor, and the preview that never saves."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from newsdesk.stories import actions
from newsdesk.stories.models import Image, Revision, Story
from tests.desk.conftest import jpeg_file, story_form

pytestmark = pytest.mark.django_db


def test_uploaded_jpeg_becomes_the_lead_image_with_srcset(editor_client, settings):
    """A real JPEG with alt text, caption and credit shows on the public story with a srcset."""
    data = story_form(
        action="publish",
        **{
            "image-image_file": jpeg_file(),
            "image-alt_text": "Fishing boats moored in the harbour at dusk",
            "image-caption": "The harbour on Tuesday evening.",
            "image-credit": "Ana Ruiz",
        },
    )
    response = editor_client.post("/desk/stories/new/", data)
    assert response.status_code == 302
    story = Story.objects.get()
    image = story.lead_image
    assert image is not None and image.format == "JPEG"
    page = Client().get(story.get_absolute_url()).content.decode()
    assert 'alt="Fishing boats moored in the harbour at dusk"' in page
    assert "srcset=" in page and " 400w" in page
    assert "The harbour on Tuesday evening." in page
    assert (settings.MEDIA_ROOT / image.file.name).is_file()


def test_text_file_named_jpg_is_refused_and_nothing_is_saved(editor_client, editor):
    """A text file renamed .jpg is a form error; the story is unchanged, no image is stored,
    and the words the person typed are still in the form."""
    story = actions.do_create_story(editor, {"headline": "Ferry strike", "body": "Old body."})
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", "image/jpeg")
    response = editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(
            story,
            body="New words typed by hand.",
            **{"image-image_file": fake, "image-alt_text": "A ferry"},
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "not a readable image" in html
    assert 'id="id_image-image_file_error"' in html  # the message is on the file field
    assert "New words typed by hand." in html
    assert not Image.objects.exists()
    story.refresh_from_db()
    assert story.body == "Old body." and story.lead_image is None
    assert story.revisions.count() == 1


def test_image_without_alt_text_is_refused(editor_client):
    """Alt text is required with a new image; the story is not created either."""
    response = editor_client.post(
        "/desk/stories/new/", story_form(**{"image-image_file": jpeg_file()})
    )
    assert response.status_code == 400
    assert "Alt text is required." in response.content.decode()
    assert not Image.objects.exists() and not Story.objects.exists()


def test_no_image_removes_the_lead_image(editor_client):
    """Ticking “No image” takes the current lead image off the story."""
    editor_client.post(
        "/desk/stories/new/",
        story_form(**{"image-image_file": jpeg_file(), "image-alt_text": "A quay"}),
    )
    story = Story.objects.get()
    assert story.lead_image is not None
    editor_client.post(
        f"/desk/stories/{story.pk}/", story_form(story, **{"image-remove_image": "on"})
    )
    story.refresh_from_db()
    assert story.lead_image is None


def test_preview_endpoint_returns_sanitised_html_and_saves_nothing(editor_client, editor):
    """The preview renders Markdown as readers would see it, drops scripts, and writes nothing."""
    story = actions.do_create_story(editor, {"headline": "Council budget", "body": "Stored."})
    before = (Story.objects.get().version, Revision.objects.count())
    response = editor_client.post(
        "/desk/preview/",
        {
            "story": story.pk,
            "headline": "Council budget agreed",
            "body": "**Bold move** by the council.\n\n<script>alert('x')</script>\n\n"
            '<img src="x" onerror="alert(1)">',
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold move</strong>" in html
    assert "Council budget agreed" in html
    assert "<script" not in html and "onerror" not in html
    story.refresh_from_db()
    assert story.body == "Stored."
    assert (story.version, Revision.objects.count()) == before


def test_preview_button_without_javascript_fills_the_preview(editor_client):
    """Pressing Preview re-renders the editor with the preview and the typed text; no save."""
    response = editor_client.post(
        "/desk/stories/new/", story_form(action="preview", body="## Timeline\n\nIt began at 6.")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h4>Timeline</h4>" in html  # Markdown's ## under the preview's <h3> headline
    assert "It began at 6." in html
    assert not Story.objects.exists()


def test_preview_refuses_people_without_a_role_and_other_peoples_stories(
    client, contributor, editor
):
    """The preview is for the desk only, and does not reveal someone else's story."""
    assert client.post("/desk/preview/", {"body": "x"}).status_code == 302
    story = actions.do_create_story(editor, {"headline": "Secret draft"})
    client.force_login(contributor)
    assert client.post("/desk/preview/", {"story": story.pk, "body": "x"}).status_code == 403
    assert client.get("/desk/preview/").status_code == 405


def test_caption_of_the_current_image_can_be_fixed_without_a_new_file(editor_client):
    """The image section shows the current image's texts; changing the caption fixes it."""
    editor_client.post(
        "/desk/stories/new/",
        story_form(
            action="publish",
            **{
                "image-image_file": jpeg_file(),
                "image-alt_text": "Cranes over the container terminal",
                "image-caption": "The terminal on Mnoday.",
            },
        ),
    )
    story = Story.objects.get()
    editor_page = editor_client.get(f"/desk/stories/{story.pk}/").content.decode()
    assert 'value="The terminal on Mnoday."' in editor_page
    editor_client.post(
        f"/desk/stories/{story.pk}/",
        story_form(
            story,
            **{
                "image-alt_text": "Cranes over the container terminal",
                "image-caption": "The terminal on Monday.",
            },
        ),
    )
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "The terminal on Monday." in page
    assert Image.objects.count() == 1
