"""Asking a platform what a linked post or video says: its oEmbed answer, else the page's
OpenGraph metadata. Called at save time, before the write's transaction opens
(`stories.embeds.gather`, which `media.apps` hands this fetcher to).

Only the platforms' own hosts are asked (or `NEWSDESK_EMBED_ORIGIN`, a stand-in): the address
is built from the platform table, never taken from the body, and a redirect anywhere else is
not followed, so a story cannot make the server fetch an address of its choosing. Every request
has a short timeout (`NEWSDESK_EMBED_TIMEOUT`) and reads at most `MAX_BYTES`; any failure
means "the platform told us nothing", never an error for the editor, who can type the words.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import urllib.error
import urllib.request
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

from newsdesk.stories import embeds
from newsdesk.stories.embeds import MAX_AUTHOR, MAX_TEXT, Embed, Link, through_origin

MAX_BYTES = 512 * 1024
MIN_SECONDS = 0.2  # less time than this left: not worth a request
USER_AGENT = "Newsdesk embeds (+https://github.com/newsdesk)"
_API_HOSTS = {"publish.twitter.com", "embed.bsky.app"}

log = logging.getLogger(__name__)


def allowed_hosts() -> set[str]:
    hosts = set(_API_HOSTS)
    for platform in embeds.PLATFORMS:
        hosts.update(platform.hosts)
    return hosts


class _Refused(Exception):
    pass


class _SameHostsRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a platform host (or within the stand-in origin)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _allowed(newurl):
            raise _Refused(f"redirect to {newurl} refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    origin = settings.EMBED_ORIGIN
    if origin:
        return url.startswith(origin + "/")
    return parts.scheme == "https" and (parts.hostname or "") in allowed_hosts()


_opener = urllib.request.build_opener(_SameHostsRedirects)


def _get(url: str, accept: str, timeout: float) -> str | None:
    address = through_origin(url)
    if not _allowed(address) or timeout < MIN_SECONDS:
        return None
    # Only http(s) addresses of the platform table or the stand-in pass `_allowed`.
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    request = urllib.request.Request(address, headers=headers)  # noqa: S310
    try:
        with _opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                return None
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError, _Refused, urllib.error.URLError) as error:
        log.info("embed fetch of %s failed: %s", address, error)
        return None
    if len(data) > MAX_BYTES:
        return None
    return data.decode("utf-8", "replace")


def fetch(link: Link) -> Embed | None:
    """What the platform says about `link` (None when it said nothing usable)."""
    platform = link.platform
    embed = Embed(url=link.url, platform=platform.name, kind=platform.kind)
    deadline = time.monotonic() + settings.EMBED_TIMEOUT  # both requests share the timeout
    if platform.oembed:
        answer = _get(link.fill(platform.oembed), "application/json", settings.EMBED_TIMEOUT)
        _read_oembed(embed, answer)
    if not embed.text:
        _read_page(embed, _get(link.url, "text/html", deadline - time.monotonic()))
    if not embed.text and not embed.author:
        return None
    embed.text = embed.text[:MAX_TEXT]
    embed.author = embed.author[:MAX_AUTHOR]
    return embed


def _read_oembed(embed: Embed, answer: str | None) -> None:
    try:
        data = json.loads(answer) if answer else None
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    text = _text(data.get("title"))
    quoted = _Quote.of(data.get("html"))
    if quoted.text:
        text = quoted.text
        embed.published = embed.published or _date_of(quoted.date)
    if quoted.at_uri:
        embed.player = through_origin(f"https://embed.bsky.app/embed/{quoted.at_uri[5:]}")
    embed.text = text
    embed.author = _text(data.get("author_name"))
    author_url = _text(data.get("author_url"))
    embed.author_url = author_url if author_url.startswith("https://") else ""
    embed.published = embed.published or _date_of(_text(data.get("upload_date")))
    if embed.text or embed.author:
        embed.source = "oembed"


def _read_page(embed: Embed, page: str | None) -> None:
    if not page:
        return
    meta = _Meta.of(page)
    title, description = meta.get("og:title", ""), meta.get("og:description", "")
    if description:
        embed.text, embed.author = description, embed.author or title
    else:
        embed.text = title
    embed.published = embed.published or _date_of(meta.get("article:published_time", ""))
    if embed.text:
        embed.source = "page"


def _text(value) -> str:
    return re.sub(r"\s+", " ", unescape(value)).strip() if isinstance(value, str) else ""


_AT_URI = re.compile(r"at://did:[\w:.%-]+/app\.bsky\.feed\.post/\w+")
_MONTH_DATE = re.compile(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})")


def _date_of(value: str) -> str:
    """An ISO date from what platforms write ("2026-03-03T10:00:00Z", "March 3, 2026")."""
    value = (value or "").strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    match = _MONTH_DATE.search(value)
    if match:
        try:
            return dt.datetime.strptime(" ".join(match.groups()), "%B %d %Y").date().isoformat()
        except ValueError:
            return ""
    return ""


class _Meta(HTMLParser):
    """The <meta property="og:…" content="…"> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    @classmethod
    def of(cls, page: str) -> dict[str, str]:
        parser = cls()
        parser.feed(page)
        return parser.found

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name") or ""
        if key.startswith(("og:", "article:")) and key not in self.found:
            self.found[key] = _text(attrs.get("content"))


class _Quote(HTMLParser):
    """The words of an oEmbed blockquote (X, Bluesky): its first paragraph, the date of its
    last link, and Bluesky's `data-bluesky-uri` (the player needs the post's DID)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.in_p = 0
        self.done = False
        self.in_a = False
        self.date = ""
        self.at_uri = ""

    @classmethod
    def of(cls, html) -> _Quote:
        parser = cls()
        if isinstance(html, str):
            parser.feed(html)
        return parser

    @property
    def text(self) -> str:
        return _text(" ".join(self.parts))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        uri = attrs.get("data-bluesky-uri") or ""
        if tag == "blockquote" and _AT_URI.fullmatch(uri):
            self.at_uri = uri
        if tag == "p" and not self.done:
            self.in_p += 1
        if tag == "br" and self.in_p:
            self.parts.append(" ")
        if tag == "a" and not self.in_p:
            self.in_a = True

    def handle_endtag(self, tag):
        if tag == "p" and self.in_p:
            self.in_p -= 1
            self.done = self.done or not self.in_p
        if tag == "a":
            self.in_a = False

    def handle_data(self, data):
        if self.in_p:
            self.parts.append(data)
        elif self.in_a and self.done:
            self.date = data.strip()
