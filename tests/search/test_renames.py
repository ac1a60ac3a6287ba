"""Renaming an author or a topic keeps search in step without a manual reindex."""

import pytest

from newsdesk.search.queries import search_stories
from newsdesk.stories import actions

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return [hit.story.pk for hit in search_stories(q).hits]


def test_a_renamed_author_is_found_by_the_new_name(editor, author, publish):
    story = publish("Lock gates repaired", author_ids=[author.pk])
    actions.do_save_author(
        editor, author.pk, {"name": "Wilhelmina Quarrystone", "role": "Reporter"}
    )
    assert story.pk in found("Quarrystone")


def test_a_renamed_topic_is_found_by_the_new_name(editor, topic, publish):
    story = publish("Tariffs change at midnight", topic_ids=[topic.pk])
    actions.do_save_topic(editor, topic.pk, {"name": "Hydroelectricity"})
    assert story.pk in found("Hydroelectricity")
