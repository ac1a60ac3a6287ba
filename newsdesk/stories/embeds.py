"""Embeds: a link alone on a line to a post or video on a known platform, shown as a card.

What a card says (the post's text or the video's title, its author and time) is gathered when the
story is saved, before the write's transaction opens, like the body's HTML: by the fetcher that a
layer allowed to go on the network hands down at start (`set_fetcher`; `media.embed_fetch`), or
typed by the editor when the platform told us nothing. It is stored twice, on purpose:

- as data on the story (`Story.embeds`), for the desk form and the API, and so a later save reuses
  it instead of asking the platform again;
- inside the stored body: the paragraph of the link becomes a marker holding the data and, as the
  marker's content, a fallback (the quote, its author and the link) that feeds, JSON Feed,
  search and any reader without JavaScript get as it is.

A reader page turns the marker into a card (`draw`): the quote, author, time and link, and a
button that loads the platform's player or post in a frame. Nothing is requested from the
platform (no script, frame or image) before that click. This module only knows the platforms'
addresses; it never opens a connection.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from html import escape, unescape
from urllib.parse import quote, urlsplit

from django.conf import settings

from newsdesk.core import memory
from newsdesk.core.errors import InvalidInput

EMBED_OPEN, EMBED_CLOSE = "<!--embed:", "<!--/embed-->"
# New links one save asks platforms about (each within NEWSDESK_EMBED_TIMEOUT): a body pasted
# with fifty links must not hold its writer for minutes. The rest are asked on the next saves.
MAX_ASKED_PER_SAVE = 5
MAX_TEXT = 1000
MAX_AUTHOR = 200
# Mastodon is many servers: only these are embedded (and fetched from), so a link to any other
# host stays a link and a body can never make the server fetch an address of its choosing.
MASTODON_HOSTS = (
    "mastodon.social", "mastodon.online", "mstdn.social", "mastodon.world", "fosstodon.org",
    "journa.host", "newsie.social", "mas.to", "hachyderm.io", "social.vivaldi.net",
)  # fmt: skip


@dataclass(frozen=True)
class Platform:
    """One platform: which links are its posts or videos, where to ask about them, where its
    player lives. `{…}` in the templates are named groups of `path` (and `url`, `host`)."""

    name: str
    label: str
    kind: str  # "video" or "post"
    hosts: tuple[str, ...]
    path: re.Pattern
    oembed: str  # "" when the platform has no open oEmbed endpoint: its page's metadata is read
    player: str


def _path(pattern: str) -> re.Pattern:
    return re.compile(pattern + r"/?$")


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "youtube", "YouTube", "video", ("www.youtube.com", "youtube.com", "m.youtube.com"),
        _path(r"/(?:watch\?v=|shorts/|live/)(?P<id>[\w-]{6,20})(?:&[^/]*)?"),
        "https://www.youtube.com/oembed?format=json&url={url}",
        "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
    ),
    Platform(
        "youtube", "YouTube", "video", ("youtu.be",), _path(r"/(?P<id>[\w-]{6,20})"),
        "https://www.youtube.com/oembed?format=json&url={url}",
        "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
    ),
    Platform(
        "vimeo", "Vimeo", "video", ("vimeo.com", "www.vimeo.com"), _path(r"/(?P<id>\d{3,12})"),
        "https://vimeo.com/api/oembed.json?url={url}",
        "https://player.vimeo.com/video/{id}?autoplay=1",
    ),
    Platform(
        "x", "X", "post", ("x.com", "twitter.com", "www.x.com", "www.twitter.com",
                           "mobile.twitter.com"),
        _path(r"/(?P<user>\w{1,15})/status/(?P<id>\d{1,25})"),
        "https://publish.twitter.com/oembed?omit_script=true&url={url}",
        "https://platform.twitter.com/embed/Tweet.html?id={id}",
    ),
    Platform(
        "telegram", "Telegram", "post", ("t.me",),
        _path(r"/(?P<channel>\w{4,64})/(?P<id>\d{1,12})"),
        "", "https://t.me/{channel}/{id}?embed=1",
    ),
    Platform(
        "mastodon", "Mastodon", "post", MASTODON_HOSTS,
        _path(r"/@(?P<user>\w{1,64})/(?P<id>\d{1,25})"),
        "https://{host}/api/oembed?url={url}", "https://{host}/@{user}/{id}/embed",
    ),
    Platform(
        "bluesky", "Bluesky", "post", ("bsky.app",),
        _path(r"/profile/(?P<user>[\w.:-]{3,253})/post/(?P<id>\w{6,20})"),
        "https://embed.bsky.app/oembed?url={url}", "",  # the player needs the post's DID: fetched
    ),
    Platform(
        "instagram", "Instagram", "post", ("www.instagram.com", "instagram.com"),
        _path(r"/(?P<type>p|reel|tv)/(?P<id>[\w-]{5,40})"),
        "", "https://www.instagram.com/{type}/{id}/embed",
    ),
    Platform(
        "facebook", "Facebook", "post", ("www.facebook.com", "facebook.com", "m.facebook.com"),
        _path(r"/(?:[\w.]{1,80}/(?:posts|videos)/[\w.]{1,80}|watch/?\?v=\d{1,25}|reel/\d{1,25})"),
        "", "https://www.facebook.com/plugins/post.php?href={url}",
    ),
)  # fmt: skip

# The frames a reader may load after a click (the Content-Security-Policy's frame-src).
PLAYER_ORIGINS: tuple[str, ...] = (
    "https://www.youtube-nocookie.com", "https://player.vimeo.com",
    "https://platform.twitter.com", "https://t.me", "https://embed.bsky.app",
    "https://www.instagram.com", "https://www.facebook.com",
    *(f"https://{host}" for host in MASTODON_HOSTS),
)  # fmt: skip


@dataclass(frozen=True)
class Link:
    """A platform link found alone on a line, with the parts of its address."""

    url: str
    platform: Platform
    parts: dict[str, str]

    def fill(self, template: str) -> str:
        return template.format(url=quote(self.url, safe=""), **self.parts)


@dataclass
class Embed:
    """What a card shows. `source` says where the words came from: "oembed", "page" (the
    page's OpenGraph metadata), "editor" (typed in the desk or sent through the API) or
    "none" (nothing could be fetched: the card is the link alone until someone adds words)."""

    url: str
    platform: str
    kind: str
    text: str = ""
    author: str = ""
    author_url: str = ""
    published: str = ""  # ISO 8601 date or time when the platform said, else ""
    player: str = ""
    source: str = "none"
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return platform_label(self.platform)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        return data


def platform_label(name: str) -> str:
    return next((p.label for p in PLATFORMS if p.name == name), name)


def find_link(url: str) -> Link | None:
    """The platform link `url` is, or None (another site, a profile, a search…)."""
    url = unescape(url.strip())
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.username or parts.password:
        return None
    try:
        if parts.port not in {None, 80, 443}:
            return None
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for platform in PLATFORMS:
        if host not in platform.hosts:
            continue
        match = platform.path.match(target) or platform.path.match(parts.path)
        if match:
            found = {k: v for k, v in match.groupdict().items() if v is not None}
            clean = f"https://{host}{target}"
            return Link(url=clean, platform=platform, parts={"host": host, **found})
    return None


def is_embed_url(url: str) -> bool:
    return find_link(url) is not None


def through_origin(url: str) -> str:
    """`url` as it is asked for: at the platform, or at `settings.EMBED_ORIGIN` (a stand-in in
    tests, or a proxy) as `ORIGIN/<host><path>?<query>`."""
    origin = getattr(settings, "EMBED_ORIGIN", "")
    if not origin:
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{origin}/{parts.hostname}{parts.path}{query}"


# ── Gathering the data at save time ─────────────────────────────────────────────────────────

Fetcher = Callable[[Link], "Embed | None"]
_fetcher: Fetcher | None = None


def set_fetcher(fetcher: Fetcher | None) -> None:
    """Handed down at start by the layer that may use the network (`media.apps`)."""
    global _fetcher
    _fetcher = fetcher


_LONE_LINK = re.compile(r'<p><a href="(?P<href>[^"]+)"[^>]*>(?P<text>[^<]*)</a></p>')


def links_in(body_html: str) -> list[Link]:
    """The platform links of a rendered body that stand alone in their paragraph, in order."""
    found: dict[str, Link] = {}
    for match in _LONE_LINK.finditer(body_html):
        link = find_link(match.group("href"))
        if link is not None and link.url not in found:
            found[link.url] = link
    return list(found.values())


def check_described(value) -> dict[str, dict[str, str]]:
    """Words typed for embeds (`[{"url", "text", "author"}]`), checked, by link address."""
    if value in (None, ""):
        return {}
    if not isinstance(value, list):
        raise InvalidInput(
            "embeds must be a list of {url, text, author}.", fields={"embeds": ["Not a list."]}
        )
    described: dict[str, dict[str, str]] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise InvalidInput(
                "Each embed needs the url of its link.", fields={"embeds": ["Missing url."]}
            )
        text, author = item.get("text") or "", item.get("author") or ""
        if not isinstance(text, str) or not isinstance(author, str):
            raise InvalidInput("An embed's text and author are text.", fields={"embeds": ["Text."]})
        if len(text) > MAX_TEXT or len(author) > MAX_AUTHOR:
            message = (
                f"An embed's text is at most {MAX_TEXT} characters and its author "
                f"{MAX_AUTHOR}: shorten it, the card links to the whole post."
            )
            raise InvalidInput(message, fields={"embeds": [message]})
        link = find_link(item["url"])
        if link is not None and (text.strip() or author.strip()):
            described[link.url] = {"text": text.strip(), "author": author.strip()}
    return described


def gather(
    body_html: str,
    *,
    known: Iterable[dict] = (),
    described: dict[str, dict[str, str]] | None = None,
    fetch: bool = True,
) -> list[Embed]:
    """The embeds of a rendered body: what the story already had for a link, else what the
    platform says (when `fetch` and a fetcher is set), with any words the editor typed on top.
    Network time happens here, so call it before a write's transaction opens."""
    have = {item["url"]: item for item in known if isinstance(item, dict) and "url" in item}
    described = described or {}
    embeds = []
    asked = 0
    for link in links_in(body_html):
        embed = None
        if link.url in have:
            embed = _from_dict(have[link.url])
        wanted = embed is None or embed.source == "none"
        if wanted and fetch and _fetcher is not None and asked < MAX_ASKED_PER_SAVE:
            asked += 1
            embed = _fetch_once(link) or embed
        if embed is None:
            embed = Embed(url=link.url, platform=link.platform.name, kind=link.platform.kind)
        if not embed.player and link.platform.player:
            embed.player = through_origin(link.fill(link.platform.player))
        words = described.get(link.url)
        if words and (words["text"], words["author"]) != (embed.text, embed.author):
            embed.text = words["text"] or embed.text
            embed.author = words["author"] or embed.author
            embed.source = "editor"
        embeds.append(embed)
    return embeds


def _fetch_once(link: Link) -> Embed | None:
    """The fetcher's answer, kept a minute per process (`core.memory`): a view that warmed it
    before its transaction (`warm`), or a second story linking the same post, asks no more."""
    key = ("embed-fetch", link.url)
    kept = memory.get(key)
    if kept is None:
        fetched = _fetcher(link)
        kept = fetched.as_dict() if fetched is not None else {}
        memory.set(key, kept)
    return _from_dict(kept) if kept else None


def has_candidates(source: str) -> bool:
    """Whether a Markdown source has a line that may be an embed (cheap: no rendering)."""
    return any("://" in line and is_embed_url(line.strip()) for line in source.splitlines())


def _from_dict(data: dict) -> Embed | None:
    try:
        return Embed(**{k: data[k] for k in Embed.__dataclass_fields__ if k in data})
    except TypeError:
        return None


# ── Drawing ──────────────────────────────────────────────────────────────────────────────────


def wrap(body_html: str, embeds: list[Embed]) -> str:
    """The body with each embed's paragraph replaced by a marker holding its data, around the
    fallback that readers without the card get."""
    if not embeds:
        return body_html
    by_url = {embed.url: embed for embed in embeds}

    def mark(match: re.Match) -> str:
        link = find_link(match.group("href"))
        embed = by_url.get(link.url) if link else None
        if embed is None:
            return match.group(0)
        data = base64.b64encode(json.dumps(embed.as_dict()).encode()).decode()
        return f"{EMBED_OPEN}{data}-->{fallback_html(embed)}{EMBED_CLOSE}"

    return _LONE_LINK.sub(mark, body_html)


def published_date(embed: Embed) -> dt.date | None:
    try:
        return dt.date.fromisoformat(embed.published[:10])
    except ValueError:
        return None


def byline(embed: Embed) -> str:
    """ "Author on Platform, 3 March 2026" (each part only when known)."""
    words = f"{embed.author} on {embed.label}" if embed.author else embed.label
    day = published_date(embed)
    return f"{words}, {day.day} {day:%B %Y}" if day else words


def fallback_html(embed: Embed) -> str:
    """The quote and its link: all a feed, JSON Feed, search or a reader without JavaScript
    needs, with nothing loaded from the platform."""
    link = f'<a href="{escape(embed.url)}" rel="noopener noreferrer">{escape(embed.url)}</a>'
    if not embed.text:
        who = escape(byline(embed))
        return f"<p>{who}: {link}</p>" if embed.author else f"<p>{link}</p>"
    return (
        f'<blockquote class="embed-quote"><p>{escape(embed.text)}</p>'
        f"<p>— {escape(byline(embed))}: {link}</p></blockquote>"
    )


_MARKED = re.compile(
    re.escape(EMBED_OPEN)
    + r"(?P<data>[A-Za-z0-9+/=]*)-->(?P<fallback>.*?)"
    + re.escape(EMBED_CLOSE),
    re.DOTALL,
)


def draw(body_html: str, card: Callable[[Embed], str] | None = None) -> str:
    """The stored body with its embed markers resolved: each drawn by `card` (reader pages),
    or its fallback when there is no `card` (feeds and every other machine)."""
    if EMBED_OPEN not in body_html:
        return body_html

    def replace(match: re.Match) -> str:
        if card is None:
            return match.group("fallback")
        try:
            embed = _from_dict(json.loads(base64.b64decode(match.group("data"))))
        except ValueError:
            embed = None
        if embed is None or find_link(embed.url) is None:
            return match.group("fallback")
        if urlsplit(embed.player).scheme not in {"http", "https"}:
            embed.player = ""  # only a web address may become a frame (a restored archive…)
        return card(embed)

    return _MARKED.sub(replace, body_html)
