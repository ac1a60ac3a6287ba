"""One import from start to end: read the export, write authors and topics, then the posts in
batches (one transaction each), printing progress; at the end, a summary of what was created,
updated, skipped and why.

Stopping (Ctrl-C) loses at most the batch being written; running the same command again goes on
where it stopped, because every written post is found again by its source id and an unchanged
one is passed over without rendering it.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from newsdesk.core.errors import InvalidInput
from newsdesk.core.validation import max_length, replace_xml_illegal
from newsdesk.imports import actions
from newsdesk.imports.ghost import read_ghost
from newsdesk.imports.html_markdown import html_to_markdown
from newsdesk.imports.models import ItemKind, SourceItem
from newsdesk.imports.records import Export, ImageRecord, PostRecord
from newsdesk.imports.wordpress import read_wordpress
from newsdesk.media.actions import do_upload_image
from newsdesk.stories.markdown import prepare_body
from newsdesk.stories.models import Image, Story

READERS = {"wordpress": read_wordpress, "ghost": read_ghost}
BATCH_SIZE = 200
PROGRESS_SECONDS = 5.0
_MAX_BODY = max_length(Story, "body")
_MAX_HEADLINE = max_length(Story, "headline")
_MAX_SUMMARY = max_length(Story, "summary")


@dataclass
class Summary:
    source: str
    site: str
    posts_seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    redirects: int = 0
    catalogue: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    not_written: list[str] = field(default_factory=list)
    images_imported: int = 0
    images_missing: dict[str, list[str]] = field(default_factory=dict)  # file → posts
    images_refused: dict[str, str] = field(default_factory=dict)  # file → why
    stopped: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        label = actions.LABELS.get(self.source, self.source)
        rate = self.posts_seen / self.seconds if self.seconds else 0
        out = [
            f"{'Stopped' if self.stopped else 'Imported'} from {label} ({self.site}) in "
            f"{_duration(self.seconds)} ({rate:,.0f} posts/s).",
            f"  stories: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged (imported before), {len(self.not_written)} not written",
            "  " + ", ".join(f"{n} {what}" for what, n in self.catalogue.items()),
            f"  redirects: {self.redirects} old addresses added",
            f"  images: {self.images_imported} imported, {len(self.images_missing)} missing, "
            f"{len(self.images_refused)} refused",
        ]
        if self.skipped:
            skipped = ", ".join(f"{n} {what}" for what, n in sorted(self.skipped.items()))
            out.append(f"  skipped (not stories): {skipped}")
        for line in self.not_written:
            out.append(f"  not written: {line}")
        for name, posts in sorted(self.images_missing.items()):
            more = f" and {len(posts) - 5} more" if len(posts) > 5 else ""
            out.append(f"  missing image: {name} (in post {', '.join(posts[:5])}{more})")
        for name, why in sorted(self.images_refused.items()):
            out.append(f"  refused image: {name}: {why}")
        if self.stopped:
            out.append(
                "  Run the same command again to go on: imported posts are recognised and "
                "passed over."
            )
        return out


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class MediaFolder:
    """Finds the file behind an old image address in the uploads folder given with --media
    (WordPress's `wp-content/uploads`, Ghost's `content/images`), stores it once as an Image,
    and remembers which were missing."""

    _DATED = re.compile(r"(\d{4}/\d{2}/[^/]+)$")
    _SIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
    _MARKERS = ("/wp-content/uploads/", "/content/images/", "/files/")

    def __init__(self, root: Path | None, user, source: str, site: str, summary: Summary):
        self.root, self.user, self.source, self.site = root, user, source, site
        self.summary = summary
        self.done: dict[str, Image | None] = {}
        self._imported: dict[str, int] | None = None  # earlier runs' images, by file

    def relative(self, url: str) -> str | None:
        """The file's path under the uploads folder, or None for an address not from there."""
        path = unquote(urlsplit(url.replace("__GHOST_URL__", "")).path)
        for marker in self._MARKERS:
            if marker in path:
                rest = path.split(marker, 1)[1]
                return re.sub(r"^size/w\d+/", "", rest)
        match = self._DATED.search(path)
        if match and re.search(r"\.(jpe?g|png|gif|webp)$", path, re.I):
            return match.group(1)
        return None

    def image(self, url: str, *, alt: str, caption: str, post: str) -> Image | None:
        relative = self.relative(url)
        if relative is None:
            return None
        # One file, one image, whichever of its sizes (name-640x400.jpg) a post names.
        file = self._file(relative)
        key = file.relative_to(self.root.resolve()).as_posix() if file else relative
        if key in self.done:
            image = self.done[key]
            posts = self.summary.images_missing.get(key)
            if image is None and posts is not None and post not in posts:
                posts.append(post)
            return image
        image = self._known(key)
        if image is None:
            if file is None:
                self.summary.images_missing[key] = [post]
            else:
                image = self._store(file, key, alt, caption)
        self.done[key] = image
        return image

    def _known(self, key: str) -> Image | None:
        if self._imported is None:  # one query for all, not one per image
            rows = SourceItem.objects.filter(
                source=self.source, site=self.site, kind=ItemKind.IMAGE
            ).values_list("source_id", "object_id")
            self._imported = dict(rows)
        image_id = self._imported.get(key[:200])
        return Image.objects.filter(pk=image_id).first() if image_id else None

    def _file(self, relative: str) -> Path | None:
        if self.root is None:
            return None
        root = self.root.resolve()
        for candidate in dict.fromkeys([relative, self._SIZED.sub("", relative)]):
            path = (root / candidate).resolve()
            if path.is_relative_to(root) and path.is_file():
                return path
        return None

    def _store(self, path: Path, key: str, alt: str, caption: str) -> Image | None:
        words = replace_xml_illegal(alt or Path(key).stem.replace("-", " ").replace("_", " "))
        try:
            image = do_upload_image(
                self.user,
                path.read_bytes(),
                alt_text=words[: max_length(Image, "alt_text")],
                caption=replace_xml_illegal(_plain(caption))[: max_length(Image, "caption")],
            )
        except InvalidInput as error:
            self.summary.images_refused[key] = error.message
            return None
        SourceItem.objects.update_or_create(
            source=self.source,
            site=self.site,
            kind=ItemKind.IMAGE,
            source_id=key[:200],
            defaults={"object_id": image.pk},
        )
        self.summary.images_imported += 1
        return image


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", fragment or ""))).strip()


def prepare(post: PostRecord, media: MediaFolder) -> actions.PreparedPost:
    """Clean a post's fields, store its images, render its body (raises InvalidInput)."""

    lead = None
    if post.featured_image is not None:  # first: its alt text and caption are the best
        featured: ImageRecord = post.featured_image
        lead = media.image(
            featured.url, alt=featured.alt, caption=featured.caption, post=post.source_id
        )

    def image_url(src: str, alt: str) -> str | None:
        image = media.image(src, alt=alt, caption="", post=post.source_id)
        return image.url if image else None

    markdown = html_to_markdown(post.html.replace("__GHOST_URL__", ""), image_url, autop=post.autop)
    markdown = replace_xml_illegal(markdown.replace("\x00", ""))
    if len(markdown) > _MAX_BODY:
        raise InvalidInput(f"its body is longer than {_MAX_BODY:,} characters")
    body = prepare_body(markdown, site_url=settings.SITE_URL)
    headline = replace_xml_illegal(_plain(post.title))[:_MAX_HEADLINE].strip()
    if not headline:
        headline = (body.text[:80].rsplit(" ", 1)[0] if body.text else "") or "Untitled"
    summary = replace_xml_illegal(_plain(post.excerpt))[:_MAX_SUMMARY]
    return actions.PreparedPost(
        record=post,
        headline=headline,
        summary=summary,
        body=body,
        lead_image_id=lead.pk if lead else None,
        fingerprint=post.fingerprint(),
    )


def _batches(posts: Iterator[PostRecord], size: int) -> Iterator[list[PostRecord]]:
    batch: list[PostRecord] = []
    for post in posts:
        batch.append(post)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_import(
    source: str,
    path: Path,
    *,
    user,
    media: Path | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] = print,
    progress_seconds: float = PROGRESS_SECONDS,
) -> Summary:
    """Import an export file; see the module's docstring. Ctrl-C stops after the batch being
    written is rolled back, and the summary says so."""
    actions.check_can_import(user)
    if media is not None and not Path(media).is_dir():
        raise InvalidInput(f"--media {media} is not a folder (give the uploads folder).")
    export: Export = READERS[source](Path(path))
    summary = Summary(source=source, site=export.site)
    started = time.monotonic()
    author_ids, topic_ids, summary.catalogue = actions.do_import_catalogue(
        user, source=source, site=export.site, authors=export.authors, topics=export.topics
    )
    folder = MediaFolder(Path(media) if media else None, user, source, export.site, summary)
    last_report = started
    total = export.total
    try:
        for batch in _batches(export.posts, batch_size):
            known = actions.known_items(
                source, export.site, ItemKind.POST, [p.source_id for p in batch]
            )
            prepared = []
            for post in batch:
                item = known.get(post.source_id)
                if item is not None and item.fingerprint == post.fingerprint():
                    summary.unchanged += 1  # imported before, the same: nothing to render
                    continue
                try:
                    prepared.append(prepare(post, folder))
                except InvalidInput as error:
                    summary.not_written.append(
                        f"post {post.source_id} “{_plain(post.title)[:60]}”: {error.message}"
                    )
            if prepared:
                result = actions.do_import_batch(
                    user,
                    source=source,
                    site=export.site,
                    posts=prepared,
                    author_ids=author_ids,
                    topic_ids=topic_ids,
                )
                summary.created += result.created
                summary.updated += result.updated
                summary.unchanged += result.unchanged
                summary.redirects += result.redirects
                summary.not_written.extend(result.not_written)
            summary.posts_seen += len(batch)
            now = time.monotonic()
            if now - last_report >= progress_seconds:
                last_report = now
                progress(_progress_line(summary.posts_seen, total, now - started))
    except KeyboardInterrupt:
        summary.stopped = True
    summary.skipped = dict(export.skipped.counts)
    summary.seconds = time.monotonic() - started
    return summary


def _progress_line(done: int, total: int | None, elapsed: float) -> str:
    rate = done / elapsed if elapsed else 0
    line = f"  {done:,} posts"
    if total:
        line += f" of {total:,}"
    line += f" · {rate:,.0f} posts/s"
    if total and rate:
        line += f" · about {_duration((total - done) / rate)} left"
    return line
