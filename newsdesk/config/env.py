"""Every NEWSDESK_* setting, read from the environment in this one place.

Each setting has a default that serves one machine, so `make run` needs none of them. `SETTINGS`
is the only description of them: the README's configuration table is generated from it
(`newsdesk settings --markdown`, or `make settings-table` to rewrite the README), and a test fails
when the two differ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(ValueError):
    """A NEWSDESK_* variable holds a value we cannot use; the message says how to fix it."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NEWSDESK_DATA_DIR",
        "./var",
        "Folder for the SQLite database, uploads, collected static files and the generated "
        "secret key.",
    ),
    Setting(
        "NEWSDESK_DATABASE_URL",
        "",
        "Database; empty means SQLite (WAL) in the data folder. Example: "
        "`postgres://user@127.0.0.1:5432/newsdesk` (psycopg 3: `pip install -e "
        '".[postgres]"`).',
    ),
    Setting(
        "NEWSDESK_REDIS_URL",
        "",
        "Redis for the page cache and the live bus when one process is not enough. Example: "
        '`redis://127.0.0.1:6379/0` (`pip install -e ".[redis]"`).',
    ),
    Setting(
        "NEWSDESK_DATABASE_POOL",
        "10",
        "PostgreSQL only: connections each server process keeps in its pool (psycopg_pool); "
        "`0` means one persistent connection per thread instead.",
    ),
    Setting(
        "NEWSDESK_PAGE_CACHE",
        "true",
        "Keep rendered anonymous pages in the cache (memory, or Redis) until the next "
        "publish; `false` renders every request.",
    ),
    Setting(
        "NEWSDESK_CACHE_SECONDS",
        "1",
        "How long nginx or a CDN may keep an anonymous page (`s-maxage`) before asking again.",
    ),
    Setting(
        "NEWSDESK_SITE_URL",
        "",
        "Public base URL, used in links, canonical URLs, feeds, sitemaps, cards and the API; "
        "`https` turns on secure cookies and HSTS. Empty means the address `newsdesk serve` "
        "listens on (`http://NEWSDESK_HOST:NEWSDESK_PORT`, 127.0.0.1 for any address); set it "
        "when readers come through nginx or a domain name.",
    ),
    Setting(
        "NEWSDESK_SITE_NAME",
        "Newsdesk",
        "The newsroom's name, shown in the header, titles and feeds.",
    ),
    Setting(
        "NEWSDESK_SITE_LOGO",
        "",
        "The newsroom's logo beside its name in the header: a static file path "
        "(`newsdesk/logo.svg`), a path on the site (`/brand/logo.svg`) or an `https://` URL "
        "(its origin is allowed by the Content-Security-Policy). Empty means the built-in mark.",
    ),
    Setting(
        "NEWSDESK_ABOUT_URL",
        "",
        'Where the footer\'s "About" link goes (a path on the site or a full URL); empty means no '
        "such link.",
    ),
    Setting(
        "NEWSDESK_CONTACT_URL",
        "",
        'Where the footer\'s "Contact" link goes (a path, a full URL or `mailto:`); empty means '
        "no such link.",
    ),
    Setting(
        "NEWSDESK_SECRET_KEY",
        "",
        "Django's secret key; empty means one is generated once into the data folder.",
    ),
    Setting(
        "NEWSDESK_TIME_ZONE",
        "UTC",
        "The newsroom's time zone (IANA name, e.g. `Europe/Kyiv`) for times shown on pages.",
    ),
    Setting(
        "NEWSDESK_CLOCK",
        "24",
        "How reader pages write the time of day: `24` (21:40) or `12` (9:40 PM), in the "
        "newsroom's time zone without JavaScript and in the reader's own with it.",
    ),
    Setting(
        "NEWSDESK_LANGUAGE",
        "en",
        "Default language of stories (BCP 47 tag); the language of the edition at `/`.",
    ),
    Setting(
        "NEWSDESK_EDITIONS",
        "en:,uk:uk",
        "The editions: comma-separated `language:prefix` pairs. Each language's stories have "
        "their own News Feed, pages, search, feeds and live stream under `/<prefix>/`; exactly "
        "one edition has an empty prefix (the one at `/`, in `NEWSDESK_LANGUAGE`). Example: "
        "`en:,uk:uk,pl:pl`.",
    ),
    Setting(
        "NEWSDESK_PORT",
        "8000",
        "Port `newsdesk serve` and `make run` listen on.",
    ),
    Setting(
        "NEWSDESK_HOST",
        "127.0.0.1",
        "Address `newsdesk serve` binds to.",
    ),
    Setting(
        "NEWSDESK_WORKERS",
        "1",
        "ASGI worker processes started by `newsdesk serve`.",
    ),
    Setting(
        "NEWSDESK_THREADS",
        "4",
        "Threads per worker process that run Django (pages, desk, API); each keeps its "
        "database connection open.",
    ),
    Setting(
        "NEWSDESK_DEBUG",
        "false",
        "Django's DEBUG; never true in production.",
    ),
    Setting(
        "NEWSDESK_ALLOWED_HOSTS",
        "",
        "Extra comma-separated host names to serve besides the site URL's host and localhost.",
    ),
    Setting(
        "NEWSDESK_MAX_UPLOAD_MB",
        "20",
        "Largest image upload, in megabytes.",
    ),
    Setting(
        "NEWSDESK_SCHEDULER_INTERVAL",
        "5",
        "Seconds between checks for scheduled stories that are due, in `newsdesk serve`.",
    ),
    Setting(
        "NEWSDESK_EMBED_TIMEOUT",
        "3",
        "Seconds a save waits for YouTube, Vimeo, X, Telegram, Mastodon, Bluesky, Instagram or "
        "Facebook to describe a post linked alone on a line (the editor can type its words "
        "when they do not answer).",
    ),
    Setting(
        "NEWSDESK_EMBED_ORIGIN",
        "",
        "Send every request about embeds (oEmbed, page metadata, the players readers load) to "
        "this origin instead of the platforms, as `ORIGIN/<platform host><path>`: a stand-in "
        "for tests or a caching proxy. Empty means the platforms themselves.",
    ),
    Setting(
        "NEWSDESK_LIVE_BUS",
        "auto",
        "What wakes app processes for live readers: `auto`, `memory`, `redis` or `postgres` "
        "(see above).",
    ),
    Setting(
        "NEWSDESK_LIVE_POLL_SECONDS",
        "2",
        "Each process also checks for new feed events this often, so a lost bus loses nothing.",
    ),
    Setting(
        "NEWSDESK_PUSH",
        "",
        "A push tier in front of the live stream for crowds past one machine: `pushpin` (Debian's "
        "Pushpin holds the readers; the app answers each stream once with its replay and "
        'publishes every feed event to it, docs/deploy.md "Push tier"); empty means the '
        "built-in hub holds the readers.",
    ),
    Setting(
        "NEWSDESK_PUSHPIN_PUBLISH_URL",
        "http://127.0.0.1:5561/publish/",
        "With `NEWSDESK_PUSH=pushpin`: Pushpin's publish endpoint; several (one per Pushpin "
        "instance) separated by spaces or commas, each gets every event.",
    ),
    # ── H4: client addresses behind a proxy ──
    Setting(
        "NEWSDESK_TRUSTED_PROXIES",
        "127.0.0.1,::1",
        "Comma-separated addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For "
        "is believed, for per-address limits such as login throttling. The default is the "
        "address nginx on the same machine connects from; add your load balancer's when one "
        "sits in front; none means: always use the direct peer's address.",
    ),
    Setting(
        "NEWSDESK_PASSWORD",
        "",
        "Password for `newsdesk createuser` in scripts (otherwise it prompts).",
    ),
    Setting(
        "NEWSDESK_WEBSUB_HUB",
        "",
        "WebSub hub to ping when feeds change; empty means no pings and no hub links in feeds.",
    ),
    Setting(
        "NEWSDESK_PURGE_URL",
        "",
        "Where to send a purge (`PURGE` with a `Surrogate-Key` header) after an unpublish, "
        "correction or edit commits, so caches in front of the app drop their old copies at once: "
        "the shipped nginx's `http://127.0.0.1/_newsdesk/purge` (docs/deploy.md); several URLs "
        "separated by spaces or commas; empty means no purges.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}

README_TABLE_START = "<!-- settings table: generated from newsdesk/config/env.py -->"
README_TABLE_END = "<!-- end of settings table -->"


def markdown_table() -> str:
    """The README's configuration table: name, default and meaning of every setting."""
    rows = ["| variable | default | what it does |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        rows.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return "\n".join(rows)


def with_settings_table(readme: str) -> str:
    """`readme` with the text between the table markers replaced by `markdown_table()`."""
    try:
        head, rest = readme.split(README_TABLE_START, 1)
        _, tail = rest.split(README_TABLE_END, 1)
    except ValueError:
        raise ConfigError(
            f"README.md has no settings table markers: put {README_TABLE_START!r} and "
            f"{README_TABLE_END!r} on lines of their own where the table belongs."
        ) from None
    return f"{head}{README_TABLE_START}\n{markdown_table()}\n{README_TABLE_END}{tail}"


def get(name: str) -> str:
    """The value of a NEWSDESK_* variable, or its documented default."""
    setting = _BY_NAME[name]
    return os.environ.get(name, "").strip() or setting.default


def export(name: str, value: str) -> None:
    """Set a NEWSDESK_* variable for this process and the processes it starts (a command-line
    option that wins over the environment, e.g. `newsdesk serve --port`)."""
    if name not in _BY_NAME:
        raise ConfigError(f"{name} is not a Newsdesk setting: see SETTINGS in config/env.py.")
    os.environ[name] = value


def get_bool(name: str) -> bool:
    value = get(name).lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name}={value!r} is not a yes/no value: use true or false.")


def get_int(name: str, minimum: int = 0) -> int:
    value = get(name)
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ConfigError(f"{name}={number} is too small: it must be at least {minimum}.")
    return number


def get_clock_hours() -> int:
    """`NEWSDESK_CLOCK`: 24 or 12."""
    value = get("NEWSDESK_CLOCK")
    if value not in {"12", "24"}:
        raise ConfigError(
            f"NEWSDESK_CLOCK={value!r} is not a clock: use 24 (21:40) or 12 (9:40 PM)."
        )
    return int(value)


# First parts of addresses the site already answers: no edition may take one as its prefix.
RESERVED_PREFIXES = {
    "desk", "admin", "api", "live", "stories", "topics", "authors", "search", "feed", "more",
    "media", "static", "sitemap.xml", "robots.txt",
}  # fmt: skip


def get_editions(default_language: str) -> tuple[tuple[str, str], ...]:
    """`NEWSDESK_EDITIONS` as ((language, prefix), …), the edition at `/` first."""
    value = get("NEWSDESK_EDITIONS")
    editions: list[tuple[str, str]] = []
    for part in value.split(","):
        if not part.strip():
            continue
        language, _, prefix = part.partition(":")
        language, prefix = language.strip().lower(), prefix.strip().strip("/").lower()
        well_formed = language.replace("-", "").isalnum() and (
            not prefix or prefix.replace("-", "").isalnum()
        )
        if not well_formed:
            raise ConfigError(
                f"NEWSDESK_EDITIONS={value!r}: {part.strip()!r} is not language:prefix "
                "(letters, digits and hyphens, e.g. uk:uk or en: for the edition at /)."
            )
        if prefix in RESERVED_PREFIXES:
            raise ConfigError(
                f"NEWSDESK_EDITIONS={value!r}: /{prefix}/ is already an address of the site; "
                "give that edition another prefix (its language code, e.g. uk:uk)."
            )
        editions.append((language, prefix))
    languages = [language for language, _ in editions]
    prefixes = [prefix for _, prefix in editions]
    if len(set(languages)) != len(languages) or len(set(prefixes)) != len(prefixes):
        raise ConfigError(
            f"NEWSDESK_EDITIONS={value!r} names a language or a prefix twice: each edition has "
            "its own."
        )
    roots = [language for language, prefix in editions if not prefix]
    if roots != [default_language.lower()]:
        raise ConfigError(
            f"NEWSDESK_EDITIONS={value!r} must have exactly one edition at / (an empty prefix) "
            f"in NEWSDESK_LANGUAGE ({default_language}), e.g. "
            f"NEWSDESK_EDITIONS={default_language}:,uk:uk."
        )
    return tuple(sorted(editions, key=lambda edition: edition[1] != ""))


def listening_url(host: str, port: int) -> str:
    """Where `newsdesk serve` answers on this machine for `host` and `port`: what to open in a
    browser (any address, `0.0.0.0` or `::`, is reached at 127.0.0.1)."""
    if host in {"", "0.0.0.0", "::"}:  # noqa: S104 (read, not bound: any address means this one)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def url_origin(url: str) -> list[str]:
    """`[scheme://host[:port]]` of an http(s) URL, for the CSP; `[]` for a path or nothing."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return [f"{parts.scheme}://{parts.netloc}"]
    return []


def data_dir() -> Path:
    path = Path(get("NEWSDESK_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_ci() -> bool:
    """CI=true forbids skipping tests for a missing browser or service."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
