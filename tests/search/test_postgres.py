"""The search and API tests again, on PostgreSQL, in a pytest subprocess with its own database.

Runs when PostgreSQL answers at 127.0.0.1:5432 (user postgres); pytest-django creates and drops
a throwaway test database. Skipped with a reason otherwise, except on CI (`env.is_ci()`), where a
missing PostgreSQL fails the run instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from newsdesk.config import env

HOST, PORT = "127.0.0.1", 5432
ROOT = Path(__file__).resolve().parents[2]


def _postgres_answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    os.environ.get("NEWSDESK_DATABASE_URL", "").startswith("postgres"),
    reason="already running on PostgreSQL",
)
def test_search_and_api_suites_pass_on_postgres(tmp_path):
    """tests/search and tests/api pass with NEWSDESK_DATABASE_URL pointing at PostgreSQL."""
    if not _postgres_answers():
        message = f"PostgreSQL is not reachable at {HOST}:{PORT}; start it to run this test."
        if env.is_ci():
            pytest.fail(message + " (CI=true: not skipping)")
        pytest.skip(message)
    name = f"newsdesk_search_{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "NEWSDESK_DATABASE_URL": f"postgres://postgres@{HOST}:{PORT}/{name}",
        "NEWSDESK_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "tests/search", "tests/api", "--deselect",
         "tests/search/test_postgres.py::test_search_and_api_suites_pass_on_postgres"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
