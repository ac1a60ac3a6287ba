"""Agency formats → `ParsedItem`s: IPTC ninjs (1.x, 2.x and 3.x field names), NewsML-G2
(`newsItem`, `packageItem`, or a `newsMessage` carrying several) and RSS/Atom (feedparser).

Bodies become Markdown through the archive import's converter (`imports.html_markdown`); the
desk renders that Markdown with the stories' sanitiser, so nothing here has to be safe, only
faithful. XML with a DOCTYPE or entity declarations is refused before it is parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from xml.sax import SAXParseException

from django.utils.dateparse import parse_datetime

from newsdesk.core.errors import InvalidInput
from newsdesk.imports.html_markdown import escape_text, html_to_markdown
from newsdesk.stories.markdown import check_html_nesting

MAX_ITEM_BYTES = 2 * 1024 * 1024  # one pushed item
MAX_FEED_BYTES = 5 * 1024 * 1024  # one polled feed
HEADLINE_MAX = 500
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
G2 = "{http://iptc.org/std/nar/2006-10-01/}"


class WireFormatError(InvalidInput):
    """Input that is not an item we can read; the message says what is wrong with it."""


@dataclass
class ParsedItem:
    guid: str
    headline: str
    body: str = ""  # Markdown
    byline: str = ""
    version: int = 0
    version_at: dt.datetime | None = None
    urgency: int | None = None
    images: list[dict] = field(default_factory=list)
    link: str = ""
    raw_size: int = 0

    def fingerprint(self) -> str:
        content = [self.headline, self.body, self.byline, self.urgency, self.images, self.link]
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _date(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _http(url) -> str:
    return url if isinstance(url, str) and re.match(r"https?://", url) and len(url) <= 1000 else ""


def _html_markdown(fragment: str) -> str:
    """Markdown of an agency's HTML; markup nested deeper than a story body may be is refused
    first (one cheap pass), as converting it would take minutes."""
    try:
        check_html_nesting(fragment)
    except InvalidInput as error:
        raise WireFormatError(f"The item's text is too complex: {error.message}") from None
    return html_to_markdown(fragment)


def _text_markdown(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(escape_text(p) for p in paragraphs) + ("\n" if paragraphs else "")


def _headline(*candidates) -> str:
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return " ".join(candidate.split())[:HEADLINE_MAX]
    return "(no headline)"


def check_size(raw: bytes, limit: int = MAX_ITEM_BYTES) -> None:
    if len(raw) > limit:
        raise WireFormatError(
            f"The item is {len(raw):,} bytes; the limit is {limit:,}. Send items one at a time."
        )


# ── ninjs ────────────────────────────────────────────────────────────────────────────────────


def _get(data: dict, *names):
    """The first of a field's spellings that is present (2.x `versioncreated`, 3.x
    `versionCreated`)."""
    for name in names:
        if name in data:
            return data[name]
    return None


def _ninjs_images(data: dict) -> list[dict]:
    images = []

    def add(rendition: dict, caption: str = "") -> None:
        href = _http(rendition.get("href"))
        kind = str(_get(rendition, "contenttype", "contentType", "mimetype") or "")
        if href and (kind.startswith("image/") or not kind):
            images.append(
                {
                    "href": href,
                    "caption": caption[:500],
                    "width": _int(rendition.get("width")),
                    "height": _int(rendition.get("height")),
                }
            )

    def renditions_of(item: dict):
        renditions = item.get("renditions") or []
        if isinstance(renditions, dict):  # ninjs 1.x: keyed by name
            renditions = list(renditions.values())
        return [r for r in renditions if isinstance(r, dict)]

    if data.get("type") in ("picture", "graphic"):
        for rendition in renditions_of(data):
            add(rendition, _headline(*_ninjs_headlines(data), data.get("description_text")))
    associations = data.get("associations") or []
    if isinstance(associations, dict):
        associations = list(associations.values())
    for association in associations:
        if isinstance(association, dict) and association.get("type") in ("picture", "graphic"):
            caption = association.get("description_text") or association.get("headline") or ""
            for rendition in renditions_of(association):
                add(rendition, caption if isinstance(caption, str) else "")
    if not images:
        for rendition in renditions_of(data):
            add(rendition)
    return images[:20]


def _ninjs_headlines(data: dict) -> list[str]:
    found = []
    headlines = data.get("headlines")
    if isinstance(headlines, list):
        ordered = sorted(
            (h for h in headlines if isinstance(h, dict)),
            key=lambda h: h.get("role") not in ("main", "simple", None),
        )
        found += [h.get("value") for h in ordered]
    found += [data.get("headline"), data.get("title")]
    return found


def _ninjs_body(data: dict) -> str:
    bodies = data.get("bodies")
    html_body = text_body = None
    if isinstance(bodies, list):
        for body in bodies:
            if not isinstance(body, dict) or not isinstance(body.get("value"), str):
                continue
            kind = str(_get(body, "contenttype", "contentType") or "").lower()
            if "html" in kind or body.get("role") == "richtext":
                html_body = html_body or body["value"]
            else:
                text_body = text_body or body["value"]
    html_body = html_body or data.get("body_html")
    text_body = text_body or data.get("body_text")
    if isinstance(html_body, str) and html_body.strip():
        return _html_markdown(html_body)
    if isinstance(text_body, str):
        return _text_markdown(text_body)
    return ""


def _ninjs_byline(data: dict) -> str:
    by = data.get("by")
    if isinstance(by, str):
        return by[:300]
    people = data.get("bylines") or data.get("authors") or []
    if isinstance(people, list):
        names = [p.get("byline") or p.get("name") for p in people if isinstance(p, dict)]
        return ", ".join(n for n in names if isinstance(n, str))[:300]
    return ""


def parse_ninjs(raw: bytes) -> list[ParsedItem]:
    """One ninjs item (a JSON object with a `uri`), or a JSON array of them."""
    check_size(raw)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise WireFormatError(f"This is not well-formed JSON ({error}).") from None
    except RecursionError:
        raise WireFormatError("The JSON is nested too deeply to be a news item.") from None
    documents = data if isinstance(data, list) else [data]
    if not documents:
        raise WireFormatError("The JSON array is empty: send at least one ninjs item.")
    items = []
    for document in documents:
        if not isinstance(document, dict) or not isinstance(document.get("uri"), str):
            raise WireFormatError(
                "This is not a ninjs item: a ninjs item is a JSON object with a 'uri' string."
            )
        items.append(
            ParsedItem(
                guid=document["uri"][:500],
                headline=_headline(*_ninjs_headlines(document), document["uri"]),
                body=_ninjs_body(document),
                byline=_ninjs_byline(document),
                version=_int(document.get("version")) or 0,
                version_at=_date(_get(document, "versioncreated", "versionCreated")),
                urgency=_urgency(document.get("urgency")),
                images=_ninjs_images(document),
                raw_size=len(raw) // len(documents),
            )
        )
    return items


def _urgency(value) -> int | None:
    number = _int(value)
    return number if number is not None and 0 <= number <= 9 else None


# ── NewsML-G2 ────────────────────────────────────────────────────────────────────────────────


def parse_xml(raw: bytes):
    """An lxml tree of `raw`, refusing DTDs and entities (no expansion, no network)."""
    from lxml import etree

    if _DOCTYPE.search(raw):
        raise WireFormatError(
            "XML with a DOCTYPE or entity declarations is refused; send the item without one."
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise WireFormatError(f"This is not well-formed XML ({error}).") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _inner_html(element) -> str:
    """The children of an XHTML/NITF element as plain HTML (namespaces dropped)."""
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(html.escape(child.tail or "", quote=False))
            continue
        attrs = "".join(
            f' {_local(k)}="{html.escape(v)}"'
            for k, v in child.attrib.items()
            if _local(k) in ("href", "src", "alt", "title")
        )
        tag = _local(child.tag)
        tag = {"hl1": "h2", "hl2": "h3", "block": "div", "media-caption": "p"}.get(tag, tag)
        parts.append(f"<{tag}{attrs}>{_inner_html(child)}</{tag}>")
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _g2_text(item, path: str) -> str:
    found = item.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


def _g2_body(item) -> str:
    for inline in item.iter(f"{G2}inlineXML"):
        for element in inline.iter():
            if _local(element.tag) in ("body.content", "body") and _local(element.tag) != "nitf":
                if _local(element.tag) == "body" and element.find(".//{*}body.content") is not None:
                    continue
                return _html_markdown(_inner_html(element))
    for inline in item.iter(f"{G2}inlineData"):
        return _text_markdown(inline.text or "")
    return ""


def _g2_images(item) -> list[dict]:
    images = []
    caption = _g2_text(item, f"{G2}contentMeta/{G2}description") or _g2_text(
        item, f"{G2}contentMeta/{G2}headline"
    )
    for remote in item.iter(f"{G2}remoteContent"):
        ref = remote.get("href") or ""
        kind = remote.get("contenttype", "")
        if ref and kind.startswith("image/"):
            images.append(
                {
                    "href": _http(ref),  # "" for a file sent beside the item: named, not shown
                    "ref": ref[:300],
                    "caption": caption[:500],
                    "width": _int(remote.get("width")),
                    "height": _int(remote.get("height")),
                }
            )
    return images[:20]


def _g2_item(item, size: int) -> ParsedItem:
    guid = item.get("guid")
    if not guid:
        raise WireFormatError("A NewsML-G2 item has no 'guid' attribute.")
    meta, content = f"{G2}itemMeta/", f"{G2}contentMeta/"
    creators = [
        _g2_text(creator, f"{G2}name") for creator in item.iterfind(f"{content}{G2}creator")
    ]
    return ParsedItem(
        guid=guid[:500],
        headline=_headline(
            _g2_text(item, f"{content}{G2}headline"),
            _g2_text(item, f"{meta}{G2}title"),
            _g2_text(item, f"{content}{G2}slugline"),
            guid,
        ),
        body=_g2_body(item),
        byline=", ".join(c for c in creators if c)[:300],
        version=_int(item.get("version")) or 0,
        version_at=_date(_g2_text(item, f"{meta}{G2}versionCreated")),
        urgency=_urgency(_g2_text(item, f"{content}{G2}urgency")),
        images=_g2_images(item),
        raw_size=size,
    )


ITEM_TAGS = {"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"}


def parse_newsml(raw: bytes) -> list[ParsedItem]:
    """A NewsML-G2 item, or a `newsMessage` with items in its `itemSet`."""
    check_size(raw)
    root = parse_xml(raw)
    if root.tag == f"{G2}newsMessage":
        items = [child for child in root.iter() if _local(child.tag) in ITEM_TAGS]
    elif root.tag.startswith(G2) and _local(root.tag) in ITEM_TAGS:
        items = [root]
    else:
        raise WireFormatError(
            f"This XML is not a NewsML-G2 item (its root is <{_local(root.tag)}>): send a "
            "newsItem, packageItem or newsMessage in the namespace http://iptc.org/std/nar/"
            "2006-10-01/."
        )
    if not items:
        raise WireFormatError("This newsMessage carries no items.")
    return [_g2_item(item, len(raw) // len(items)) for item in items]


# ── RSS / Atom ───────────────────────────────────────────────────────────────────────────────


def _struct_time(value) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime(*value[:6], tzinfo=dt.UTC)


def parse_feed(raw: bytes) -> list[ParsedItem]:
    """The entries of an RSS or Atom feed. A feed feedparser cannot read at all is an error; a
    feed with a small flaw it recovers from (feedparser's `bozo`) is read."""
    import feedparser

    check_size(raw, MAX_FEED_BYTES)
    if _DOCTYPE.search(raw) and re.search(rb"<!\s*ENTITY", raw, re.IGNORECASE):
        raise WireFormatError("Feeds with entity declarations are refused.")
    parsed = feedparser.parse(raw)
    if parsed.get("bozo") and isinstance(parsed.get("bozo_exception"), SAXParseException):
        raise WireFormatError(f"The feed is not well-formed XML ({parsed.bozo_exception}).")
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise WireFormatError(f"This is not an RSS or Atom feed ({reason}).")
    items = []
    for entry in parsed.entries:
        guid = entry.get("id") or entry.get("link") or entry.get("title")
        if not guid:
            continue
        content = entry.get("content") or []
        body_html = content[0].get("value") if content else entry.get("summary", "")
        images = []
        for media in (entry.get("media_content") or []) + (entry.get("enclosures") or []):
            href = _http(media.get("url") or media.get("href"))
            if href and str(media.get("type", "image/")).startswith("image/"):
                images.append({"href": href, "caption": "", "width": None, "height": None})
        items.append(
            ParsedItem(
                guid=str(guid)[:500],
                headline=_headline(entry.get("title"), guid),
                body=_html_markdown(body_html or ""),
                byline=str(entry.get("author", ""))[:300],
                version_at=_struct_time(entry.get("updated_parsed"))
                or _struct_time(entry.get("published_parsed")),
                images=images[:20],
                link=_http(entry.get("link")),
                raw_size=len(raw) // max(1, len(parsed.entries)),
            )
        )
    return items


def _bounded(parse, raw: bytes) -> list[ParsedItem]:
    """`parse(raw)`, with markup nested past Python's recursion limit refused, not a crash."""
    try:
        return parse(raw)
    except RecursionError:
        raise WireFormatError("The item's markup is nested too deeply to be read.") from None


def parse_feed_bytes(raw: bytes) -> list[ParsedItem]:
    return _bounded(parse_feed, raw)


def parse_pushed(raw: bytes, content_type: str) -> list[ParsedItem]:
    """A pushed body, by its Content-Type: JSON is ninjs, XML is NewsML-G2."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/json", "application/ninjs+json") or kind.endswith("+json"):
        return _bounded(parse_ninjs, raw)
    if kind in ("application/xml", "text/xml") or kind.endswith("+xml"):
        return _bounded(parse_newsml, raw)
    raise WireFormatError(
        f"Unknown item format {kind or '(no Content-Type)'!r}: send ninjs as application/json "
        "or NewsML-G2 as application/xml."
    )
