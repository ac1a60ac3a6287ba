"""Login throttling on a real `newsdesk serve`: parallel bursts, the client address behind nginx.

Expected: of 24 parallel wrong-password logins through the desk login form exactly 5 (the
account limit) get their password checked ("Please enter a correct username and password"), the
other 19 are refused as locked; the right password sent in a parallel burst afterwards logs in
nowhere. Behind the shipped nginx the limit keys on the address nginx saw (127.0.0.2 locked out,
127.0.0.3 not), and an X-Forwarded-For a client writes itself — through nginx or straight to the
app — changes nothing.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.scale.conftest import EDITOR
from tests.scale.nginx import Nginx, nginx_binary, static_root
from tests.servers import run_newsdesk

pytestmark = [pytest.mark.timeout(240)]

ACCOUNT_LIMIT = 5  # settings.LOGIN_FAILURES_PER_ACCOUNT
ADDRESS_LIMIT = 20  # settings.LOGIN_FAILURES_PER_ADDRESS
BURST = 24
VICTIM = ("burst-victim", "Burst-Victim-Password-42")


def _client(base: str, source: str) -> httpx.Client:
    """A browser-like client whose connections come from the loopback address `source`."""
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=base, transport=transport, timeout=60, follow_redirects=False)


def _outcome(response: httpx.Response) -> str:
    if response.status_code == 302:
        return "logged in"
    assert response.status_code == 200, response.status_code
    if "Too many failed attempts" in response.text:
        return "locked"
    if "Please enter a correct" in response.text:
        return "wrong password"
    raise AssertionError(f"unexpected login page: {response.text[:500]}")


def _login(base: str, source: str, username: str, password: str, headers=None) -> str:
    with _client(base, source) as client:
        client.get("/desk/login/")
        response = client.post(
            "/desk/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
            headers=headers or {},
        )
        return _outcome(response)


def _burst(base: str, source: str, username: str, password: str, size: int) -> list[str]:
    """`size` logins sent at the same moment (each client fetched its form and CSRF token first)."""
    ready = threading.Barrier(size)

    def one(_: int) -> str:
        with _client(base, source) as client:
            client.get("/desk/login/")
            token = client.cookies["csrftoken"]
            ready.wait(timeout=60)
            response = client.post(
                "/desk/login/",
                data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            )
            return _outcome(response)

    with ThreadPoolExecutor(max_workers=size) as pool:
        return list(pool.map(one, range(size)))


@pytest.fixture(scope="module")
def app(site):
    run_newsdesk({**site.environ, "NEWSDESK_PASSWORD": VICTIM[1]}, "createuser", VICTIM[0],
                 "--role", "contributor")  # fmt: skip
    return site.serve()


def test_a_parallel_burst_gets_exactly_the_limit_of_password_checks(app):
    """24 wrong passwords at once: exactly 5 are checked and answered "wrong password", 19 are
    locked; then 6 right passwords at once all stay locked out and none logs in."""
    outcomes = _burst(app, "127.0.0.5", VICTIM[0], "not-the-password", BURST)
    assert outcomes.count("wrong password") == ACCOUNT_LIMIT, outcomes
    assert outcomes.count("locked") == BURST - ACCOUNT_LIMIT, outcomes
    # The right password after the limit, again in parallel and from a fresh address.
    right = _burst(app, "127.0.0.6", VICTIM[0], VICTIM[1], 6)
    assert right == ["locked"] * 6, right


@pytest.fixture(scope="module")
def proxied(app, tmp_path_factory, site):
    """nginx (deploy/nginx.conf) in front of the app, the app trusting only 127.0.0.1 (default)."""
    nginx_binary()
    nginx = Nginx(tmp_path_factory.mktemp("nginx"), [app.removeprefix("http://")],
                  static_root(site.environ))  # fmt: skip
    yield nginx
    nginx.stop()


def test_behind_nginx_each_client_address_is_counted_on_its_own(proxied, app):
    """Through nginx, 20 failures from 127.0.0.2 lock 127.0.0.2 out, while the editor still logs
    in from 127.0.0.3 (nginx connects to the app from 127.0.0.1 for both: the app keys on the
    address nginx saw). A client's own X-Forwarded-For naming 127.0.0.3, sent through nginx or
    straight to the app (whose peer 127.0.0.2 is no trusted proxy), does not unlock 127.0.0.2."""
    for i in range(ADDRESS_LIMIT):
        assert _login(proxied.url, "127.0.0.2", f"nobody-{i}", "guess") == "wrong password"
    assert _login(proxied.url, "127.0.0.2", *EDITOR) == "locked"
    assert _login(proxied.url, "127.0.0.3", *EDITOR) == "logged in"
    spoofed = {"X-Forwarded-For": "127.0.0.3"}
    assert _login(proxied.url, "127.0.0.2", *EDITOR, headers=spoofed) == "locked"
    assert _login(app, "127.0.0.2", *EDITOR, headers=spoofed) == "locked"
    # Straight to the app from another address, a forged header cannot pin the lock on it.
    locked_name = {"X-Forwarded-For": "127.0.0.2"}
    assert _login(app, "127.0.0.4", *EDITOR, headers=locked_name) == "logged in"


def test_a_parallel_burst_of_bad_api_tokens_gets_exactly_the_limit_checked(app):
    """30 requests with bad tokens at once: exactly 10 are checked (401), 20 get 429."""
    size, allowed = 30, 10  # newsdesk.api.auth.FAILURES_ALLOWED
    ready = threading.Barrier(size)

    def one(_: int) -> int:
        with _client(app, "127.0.0.8") as client:
            client.get("/api/v1/feed")  # connected before the burst
            ready.wait(timeout=60)
            bad = {"Authorization": "Bearer nd_wrong"}
            return client.get("/api/v1/feed", headers=bad).status_code

    with ThreadPoolExecutor(max_workers=size) as pool:
        statuses = list(pool.map(one, range(size)))
    assert statuses.count(401) == allowed, statuses
    assert statuses.count(429) == size - allowed, statuses
