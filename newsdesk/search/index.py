"""Keeping the search index in step with stories.

`sync_story` is called by `stories.actions` inside each write's transaction (every write records a
revision, and that is where the hook sits), so the index can never disagree with a committed story.
`rebuild` recreates every row, for `newsdesk reindex` and after a bulk import.
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
