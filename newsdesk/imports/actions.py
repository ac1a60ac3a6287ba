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
    retrying_taken_slug,
    snapshot,
)
from newsdesk.stories.markdown import RenderedBody
from newsdesk.stories.models import (
    Author,
    EventKind,
    Revision,
    Status,
    Story,
    StoryAuthor,
    Topic,
)
from newsdesk.stories.reading_time import count_words
from newsdesk.stories.signals import catalogue_saved, stories_written

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


def _free_slugs(model, wanted: list[str]) -> list[str]:
    """A free slug for each wanted one (`unique_slug`'s rule: `x`, `x-2`, `x-3`…), for a whole
    batch in one query, plus one per slug that is taken."""
    taken = set(model.objects.filter(slug__in=set(wanted)).values_list("slug", flat=True))
    used: set[str] = set()
    free = []
    for slug in wanted:
        if slug in taken or slug in used:
            numbered = set(
                model.objects.filter(slug__startswith=f"{slug}-").values_list("slug", flat=True)
            )
            n = 2
            while f"{slug}-{n}" in numbered or f"{slug}-{n}" in used:
                n += 1
            slug = f"{slug}-{n}"
        used.add(slug)
        free.append(slug)
    return free


def _catalogue(user, source, site, kind, model, records, counts, label) -> dict[str, int]:
    known = _items(source, site, kind, [r.source_id for r in records])
    existing = model.objects.in_bulk([row.object_id for row in known.values()])
    text_field = "bio" if model is Author else "description"
    name_limit = model._meta.get_field("name").max_length
    text_limit = model._meta.get_field(text_field).max_length
    ids: dict[str, int] = {}
    new: list[tuple[str, object]] = []
    for record in records:
        name = replace_xml_illegal(record.name)[:name_limit].strip() or record.slug or "Unnamed"
        text = replace_xml_illegal(getattr(record, text_field, "") or "")[:text_limit]
        item = known.get(record.source_id)
        row = existing.get(item.object_id) if item else None
        if row is None:
            row = model(name=name, **{text_field: text})
            row.slug = base_slug(record.slug or name, label[:-1], model)
            new.append((record.source_id, row))
        elif (row.name, getattr(row, text_field)) != (name, text):
            renamed = row.name != name
            row.name = name
            setattr(row, text_field, text)
            row.save()
            catalogue_saved.send(sender=model, instance=row, renamed=renamed)
            counts[f"{label} updated"] += 1
            ids[record.source_id] = row.pk
        else:
            ids[record.source_id] = row.pk
    rows = [row for _, row in new]
    for row, slug in zip(rows, _free_slugs(model, [r.slug for r in rows]), strict=True):
        row.slug = slug
    model.objects.bulk_create(rows, batch_size=500)
    stale = [source_id for source_id, _ in new if source_id in known]  # their row was deleted
    SourceItem.objects.filter(source=source, site=site, kind=kind, source_id__in=stale).delete()
    SourceItem.objects.bulk_create(
        [
            SourceItem(source=source, site=site, kind=kind, source_id=sid, object_id=row.pk)
            for sid, row in new
        ],
        batch_size=500,
    )
    ids.update({sid: row.pk for sid, row in new})
    if rows:  # new names: nothing to re-index, but the names readers see changed
        catalogue_saved.send(sender=model, instance=rows[-1], renamed=False)
    counts[f"{label} created"] += len(rows)
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
    one per changed published story) tells caches and open pages that the archive changed.
    New stories are written in bulk (a few queries per batch, plus the search index's per
    story), which is what lets 100,000 posts import in minutes."""
    check_can_import(user)
    return retrying_taken_slug(
        lambda attempt: _write_batch(user, source, site, posts, author_ids, topic_ids)
    )


def _write_batch(user, source, site, posts, author_ids, topic_ids) -> BatchResult:
    label = LABELS.get(source, source)
    result = BatchResult()
    with transaction.atomic():
        known = _items(source, site, ItemKind.POST, [p.record.source_id for p in posts])
        stories = Story.objects.select_for_update().in_bulk(
            [item.object_id for item in known.values()]
        )
        new_posts: list[PreparedPost] = []
        event_story: Story | None = None
        for post in posts:
            item = known.get(post.record.source_id)
            story = stories.get(item.object_id) if item else None
            if story is None:
                new_posts.append(post)
            elif item.fingerprint == post.fingerprint:
                result.unchanged += 1
            elif story.version != item.version:
                result.not_written.append(
                    f"post {post.record.source_id} “{post.headline[:60]}”: changed in {label}, "
                    "but also edited in Newsdesk since it was imported; Newsdesk's version kept"
                )
            else:
                _update_one(user, story, post, author_ids, topic_ids, label)
                item.fingerprint, item.version = post.fingerprint, story.version
                item.save(update_fields=["fingerprint", "version", "imported_at"])
                result.updated += 1
                result.redirects += _add_redirects([(story, post.record.old_paths)], source)
                if story.status == Status.PUBLISHED:
                    record_event(story, EventKind.UPDATED, marked_update=False, imported=True)
        if new_posts:
            created = _create_many(user, new_posts, author_ids, topic_ids, label)
            stale = [p.record.source_id for p in new_posts if p.record.source_id in known]
            SourceItem.objects.filter(
                source=source, site=site, kind=ItemKind.POST, source_id__in=stale
            ).delete()
            SourceItem.objects.bulk_create(
                SourceItem(
                    source=source,
                    site=site,
                    kind=ItemKind.POST,
                    source_id=post.record.source_id,
                    object_id=story.pk,
                    fingerprint=post.fingerprint,
                    version=story.version,
                )
                for post, story in created
            )
            result.created += len(created)
            result.redirects += _add_redirects(
                [(story, post.record.old_paths) for post, story in created], source
            )
            published = [story for _, story in created if story.status == Status.PUBLISHED]
            event_story = published[-1] if published else None
        if event_story is not None:
            record_event(event_story, EventKind.UPDATED, marked_update=False, imported=True)
    return result


def _relations(post: PreparedPost, author_ids, topic_ids) -> tuple[list[int], list[int]]:
    authors = [author_ids[a] for a in post.record.author_ids if a in author_ids]
    topics = [topic_ids[t] for t in post.record.topic_ids if t in topic_ids]
    return list(dict.fromkeys(authors)), sorted(set(topics))


def _create_many(user, posts, author_ids, topic_ids, label) -> list[tuple[PreparedPost, Story]]:
    stories = []
    for post in posts:
        story = Story(created_by=user)
        story.slug = base_slug(post.record.slug or post.headline, "story", Story)
        _apply(story, post)
        stories.append(story)
    for story, slug in zip(stories, _free_slugs(Story, [s.slug for s in stories]), strict=True):
        story.slug = slug
    Story.objects.bulk_create(stories)
    links, tagged, revisions = [], [], []
    through = Story.topics.through
    for post, story in zip(posts, stories, strict=True):
        authors, topics = _relations(post, author_ids, topic_ids)
        links += [StoryAuthor(story=story, author_id=a, position=i) for i, a in enumerate(authors)]
        tagged += [through(story_id=story.pk, topic_id=t) for t in topics]
    StoryAuthor.objects.bulk_create(links, batch_size=1000)
    through.objects.bulk_create(tagged, batch_size=1000)
    # What `record_revision` does for one story, for many: the search index first (its signal),
    # then revision 1 with the snapshot `common.snapshot` would read back.
    stories_written.send(sender=Story, stories=stories, body_texts=[p.body.text for p in posts])
    for post, story in zip(posts, stories, strict=True):
        authors, topics = _relations(post, author_ids, topic_ids)
        revisions.append(
            Revision(
                story=story,
                number=1,
                created_by=user,
                action=f"imported from {label}",
                content=snapshot(story, author_ids=authors, topic_ids=topics),
            )
        )
    Revision.objects.bulk_create(revisions, batch_size=500)
    return list(zip(posts, stories, strict=True))


def _update_one(user, story: Story, post: PreparedPost, author_ids, topic_ids, label) -> None:
    claim_version(story, None)
    _apply(story, post)
    story.save()
    authors, topics = _relations(post, author_ids, topic_ids)
    StoryAuthor.objects.filter(story=story).delete()
    StoryAuthor.objects.bulk_create(
        StoryAuthor(story=story, author_id=a, position=i) for i, a in enumerate(authors)
    )
    story.topics.set(topics)
    record_revision(story, user, f"re-imported from {label} (changed)", body=post.body)


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


def _add_redirects(pairs: list[tuple[Story, list[str]]], origin: str) -> int:
    """Old paths answering 301 with these stories; a path that already redirects is kept."""
    limit = Redirect._meta.get_field("old_path").max_length
    wanted = {
        path: story
        for story, paths in pairs
        for path in paths
        if path.startswith("/") and len(path) <= limit
    }
    taken = set(
        Redirect.objects.filter(old_path__in=list(wanted)).values_list("old_path", flat=True)
    )
    new = [
        Redirect(old_path=p, story=s, origin=origin) for p, s in wanted.items() if p not in taken
    ]
    Redirect.objects.bulk_create(new, batch_size=1000)
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
