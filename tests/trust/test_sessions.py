"""Sessions, forms and headers: CSRF on every desk write, login throttling, Argon2, https
settings that pass `check --deploy` (the Content-Security-Policy of a real server is in
test_csp.py)."""

from __future__ import annotations

import os
import re
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, get_resolver

from newsdesk.stories import actions
from newsdesk.stories.models import Story
from tests.conftest import PASSWORD, make_user
from tests.servers import run_newsdesk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _desk_paths(story_id: int) -> list[str]:
    """Every desk address, made from the URL patterns themselves (a new view is covered too)."""
    resolver = get_resolver()
    (desk,) = [p for p in resolver.url_patterns if str(p.pattern) == "desk/"]
    paths = []
    for pattern in desk.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        route = re.sub(
            r"<(?:int|id):\w+>", lambda m: "1" if "number" in m.group(0) else str(story_id), route
        )
        paths.append("/desk/" + route)
    return paths


def test_every_desk_post_without_a_csrf_token_is_refused_and_changes_nothing(editor):
    """A logged-in editor's browser tricked into posting from another site (no CSRF token) gets
    403 from every desk address, and no story, revision or event is written."""
    story = actions.do_create_story(editor, {"headline": "Quay", "body": "Words."})
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = (Story.objects.count(), list(Story.objects.values_list("headline", "status")))
    paths = _desk_paths(story.pk)
    assert len(paths) >= 15
    for path in paths:
        response = client.post(
            path,
            {
                "headline": "Forged",
                "text": "x",
                "action": "publish",
                "name": "Forged",
                "version": "1",
            },
        )
        assert response.status_code == 403, path
        assert b"CSRF" in response.content or response.status_code == 403
    assert (Story.objects.count(), list(Story.objects.values_list("headline", "status"))) == before


def test_the_same_post_with_the_token_from_the_page_is_accepted(editor):
    """The control: with the token the page carries, the desk accepts the quick post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get("/desk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        "/desk/quick-post/", {"headline": "Flash", "text": "Now.", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Story.objects.filter(headline="Flash").exists()


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    client.get("/desk/login/", REMOTE_ADDR=address)
    return client.post(
        "/desk/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(editor):
    """After five failures for one account, even the right password is refused for 15 minutes,
    and the form says "Too many failed attempts; try again in 15 minutes"."""
    client = Client()
    for _ in range(5):
        response = _login(client, editor.username, "wrong-password")
        assert response.status_code == 200
        assert "Too many" not in response.content.decode()
    response = _login(client, editor.username, PASSWORD)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed attempts; try again in 15 minutes" in text
    assert "_auth_user_id" not in client.session
    # The admin login is held to the same lock.
    admin_login = Client().post(
        "/admin/login/", {"username": editor.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert "_auth_user_id" not in admin_login.wsgi_request.session
    # Another account is not locked by this one's failures (from another address).
    other = make_user("contributor", "unlocked")
    assert _login(Client(), other.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_resets_the_accounts_count(editor):
    """Four typos, then the right password: the count starts again (a person, not a guesser)."""
    client = Client()
    for _ in range(4):
        _login(client, editor.username, "typo")
    assert _login(client, editor.username, PASSWORD).status_code == 302
    for _ in range(4):
        _login(Client(), editor.username, "typo", address="10.0.0.3")
    assert _login(Client(), editor.username, PASSWORD, address="10.0.0.3").status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(editor):
    """Twenty failures from one address across many user names lock that address, not others."""
    client = Client()
    for i in range(20):
        _login(client, f"guess{i}", "wrong", address="10.9.9.9")
    locked = _login(client, editor.username, PASSWORD, address="10.9.9.9")
    assert "Too many failed attempts" in locked.content.decode()
    assert _login(Client(), editor.username, PASSWORD, address="10.0.0.4").status_code == 302


def test_passwords_are_stored_as_argon2_hashes(editor):
    """New passwords are hashed with Argon2id."""
    stored = get_user_model().objects.get(pk=editor.pk).password
    assert stored.startswith("argon2$argon2id$")


def _https_environ(tmp_path) -> dict:
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_SITE_URL": "https://news.example.org",
        "NEWSDESK_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    environ.pop("NEWSDESK_DATABASE_URL", None)
    environ.pop("NEWSDESK_DEBUG", None)
    return environ


@pytest.mark.database_agnostic  # settings only
def test_an_https_site_passes_django_deploy_checks(tmp_path):
    """With an https site URL and a real secret key, `newsdesk check --deploy` finds nothing,
    and the settings turn on secure cookies, HSTS and the https redirect."""
    environ = _https_environ(tmp_path)
    result = run_newsdesk(environ, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in result.stdout
    probe = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SAMESITE)"
    )
    shown = run_newsdesk(environ, "shell", "--no-imports", "--command", probe).stdout.split()
    assert shown == ["True", "True", "True", "31536000", "True", "Lax"]
