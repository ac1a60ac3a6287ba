"""Reading a Ghost export (Settings → Advanced → Import/Export → Export content) into records.

A Ghost export is one JSON document: `{"db": [{"meta": {...}, "data": {"posts": [...],
"tags": [...], "users": [...], "posts_tags": [...], "posts_authors": [...], "posts_meta": [...],
"settings": [...]}}]}`. Post content is read from its `html` field, which Ghost renders from its
Lexical (Ghost 5+) or Mobiledoc (older) source and keeps beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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
    "published": "published",
    "draft": "draft",
    "scheduled": "scheduled",
    "sent": "unpublished",  # sent as a newsletter only, never on the site
}
GHOST_URL = "__GHOST_URL__"


def _date(value) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, (int, float)):  # Ghost 0.x exported milliseconds
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _data(path: Path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            f"{path} is not a Ghost export: it could not be read as JSON ({error})."
        ) from None
    try:
        data = document["db"][0]["data"]
    except (KeyError, IndexError, TypeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise InvalidInput(
            f"{path} is not a Ghost export: it has no db[0].data.posts. Export it from Ghost's "
            "Settings → Advanced → Import/Export → Export content."
        )
    return data


def _rows(data: dict, name: str) -> list[dict]:
    rows = data.get(name) or []
    return [row for row in rows if isinstance(row, dict)]


def read_ghost(path: Path) -> Export:
    data = _data(path)
    settings = {row.get("key"): row.get("value") for row in _rows(data, "settings")}
    site = str(settings.get("url") or settings.get("title") or "ghost").rstrip("/")
    language = str(settings.get("locale") or settings.get("lang") or "")
    authors = [
        AuthorRecord(
            source_id=str(user["id"]),
            name=str(user.get("name") or user.get("slug") or "Unnamed author").strip(),
            slug=str(user.get("slug") or ""),
            bio=str(user.get("bio") or "").strip(),
            avatar_url=str(user.get("profile_image") or ""),
        )
        for user in _rows(data, "users")
        if "id" in user
    ]
    skipped = Skipped()
    topics = []
    internal = set()
    for tag in _rows(data, "tags"):
        if "id" not in tag:
            continue
        if tag.get("visibility") == "internal" or str(tag.get("name", "")).startswith("#"):
            internal.add(str(tag["id"]))
            skipped.add("internal tags")
            continue
        topics.append(
            TopicRecord(
                source_id=str(tag["id"]),
                name=str(tag.get("name") or tag.get("slug") or "").strip(),
                slug=str(tag.get("slug") or ""),
                description=str(tag.get("description") or "").strip(),
            )
        )
    tags_of: dict[str, list[tuple[int, str]]] = {}
    for link in _rows(data, "posts_tags"):
        if str(link.get("tag_id")) not in internal:
            tags_of.setdefault(str(link.get("post_id")), []).append(
                (int(link.get("sort_order") or 0), str(link.get("tag_id")))
            )
    authors_of: dict[str, list[tuple[int, str]]] = {}
    for link in _rows(data, "posts_authors"):
        authors_of.setdefault(str(link.get("post_id")), []).append(
            (int(link.get("sort_order") or 0), str(link.get("author_id")))
        )
    meta = {str(row.get("post_id")): row for row in _rows(data, "posts_meta")}
    posts = []
    for post in _rows(data, "posts"):
        kind = post.get("type") or ("page" if post.get("page") else "post")
        if kind != "post":
            skipped.add("pages")
            continue
        status = STATUSES.get(str(post.get("status")))
        if status is None:
            skipped.add(f"posts with status “{post.get('status')}”")
            continue
        if status == "published" and post.get("visibility") not in (None, "public"):
            status = "unpublished"  # for members only: an editor decides to show it to all
        post_id = str(post.get("id"))
        extra = meta.get(post_id, {})
        feature = str(post.get("feature_image") or "")
        slug = str(post.get("slug") or "")
        authors_ids = [a for _, a in sorted(authors_of.get(post_id, []))]
        if not authors_ids and post.get("author_id"):
            authors_ids = [str(post["author_id"])]
        posts.append(
            PostRecord(
                source_id=post_id,
                title=str(post.get("title") or "").strip(),
                slug=slug,
                status=status,
                html=str(post.get("html") or ""),
                excerpt=str(post.get("custom_excerpt") or "").strip(),
                published_at=_date(post.get("published_at")),
                modified_at=_date(post.get("updated_at")),
                author_ids=authors_ids,
                topic_ids=[t for _, t in sorted(tags_of.get(post_id, []))],
                featured_image=ImageRecord(
                    url=feature,
                    alt=str(extra.get("feature_image_alt") or post.get("feature_image_alt") or ""),
                    caption=str(
                        extra.get("feature_image_caption")
                        or post.get("feature_image_caption")
                        or ""
                    ),
                )
                if feature
                else None,
                old_paths=[f"/{slug}/"] if slug else [],
                language=str(post.get("locale") or language or ""),
            )
        )
    return Export(
        source="ghost",
        site=site,
        authors=authors,
        topics=topics,
        posts=iter(posts),
        skipped=skipped,
        total=len(posts),
    )
