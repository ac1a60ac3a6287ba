"""Property-based: every operation of our own OpenAPI schema, with generated input, in-process.

Schemathesis calls the WSGI app directly (no server). Whatever it sends, the API must never
answer 5xx, and each answer must match the schema's status codes, content type and body shape.
Writes run with an editor's token over a small published newsroom. Bounded: 25 examples per
operation, no shrinking beyond Hypothesis's defaults.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks
from schemathesis.specs.openapi import checks as oa_checks

from newsdesk.api.actions import do_create_token

# Building the schema needs no database: Ninja generates it from the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    st_checks.not_a_server_error,
    oa_checks.status_code_conformance,
    oa_checks.content_type_conformance,
    oa_checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Django closes the database connection after each request; the test client stops that
    inside a test's transaction, but schemathesis calls the WSGI app directly, so do the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(editor, publish, topic, author) -> str:
    publish("Harbour reopens", topic_ids=[topic.pk], author_ids=[author.pk])
    publish("Київ: світло повертається")
    return do_create_token(editor, "schemathesis")[1]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_and_matches_its_schema(case, token):
    """No 5xx; status codes, content types and bodies are the ones the schema documents."""
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
