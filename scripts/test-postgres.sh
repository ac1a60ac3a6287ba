#!/usr/bin/env bash
# The second pass of `make test`: the suite again on PostgreSQL with Redis for the page cache and
# the live bus: every test, browser tests included (their server gets its own PostgreSQL database).
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust or PGPASSWORD) and Redis at
# 127.0.0.1:6379, whose databases 14 and 15 it empties and uses (NEWSDESK_TEST_REDIS_URL names
# another first one): the in-process tests run on two pytest-xdist workers (scripts/test-pass.sh),
# and worker gwK uses database first+K (mod 16). Without them it says so and exits 0, except with
# CI=true, where that is a failure. Creates a fresh database and drops it afterwards; pytest-django
# makes its own test_<name>[_gwK] next to it.
#   usage: scripts/test-postgres.sh PYTHON [pytest arguments…]
set -uo pipefail
PY="${1:-.venv/bin/python}"; shift || true
PG_HOST="${NEWSDESK_TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${NEWSDESK_TEST_PG_PORT:-5432}"
REDIS_URL="${NEWSDESK_TEST_REDIS_URL:-redis://127.0.0.1:6379/14}"
NAME="newsdesk_suite_$$_$RANDOM"
WORKERS="${NEWSDESK_TEST_WORKERS:-2}"  # scripts/test-pass.sh's pytest-xdist workers

missing() {
  if [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; then
    echo "PostgreSQL/Redis pass: $1 — CI=true forbids skipping it." >&2
    exit 1
  fi
  echo "Skipping the PostgreSQL + Redis pass of the suite: $1."
  echo "  (Start PostgreSQL on $PG_HOST:$PG_PORT and Redis on 127.0.0.1:6379 to run it.)"
  exit 0
}

"$PY" - "$PG_HOST" "$PG_PORT" "$NAME" "$REDIS_URL" "$WORKERS" <<'PYEOF' || missing "PostgreSQL or Redis is not reachable"
import sys
from urllib.parse import urlsplit

import psycopg
import redis

host, port, name, redis_url, workers = sys.argv[1:]
with psycopg.connect(f"postgres://postgres@{host}:{port}/postgres", autocommit=True,
                     connect_timeout=3) as admin:
    admin.execute(f'CREATE DATABASE "{name}"')
# The page cache and API throttling live here; start the pass from nothing, as the first pass does:
# the run's database and each xdist worker's (tests/conftest.py, _workers_redis_url).
parts = urlsplit(redis_url)
base = int(parts.path.strip("/") or 0)
for k in range(min(max(int(workers), 1), 16)):
    url = parts._replace(path=f"/{(base + k) % 16}").geturl()
    redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
PYEOF

drop() {
  "$PY" - "$PG_HOST" "$PG_PORT" "$NAME" <<'PYEOF'
import sys
import psycopg

host, port, name = sys.argv[1:]
with psycopg.connect(f"postgres://postgres@{host}:{port}/postgres", autocommit=True) as admin:
    test_names = [row[0] for row in admin.execute(
        "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
        [f"test_{name}", f"test_{name}_gw%"])]  # fmt: skip
    for db in (name, *test_names):
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
PYEOF
}
trap drop EXIT

echo "PostgreSQL + Redis pass: database $NAME, Redis $REDIS_URL (and the next $((WORKERS - 1)) for xdist workers)"
# The pytest process itself uses persistent connections, not the pool: its tests start and
# drop live hubs whose threads end without handing their pooled connection back. Servers the
# tests start get the pool (tests/scale sets it; see docs/deploy.md).
NEWSDESK_DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$NAME" \
NEWSDESK_REDIS_URL="$REDIS_URL" \
NEWSDESK_DATABASE_POOL=0 \
  bash "$(dirname "$0")/test-pass.sh" "$PY" -p no:cacheprovider "$@"
