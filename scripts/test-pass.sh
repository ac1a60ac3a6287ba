#!/usr/bin/env bash
# One pass of the suite on whatever database the environment names (make test runs it for SQLite,
# scripts/test-postgres.sh for PostgreSQL): the in-process tests on two pytest-xdist workers, then
# the `slow` ones, which start browsers and servers, on two workers of their own.
#
# Why two invocations: on a worker that has run a browser test, Playwright's sync API can leave
# its event loop marked as running, and in-process Django tests after it on that worker then fail
# (docs/testing.md). In the slow run no test needs the test database; there the browser tests
# form two groups (tests/e2e and the rest, each with one Chromium and one seeded server) and the
# server tests are spread over both workers by module (tests/conftest.py). An argument that
# selects no test of one kind (a path to an in-process module, say) is not a failure of the other
# (pytest's exit code 5, nothing collected).
#   usage: scripts/test-pass.sh PYTHON [pytest arguments…]
set -uo pipefail
PY="${1:-.venv/bin/python}"; shift || true

run() {
  "$PY" -m pytest "$@"
  local code=$?
  [ "$code" = 5 ] && code=0
  return "$code"
}

run -m "not slow" -n "${NEWSDESK_TEST_WORKERS:-2}" "$@" || exit $?
run -m slow -n "${NEWSDESK_TEST_WORKERS:-2}" "$@"
