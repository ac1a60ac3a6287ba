"""Renaming an author or a topic keeps search in step without a manual reindex: once the save
commits, its stories are re-indexed in batches (`search.index.reindex_names`)."""

import pytest

from newsdesk.search.queries import search_stories
from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return [hit.story.pk for hit in search_stories(q).hits]


def test_a_renamed_author_is_found_by_the_new_name(
    editor, author, publish, django_capture_on_commit_callbacks
):
    story = publish("Lock gates repaired", author_ids=[author.pk])
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_author(
            editor, author.pk, {"name": "Wilhelmina Quarrystone", "role": "Reporter"}
        )
    assert story.pk in found("Quarrystone")


def test_a_renamed_topic_is_found_by_the_new_name(
    editor, topic, publish, django_capture_on_commit_callbacks
):
    story = publish("Tariffs change at midnight", topic_ids=[topic.pk])
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_topic(editor, topic.pk, {"name": "Hydroelectricity"})
    assert story.pk in found("Hydroelectricity")


def test_a_rename_reindexes_every_story_of_the_topic_in_batches(
    editor, topic, publish, django_capture_on_commit_callbacks, monkeypatch
):
    """More stories than one batch holds are all found by the new name, and the old name finds
    none of them."""
    from newsdesk.search import index

    stories = [publish(f"Gauge reading {n}", topic_ids=[topic.pk]) for n in range(7)]
    monkeypatch.setattr(index, "RENAME_BATCH", 3)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_topic(editor, topic.pk, {"name": "Quellmarsh"})
    assert sorted(found("Quellmarsh")) == sorted(s.pk for s in stories)
