"""Debian's Pushpin with the configuration from `deploy/` (render_pushpin.py), run by a test on
free loopback ports with its own run folder; stopped and started again at will."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from newsdesk.config import env
from tests.servers import ROOT, free_port


def pushpin_binary() -> str:
    found = shutil.which("pushpin")
    if not found or not shutil.which("zurl") or not shutil.which("condure"):
        reason = (
            "Pushpin is not installed (make test installs Debian's `pushpin` as root: "
            "scripts/ensure-pushpin.sh)"
        )
        if env.is_ci():
            pytest.fail(f"{reason}, and CI=true forbids skipping the push-tier tests")
        pytest.skip(reason)
    return found


class Pushpin:
    """One Pushpin in front of `upstreams` (host:port of `newsdesk serve` processes)."""

    def __init__(self, run_dir: Path, upstreams: list[str]) -> None:
        self.binary = pushpin_binary()
        self.port = free_port()
        self.publish_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.publish_url = f"http://127.0.0.1:{self.publish_port}/publish/"
        self.run_dir = run_dir
        self.conf = Path(
            subprocess.run(
                [sys.executable, str(ROOT / "deploy" / "render_pushpin.py"),
                 "--run-dir", str(run_dir), "--listen", f"127.0.0.1:{self.port}",
                 "--publish-port", str(self.publish_port),
                 "--zmq-ports", str(free_port()), str(free_port()), str(free_port()),
                 "--instance", f"pp{self.port}",
                 *[arg for u in upstreams for arg in ("--upstream", u)]],
                check=True, capture_output=True, text=True,
            ).stdout.strip()
        )  # fmt: skip
        self.process: subprocess.Popen | None = None
        self.log: list[str] = []
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--config", str(self.conf), "--merge-output"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("pushpin exited:\n" + "".join(self.log))
            if self._listening(self.port) and self._listening(self.publish_port):
                return
            time.sleep(0.05)  # polling ports with a deadline, nothing to wait on
        raise RuntimeError("pushpin did not start listening:\n" + "".join(self.log))

    def wait_until_it_passes_requests(self, timeout: float = 20) -> None:
        """After a restart, until a request through Pushpin reaches the app: a restarted Pushpin
        listens before its proxy and connection manager are ready, and a stream asked for in
        that moment can hang (seen in CI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/robots.txt", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling with a deadline, nothing to wait on
        raise RuntimeError("pushpin does not pass requests to the app:\n" + "".join(self.log))

    def _drain(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.log.append(line)

    @staticmethod
    def _listening(port: int) -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the runner and the services it started, and wait until its ports are free."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        deadline = time.monotonic() + 10
        while self._listening(self.port) or self._listening(self.publish_port):
            assert time.monotonic() < deadline, "pushpin's services did not stop"
            time.sleep(0.05)
