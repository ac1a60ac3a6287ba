"""Keeping the search index in step with stories.

`sync_story` runs inside each story write's transaction (it subscribes to
`stories.signals.story_written`, see `search.apps`), so the index can never disagree with a
committed story. A renamed author or topic changes what many stories are found by: after that
save commits, `reindex_names` rewrites their authors and topics in batches, each its own short
transaction, instead of one by one inside the save's lock. `rebuild` recreates every row, for
`newsdesk reindex` and after a bulk import.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from newsdesk.search.models import SearchDocument
from newsdesk.search.text import index_text
from newsdesk.stories.markdown import text_of_html
from newsdesk.stories.models import Story


def document_for(story: Story, body_text: str | None = None) -> SearchDocument:
    authors = " ".join(a.name for a in story.ordered_authors())
    topics = " ".join(t.name for t in story.topics.all())
    return SearchDocument(
        story_id=story.pk,
        headline=index_text(story.headline),
        summary=index_text(story.summary),
        body_text=index_text(text_of_html(story.body_html) if body_text is None else body_text),
        authors=index_text(authors),
        topics=index_text(topics),
    )


def sync_story(story: Story, *, body_text: str | None = None) -> None:
    """Write the story's current text to the index (replacing what was there).

    `body_text` is the body's plain text when the write changed the body (rendered before the
    transaction by the caller); None keeps the indexed body text, so a publish or a rename never
    parses Markdown inside a transaction. The text is what readers see: the words of `body_html`."""
    if hasattr(story, "prefetched_author_links"):
        del story.prefetched_author_links  # a write may have changed the byline since
    authors = " ".join(a.name for a in story.ordered_authors())
    topics = " ".join(t.name for t in story.topics.all())
    fields = {
        "headline": index_text(story.headline),
        "summary": index_text(story.summary),
        "authors": index_text(authors),
        "topics": index_text(topics),
    }
    if body_text is not None:
        fields["body_text"] = index_text(body_text)
    if not SearchDocument.objects.filter(pk=story.pk).update(**fields):
        document_for(story, body_text).save(force_insert=True)


RENAME_BATCH = 500


def on_story_written(sender, story: Story, body_text: str | None, **kwargs) -> None:
    sync_story(story, body_text=body_text)


def on_catalogue_saved(sender, instance, renamed: bool, **kwargs) -> None:
    """An author or topic was saved: once renamed and committed, re-index its stories."""
    if renamed:
        story_ids = list(instance.stories.values_list("pk", flat=True))
        transaction.on_commit(lambda: reindex_names(story_ids))


def reindex_names(story_ids: list[int]) -> None:
    """Rewrite the authors and topics the index holds for these stories, a batch at a time."""
    from newsdesk.stories.queries import with_display_relations

    batch_size = RENAME_BATCH
    for start in range(0, len(story_ids), batch_size):
        batch = story_ids[start : start + batch_size]
        with transaction.atomic():
            stories = with_display_relations(Story.objects.filter(pk__in=batch))
            documents = [
                SearchDocument(
                    story_id=story.pk,
                    authors=index_text(" ".join(a.name for a in story.ordered_authors())),
                    topics=index_text(" ".join(t.name for t in story.topics.all())),
                )
                for story in stories
            ]
            SearchDocument.objects.bulk_update(documents, ["authors", "topics"])


def _documents(stories: Iterable[Story]) -> Iterable[SearchDocument]:
    for story in stories:
        yield document_for(story)


def rebuild(batch_size: int = 2000) -> int:
    """Recreate the whole index from the stories table; returns how many stories it holds."""
    from newsdesk.stories.queries import with_display_relations

    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        last_id = 0
        while True:
            batch = list(
                with_display_relations(Story.objects.filter(pk__gt=last_id).order_by("pk"))[
                    :batch_size
                ]
            )
            if not batch:
                break
            SearchDocument.objects.bulk_create(_documents(batch), batch_size=batch_size)
            count += len(batch)
            last_id = batch[-1].pk
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    return count
