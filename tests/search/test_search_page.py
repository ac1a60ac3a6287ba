"""The reader's search page and `search_stories`, on whichever database the suite runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from newsdesk.search.queries import search_stories
from newsdesk.stories import actions

BLNS = Path(__file__).with_name("naughty_strings.txt")


@pytest.fixture
def newsroom(publish, author, topic, editor):
    """Three published stories in two languages and one draft."""
    kyiv = publish(
        "Київ відновлює енергопостачання",
        body="Енергетики працюють усю ніч. The grid in Kyiv is back.",
        topic_ids=[topic.pk],
        author_ids=[author.pk],
    )
    cafe = publish("Café owners count the cost", body="The flood reached every café on the quay.")
    harbour = publish("Harbour reopens", summary="Ferries run again", body="Ships <b>return</b>.")
    draft = actions.do_create_story(editor, {"headline": "Secret harbour draft", "body": "x"})
    return {"kyiv": kyiv, "cafe": cafe, "harbour": harbour, "draft": draft}


def found(client, q: str, **params) -> str:
    response = client.get("/search", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_case_and_accents_fold_in_ukrainian_and_english(client, newsroom):
    """'київ' finds 'Київ', 'cafe' finds 'Café' and 'CAFÉ' too."""
    assert "Київ відновлює" in found(client, "київ").replace("<mark>", "").replace("</mark>", "")
    for q in ("cafe", "CAFÉ", "café"):
        assert "Café owners" in found(client, q).replace("<mark>", "").replace("</mark>", "")


@pytest.mark.django_db
def test_hits_are_marked_and_user_text_is_escaped(client, newsroom):
    """Matched words are wrapped in <mark>; story text with angle brackets stays escaped."""
    html = found(client, "return")
    assert "<mark>return</mark>" in html
    assert "<b>" not in html
    html = found(client, "<script>alert(1)</script> harbour")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_headline_outranks_body(publish):
    """A story with the word in its headline comes before one with it only in the body."""
    body_only = publish("Council meeting", body="The lighthouse was discussed at length.")
    in_headline = publish("Lighthouse to close", body="Keepers will leave.")
    ids = [hit.story.pk for hit in search_stories("lighthouse").hits]
    assert ids == [in_headline.pk, body_only.pk]


@pytest.mark.django_db
def test_authors_and_topics_are_searchable(client, newsroom):
    """Author names and topic names find the stories they are attached to."""
    assert "Київ" in found(client, "Osei")
    assert "Київ" in found(client, "energy")


@pytest.mark.django_db
def test_drafts_are_never_found_by_readers_but_the_desk_can_find_them(client, newsroom):
    """Readers never see a draft; `published_only=False` (for the desk) does."""
    assert "Secret harbour draft" not in found(client, "secret")
    desk = search_stories("secret", published_only=False)
    assert [h.story.pk for h in desk.hits] == [newsroom["draft"].pk]


@pytest.mark.django_db
def test_unpublished_story_leaves_reader_results_at_once(client, newsroom, editor):
    """After unpublishing, the very next search no longer finds the story."""
    assert "Harbour reopens" in found(client, "ferries")
    actions.do_unpublish_story(editor, newsroom["harbour"].pk)
    assert "Harbour reopens" not in found(client, "ferries")
    actions.do_publish_story(editor, newsroom["harbour"].pk)
    assert "Harbour reopens" in found(client, "ferries")


@pytest.mark.django_db
def test_edits_are_searchable_immediately(client, newsroom, editor):
    """An edit to a published story changes what search finds in the same request cycle."""
    story = newsroom["harbour"]
    actions.do_update_story(
        editor, story.pk, {"body": "Tugboats everywhere."}, expected_version=story.version
    )
    assert "Harbour reopens" in found(client, "tugboats")
    assert "Harbour reopens" not in found(client, "return")


@pytest.mark.django_db
def test_filters_by_topic_author_kind_and_date(newsroom, topic, author):
    """Filters narrow results; an unknown topic is a NotFound, not an empty page."""
    assert [h.story.pk for h in search_stories("grid", topic=topic.slug).hits] == [
        newsroom["kyiv"].pk
    ]
    assert search_stories("cafe", topic=topic).hits == []
    assert [h.story.pk for h in search_stories("grid", author=author.slug).hits] == [
        newsroom["kyiv"].pk
    ]
    assert search_stories("cafe", kind="article").hits == []
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert search_stories("cafe", date_from=tomorrow).hits == []
    assert len(search_stories("cafe", date_to=tomorrow).hits) == 1


@pytest.mark.django_db
def test_results_are_paginated(client, publish):
    """25 matches make two pages of 20 and 5, linked by page numbers."""
    for n in range(25):
        publish(f"Tide table {n}", body="Tide times for the coast.")
    first = search_stories("tide")
    second = search_stories("tide", page=2)
    assert (len(first.hits), first.next_page) == (20, 2)
    assert (len(second.hits), second.next_page) == (5, None)
    assert not {h.story.pk for h in first.hits} & {h.story.pk for h in second.hits}
    assert 'rel="next"' in found(client, "tide")


HOSTILE = [
    '"',
    '"unbalanced',
    "harbour*",
    "harbour NEAR ferries",
    "NEAR(harbour ferries)",
    "harbour AND",
    "OR",
    "(",
    "headline:harbour",
    "^harbour",
    "-harbour",
    "harbour -ferries",
    "\x00harbour\x00",
    "a" * 10_000,
    "x " * 5000,
    "🙂 harbour",
    "' OR 1=1 --",
    "%",
    "_",
]


@pytest.mark.django_db
@pytest.mark.parametrize("q", HOSTILE)
def test_any_query_is_safe(client, newsroom, q):
    """FTS syntax, NUL bytes and huge queries give a page (maybe empty), never an error."""
    response = client.get("/search", {"q": q})
    assert response.status_code == 200


@pytest.mark.django_db
def test_fts_syntax_is_plain_words(newsroom):
    """'harbour*' and 'harbour -ferries' search for the words, not FTS5 operators."""
    assert len(search_stories("harbour*").hits) == 1
    assert len(search_stories("harbour -ferries").hits) == 1


@pytest.mark.django_db
def test_invalid_utf8_in_the_url_is_safe(client, newsroom):
    """Bytes that are not UTF-8 in the query string give a page, not a 500."""
    assert client.get("/search?q=%FF%FE").status_code == 200
    assert client.get("/search?q=%C3%28harbour&page=%FF").status_code == 400


@pytest.mark.django_db
def test_big_list_of_naughty_strings(client, newsroom):
    """Every line of the Big List of Naughty Strings is answered with a page."""
    lines = [line for line in BLNS.read_text().splitlines() if line and not line.startswith("#")]
    for line in lines:
        assert client.get("/search", {"q": line}).status_code == 200, line


@pytest.mark.django_db
def test_bad_filters_are_a_400_with_a_message(client, newsroom):
    """Unknown topics, kinds, dates and pages are the reader's mistake: 400 with a message."""
    for params in ({"topic": "nope"}, {"kind": "poem"}, {"from": "yesterday"}, {"page": "0"}):
        response = client.get("/search", {"q": "harbour", **params})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_empty_query_shows_the_form(client):
    """/search without words shows the search form and no results."""
    html = found(client, "")
    assert 'role="search"' in html
    assert "No stories match" not in html
