"""Shared fixtures: people in each role, and a small published newsroom built through actions;
the `slow` marker and the xdist groups; each xdist worker's own Redis database."""

from __future__ import annotations

import itertools
import os
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

from newsdesk.cache import versions
from newsdesk.core import memory
from newsdesk.stories import actions
from newsdesk.stories.accounts import do_create_user
from tests.servers import migrated

PASSWORD = "Correct-Horse-Battery-9"
_counter = itertools.count(1)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, … under pytest-xdist

# A test that uses one of these starts a browser or `newsdesk serve` processes: it is `slow`
# (`pytest -m "not slow"` is the quick loop), as is all of tests/scale. Modules whose tests start
# processes in their own code (the crash, backup and multiprocess tests) carry the mark themselves.
SERVER_FIXTURES = {"server", "browser", "page", "nojs_page", "site", "https_less_server"}
# Under xdist (`-n`, `--dist loadgroup`) the tests of one module that share a costly module-scoped
# fixture run on one worker, so it is built once. Browser tests form two groups (tests/e2e, and
# the rest), each on one worker with its own Chromium and seeded server: one group alone was the
# long pole of the slow run.
MODULE_GROUPS = {
    "test_demo.py",
    "test_many_matches.py",
    "test_no_500.py",
    "test_hostile_input.py",
    "test_backup.py",
}


# The PostgreSQL pass of `make test` repeats the suite to check the database and Redis paths; a
# test marked `database_agnostic` checks what neither changes (the markup's validity, headers,
# accessibility, the import layers), so it runs in the SQLite pass only.
ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
SQLITE_PASS_ONLY = pytest.mark.skip(
    reason="database_agnostic: checked in the SQLite pass of `make test`; no database changes it"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _unique_node_ids(items)
    for item in items:
        if ON_POSTGRESQL and item.get_closest_marker("database_agnostic"):
            item.add_marker(SQLITE_PASS_ONLY)
        uses = set(item.fixturenames)
        if uses & SERVER_FIXTURES or item.path.parent.name == "scale":
            item.add_marker(pytest.mark.slow)
        if not _WORKER:
            continue
        if uses & {"server", "browser"}:
            group = "e2e" if item.path.parent.name == "e2e" else "other"
            _set_node_id(item, f"{item.nodeid}@browser-{group}")
        elif item.path.parent.name == "scale" or item.path.name in MODULE_GROUPS:
            _set_node_id(item, f"{item.nodeid}@{item.path.parent.name}/{item.path.name}")


def _set_node_id(item: pytest.Item, nodeid: str) -> None:
    """Give an item another node id. `--dist loadgroup` sends the tests whose ids end in the same
    `@group` to one worker; xdist 3.8 adds that suffix for `xdist_group` marks by setting
    `_nodeid`, which pytest 9 no longer reads (it keeps a parsed `_id`), so the suite sets it."""
    if hasattr(item, "_id"):
        item._id = type(item._id).parse(nodeid)
    else:  # pytest < 9
        item._nodeid = nodeid


def _unique_node_ids(items: list[pytest.Item]) -> None:
    """schemathesis (4.32, under pytest 9) gives the item of each API operation the node id of
    the test function, though its name carries the operation; xdist schedules by node id and would
    run one operation of fourteen. Each such item gets the node id its name gives."""
    counts = Counter(item.nodeid for item in items)
    for item in items:
        if counts[item.nodeid] > 1:
            _set_node_id(item, f"{item.parent.nodeid}::{item.name}")


def _workers_redis_url(url: str, worker: str) -> str:
    """xdist worker gwK uses Redis database (N + K) % 16 of the run's URL (database N), so workers
    never see or clear each other's pages and counters (scripts/test-postgres.sh empties them)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{(base + int(worker.removeprefix('gw'))) % 16}").geturl()


# Settings were read from the run's environment before this file; servers that tests start read
# this process's environment.
if _WORKER and django_settings.REDIS_URL:
    os.environ["NEWSDESK_REDIS_URL"] = _workers_redis_url(django_settings.REDIS_URL, _WORKER)


@pytest.fixture(scope="session", autouse=True)
def _workers_own_redis():
    """This process's cache and live bus use the worker's Redis database (see above)."""
    if not (_WORKER and django_settings.REDIS_URL):
        yield
        return
    url = _workers_redis_url(django_settings.REDIS_URL, _WORKER)
    caches = {
        **django_settings.CACHES,
        "default": {**django_settings.CACHES["default"], "LOCATION": url},
    }
    with override_settings(CACHES=caches, REDIS_URL=url):
        yield


@pytest.fixture(scope="session", autouse=True)
def _drop_migrated_templates():
    """The migrated databases that sites started by tests copy (tests/servers.py) go at the end."""
    yield
    migrated.close()


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes():
    """Passwords in the test process are Argon2id at a low cost (tests/hashers.py): hashing
    at production cost was a fifth of the suite's time. Servers the tests start keep the real
    cost, so the login-throttling tests still measure real password checks."""
    with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_process_memory():
    """Each test is a new newsroom (ids, versions and settings start again): nothing drawn for an
    earlier one may be taken for it (`core.memory`), and no content version, purge mark or
    counter of an earlier one is in the cache (ids are reused after a rollback, so an old
    version could equal a new one)."""
    memory.clear()
    cache.clear()
    versions.forget()


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
