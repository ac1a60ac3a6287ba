"""Write an nginx configuration for Newsdesk from `deploy/nginx.conf`.

    python3 deploy/render_nginx.py --listen 80 --upstream 127.0.0.1:8000 \\
        --static-root /srv/newsdesk/var/static --run-dir /var/lib/newsdesk-nginx \\
        > /etc/nginx/nginx.conf

Only the Python standard library, so it runs before any virtualenv exists. The run folder holds
nginx's pid, logs, temporary files and page cache; it is created if missing. nginx needs Debian's
Lua module for purges (`apt-get install libnginx-mod-http-lua`, scripts/ensure-nginx.sh); the
rendered file loads it from `--module-dir`. Give the app `NEWSDESK_PURGE_URL=http://<this
nginx>/_newsdesk/purge` and this nginx `--purge-allow <app address>` (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("nginx.conf")


def render(args: argparse.Namespace) -> str:
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "LISTEN": args.listen,
        "SERVER_NAME": args.server_name,
        "UPSTREAM_SERVERS": "\n        ".join(f"server {u};" for u in args.upstream),
        "LIVE_UPSTREAM_SERVERS": "\n        ".join(
            f"server {u};" for u in (args.live_upstream or args.upstream)
        ),
        "STATIC_ROOT": str(Path(args.static_root).resolve()),
        "RUN_DIR": str(run_dir),
        "ACCESS_LOG": "off" if args.no_access_log else str(run_dir / "access.log"),
        "MIME_TYPES": args.mime_types,
        "WORKER_USER": args.user,
        "SESSION_COOKIE": args.session_cookie,
        "CACHE_SECONDS": str(args.cache_seconds),
        "MAX_BODY_MB": str(args.max_body_mb),
        "MODULE_DIR": args.module_dir,
        "PURGE_ALLOW": "\n            ".join(f"allow {a};" for a in args.purge_allow),
        "PURGE_ALLOW_TEXT": ", ".join(args.purge_allow),
    }
    text = Template(TEMPLATE.read_text()).safe_substitute(values)
    left = [name for name in values if f"${{{name}}}" in text]
    if left:  # pragma: no cover - a template edit without a value
        raise SystemExit(f"deploy/nginx.conf still names {left}: give them values here.")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--listen", default="80", help="nginx's listen value, e.g. 80 or 127.0.0.1:8080"
    )
    parser.add_argument("--server-name", default="_", help="host names, space separated")
    parser.add_argument(
        "--upstream",
        action="append",
        required=True,
        help="a `newsdesk serve` address (host:port); repeat for several machines",
    )
    parser.add_argument(
        "--live-upstream",
        action="append",
        help="where /live/ goes when not to --upstream: a Pushpin (host:port) in front of the "
        "app (NEWSDESK_PUSH=pushpin); repeat for several",
    )
    parser.add_argument("--static-root", required=True, help="NEWSDESK_DATA_DIR/static")
    parser.add_argument("--run-dir", required=True, help="pid, logs, temp files and the page cache")
    parser.add_argument("--user", default="www-data", help="user nginx's workers run as")
    parser.add_argument("--mime-types", default="/etc/nginx/mime.types")
    parser.add_argument("--session-cookie", default="sessionid")
    parser.add_argument("--cache-seconds", type=int, default=1, help="TTL when the app gives none")
    parser.add_argument("--max-body-mb", type=int, default=21, help="NEWSDESK_MAX_UPLOAD_MB + 1")
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument(
        "--module-dir",
        default="/usr/lib/nginx/modules",
        help="where Debian's nginx modules are (ndk and lua: libnginx-mod-http-lua)",
    )
    parser.add_argument(
        "--purge-allow",
        action="append",
        help="an address or network that may purge (the app servers); repeat for several. "
        "Default: 127.0.0.1 and ::1",
    )
    args = parser.parse_args(argv)
    args.purge_allow = args.purge_allow or ["127.0.0.1", "::1"]
    sys.stdout.write(render(args))


if __name__ == "__main__":
    main()
