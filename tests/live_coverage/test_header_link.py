"""Live coverage running now is a section of every reader page's header, after the News Feed:
it appears when the coverage is published and goes when the editor ends it."""

from __future__ import annotations

import re

import pytest

from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


def _header_live_links(client, path: str) -> list[tuple[str, str]]:
    page = client.get(path).content.decode()
    sections = page.split('<nav class="site-sections"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li class="site-sections__live"><a href="([^"]+)"[^>]*>(.*?)</a>', sections)


def test_every_reader_page_names_the_running_coverage_until_it_ends(
    client, coverage, editor, django_capture_on_commit_callbacks
):
    for path in ["/", "/topics/", coverage.get_absolute_url(), "/search?q=storm"]:
        [(href, text)] = _header_live_links(client, path)
        assert href == coverage.get_absolute_url(), path
        assert "Live" in text and "Storm Verity: live" in text, path
    page = client.get(coverage.get_absolute_url()).content.decode()
    assert re.search(r'site-sections__live"><a href="[^"]+" aria-current="page"', page)
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
        actions.do_end_coverage(editor, coverage.pk)
    assert _header_live_links(client, "/") == []
    assert client.get(coverage.get_absolute_url()).status_code == 200  # ended stays readable
