"""Hostile and odd input through the desk, from the shared real-world lists: XSS payloads never
survive the preview, and no naughty string makes the editor fail with a 500."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from newsdesk.stories import actions
from tests.desk.conftest import story_form

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "base"}


def shared_lines(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{name} (shared/data) is not on this machine.")
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def test_no_xss_payload_survives_the_preview(editor_client):
    """Thousands of XSS payloads as a story body: the preview has no script, no event handler
    and no javascript: link, whatever the payload."""
    payloads = [line for line in shared_lines("xss-payload-list.txt") if line.strip()]
    for start in range(0, len(payloads), 400):
        body = "\n\n".join(payloads[start : start + 400])
        response = editor_client.post("/desk/preview/", {"headline": "XSS", "body": body})
        assert response.status_code == 200
        tree = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag not in DANGEROUS_TAGS, element.tag
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (name, value)
                if name in {"href", "src"}:
                    assert not value.strip().lower().startswith(("javascript:", "data:")), value


def test_naughty_strings_as_headline_are_saved_or_refused_with_a_message(editor_client, editor):
    """Every string of the Big List of Naughty Strings typed as a story's headline is either
    saved as typed (trimmed) or refused with a form error: never a 500."""
    path = DATA / "blns.json"
    if not path.exists():
        pytest.skip("blns.json (shared/data) is not on this machine.")
    story = actions.do_create_story(editor, {"headline": "Naughty strings"})
    for text in json.loads(path.read_text(encoding="utf-8")):
        response = editor_client.post(
            f"/desk/stories/{story.pk}/", story_form(story, headline=text)
        )
        if response.status_code == 302:
            story.refresh_from_db()
            assert story.headline == text.strip()
        else:
            assert response.status_code == 400, repr(text)
            assert 'aria-invalid="true"' in response.content.decode(), repr(text)
