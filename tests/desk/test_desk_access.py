"""Who may open the desk: login, roles, logout."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_desk_redirects_anonymous_visitors_to_login(client):
    """Every desk page sends a visitor who is not logged in to the login page, then back."""
    for url in ["/desk/", "/desk/stories/new/", "/desk/authors/", "/desk/topics/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/desk/login/?next={url}"


def test_account_without_role_gets_a_clear_403(client):
    """A logged-in account with no newsroom role is refused with a page saying what to do."""
    nobody = get_user_model().objects.create_user("visitor", password=PASSWORD)
    client.force_login(nobody)
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "no newsroom role" in response.content.decode()
    assert client.post("/desk/quick-post/", {"headline": "x", "text": "y"}).status_code == 403


def test_login_form_logs_in_and_shows_djangos_message_on_failure(client, editor):
    """A wrong password shows Django's message; the right one opens the story list."""
    failed = client.post("/desk/login/", {"username": "ed", "password": "wrong", "next": "/desk/"})
    assert failed.status_code == 200
    assert "Please enter a correct username and password" in failed.content.decode()
    response = client.post(
        "/desk/login/", {"username": "ed", "password": PASSWORD, "next": "/desk/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/desk/"
    assert "<h1>Stories</h1>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_logout_ends_the_session(client, editor):
    """After Log out, the desk asks for a login again."""
    client.force_login(editor)
    assert client.get("/desk/").status_code == 200
    client.post("/desk/logout/")
    assert client.get("/desk/").status_code == 302


def test_one_h1_and_labelled_fields_on_the_editor(editor_client, author, topic):
    """The editor has one h1 and its main controls carry the labels people look for."""
    html = editor_client.get("/desk/stories/new/").content.decode()
    assert html.count("<h1") == 1
    for label in ["Headline", "Summary", "Body", "Kind", "Authors", "Topics", "Alt text"]:
        assert f">{label}</label>" in html or f">{label}</legend>" in html, label
    for button in ["Save draft", "Publish now", "Preview", "Schedule"]:
        assert f">{button}</button>" in html, button
