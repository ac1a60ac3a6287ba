"""API fixtures: tokens for people in each role, and a client that sends them."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from newsdesk.api.actions import do_create_token


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Failed-token counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor_token(editor) -> str:
    return do_create_token(editor, "newsroom script")[1]


@pytest.fixture
def contributor_token(contributor) -> str:
    return do_create_token(contributor, "laptop")[1]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
