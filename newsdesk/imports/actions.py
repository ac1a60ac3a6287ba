"""The writes of an import, and of the redirects editors keep: permission first, one transaction
per call (a batch of posts is one transaction, so a stopped import loses at most the batch it
was writing, and a resumed one finds every committed post by its source id).

Bodies are rendered and images stored before a batch's transaction opens (`runner`); the
transaction only writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.core.validation import FieldChecker, base_slug, replace_xml_illegal
from newsdesk.imports.models import ItemKind, Redirect, SourceItem
from newsdesk.imports.records import AuthorRecord, PostRecord, TopicRecord
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    record_event,
    record_revision,
    unique_slug,
)
from newsdesk.stories.markdown import RenderedBody
from newsdesk.stories.models import (
    Author,
    EventKind,
    Status,
    Story,
    StoryAuthor,
    Topic,
)
from newsdesk.stories.reading_time import count_words
from newsdesk.stories.signals import catalogue_saved

LABELS = {"wordpress": "WordPress", "ghost": "Ghost"}


def check_can_import(user) -> None:
    """An import publishes and files stories under authors and topics: an editor's work."""
    permissions.check_can_publish(user)
    permissions.check_can_manage_authors_and_topics(user)


@dataclass
class PreparedPost:
    """A post ready to write: its fields cleaned and its body rendered (outside any lock)."""

    record: PostRecord
    headline: str
    summary: str
    body: RenderedBody
    lead_image_id: int | None
    fingerprint: str


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    redirects: int = 0
    not_written: list[str] = field(default_factory=list)  # "post 12 “Title”: why"


def _items(source: str, site: str, kind: str, ids) -> dict[str, SourceItem]:
    rows = SourceItem.objects.filter(source=source, site=site, kind=kind, source_id__in=ids)
    return {row.source_id: row for row in rows}


def known_items(source: str, site: str, kind: str, ids) -> dict[str, SourceItem]:
    """What earlier runs of this import wrote for these source ids."""
    return _items(source, site, kind, list(ids))


def do_import_catalogue(
    user, *, source: str, site: str, authors: list[AuthorRecord], topics: list[TopicRecord]
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Authors and topics of an export, created once and renamed when the export renamed them.

    Returns (author ids by source id, topic ids by source id, counts of created and updated)."""
    check_can_import(user)
    counts = {"authors created": 0, "authors updated": 0, "topics created": 0, "topics updated": 0}
    with transaction.atomic():
        author_ids = _catalogue(
            user, source, site, ItemKind.AUTHOR, Author, authors, counts, "authors"
        )
        topic_ids = _catalogue(user, source, site, ItemKind.TOPIC, Topic, topics, counts, "topics")
    return author_ids, topic_ids, counts


def _catalogue(user, source, site, kind, model, records, counts, label) -> dict[str, int]:
    known = _items(source, site, kind, [r.source_id for r in records])
    existing = model.objects.in_bulk([row.object_id for row in known.values()])
    ids: dict[str, int] = {}
    for record in records:
        name = replace_xml_illegal(record.name)[: model._meta.get_field("name").max_length]
        name = name.strip() or record.slug or "Unnamed"
        text_field = "bio" if model is Author else "description"
        text = replace_xml_illegal(getattr(record, text_field, "") or "")
        text = text[: model._meta.get_field(text_field).max_length]
        item = known.get(record.source_id)
        row = existing.get(item.object_id) if item else None
        if row is None:
            slug_source = record.slug or name
            row = model(name=name, **{text_field: text})
            row.slug = unique_slug(model, base_slug(slug_source, label[:-1], model))
            row.save()
            catalogue_saved.send(sender=model, instance=row, renamed=False)
            SourceItem.objects.update_or_create(
                source=source,
                site=site,
                kind=kind,
                source_id=record.source_id,
                defaults={"object_id": row.pk},
            )
            counts[f"{label} created"] += 1
        elif (row.name, getattr(row, text_field)) != (name, text):
            renamed = row.name != name
            row.name = name
            setattr(row, text_field, text)
            row.save()
            catalogue_saved.send(sender=model, instance=row, renamed=renamed)
            counts[f"{label} updated"] += 1
        ids[record.source_id] = row.pk
    return ids


def do_import_batch(
    user,
    *,
    source: str,
    site: str,
    posts: list[PreparedPost],
    author_ids: dict[str, int],
    topic_ids: dict[str, int],
) -> BatchResult:
    """Write a batch of prepared posts in one transaction: new ones become stories, changed
    ones update their story (a revision says it was re-imported), the same ones are counted.

    A story edited in Newsdesk since the import wrote it is left alone: the newsroom's edits
    win over the old site's. Imported stories keep their dates; one feed event per batch (and
    one per changed published story) tells caches and open pages that the archive changed."""
    check_can_import(user)
    label = LABELS.get(source, source)
    result = BatchResult()
    with transaction.atomic():
        known = _items(source, site, ItemKind.POST, [p.record.source_id for p in posts])
        stories = Story.objects.select_for_update().in_bulk(
            [item.object_id for item in known.values()]
        )
        last_new_published: Story | None = None
        for post in posts:
            item = known.get(post.record.source_id)
            story = stories.get(item.object_id) if item else None
            if story is not None and item.fingerprint == post.fingerprint:
                result.unchanged += 1
                continue
            if story is not None and story.version != item.version:
                result.not_written.append(
                    f"post {post.record.source_id} “{post.headline[:60]}”: changed in {label}, "
                    "but also edited in Newsdesk since it was imported; Newsdesk's version kept"
                )
                continue
            new = story is None
            if new:
                story = Story(created_by=user)
                wanted = base_slug(post.record.slug or post.headline, "story", Story)
                story.slug = unique_slug(Story, wanted)
            else:
                claim_version(story, None)
            _apply(story, post)
            story.save()
            StoryAuthor.objects.filter(story=story).delete()
            authors = [author_ids[a] for a in post.record.author_ids if a in author_ids]
            StoryAuthor.objects.bulk_create(
                StoryAuthor(story=story, author_id=a, position=i)
                for i, a in enumerate(dict.fromkeys(authors))
            )
            story.topics.set([topic_ids[t] for t in post.record.topic_ids if t in topic_ids])
            action = f"imported from {label}" if new else f"re-imported from {label} (changed)"
            record_revision(story, user, action, body=post.body)
            SourceItem.objects.update_or_create(
                source=source,
                site=site,
                kind=ItemKind.POST,
                source_id=post.record.source_id,
                defaults={
                    "object_id": story.pk,
                    "fingerprint": post.fingerprint,
                    "version": story.version,
                },
            )
            result.redirects += _add_redirects(story, post.record.old_paths, source)
            if new:
                result.created += 1
                if story.status == Status.PUBLISHED:
                    last_new_published = story
            else:
                result.updated += 1
                if story.status == Status.PUBLISHED:
                    record_event(story, EventKind.UPDATED, marked_update=False, imported=True)
                    last_new_published = None
        if last_new_published is not None:
            record_event(last_new_published, EventKind.UPDATED, marked_update=False, imported=True)
    return result


def _apply(story: Story, post: PreparedPost) -> None:
    record = post.record
    story.headline = post.headline
    story.summary = post.summary
    story.body = post.body.source
    story.body_html = post.body.html
    story.word_count = count_words(post.body.text)
    story.kind = "article"
    story.lead_image_id = post.lead_image_id
    if record.language:
        story.language = record.language[: Story._meta.get_field("language").max_length]
    story.status = record.status
    if record.status == Status.DRAFT:
        story.published_at = None
    elif record.status == Status.SCHEDULED and record.published_at is None:
        story.status = Status.DRAFT
        story.published_at = None
    else:
        story.published_at = record.published_at or story.published_at or timezone.now()


def _add_redirects(story: Story, paths: list[str], origin: str) -> int:
    limit = Redirect._meta.get_field("old_path").max_length
    paths = [p for p in paths if p.startswith("/") and len(p) <= limit]
    taken = set(Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True))
    new = [Redirect(old_path=p, story=story, origin=origin) for p in paths if p not in taken]
    Redirect.objects.bulk_create(new)
    return len(new)


# ── redirects editors keep ───────────────────────────────────────────────────────────────────


def clean_old_path(value: str) -> str:
    """An old address as a path (a full URL loses its site), or InvalidInput."""
    value = (value or "").strip()
    parts = urlsplit(value)
    path = parts.path or ""
    if parts.query:
        path = f"{path}?{parts.query}"
    if not path.startswith("/") or path.startswith("//"):
        raise InvalidInput(
            "The old address must be a path on this site, like /2019/03/old-story/.",
            fields={"old_path": ["Start it with / (for example /2019/03/old-story/)."]},
        )
    return path


def clean_target(value: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        raise InvalidInput(
            "The new address must be a path on this site, like /stories/new-story/.",
            fields={"target": ["Start it with / (for example /stories/new-story/)."]},
        )
    return value


def do_add_redirect(user, *, old_path: str, target: str) -> Redirect:
    """An editor's own redirect: an old address answering 301 with a path on this site."""
    permissions.check_can_publish(user)
    checker = FieldChecker(Redirect)
    checker.text({"old_path": old_path}, "old_path", "Old address", required=True)
    checker.text({"target": target}, "target", "New address", required=True)
    checker.raise_if_any()
    path, goes_to = clean_old_path(old_path), clean_target(target)
    if path.rstrip("/") == goes_to.split("?")[0].rstrip("/"):
        raise InvalidInput(
            "The old and the new address are the same: the redirect would loop.",
            fields={"target": ["Choose a different address."]},
        )
    with transaction.atomic():
        if Redirect.objects.filter(old_path=path).exists():
            raise InvalidInput(
                f"{path} already redirects somewhere; delete that redirect first.",
                fields={"old_path": ["This old address already has a redirect."]},
            )
        return Redirect.objects.create(
            old_path=path, target=goes_to, origin="editor", created_by=user
        )


def do_delete_redirect(user, redirect_id: int) -> None:
    permissions.check_can_publish(user)
    with transaction.atomic():
        deleted, _ = Redirect.objects.filter(pk=redirect_id).delete()
    if not deleted:
        raise NotFound(f"There is no redirect with id {redirect_id}.")
