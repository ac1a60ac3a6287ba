"""The browser tests here reuse the real server and Chromium fixtures of tests/e2e."""

from tests.e2e.conftest import browser, page, server  # noqa: F401
