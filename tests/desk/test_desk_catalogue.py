"""Authors and topics in the desk: editors create and edit them; contributors cannot."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.stories.models import Author, Topic
from tests.desk.conftest import jpeg_file

pytestmark = pytest.mark.django_db


def test_editor_creates_and_edits_an_author_with_avatar(editor_client, editor):
    """An editor adds an author with an avatar and a linked account, then edits the role."""
    response = editor_client.post(
        "/desk/authors/new/",
        {
            "name": "Tomas Lindqvist",
            "role": "Harbour Correspondent",
            "bio": "Tomas covers shipping and the docks.",
            "user": editor.pk,
            "avatar-image_file": jpeg_file("tomas.jpg", (300, 300)),
            "avatar-alt_text": "Tomas Lindqvist",
        },
    )
    assert response.status_code == 302
    author = Author.objects.get()
    assert author.slug == "tomas-lindqvist"
    assert author.avatar is not None and author.user == editor
    listing = editor_client.get("/desk/authors/").content.decode()
    assert "Tomas Lindqvist" in listing and "Harbour Correspondent" in listing
    editor_client.post(
        f"/desk/authors/{author.pk}/",
        {"name": "Tomas Lindqvist", "slug": author.slug, "role": "Shipping Editor", "bio": ""},
    )
    author.refresh_from_db()
    assert author.role == "Shipping Editor"
    assert author.avatar is not None  # kept when no new file is chosen
    page = Client().get(author.get_absolute_url()).content.decode()
    assert "Shipping Editor" in page


def test_author_without_name_is_a_form_error(editor_client):
    """A missing name is reported on the Name field; nothing is saved."""
    response = editor_client.post("/desk/authors/new/", {"name": "", "role": "Reporter"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Author.objects.exists()


def test_editor_creates_and_edits_a_topic(editor_client):
    """An editor adds a topic and renames it; its public page follows."""
    editor_client.post("/desk/topics/new/", {"name": "Transport", "description": "Getting about."})
    topic = Topic.objects.get()
    assert "Transport" in editor_client.get("/desk/topics/").content.decode()
    editor_client.post(
        f"/desk/topics/{topic.pk}/", {"name": "Public transport", "slug": topic.slug}
    )
    topic.refresh_from_db()
    assert topic.name == "Public transport"
    assert Client().get(topic.get_absolute_url()).status_code == 200
    assert editor_client.get("/desk/topics/999999/").status_code == 404


def test_topic_with_nul_in_name_is_a_form_error(editor_client):
    """The action's message about the NUL character is shown on the form."""
    response = editor_client.post("/desk/topics/new/", {"name": "Bad\x00name"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Topic.objects.exists()


def test_contributor_cannot_manage_authors_or_topics(contributor_client, author, topic):
    """Authors and topics are for editors and admins: contributors get 403 and change nothing."""
    for url in ["/desk/authors/", "/desk/topics/", f"/desk/authors/{author.pk}/"]:
        response = contributor_client.get(url)
        assert response.status_code == 403
        assert "Only editors and admins" in response.content.decode()
    contributor_client.post(f"/desk/topics/{topic.pk}/", {"name": "Renamed"})
    topic.refresh_from_db()
    assert topic.name == "Energy"
    assert contributor_client.post("/desk/authors/new/", {"name": "X"}).status_code == 403
    assert not Author.objects.filter(name="X").exists()
    assert "/desk/authors/" not in contributor_client.get("/desk/").content.decode()


def test_linking_an_account_already_linked_is_a_form_error(editor_client, editor, author):
    """An account belongs to one author profile; a second link is refused on the field."""
    editor_client.post(f"/desk/authors/{author.pk}/", {"name": author.name, "user": editor.pk})
    response = editor_client.post("/desk/authors/new/", {"name": "Second", "user": editor.pk})
    assert response.status_code == 400
    assert "already linked to Mira Osei" in response.content.decode()
    assert not Author.objects.filter(name="Second").exists()
