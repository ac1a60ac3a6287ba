"""The photo library at the desk (`/desk/photos/`), library images as lead images and inline in
bodies, and a refused save that keeps the chosen file."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Image, Story
from tests.desk.conftest import jpeg_file, story_form
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db


def _upload(user, alt: str, caption: str = "", credit: str = "") -> Image:
    return do_upload_image(
        user, image_bytes(size=(900, 600)), alt_text=alt, caption=caption, credit=credit
    )


def test_the_library_is_linked_from_the_desk_and_lists_photos_with_their_stories(
    editor_client, editor
):
    """Every upload with its thumbnail, caption, credit, alt text and the stories using it."""
    image = _upload(editor, "Cranes over the terminal", "The terminal at dawn", "Ana Ruiz")
    lead = actions.do_create_story(
        editor, {"headline": "Terminal reopens", "lead_image_id": image.pk}
    )
    inline = actions.do_create_story(
        editor, {"headline": "Port in pictures", "body": f"[image {image.pk}]"}
    )
    desk = editor_client.get("/desk/").content.decode()
    assert 'href="/desk/photos/"' in desk
    page = editor_client.get("/desk/photos/").content.decode()
    assert image.smallest_url() in page
    for words in ("The terminal at dawn", "Ana Ruiz", "Cranes over the terminal"):
        assert words in page
    assert f'href="/desk/stories/{lead.pk}/"' in page and "lead image" in page
    assert f'href="/desk/stories/{inline.pk}/"' in page and "in the body" in page
    assert f"[image {image.pk}]" in page
    portrait = _upload(editor, "Portrait of Ilse Varga")
    actions.do_save_author(editor, None, {"name": "Ilse Varga", "avatar_id": portrait.pk})
    page = editor_client.get("/desk/photos/").content.decode()
    assert "Author photo of Ilse Varga" in page
    detail = editor_client.get(f"/desk/photos/{portrait.pk}/").content.decode()
    assert "Author photo of" in detail and "Ilse Varga</a>" in detail


def test_the_library_searches_caption_credit_alt_text_and_file_name(editor_client, editor):
    quay = _upload(editor, "Cranes on the quay", "Morning at the port", "Ana Ruiz")
    ferry = _upload(editor, "A ferry leaving", "The last crossing", "Bo Lind")

    def shown(query: str) -> set[int]:
        page = editor_client.get("/desk/photos/", {"q": query}).content.decode()
        return {int(i) for i in re.findall(r'data-image-id="(\d+)"', page)}

    assert shown("crossing") == {ferry.pk}
    assert shown("ana") == {quay.pk}
    assert shown("cranes QUAY") == {quay.pk}
    assert shown(ferry.file.name.rsplit("/", 1)[1][:12]) == {ferry.pk}
    page = editor_client.get("/desk/photos/", {"q": "zebra"}).content.decode()
    assert "No photo matches “zebra”" in page
    assert shown("cross\x00ing") == {ferry.pk}
    assert editor_client.get("/desk/photos/", {"before": "9" * 40}).status_code == 200


def test_the_library_pages_newest_first(editor_client, editor, monkeypatch):
    monkeypatch.setattr("newsdesk.media.library.PAGE_SIZE", 2)
    images = [_upload(editor, f"Photo {i}") for i in range(3)]
    first = editor_client.get("/desk/photos/").content.decode()
    ids = [int(i) for i in re.findall(r'data-image-id="(\d+)"', first)]
    assert ids == [images[2].pk, images[1].pk]
    older = re.search(r'href="\?before=(\d+)" rel="next"', first)
    assert older is not None
    rest = editor_client.get(f"/desk/photos/?before={older.group(1)}").content.decode()
    assert [int(i) for i in re.findall(r'data-image-id="(\d+)"', rest)] == [images[0].pk]
    assert 'rel="next"' not in rest


def test_a_contributor_sees_own_and_public_photos_not_an_editors_embargoed_one(
    contributor_client, contributor, editor
):
    embargoed = _upload(editor, "Embargoed harbour fire", "Secret caption")
    own = _upload(contributor, "My own photo")
    page = contributor_client.get("/desk/photos/").content.decode()
    assert f'data-image-id="{own.pk}"' in page
    assert "Secret caption" not in page and f'data-image-id="{embargoed.pk}"' not in page
    response = contributor_client.get(f"/desk/photos/{embargoed.pk}/")
    assert response.status_code == 404
    assert "Secret caption" not in response.content.decode()


def test_an_editor_fixes_a_photos_words_in_the_library_and_readers_see_them(editor_client, editor):
    """Saving the library's form changes the words of the photo wherever it is shown: the
    published story's inline figure (drawn when the story was saved) is drawn again."""
    image = _upload(editor, "Boats in the harbor", "Boats in the harbor", "Ana Ruiz")
    story = actions.do_create_story(
        editor, {"headline": "Boats", "body": f"Look.\n\n[image {image.pk}]"}
    )
    actions.do_publish_story(editor, story.pk)
    response = editor_client.post(
        f"/desk/photos/{image.pk}/",
        {"alt_text": "Boats in the harbour", "caption": "Boats in the harbour", "credit": ""},
    )
    assert response.status_code == 302
    page = Client().get(story.get_absolute_url()).content.decode()
    assert 'alt="Boats in the harbour"' in page
    assert "<figcaption>Boats in the harbour</figcaption>" in page
    assert "Ana Ruiz" not in page
    refused = editor_client.post(
        f"/desk/photos/{image.pk}/", {"alt_text": "", "caption": "x", "credit": ""}
    )
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()


def test_a_contributor_may_not_change_the_words_of_a_photo_readers_see(
    contributor_client, contributor, editor
):
    """Their own upload is theirs to fix until a published story shows it; then the library
    shows the words without a form, and a forged post is refused with nothing changed."""
    image = _upload(contributor, "My photo", "My caption")
    page = contributor_client.get(f"/desk/photos/{image.pk}/").content.decode()
    assert 'name="caption"' in page
    story = actions.do_create_story(editor, {"headline": "Out", "body": f"[image {image.pk}]"})
    actions.do_publish_story(editor, story.pk)
    page = contributor_client.get(f"/desk/photos/{image.pk}/").content.decode()
    assert 'name="caption"' not in page and "Only an editor can change" in page
    response = contributor_client.post(
        f"/desk/photos/{image.pk}/", {"alt_text": "x", "caption": "Changed", "credit": ""}
    )
    assert response.status_code == 403
    assert Image.objects.get(pk=image.pk).caption == "My caption"


def test_an_inline_photo_renders_as_a_figure_with_srcset_and_its_own_caption(editor_client, editor):
    """`[image N | caption | credit]` on a line of its own: a figure with srcset and sizes like
    the lead image, this story's caption and credit; feeds get the figure with absolute URLs."""
    image = _upload(editor, "Fishing boats at dusk", "Library caption", "Library credit")
    editor_client.post(
        "/desk/stories/new/",
        story_form(
            action="publish",
            body=f"Before the picture.\n\n[image {image.pk} | Boats home at dusk | Bo Lind]\n\n"
            "After the picture.",
        ),
    )
    story = Story.objects.get()
    page = Client().get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="inline-figure".*?</figure>', page, re.S).group(0)
    assert 'alt="Fishing boats at dusk"' in figure
    assert " 400w" in figure and 'sizes="' in figure
    assert "<figcaption>Boats home at dusk" in figure and "(Photo: Bo Lind)" in figure
    assert "Library caption" not in page
    before, after = page.index("<p>Before the picture."), page.index("<p>After the picture.")
    assert before < page.index(figure) < after
    feed = Client().get("/feed/feed.json").json()
    content = feed["items"][0]["content_html"]
    assert "<figure" in content and "Boats home at dusk" in content
    assert re.search(r'src="https?://[^"]+/media/images/', content)
    rss = Client().get("/feed/rss.xml").content.decode()
    assert "Boats home at dusk" in rss


def test_an_image_line_naming_no_image_is_refused_and_the_text_kept(editor_client):
    response = editor_client.post(
        "/desk/stories/new/", story_form(body="Words kept.\n\n[image 424242]")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No image with id 424242 that you can use" in html
    assert "Words kept." in html
    assert not Story.objects.exists()


def test_a_library_photo_becomes_the_lead_image_without_uploading(editor_client, editor):
    image = _upload(editor, "The town hall", "Council meets", "Press office")
    response = editor_client.post(
        "/desk/stories/new/", story_form(action="publish", **{"image-library_image": image.pk})
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.lead_image_id == image.pk
    assert Image.objects.count() == 1
    page = Client().get(story.get_absolute_url()).content.decode()
    assert 'alt="The town hall"' in page and "Council meets" in page


def test_a_contributor_cannot_pick_an_editors_embargoed_photo_as_lead(contributor_client, editor):
    secret = _upload(editor, "Embargoed", "Secret caption")
    response = contributor_client.post(
        "/desk/stories/new/", story_form(**{"image-library_image": secret.pk})
    )
    assert response.status_code == 400
    assert f"No image with id {secret.pk} that you can use" in response.content.decode()
    assert not Story.objects.exists()


def test_a_new_story_with_a_photo_but_no_alt_text_keeps_the_words_and_the_file(editor_client):
    """The save is refused saying alt text is missing; the typed words stay in the form and the
    chosen file is kept: sending the form again with alt text saves story and photo, without
    choosing the file again."""
    response = editor_client.post(
        "/desk/stories/new/",
        story_form(body="Words typed by hand.", **{"image-image_file": jpeg_file("quay.jpg")}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alt text is required." in html and "Words typed by hand." in html
    assert "“quay.jpg”, is kept" in html
    token = re.search(r'name="image-pending" value="([^"]+)"', html).group(1)
    assert not Story.objects.exists() and not Image.objects.exists()
    response = editor_client.post(
        "/desk/stories/new/",
        story_form(
            body="Words typed by hand.",
            **{"image-pending": token, "image-alt_text": "The quay at noon"},
        ),
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.lead_image is not None and story.lead_image.alt_text == "The quay at noon"
    assert story.lead_image.width == 900


def test_a_library_photo_picked_after_a_refused_upload_wins_over_the_kept_file(
    editor_client, editor
):
    image = _upload(editor, "The town hall")
    response = editor_client.post(
        "/desk/stories/new/", story_form(**{"image-image_file": jpeg_file()})
    )
    token = re.search(r'name="image-pending" value="([^"]+)"', response.content.decode()).group(1)
    response = editor_client.post(
        "/desk/stories/new/",
        story_form(**{"image-pending": token, "image-library_image": str(image.pk)}),
    )
    assert response.status_code == 302
    assert Story.objects.get().lead_image_id == image.pk
    assert Image.objects.count() == 1


def test_a_kept_file_is_only_for_the_person_who_chose_it(editor_client, editor, contributor):
    response = editor_client.post(
        "/desk/stories/new/", story_form(**{"image-image_file": jpeg_file()})
    )
    token = re.search(r'name="image-pending" value="([^"]+)"', response.content.decode()).group(1)
    other = Client()
    other.force_login(contributor)
    response = other.post(
        "/desk/stories/new/",
        story_form(**{"image-pending": token, "image-alt_text": "Taken over"}),
    )
    assert response.status_code == 302
    assert Story.objects.get().lead_image is None
    assert not Image.objects.exists()


def test_a_file_that_is_not_an_image_is_not_kept(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not a picture", "image/jpeg")
    response = editor_client.post(
        "/desk/stories/new/",
        story_form(**{"image-image_file": fake, "image-alt_text": "A quay"}),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "choose a file again" in html
    assert not re.search(r'name="image-pending" value="[^"]+"', html)


def test_the_preview_shows_a_picked_library_photo_and_an_inline_one(editor_client, editor):
    lead = _upload(editor, "Picked as lead")
    inline = _upload(editor, "Placed inline", "Inline caption")
    response = editor_client.post(
        "/desk/preview/",
        {
            "headline": "Preview",
            "body": f"Text.\n\n[image {inline.pk}]",
            "image-library_image": str(lead.pk),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'alt="Picked as lead"' in html and 'alt="Placed inline"' in html
    assert "Inline caption" in html


def test_the_preview_refuses_a_photo_the_person_may_not_use(contributor_client, editor):
    secret = _upload(editor, "Embargoed alt", "Secret caption")
    response = contributor_client.post(
        "/desk/preview/", {"headline": "x", "body": f"[image {secret.pk}]"}
    )
    assert response.status_code == 400
    assert f"No image with id {secret.pk} that you can use" in response.content.decode()
    assert "Secret caption" not in response.content.decode()
    assert "Embargoed alt" not in response.content.decode()


def test_the_editors_picker_lists_library_photos_with_insert_buttons(editor_client, editor):
    image = _upload(editor, "Gulls on the pier", "Gulls", "Bo Lind")
    editor_page = editor_client.get("/desk/stories/new/").content.decode()
    assert (
        "data-photo-picker" in editor_page and 'data-picker-url="/desk/photos/pick/"' in editor_page
    )
    fragment = editor_client.get("/desk/photos/pick/", {"q": "gulls"}).content.decode()
    assert f'data-insert-image="{image.pk}"' in fragment
    assert f'data-lead-image="{image.pk}"' in fragment
    assert 'data-credit="Bo Lind"' in fragment


def test_image_lines_in_one_paragraph_code_blocks_and_hostile_captions(editor_client, editor):
    """Consecutive lines give one figure each; a line in a code block stays text; a caption's
    markup and quotes are shown as words, never as HTML."""
    one = _upload(editor, "First photo")
    two = _upload(editor, "Second photo")
    body = (
        f'[image {one.pk} | Quay "north" & <b>south</b> | <script>x</script>]\n'
        f"[image {two.pk}]\n\n"
        f"```\n[image {one.pk}]\n```\n\n"
        f"Text then [image {two.pk}] inside a sentence."
    )
    html = editor_client.post("/desk/preview/", {"headline": "x", "body": body}).content.decode()
    assert html.count('class="inline-figure"') == 2
    assert "<figcaption>Quay &quot;north&quot; &amp; south" in html
    assert "<script" not in html and "<b>" not in html
    assert f"<code>[image {one.pk}]" in html
    assert f"Text then [image {two.pk}] inside a sentence." in html
