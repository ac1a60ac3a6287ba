"""A real `newsdesk serve`: every reader and desk page carries a Content-Security-Policy without
inline scripts. Apart from test_sessions.py because it needs no test database: it starts a server,
and on an xdist worker that already runs a browser the test database cannot be set up."""

from __future__ import annotations

import os

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.servers import free_port, migrated, run_newsdesk, start_server, stop_server

pytestmark = pytest.mark.database_agnostic  # a header set by middleware


def _csp_scripts(header: str) -> str:
    policy = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in header.split(";") if part.strip()
    )
    return policy.get("script-src") or policy.get("default-src", "")


@pytest.fixture
def https_less_server(tmp_path):
    """A real `newsdesk serve` with a few stories and an editor account."""
    port = free_port()
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    environ.pop("NEWSDESK_DATABASE_URL", None)
    migrated.prepare(environ)
    run_newsdesk(environ, "collectstatic", "--noinput", "--verbosity", "0")
    run_newsdesk(
        {**environ, "NEWSDESK_PASSWORD": PASSWORD}, "createuser", "cspeditor", "--role", "editor"
    )
    seed = (
        "from django.contrib.auth import get_user_model; from newsdesk.stories import actions; "
        "u = get_user_model().objects.get(username='cspeditor'); "
        "a = actions.do_save_author(u, None, {'name': 'Ines Park'}); "
        "t = actions.do_save_topic(u, None, {'name': 'Ports'}); "
        "s = actions.do_create_story(u, {'headline': 'Tide tables', 'slug': 'tide', "
        "'author_ids': [a.pk], 'topic_ids': [t.pk]}); actions.do_publish_story(u, s.pk)"
    )
    run_newsdesk(environ, "shell", "--no-imports", "--command", seed)
    process = start_server(environ, port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


@pytest.mark.timeout(120)
def test_every_reader_and_desk_page_has_a_csp_without_inline_scripts(https_less_server):
    """Reader pages (twice, so a cached copy is checked too) and desk pages carry a
    Content-Security-Policy whose script sources are our own files only."""
    base = https_less_server
    reader_pages = ["/", "/stories/tide/", "/authors/ines-park/", "/topics/ports/"]
    reader_pages += ["/search?q=tide", "/no-such-page/"]
    with httpx.Client(base_url=base, timeout=20) as client:
        for path in reader_pages * 2:
            response = client.get(path)
            header = response.headers.get("content-security-policy", "")
            scripts = _csp_scripts(header)
            assert "'self'" in scripts, (path, header)
            assert "unsafe-inline" not in scripts and "unsafe-eval" not in scripts, path
            assert "<script>" not in response.text  # no inline script the policy would block
        client.get("/desk/login/")
        login = client.post(
            "/desk/login/",
            data={
                "username": "cspeditor",
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
        )
        assert login.status_code == 302
        for path in [
            "/desk/",
            "/desk/stories/new/",
            "/desk/authors/",
            "/desk/topics/",
            "/desk/login/",
        ]:
            response = client.get(path)
            assert response.status_code == 200, path
            scripts = _csp_scripts(response.headers.get("content-security-policy", ""))
            assert "'self'" in scripts and "unsafe-inline" not in scripts, path
