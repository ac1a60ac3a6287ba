"""A worker of `newsdesk serve` killed with SIGKILL is replaced; the server lives on.

Expected: with 2 workers and with 1, killing one worker process leaves the server process
running, and within 5 s a reader's page and an editor's API publish both succeed again.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.scale.conftest import EDITOR

pytestmark = [pytest.mark.timeout(180)]

RECOVERY_SECONDS = 5


def _children(pid: int) -> list[int]:
    """Direct child processes of `pid`, read from /proc (Linux); none once `pid` has exited."""
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        pytest.skip("needs /proc/<pid>/task/<pid>/children (Linux)")
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:  # the process is gone (FileNotFoundError, or ESRCH mid-read)
        return []


def _alive(pid: int) -> bool:
    """Running (not exited, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):  # gone, or gone while being read
        return False
    return state != "Z"


def _workers(server_pid: int) -> list[int]:
    """The granian worker processes: the server's living children (granian forks only those)."""
    return [pid for pid in _children(server_pid) if _alive(pid)]


def _wait_for_workers(server_pid: int, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while len(found := _workers(server_pid)) < count:
        assert time.monotonic() < deadline, f"expected {count} workers, found {found}"
        time.sleep(0.05)  # polling the process table with a deadline
    return found


def _serves_readers_and_editors(base: str, token: str, number: int) -> bool:
    """A reader page and an editor's publish (create + publish through the API) both succeed."""
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=base, timeout=2) as client:
            if client.get("/").status_code != 200:
                return False
            created = client.post(
                "/api/v1/stories", json={"headline": f"After the crash {number}"}, headers=headers
            )
            if created.status_code != 201:
                return False
            published = client.post(
                f"/api/v1/stories/{created.json()['id']}/publish", headers=headers
            )
            return published.status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def token(site):
    return site.newsdesk("token", EDITOR[0], "--label", "dead-worker").strip().splitlines()[-1]


@pytest.mark.parametrize("workers", [2, 1])
def test_a_killed_worker_is_replaced_and_service_returns_within_5_seconds(site, token, workers):
    """SIGKILL one worker: the server process stays up and within 5 s a reader page and an
    editor's publish succeed (again and again: three rounds in a row)."""
    base = site.serve("--workers", str(workers))
    server = site.processes[-1]
    assert _serves_readers_and_editors(base, token, 0)
    pids = _wait_for_workers(server.pid, workers)
    victim = pids[0]
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        # A success right after the kill could come from the surviving worker before the
        # victim's death is even noticed: only a success once the victim is gone counts.
        if not _alive(victim) and _serves_readers_and_editors(base, token, attempt):
            break
        assert server.poll() is None, "killing one worker stopped the whole server"
        assert time.monotonic() - killed < RECOVERY_SECONDS, "not served again within 5 s"
    assert time.monotonic() - killed < RECOVERY_SECONDS
    assert server.poll() is None
    # The dead worker was replaced: as many workers as before, and they keep serving.
    replaced = _wait_for_workers(server.pid, workers)
    assert len(replaced) == workers and victim not in replaced
    for round_ in range(3):
        assert _serves_readers_and_editors(base, token, 100 + round_)
