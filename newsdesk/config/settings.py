"""Django settings for Newsdesk, built from the NEWSDESK_* variables in `env`.

Defaults serve one machine: SQLite in WAL mode in the data folder, an in-process cache, DEBUG off.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.conf.locale import LANG_INFO

from newsdesk.config import env
from newsdesk.core.client_address import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()


def _secret_key() -> str:
    configured = env.get("NEWSDESK_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database(url: str) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "newsdesk.sqlite3",
            # Kept open between requests: opening the file and running the PRAGMAs below cost
            # more than the queries of a feed page. Django runs on NEWSDESK_THREADS long-lived
            # threads per process (config.asgi), so that is the number of connections, plus
            # the live hub's and the scheduler's.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets readers go on while an editor writes; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not shared-cache memory: the live hub reads from its own thread, and
            # shared-cache SQLite locks whole tables where WAL lets readers go on.
            "TEST": {"NAME": DATA_DIR / f"test-newsdesk-{os.getpid()}.sqlite3"},
        }
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise env.ConfigError(
            f"NEWSDESK_DATABASE_URL scheme {parts.scheme!r} is not supported: "
            "use postgres://user:password@host:port/name, or leave it empty for SQLite."
        )
    pool_size = env.get_int("NEWSDESK_DATABASE_POOL")
    # A pool per process (Django's psycopg_pool support) shares a bounded set of connections
    # among the process's NEWSDESK_THREADS threads, the live hub and the scheduler.
    pooled = {"OPTIONS": {"pool": {"min_size": 1, "max_size": pool_size, "timeout": 10}}}
    persistent = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    return {
        **(pooled if pool_size else persistent),
        "ENGINE": "django.db.backends.postgresql",
        "NAME": (parts.path or "/newsdesk").lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


SECRET_KEY = _secret_key()
DEBUG = env.get_bool("NEWSDESK_DEBUG")
SERVE_HOST = env.get("NEWSDESK_HOST")
SERVE_PORT = env.get_int("NEWSDESK_PORT", minimum=1)
# Without NEWSDESK_SITE_URL the site is where `newsdesk serve` listens: links, feeds and cards
# then name the port readers actually reach (`NEWSDESK_PORT=8400 make run`), not a default one.
SITE_URL = (env.get("NEWSDESK_SITE_URL") or env.listening_url(SERVE_HOST, SERVE_PORT)).rstrip("/")
SITE_NAME = env.get("NEWSDESK_SITE_NAME")
SITE_LOGO = env.get("NEWSDESK_SITE_LOGO")
ABOUT_URL = env.get("NEWSDESK_ABOUT_URL")
CONTACT_URL = env.get("NEWSDESK_CONTACT_URL")
_site = urlsplit(SITE_URL)
ALLOWED_HOSTS = sorted(
    {"127.0.0.1", "localhost", "[::1]", "testserver", _site.hostname or "localhost"}
    | {h.strip() for h in env.get("NEWSDESK_ALLOWED_HOSTS").split(",") if h.strip()}
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
HTTPS = _site.scheme == "https"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "newsdesk.config",
    "newsdesk.stories",
    "newsdesk.media",
    "newsdesk.live",
    "newsdesk.public",
    "newsdesk.desk",
    "newsdesk.syndication",
    "newsdesk.search",
    "newsdesk.api",
    "newsdesk.cache",
    "newsdesk.imports",
    "newsdesk.wires",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsdesk.api.middleware.ApiEdgeMiddleware",
    "newsdesk.imports.middleware.OldAddressMiddleware",
]
# The edition of a request follows from its address alone (no cookie, no Accept-Language, no
# query): the first middleware, so everything after it speaks the edition's language.
MIDDLEWARE.insert(0, "newsdesk.public.editions.EditionMiddleware")

ROOT_URLCONF = "newsdesk.config.urls"
ASGI_APPLICATION = "newsdesk.config.asgi.application"

TEMPLATES = [
    # The desk's pages and forms, the admin, sitemaps and robots.txt: Django's templates.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "django.template.context_processors.tz",
                "newsdesk.public.context.site",
                "newsdesk.desk.context.review",
            ],
        },
    },
    # What readers see (newsdesk/public/jinja.py says why): `jinja2/` folders of the apps.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "newsdesk.public.jinja.environment",
            "context_processors": ["newsdesk.public.context.site"],
        },
    },
]

DATABASES = {"default": _database(env.get("NEWSDESK_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(redis_url: str) -> dict:
    """Redis when configured (shared by every process), else this process's memory.

    The key prefix names the database, so sites (or test runs) sharing one Redis never see each
    other's pages or content versions.
    """
    db = DATABASES["default"]
    identity = f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db['NAME']}"
    prefix = "nd" + hashlib.blake2b(identity.encode(), digest_size=4).hexdigest()
    if not redis_url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    return {
        "BACKEND": "newsdesk.cache.breaker.BreakerRedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
        # Fail fast when Redis is gone: pages are then rendered, never held up (and after one
        # failure the breaker skips Redis for a moment instead of waiting on it every call).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {"default": _cache(env.get("NEWSDESK_REDIS_URL"))}
PAGE_CACHE = env.get_bool("NEWSDESK_PAGE_CACHE")
CACHE_SECONDS = env.get_int("NEWSDESK_CACHE_SECONDS")

# Every login (desk, admin) goes through the throttled backend (newsdesk/desk/login.py).
AUTHENTICATION_BACKENDS = ["newsdesk.desk.login.ThrottledBackend"]
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW = 15 * 60
# Per-address limits key on the client behind these proxies (newsdesk/core/client_address.py).
_trusted_proxies = env.get("NEWSDESK_TRUSTED_PROXIES")
try:
    TRUSTED_PROXIES = [] if _trusted_proxies == "none" else parse_networks(_trusted_proxies)
except ValueError as error:
    raise env.ConfigError(f"NEWSDESK_TRUSTED_PROXIES: {error}") from None

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:story_list"
LOGOUT_REDIRECT_URL = "public:feed"

LANGUAGE_CODE = env.get("NEWSDESK_LANGUAGE").lower()
# The editions (newsdesk/core/editions.py): ((language, prefix), …), the one at / first.
EDITIONS = env.get_editions(LANGUAGE_CODE)
# Each with its English name where Django knows one (the desk's language menu shows it).
LANGUAGES = [
    (language, LANG_INFO.get(language, {}).get("name", language)) for language, _prefix in EDITIONS
]
# The reader interface's catalogues (newsdesk/locale/<language>/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.get("NEWSDESK_TIME_ZONE")
CLOCK_HOURS = env.get_clock_hours()  # newsdesk/public/times.py
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAX_UPLOAD_BYTES = env.get_int("NEWSDESK_MAX_UPLOAD_MB", minimum=1) * 1024 * 1024
# Django refuses larger request bodies before our own checks can say anything useful.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Behind https every plain-http request is sent to https (nginx usually does it first).
SECURE_SSL_REDIRECT = HTTPS
# HSTS preload is a permanent promise for the whole domain: the site owner's decision, not ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402  (settings need the constants, not Django set up)

from newsdesk.stories.embeds import PLAYER_ORIGINS  # noqa: E402  (plain data, no models)

EMBED_TIMEOUT = env.get_int("NEWSDESK_EMBED_TIMEOUT", minimum=1)
EMBED_ORIGIN = (env.url_origin(env.get("NEWSDESK_EMBED_ORIGIN")) or [""])[0]
if env.get("NEWSDESK_EMBED_ORIGIN") and not EMBED_ORIGIN:
    raise env.ConfigError(
        "NEWSDESK_EMBED_ORIGIN must be an http(s) origin such as http://127.0.0.1:8900."
    )

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # A logo on another host (NEWSDESK_SITE_LOGO) is the one image from elsewhere.
    "img-src": [CSP.SELF, "data:", *env.url_origin(SITE_LOGO)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Embeds load the platform's player in a frame, and only when the reader clicks.
    "frame-src": [CSP.SELF, *([EMBED_ORIGIN] if EMBED_ORIGIN else PLAYER_ORIGINS)],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

REDIS_URL = env.get("NEWSDESK_REDIS_URL")
LIVE_BUS = env.get("NEWSDESK_LIVE_BUS").lower()
if LIVE_BUS not in {"auto", "memory", "redis", "postgres"}:
    raise env.ConfigError(
        f"NEWSDESK_LIVE_BUS={LIVE_BUS!r} is not known: use auto, memory, redis or postgres."
    )
LIVE_POLL_SECONDS = env.get_int("NEWSDESK_LIVE_POLL_SECONDS", minimum=1)
LIVE_HEARTBEAT_SECONDS = 15
# A reader that reconnects after missing more than this many events is told to reload its list.
LIVE_REPLAY_LIMIT = 1000
# Events waiting for one slow reader before it is dropped (it reconnects and replays).
LIVE_QUEUE_SIZE = 256

# The push tier (newsdesk/live/push.py): "" (the built-in hub) or "pushpin".
PUSH = env.get("NEWSDESK_PUSH").lower()
if PUSH not in {"", "pushpin"}:
    raise env.ConfigError(
        f"NEWSDESK_PUSH={PUSH!r} is not known: use pushpin, or leave it empty for the built-in hub."
    )
PUSHPIN_PUBLISH_URL = env.get("NEWSDESK_PUSHPIN_PUBLISH_URL")

SCHEDULER_INTERVAL = env.get_int("NEWSDESK_SCHEDULER_INTERVAL", minimum=1)
SERVE_WORKERS = env.get_int("NEWSDESK_WORKERS", minimum=1)
DJANGO_THREADS = env.get_int("NEWSDESK_THREADS", minimum=1)
WEBSUB_HUB = env.get("NEWSDESK_WEBSUB_HUB")
PURGE_URL = env.get("NEWSDESK_PURGE_URL")  # newsdesk/cache/purge.py

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
