#!/usr/bin/env bash
# The second pass of `make test`: the suite again on PostgreSQL with Redis for the page cache and
# the live bus: every test, browser tests included (their server gets its own PostgreSQL database).
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust or PGPASSWORD) and Redis at
# 127.0.0.1:6379, whose database 15 it empties and uses. Without them it says so and exits 0,
# except with CI=true, where that is a failure. Creates a fresh database and drops it afterwards;
# pytest-django makes its own test_<name> next to it.
#   usage: scripts/test-postgres.sh PYTHON [pytest arguments…]
set -uo pipefail
PY="${1:-.venv/bin/python}"; shift || true
PG_HOST="${NEWSDESK_TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${NEWSDESK_TEST_PG_PORT:-5432}"
REDIS_URL="${NEWSDESK_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
NAME="newsdesk_suite_$$_$RANDOM"

missing() {
  if [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; then
    echo "PostgreSQL/Redis pass: $1 — CI=true forbids skipping it." >&2
    exit 1
  fi
  echo "Skipping the PostgreSQL + Redis pass of the suite: $1."
  echo "  (Start PostgreSQL on $PG_HOST:$PG_PORT and Redis on 127.0.0.1:6379 to run it.)"
  exit 0
}

"$PY" - "$PG_HOST" "$PG_PORT" "$NAME" "$REDIS_URL" <<'PYEOF' || missing "PostgreSQL or Redis is not reachable"
import sys
import psycopg
import redis

host, port, name, redis_url = sys.argv[1:]
with psycopg.connect(f"postgres://postgres@{host}:{port}/postgres", autocommit=True,
                     connect_timeout=3) as admin:
    admin.execute(f'CREATE DATABASE "{name}"')
# The page cache and API throttling live here; start the pass from nothing, as the first pass does.
redis.Redis.from_url(redis_url, socket_connect_timeout=3).flushdb()
PYEOF

drop() {
  "$PY" - "$PG_HOST" "$PG_PORT" "$NAME" <<'PYEOF'
import sys
import psycopg

host, port, name = sys.argv[1:]
with psycopg.connect(f"postgres://postgres@{host}:{port}/postgres", autocommit=True) as admin:
    for db in (name, f"test_{name}"):
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
PYEOF
}
trap drop EXIT

echo "PostgreSQL + Redis pass: database $NAME, Redis $REDIS_URL"
# The pytest process itself uses persistent connections, not the pool: its tests start and
# drop live hubs whose threads end without handing their pooled connection back. Servers the
# tests start get the pool (tests/scale sets it; see docs/deploy.md).
NEWSDESK_DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$NAME" \
NEWSDESK_REDIS_URL="$REDIS_URL" \
NEWSDESK_DATABASE_POOL=0 \
  "$PY" -m pytest -p no:cacheprovider "$@"
