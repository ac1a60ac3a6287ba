"""Every kind of reader page of the demo newsroom is valid HTML5, checked by the Nu Html Checker
(vnu.jar, the W3C's validator; `scripts/ensure-vnu.sh` fetches it, `make test` runs that).

What it caught before: machine-readable times with microseconds (HTML allows milliseconds) and
body headings that skipped levels under the page's own heading.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from newsdesk.stories import actions
from newsdesk.stories.models import Author, Story, Topic
from tests.conftest import make_user

pytestmark = pytest.mark.database_agnostic  # the markup, not the data

ROOT = Path(__file__).resolve().parents[2]
VNU = sorted(ROOT.glob("var/tools/vnu-*/vnu.jar"))
STORIES = 60


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU:
        return [java, "-Xss4m", "-jar", str(VNU[-1])]
    reason = "the HTML checker needs java and vnu.jar (run scripts/ensure-vnu.sh)"
    if os.environ.get("CI") in {"true", "1"}:
        pytest.fail(f"{reason}; CI=true forbids skipping it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`newsdesk demo --stories 60`, built once for the module and rolled back afterwards."""
    media = tmp_path_factory.mktemp("valid-html-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("demo", stories=STORIES, stdout=io.StringIO())
        _live_coverage()
        yield media
        transaction.set_rollback(True)


def _live_coverage() -> None:
    """A live page with a summary, key events, a pinned, an updated and a corrected entry."""
    editor = make_user("editor", "valid-html-editor")
    coverage = actions.do_create_story(
        editor,
        {
            "headline": "Flood watch: live",
            "summary": "What we know:\n\n- Rivers are high.",
            "kind": "live",
        },
    )
    actions.do_publish_story(editor, coverage.pk)
    entries = [
        actions.do_post_entry(
            editor,
            coverage.pk,
            {"headline": "Sirens" if n % 2 else "", "body": f"Entry {n}.\n\n### Roads\n\nClosed."},
        )
        for n in range(25)
    ]
    actions.do_set_key_event(editor, entries[3].pk, True)
    actions.do_set_pinned_entry(editor, entries[5].pk, True)
    actions.do_update_story(
        editor,
        entries[7].pk,
        {"body": "Entry 7, updated."},
        expected_version=None,
        mark_as_update=True,
    )
    actions.do_add_correction(editor, entries[9].pk, "An earlier version named the wrong bridge.")


def _reader_pages(client: Client) -> dict[str, tuple[int, str]]:
    """{path: (status, html)} of every kind of reader page, each story and person included."""
    paths = ["/", "/topics/", "/authors/", "/search?q=storm", "/search?q=sandbag", "/search?q="]
    paths += [story.get_absolute_url() for story in Story.objects.filter(status="published")]
    paths += [topic.get_absolute_url() for topic in Topic.objects.all()]
    paths += [author.get_absolute_url() for author in Author.objects.all()]
    coverage = Story.objects.get(kind="live", headline="Flood watch: live")
    entry = coverage.entries.order_by("id").first()
    paths += [coverage.get_absolute_url(), f"{coverage.get_absolute_url()}?order=oldest"]
    paths += [f"{coverage.get_absolute_url()}entries/{entry.pk}/"]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = (200, response.content.decode())
    older = re.search(r'href="(/\?before=[^"]+)"', pages["/"][1])
    assert older, "the first page links to older stories"
    for path, status in [(older.group(1).replace("&amp;", "&"), 200), ("/no-such-page/", 404)]:
        response = client.get(path)
        assert response.status_code == status, path
        pages[path] = (status, response.content.decode())
    response = client.get("/?before=not-a-cursor")
    assert response.status_code == 400
    pages["/?before=not-a-cursor"] = (400, response.content.decode())
    return pages


def test_every_kind_of_reader_page_is_valid_html5(demo, db, tmp_path):
    """The feed, an older page, every story, topic and author page, both indexes, search with
    and without results, a live page (both orders, an entry's own address), and the 404 and
    400 pages: no error from the Nu Html Checker."""
    checker = _checker()
    with override_settings(MEDIA_ROOT=demo):
        pages = _reader_pages(Client())
    files = {}
    for number, (path, (_status, text)) in enumerate(pages.items()):
        file = tmp_path / f"page-{number}.html"
        file.write_text(text, encoding="utf-8")
        files[file.name] = path
    assert len(files) > STORIES  # every story and more
    result = subprocess.run(
        [*checker, "--format", "json", "--exit-zero-always", *map(str, tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: "
        f"{message['message']}"
        f" [{message.get('extract', '')}]"
        for message in report["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    assert errors == [], "\n".join(errors[:40])
