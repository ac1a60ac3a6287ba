"""Reading a WordPress export (WXR 1.0–1.2, Tools → Export) into records.

The file is read twice, streaming, never whole: first the site, its people, its terms and its
attachments (a post's featured image may come after the post), then the posts. 100,000 posts
therefore need the memory of one post at a time.

Safety: the standard library's XML parser (expat) resolves no external entity and limits entity
expansion; an export never has a document type declaration, so one is refused before parsing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from newsdesk.core.errors import InvalidInput
from newsdesk.imports.records import (
    AuthorRecord,
    Export,
    ImageRecord,
    PostRecord,
    Skipped,
    TopicRecord,
)

STATUSES = {
    "publish": "published",
    "draft": "draft",
    "pending": "draft",
    "auto-draft": "draft",
    "future": "scheduled",
    "private": "unpublished",
}
SKIPPED_TYPES = {
    "page": "pages",
    "attachment": "attachments",
    "nav_menu_item": "menu items",
    "revision": "revisions",
    "wp_block": "reusable blocks",
}
TOPIC_DOMAINS = {"category", "post_tag"}


def _local(tag: str) -> str:
    """`{https://wordpress.org/export/1.2/}post_id` → `post_id`; the excerpt's namespace
    shares `encoded` with content's, so it becomes `excerpt:encoded`."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        if namespace.rstrip("/").endswith("/excerpt"):
            return f"excerpt:{name}"
        return name
    return tag


def _check_no_doctype(path: Path) -> None:
    """Refuse a document type declaration: everything before the root element `<rss` is read
    (comments may be long, so up to 4 MB), and it must hold no `<!DOCTYPE` or `<!ENTITY`."""
    with path.open("rb") as file:
        head = file.read(4 * 1024 * 1024)
    root = head.find(b"<rss")
    if root < 0:
        raise InvalidInput(
            f"{path} is not a WordPress export (no <rss> element at its start). Export the site "
            "from Tools → Export → All content."
        )
    prolog = head[:root].upper()
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise InvalidInput(
            f"{path} declares a document type or entities, which a WordPress export never does; "
            "it was not read. Export the site again from Tools → Export."
        )


def _items(path: Path, wanted: set[str]) -> Iterator[tuple[str, ElementTree.Element]]:
    """The channel's children named in `wanted` (`item`, `author`, `category`, …), one at a
    time, each cleared once the caller is done with it."""
    depth = 0
    try:
        # S314: the file was checked for a DTD (`_check_no_doctype`); without one there is no
        # entity to expand, and ElementTree never fetches external ones (defusedxml's checks).
        events = ElementTree.iterparse(path, events=("start", "end"))  # noqa: S314
        for event, element in events:
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth == 2:  # rss > channel > this
                name = _local(element.tag)
                if name in wanted:
                    yield name, element
                element.clear()
            elif depth == 1:
                element.clear()
    except ElementTree.ParseError as error:
        raise InvalidInput(
            f"{path} is not a well-formed WordPress export ({error}). Export the site again, "
            "or repair the file at the line and column named."
        ) from None


def _fields(element: ElementTree.Element) -> dict[str, str]:
    """The element's children's texts by local name (the first of each)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(_local(child.tag), child.text or "")
    return found


def _meta(item: ElementTree.Element) -> dict[str, str]:
    meta = {}
    for child in item:
        if _local(child.tag) == "postmeta":
            fields = _fields(child)
            meta.setdefault(fields.get("meta_key", ""), fields.get("meta_value", ""))
    return meta


def _date(gmt: str, local: str) -> dt.datetime | None:
    for value in (gmt, local):
        value = (value or "").strip()
        if value and not value.startswith("0000"):
            try:
                return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
            except ValueError:
                continue
    return None


def _path_of(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class _Channel:
    """What the first pass learns."""

    def __init__(self) -> None:
        self.site = ""
        self.language = ""
        self.authors: dict[str, AuthorRecord] = {}
        self.topics: dict[str, TopicRecord] = {}
        self.images: dict[str, ImageRecord] = {}  # attachment id → image
        self.children: dict[str, list[str]] = {}  # post id → its attachments' ids
        self.posts = 0


def _first_pass(path: Path) -> _Channel:
    channel = _Channel()
    wanted = {"item", "author", "category", "tag", "base_blog_url", "link", "language"}
    for name, element in _items(path, wanted):
        if name in {"base_blog_url", "link"}:
            if name == "base_blog_url" or not channel.site:
                channel.site = (element.text or "").strip().rstrip("/")
        elif name == "language":
            channel.language = (element.text or "").strip()
        elif name == "author":
            f = _fields(element)
            login = f.get("author_login", "").strip()
            full = f"{f.get('author_first_name', '')} {f.get('author_last_name', '')}".strip()
            channel.authors[login] = AuthorRecord(
                source_id=login,
                name=(f.get("author_display_name") or full or login).strip(),
                slug=login,
                bio=(f.get("author_description") or "").strip(),
            )
        elif name == "category":
            f = _fields(element)
            slug = f.get("category_nicename", "").strip()
            _add_topic(channel, slug, f.get("cat_name", ""), f.get("category_description", ""))
        elif name == "tag":
            f = _fields(element)
            slug = f.get("tag_slug", "").strip()
            _add_topic(channel, slug, f.get("tag_name", ""), f.get("tag_description", ""))
        elif name == "item":
            f = _fields(element)
            kind = f.get("post_type", "")
            if kind == "attachment":
                meta = _meta(element)
                url = (f.get("attachment_url") or f.get("guid") or "").strip()
                channel.images[f.get("post_id", "")] = ImageRecord(
                    url=url,
                    alt=meta.get("_wp_attachment_image_alt", "").strip(),
                    caption=(f.get("excerpt:encoded") or "").strip(),
                )
                channel.children.setdefault(f.get("post_parent", "0"), []).append(
                    f.get("post_id", "")
                )
            elif kind == "post":
                channel.posts += 1
                _login(f.get("creator", ""), channel)
                for child in element:
                    if _local(child.tag) == "category":
                        domain = child.get("domain", "")
                        if domain in TOPIC_DOMAINS:
                            _add_topic(channel, child.get("nicename", ""), child.text or "", "")
    return channel


def _login(creator: str, channel: _Channel) -> str:
    """The author login a post names, as the export's author list spells it: stray brackets
    around it are dropped (seen in real exports), and an unlisted login becomes an author."""
    login = creator.strip()
    if login and login not in channel.authors:
        trimmed = login.strip("<> \t")
        if trimmed in channel.authors:
            return trimmed
        login = trimmed
        if login:
            channel.authors[login] = AuthorRecord(source_id=login, name=login, slug=login)
    return login


def _add_topic(channel: _Channel, slug: str, name: str, description: str) -> None:
    slug = slug.strip()
    name = (name or "").strip() or slug
    if slug and slug not in channel.topics:
        channel.topics[slug] = TopicRecord(
            source_id=slug, name=name, slug=slug, description=(description or "").strip()
        )


def read_wordpress(path: Path) -> Export:
    """The export at `path`, its posts streamed (see the module's docstring)."""
    path = Path(path)
    _check_no_doctype(path)
    channel = _first_pass(path)
    if not channel.site:
        raise InvalidInput(
            f"{path} has no site address (<wp:base_blog_url> or <link>): is it a WordPress "
            "export (WXR)? Export the site from Tools → Export → All content."
        )
    skipped = Skipped()
    export = Export(
        source="wordpress",
        site=channel.site,
        authors=list(channel.authors.values()),
        topics=list(channel.topics.values()),
        posts=None,
        skipped=skipped,
        images=channel.images,
        total=channel.posts,
    )
    export.posts = _posts(path, channel, skipped)
    return export


def _posts(path: Path, channel: _Channel, skipped: Skipped) -> Iterator[PostRecord]:
    for _name, item in _items(path, {"item"}):
        f = _fields(item)
        comments = sum(1 for child in item if _local(child.tag) == "comment")
        if comments:
            skipped.add("comments", comments)
        kind = f.get("post_type", "")
        if kind != "post":
            skipped.add(SKIPPED_TYPES.get(kind, f"{kind or 'untyped'} items"))
            continue
        status = f.get("status", "")
        if status == "trash":
            skipped.add("posts in the trash")
            continue
        if status not in STATUSES:
            skipped.add(f"posts with status “{status}”")
            continue
        yield _post(item, f, channel)


def _post(item: ElementTree.Element, f: dict[str, str], channel: _Channel) -> PostRecord:
    post_id = f.get("post_id", "").strip()
    meta = _meta(item)
    status = STATUSES[f["status"]]
    if f.get("post_password") and status == "published":
        status = "unpublished"  # readers needed a password: an editor decides to show it
    login = _login(f.get("creator", ""), channel)
    authors = [login] if login else []
    topics = []
    for child in item:
        if _local(child.tag) == "category" and child.get("domain") in TOPIC_DOMAINS:
            slug = child.get("nicename", "").strip()
            if slug and slug not in topics:
                topics.append(slug)
    featured = channel.images.get(meta.get("_thumbnail_id", "").strip())
    old_paths = []
    if f.get("link"):
        old_paths.append(_path_of(f["link"]))
    if post_id:
        old_paths.append(f"/?p={post_id}")
    content = expand_shortcodes(f.get("encoded", ""), channel, post_id)
    return PostRecord(
        source_id=post_id,
        title=(f.get("title") or "").strip(),
        slug=(f.get("post_name") or "").strip(),
        status=status,
        html=content,
        autop="<!-- wp:" not in content,
        excerpt=(f.get("excerpt:encoded") or "").strip(),
        published_at=_date(f.get("post_date_gmt", ""), f.get("post_date", "")),
        modified_at=_date(f.get("post_modified_gmt", ""), f.get("post_modified", "")),
        author_ids=authors,
        topic_ids=topics,
        featured_image=featured,
        old_paths=list(dict.fromkeys(p for p in old_paths if p not in {"", "/"})),
        language=channel.language,
    )


# ── shortcodes ───────────────────────────────────────────────────────────────────────────────

_CAPTION = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.S)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]")
_MEDIA = re.compile(r"\[(?:audio|video)([^\]]*)\](?:.*?\[/(?:audio|video)\])?", re.S)
_ATTR = re.compile(r"(\w+)=(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
_IMG_OR_LINK = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)


def _attrs(text: str) -> dict[str, str]:
    return {m[1]: m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(text)}


def expand_shortcodes(content: str, channel: _Channel, post_id: str) -> str:
    """WordPress's own shortcodes as the HTML they stand for: a captioned image as a figure,
    an embed as its address on a line, a gallery as its images. Others stay as written."""

    def caption(match: re.Match) -> str:
        found = _IMG_OR_LINK.match(match.group(2))
        if not found:
            return match.group(2)
        text = found.group(2).strip() or _attrs(match.group(1)).get("caption", "")
        return f"<figure>{found.group(1)}<figcaption>{text}</figcaption></figure>"

    def gallery(match: re.Match) -> str:
        ids = _attrs(match.group(1)).get("ids", "")
        chosen = [i.strip() for i in ids.split(",") if i.strip()] or channel.children.get(
            post_id, []
        )
        images = [channel.images[i] for i in chosen if i in channel.images]
        return "".join(
            f'<figure><img src="{_escape(i.url)}" alt="{_escape(i.alt)}">'
            + (f"<figcaption>{i.caption}</figcaption>" if i.caption else "")
            + "</figure>"
            for i in images
        )

    def media(match: re.Match) -> str:
        attrs = _attrs(match.group(1))
        src = next((v for k, v in attrs.items() if k in {"src", "mp3", "mp4", "m4a", "ogg"}), "")
        return f"\n\n<p>{src}</p>\n\n" if src else ""

    content = _CAPTION.sub(caption, content)
    content = _EMBED.sub(lambda m: f"\n\n<p>{m.group(1).strip()}</p>\n\n", content)
    content = _GALLERY.sub(gallery, content)
    return _MEDIA.sub(media, content)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
