"""Keeping the search index in step with stories.

`sync_story` runs inside each story write's transaction (it subscribes to
`stories.signals.story_written`, see `search.apps`), so the index can never disagree with a
committed story. A renamed author or topic changes what many stories are found by: after that
save commits, `reindex_names` rewrites their authors and topics in batches, each its own short
transaction, instead of one by one inside the save's lock. `rebuild` recreates every row, for
`newsdesk reindex` and after a bulk import.

The rows hold the text readers see; the full-text index holds its word forms (`terms`). On SQLite
the FTS5 triggers turn text into terms with the `newsdesk_terms()` SQL function, which every
connection gets (`search.apps`); on PostgreSQL `write_vectors` fills the `document` tsvector
from Python after the row is written, as a generated column cannot call Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from newsdesk.search.models import SearchDocument
from newsdesk.search.terms import index_terms
from newsdesk.search.text import index_text, without_addresses
from newsdesk.stories.markdown import text_of_html
from newsdesk.stories.models import Story


def document_for(story: Story, body_text: str | None = None) -> SearchDocument:
    authors = " ".join(a.name for a in story.ordered_authors())
    topics = " ".join(t.name for t in story.topics.all())
    return SearchDocument(
        story_id=story.pk,
        headline=index_text(story.headline),
        summary=index_text(story.summary),
        body_text=_body(text_of_html(story.body_html) if body_text is None else body_text),
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
        fields["body_text"] = _body(body_text)
    if not SearchDocument.objects.filter(pk=story.pk).update(**fields):
        document_for(story, body_text).save(force_insert=True)
    write_vectors([story.pk])


def sync_new_stories(stories: list[Story], body_texts: list[str]) -> None:
    """`sync_story` for many stories just written (an archive import's batch): their authors
    and topics read in two queries, the rows written in one."""
    from newsdesk.stories.models import StoryAuthor

    ids = [story.pk for story in stories]
    authors: dict[int, list[str]] = {}
    links = StoryAuthor.objects.filter(story_id__in=ids).order_by("story_id", "position")
    for story_id, name in links.values_list("story_id", "author__name"):
        authors.setdefault(story_id, []).append(name)
    topics: dict[int, list[str]] = {}
    tagged = Story.topics.through.objects.filter(story_id__in=ids)
    for story_id, name in tagged.order_by("topic__name", "topic_id").values_list(
        "story_id", "topic__name"
    ):
        topics.setdefault(story_id, []).append(name)
    SearchDocument.objects.filter(pk__in=ids).delete()
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                story_id=story.pk,
                headline=index_text(story.headline),
                summary=index_text(story.summary),
                body_text=_body(text),
                authors=index_text(" ".join(authors.get(story.pk, []))),
                topics=index_text(" ".join(topics.get(story.pk, []))),
            )
            for story, text in zip(stories, body_texts, strict=True)
        ],
        batch_size=500,
    )
    write_vectors(ids)


def _body(text: str) -> str:
    """A body's text without the addresses of its related-story cards (see `text`)."""
    return index_text(without_addresses(text))


VECTOR = (
    "setweight(to_tsvector('newsdesk_search'::regconfig, {}), 'A') || "
    "setweight(to_tsvector('newsdesk_search'::regconfig, {}), 'B') || "
    "setweight(to_tsvector('newsdesk_search'::regconfig, {}), 'C') || "
    "setweight(to_tsvector('newsdesk_search'::regconfig, {}), 'C') || "
    "setweight(to_tsvector('newsdesk_search'::regconfig, {}), 'D')"
)
_COLUMNS = ("headline", "summary", "authors", "topics", "body_text")


def write_vectors(story_ids: list[int], using=None) -> None:
    """PostgreSQL: fill these rows' `document` (headline A, summary B, names C, body D) with
    the terms of their text. Nothing to do on SQLite, where triggers keep FTS5 in step."""
    conn = using or connection
    if conn.vendor != "postgresql" or not story_ids:
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT story_id, headline, summary, authors, topics, body_text "
            "FROM search_searchdocument WHERE story_id = ANY(%s)",
            [list(story_ids)],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        terms = [[index_terms(text) for text in column] for column in columns[1:]]
        vector = VECTOR.format(*(f"v.{name}" for name in _COLUMNS))
        cursor.execute(
            f"UPDATE search_searchdocument d SET document = {vector} "  # noqa: S608
            "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS headline, "
            "unnest(%s::text[]) AS summary, unnest(%s::text[]) AS authors, "
            "unnest(%s::text[]) AS topics, unnest(%s::text[]) AS body_text) v "
            "WHERE d.story_id = v.id",
            [list(columns[0]), *terms],
        )


RENAME_BATCH = 500


def on_story_written(sender, story: Story, body_text: str | None, **kwargs) -> None:
    sync_story(story, body_text=body_text)


def on_stories_written(sender, stories: list[Story], body_texts: list[str], **kwargs) -> None:
    sync_new_stories(stories, body_texts)


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
            write_vectors([document.story_id for document in documents])


def _documents(stories: Iterable[Story]) -> Iterable[SearchDocument]:
    for story in stories:
        yield document_for(story)


def rebuild(batch_size: int = 2000) -> int:
    """Recreate the whole index from the stories table; returns how many stories it holds."""
    from newsdesk.stories.queries import with_display_relations

    count = 0
    with transaction.atomic():
        if connection.vendor == "sqlite":
            _empty_sqlite_index()
        else:
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
            # On SQLite the insert trigger indexes each row's terms (FTS5's own 'rebuild'
            # would index the text itself, not its word forms: never use it here).
            SearchDocument.objects.bulk_create(_documents(batch), batch_size=batch_size)
            write_vectors([story.pk for story in batch])
            count += len(batch)
            last_id = batch[-1].pk
    if connection.vendor == "postgresql":
        # The search backend picks its plan from the planner's estimates of the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
    return count


def _empty_sqlite_index() -> None:
    """Empty the rows and the FTS5 index at once. Deleting row by row would make the delete
    trigger remove each row's terms, which are only right if the row was indexed with today's
    word forms; after a stemmer change they are not, and FTS5 would keep the stale terms."""
    from newsdesk.search.backends.sqlite import DELETE_TRIGGER

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        cursor.execute("DROP TRIGGER IF EXISTS search_fts_ad")
        cursor.execute("DELETE FROM search_searchdocument")
        cursor.execute(DELETE_TRIGGER)
