"""Write a Pushpin configuration for Newsdesk from `deploy/pushpin/pushpin.conf`.

    python3 deploy/render_pushpin.py --run-dir /var/lib/newsdesk-pushpin \\
        --upstream 127.0.0.1:8000 --listen 7999 --publish-port 5561
    pushpin --config /var/lib/newsdesk-pushpin/pushpin.conf

Only the Python standard library, so it runs before any virtualenv exists. Writes
`pushpin.conf` and `routes` (every path to the app's servers) into the run folder, which also
holds Pushpin's sockets and pid files, and prints the path of the configuration. Several
instances on one machine need their own run folder and ports (`--instance`). Give the app
`NEWSDESK_PUSH=pushpin` and `NEWSDESK_PUSHPIN_PUBLISH_URL=http://<this Pushpin>:<publish
port>/publish/` (docs/deploy.md, "Push tier (Pushpin)").
"""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).parent / "pushpin" / "pushpin.conf"


def render(args: argparse.Namespace) -> Path:
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    routes = run_dir / "routes"
    # One route for every request: the app's servers, several balanced by Pushpin.
    targets = ",".join(args.upstream)
    routes.write_text(f"* {targets}\n")
    base = args.publish_port
    values = {
        "RUN_DIR": str(run_dir),
        "IPC_PREFIX": f"{args.instance}-",
        "HTTP_PORT": args.listen,
        "LOG_DIR": args.log_dir,
        "LOG_LEVEL": str(args.log_level),
        "MAX_CONNECTIONS": str(args.max_connections),
        "ROUTES_FILE": str(routes),
        "SIG_KEY": args.sig_key or secrets.token_urlsafe(24),
        "PUBLISH_ADDR": args.publish_addr,
        "PUBLISH_PORT": str(base),
        "PUSH_IN_PORT": str(args.zmq_ports[0] if args.zmq_ports else base - 1),
        "PUSH_IN_SUB_PORT": str(args.zmq_ports[1] if args.zmq_ports else base + 1),
        "COMMAND_PORT": str(args.zmq_ports[2] if args.zmq_ports else base + 2),
    }
    text = Template(TEMPLATE.read_text()).safe_substitute(values)
    left = [name for name in values if f"${{{name}}}" in text]
    if left:  # pragma: no cover - a template edit without a value
        raise SystemExit(f"deploy/pushpin/pushpin.conf still names {left}: give them values here.")
    conf = run_dir / "pushpin.conf"
    conf.write_text(text)
    return conf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-dir", required=True, help="configuration, sockets and pid files")
    parser.add_argument(
        "--upstream",
        action="append",
        required=True,
        help="a `newsdesk serve` address (host:port); repeat for several",
    )
    parser.add_argument("--listen", default="7999", help="readers' port: [address:]port")
    parser.add_argument("--publish-addr", default="127.0.0.1", help="publish endpoint's address")
    parser.add_argument(
        "--publish-port",
        type=int,
        default=5561,
        help="publish endpoint's port; Pushpin's ZeroMQ ports are the one below and the two "
        "above it unless --zmq-ports says otherwise",
    )
    parser.add_argument(
        "--zmq-ports", type=int, nargs=3, metavar=("PULL", "SUB", "COMMAND"), help=argparse.SUPPRESS
    )
    parser.add_argument("--instance", default="newsdesk", help="names this instance's sockets")
    parser.add_argument("--log-dir", default="", help="empty: log to standard output")
    parser.add_argument("--log-level", type=int, default=2, help="2 = info, 3 = debug")
    parser.add_argument("--max-connections", type=int, default=50000)
    parser.add_argument("--sig-key", default="", help="Grip-Sig key; default: a random one")
    args = parser.parse_args(argv)
    print(render(args))


if __name__ == "__main__":
    main()
