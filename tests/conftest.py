"""Shared fixtures: people in each role, and a small published newsroom built through actions."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model

from newsdesk.core import memory
from newsdesk.stories import actions
from newsdesk.stories.accounts import do_create_user

PASSWORD = "Correct-Horse-Battery-9"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_process_memory():
    """Each test is a new newsroom (ids, versions and settings start again): nothing drawn for an
    earlier one may be taken for it (`core.memory`)."""
    memory.clear()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploads go to a fresh folder per test; static files need no collectstatic in tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(role: str, name: str | None = None):
    return do_create_user(None, name or f"{role}{next(_counter)}", PASSWORD, role)


@pytest.fixture
def editor(db):
    return make_user("editor", "ed")


@pytest.fixture
def contributor(db):
    return make_user("contributor", "connie")


@pytest.fixture
def admin_user(db):
    return make_user("admin", "ada")


@pytest.fixture
def author(editor):
    return actions.do_save_author(
        editor,
        None,
        {"name": "Mira Osei", "role": "News Operations Editor", "bio": "Mira runs the night desk."},
    )


@pytest.fixture
def topic(editor):
    return actions.do_save_topic(
        editor, None, {"name": "Energy", "description": "Power and grids."}
    )


@pytest.fixture
def publish(editor):
    """publish(headline, **fields) → a published story, made the way the desk makes one."""

    def _publish(headline: str = "", **fields):
        data = {"headline": headline or f"Story {next(_counter)}", "body": "Some words.", **fields}
        story = actions.do_create_story(editor, data)
        return actions.do_publish_story(editor, story.pk)

    return _publish


def get_user(username: str):
    return get_user_model().objects.get(username=username)


# One definition of the browser fixtures for every folder: a fixture defined in two conftests is
# two session-scoped instances, and Playwright's sync API refuses a second one in one process.
from tests.browser import browser, nojs_page, page, server  # noqa: E402, F401
