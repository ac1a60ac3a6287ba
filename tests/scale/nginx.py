"""Debian's nginx with the configuration from `deploy/`, run by a test on a free loopback port
with its own folder for pid, logs, temp files and cache."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.config import env
from tests.servers import ROOT, free_port

MODULE_DIR = Path("/usr/lib/nginx/modules")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    reason = ""
    if not found:
        reason = "nginx is not installed"
    elif not (MODULE_DIR / "ngx_http_lua_module.so").exists():
        reason = "nginx's Lua module (libnginx-mod-http-lua) is not installed"
    if reason:
        reason += " (make test installs it as root: scripts/ensure-nginx.sh)"
        if env.is_ci():
            pytest.fail(f"{reason}, and CI=true forbids skipping the nginx tests")
        pytest.skip(reason)
    return found


class Nginx:
    def __init__(
        self,
        run_dir: Path,
        upstreams: list[str],
        static_root: Path,
        port: int | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.binary = nginx_binary()
        self.run_dir = run_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "render_nginx.py"),
             "--listen", f"127.0.0.1:{self.port}", "--static-root", str(static_root),
             "--run-dir", str(run_dir), "--user", getpass.getuser(),
             "--module-dir", str(MODULE_DIR),
             *[arg for u in upstreams for arg in ("--upstream", u)], *extra],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        self.conf = run_dir / "nginx.conf"
        self.conf.write_text(config)
        self.process = subprocess.Popen(
            [self.binary, "-p", str(run_dir), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (
                    (self.run_dir / "error.log").read_text()
                    if (self.run_dir / "error.log").exists()
                    else ""
                )
                raise RuntimeError(f"nginx exited: {self.process.stdout.read()}\n{log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)  # polling a port with a deadline, nothing to wait on
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def static_root(environ: dict) -> Path:
    return Path(environ["NEWSDESK_DATA_DIR"]).resolve() / "static"
