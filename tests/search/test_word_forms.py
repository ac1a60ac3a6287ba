"""Word forms find each other, a prefix finds words as they are typed, and snippets show text,
in English and Ukrainian, on whichever database the suite runs."""

from __future__ import annotations

import pytest
from django.db import connection

from newsdesk.search.queries import search_stories


def headlines(q: str, **filters) -> list[str]:
    return [hit.story.headline for hit in search_stories(q, **filters).hits]


@pytest.fixture
def stories(publish):
    return {
        "sandbags": publish(
            "Volunteers fill sandbags at the depot",
            body="Four hundred sandbags were filled before the tide turned.",
        ),
        "library": publish(
            "У бібліотеці відкрили розмовний клуб",
            body="Клуб збирається щосереди. Бібліотекарі запрошують усіх охочих.",
        ),
        "kyiv": publish(
            "Потяги до Києва відновили рух", body="Укрзалізниця повідомила про графік."
        ),
        "flooding": publish("Flooding closes the river road", body="The water rose overnight."),
    }


@pytest.mark.django_db
def test_english_word_forms_find_each_other(stories):
    """'sandbag' finds a story that says 'sandbags', and 'flooded' one that says 'flooding'."""
    assert headlines("sandbag") == ["Volunteers fill sandbags at the depot"]
    assert headlines("sandbags") == ["Volunteers fill sandbags at the depot"]
    assert headlines("flooded road") == ["Flooding closes the river road"]


@pytest.mark.django_db
def test_ukrainian_word_forms_find_each_other(stories):
    """'бібліотека' finds 'бібліотеці'; 'Київ' finds 'Києва'."""
    assert headlines("бібліотека") == ["У бібліотеці відкрили розмовний клуб"]
    assert headlines("бібліотеці клуб") == ["У бібліотеці відкрили розмовний клуб"]
    assert headlines("Київ") == ["Потяги до Києва відновили рух"]


@pytest.mark.django_db
def test_the_last_word_finds_words_it_begins(stories):
    """As a reader types: 'sandb' finds 'sandbags', 'бібліот' finds 'бібліотеці'; a word before
    the last must be whole, and two letters are not yet a prefix."""
    assert headlines("sandb") == ["Volunteers fill sandbags at the depot"]
    assert headlines("depot sandb") == ["Volunteers fill sandbags at the depot"]
    assert headlines("sandb depot") == []
    assert headlines("бібліот") == ["У бібліотеці відкрили розмовний клуб"]
    assert headlines("sa") == []


@pytest.mark.django_db
def test_word_forms_are_marked_in_headlines_and_snippets(stories):
    """The words found are marked as the story spells them."""
    hit = search_stories("sandbag").hits[0]
    assert "<mark>sandbags</mark>" in hit.headline_html
    assert "<mark>sandbags</mark>" in hit.snippet_html
    hit = search_stories("бібліотека").hits[0]
    assert "<mark>бібліотеці</mark>" in hit.headline_html


@pytest.mark.django_db
def test_snippets_show_text_not_card_addresses(publish, settings):
    """A body's related-story card is a bare address in its text; snippets and matches leave it
    out."""
    card = publish("Storm Verity volunteers", body="Hundreds came.")
    publish(
        "Depot stays open",
        body=f"The depot opens at six.\n\n/stories/{card.slug}/\n\nVolunteers bring gloves.",
    )
    snippet = search_stories("depot").hits[0].snippet_html
    assert "/stories/" not in snippet
    assert "Volunteers bring gloves" in snippet
    assert headlines("verity") == ["Storm Verity volunteers"]


@pytest.mark.django_db
def test_reindex_keeps_word_forms(stories, capsys):
    """`newsdesk reindex` rebuilds the index with word forms, on both databases."""
    from django.core.management import call_command

    call_command("reindex")
    assert headlines("sandbag") == ["Volunteers fill sandbags at the depot"]
    assert headlines("бібліотека") == ["У бібліотеці відкрили розмовний клуб"]
    assert connection.vendor in ("sqlite", "postgresql")
