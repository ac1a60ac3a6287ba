"""`newsdesk reindex` rebuilds the index so search finds exactly what the stories hold."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from newsdesk.search.models import SearchDocument
from newsdesk.search.queries import search_stories


@pytest.mark.django_db
def test_reindex_restores_a_lost_index(publish, capsys):
    """After the index is emptied, reindex brings every story back into results."""
    story = publish("Glacier retreats", body="Measurements from the ice field.")
    SearchDocument.objects.all().delete()
    assert search_stories("glacier").hits == []
    call_command("reindex")
    assert "Indexed 1 stories" in capsys.readouterr().out
    assert [hit.story.pk for hit in search_stories("glacier").hits] == [story.pk]
