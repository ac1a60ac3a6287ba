"""A word found in more stories than the results cap: the newest 1,000 matches are ranked.

The archive is bulk-imported (as `newsdesk import` would) and indexed with `newsdesk reindex`;
everything is then asked through the search page and the JSON API, as a reader would.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from newsdesk.search.queries import RESULTS_CAP, search_stories
from newsdesk.stories.models import Status, Story, Topic

ROUTINE = 1_100  # more than RESULTS_CAP stories with the word once in the body


def _story(n: int, when: dt.datetime, headline: str, body: str, status=Status.PUBLISHED) -> Story:
    return Story(
        headline=headline,
        slug=f"archived-{n}",
        body=body,
        body_html=f"<p>{body}</p>",
        status=status,
        published_at=when,
    )


@pytest.fixture(scope="module")
def _archive_for_the_module(django_db_setup, django_db_blocker):
    """The archive is written once for this module, in a transaction rolled back when the module
    ends (as Django's `TestCase.setUpTestData` does); each test runs in a savepoint inside it, so
    what a test writes is gone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _write_archive()
        transaction.set_rollback(True)


@pytest.fixture
def archive(db, _archive_for_the_module):
    return _archive_for_the_module


def _write_archive() -> dict:
    """Stories in publication order (ids rise with published_at, as they do in a newsroom):

    - 'old': 'Harbour' in the headline, years older than everything else, topic Lighthouses;
    - 1,100 routine notices with 'harbour' once in the body, one a day, the first 3 in topic
      Lighthouses too;
    - 'pilots': 'Harbour' in the headline, published before the newest 50 notices;
    - 'pulled': the newest 'harbour' story of all, unpublished.
    """
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=ROUTINE + 10)
    stories = [
        _story(0, now - dt.timedelta(days=5000), "Harbour authority founded", "The first quay.")
    ]
    for n in range(ROUTINE):
        if n == ROUTINE - 50:
            stories.append(
                _story(
                    -1,
                    start + dt.timedelta(days=n, hours=-1),
                    "Harbour pilots strike",
                    "No ships tonight.",
                )
            )
        stories.append(
            _story(n + 1, start + dt.timedelta(days=n), f"Notice {n}", f"The harbour office {n}.")
        )
    stories.append(_story(-2, now, "Harbour rumour", "Withdrawn story.", status=Status.UNPUBLISHED))
    Story.objects.bulk_create(stories)
    lighthouses = Topic.objects.create(name="Lighthouses", slug="lighthouses")
    by_slug = {s.slug: s for s in Story.objects.all()}
    notices = [by_slug[f"archived-{n}"] for n in (1, 2, 3)]
    lighthouses.stories.add(by_slug["archived-0"], *notices)
    call_command("reindex", stdout=io.StringIO())
    return {
        "old": by_slug["archived-0"],
        "pilots": by_slug["archived--1"],
        "pulled": by_slug["archived--2"],
        "newest_notice": by_slug[f"archived-{ROUTINE}"],
        "topic_notices": notices,
    }


def result_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="result-(\d+)"', html)]


def api_ids(client, **params) -> tuple[list[int], int | None]:
    body = client.get("/api/v1/search", {"q": "harbour", **params}).json()
    return [item["story"]["id"] for item in body["items"]], body["next_page"]


@pytest.mark.django_db
def test_the_count_says_more_than_the_cap_and_the_most_relevant_new_story_leads(client, archive):
    """More than 1,000 matches: 'More than 1,000 stories match'; the headline match among the
    newest stories comes first (relevance beats recency inside the window), then notices newest
    first; the unpublished story is nowhere."""
    assert RESULTS_CAP == 1_000
    html = client.get("/search", {"q": "harbour"}).content.decode()
    assert "More than 1,000 stories match" in html
    assert "The newest 1,000 are ranked" in html
    ids = result_ids(html)
    assert len(ids) == 20
    assert ids[0] == archive["pilots"].pk
    assert ids[1] == archive["newest_notice"].pk
    notices = ids[1:]
    published = dict(Story.objects.filter(pk__in=notices).values_list("pk", "published_at"))
    assert [published[i] for i in notices] == sorted(published.values(), reverse=True)
    assert archive["pulled"].pk not in ids


@pytest.mark.django_db
def test_pages_reach_the_thousandth_result_and_stop(client, archive):
    """50 pages of 20, no story twice, page 50 is the last; the years-old headline match is not
    among the newest 1,000 and so not shown; page 51 is a clear 400."""
    seen: list[int] = []
    page: int | None = 1
    while page:
        ids, page = api_ids(client, page=page)
        seen += ids
    assert len(seen) == len(set(seen)) == 1_000
    assert archive["old"].pk not in seen
    assert archive["pulled"].pk not in seen
    html = client.get("/search", {"q": "harbour", "page": 50}).content.decode()
    assert len(result_ids(html)) == 20
    assert 'rel="next"' not in html
    assert 'rel="prev"' in html
    assert client.get("/search", {"q": "harbour", "page": 51}).status_code == 400


@pytest.mark.django_db
def test_second_page_follows_the_first(client, archive):
    """The 'More results' link leads to the next 20 in the same order."""
    first = client.get("/search", {"q": "harbour"}).content.decode()
    link = re.search(r'href="\?([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(f"/search?{link}").content.decode()
    assert "page 2" in second
    ids_1, _ = api_ids(client)
    ids_2, _ = api_ids(client, page=2)
    assert result_ids(first) == ids_1
    assert result_ids(second) == ids_2
    assert not set(ids_1) & set(ids_2)


@pytest.mark.django_db
def test_filters_narrow_before_the_cap_so_older_stories_are_found(client, archive):
    """The cap counts matches after the filters: a topic or a date range reaches stories older
    than the newest 1,000, with an exact count."""
    html = client.get("/search", {"q": "harbour", "topic": "lighthouses"}).content.decode()
    assert "4 stories match" in html
    assert "More than" not in html
    ids = result_ids(html)
    assert ids[0] == archive["old"].pk  # headline match first, however old
    assert set(ids) == {archive["old"].pk, *(s.pk for s in archive["topic_notices"])}

    day = archive["old"].published_at.date()
    html = client.get(
        "/search", {"q": "harbour", "from": day.isoformat(), "to": day.isoformat()}
    ).content.decode()
    assert "1 story matches" in html
    assert result_ids(html) == [archive["old"].pk]

    ids, _ = api_ids(client, topic="lighthouses")
    assert ids[0] == archive["old"].pk
    assert len(ids) == 4


@pytest.mark.django_db
def test_few_matches_are_counted_exactly(client, publish):
    """Under the cap the page says how many stories match."""
    publish("Ferry timetable", body="Winter ferry times.")
    publish("Ferry strike ends")
    html = client.get("/search", {"q": "ferry"}).content.decode()
    assert "2 stories match" in html
    assert "More than" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["walk", "gin", "gin-range"])
def test_every_postgres_plan_finds_the_same_stories(client, archive, monkeypatch, plan):
    """PostgreSQL picks how to find the newest matches from its statistics (walking the feed
    index, or the GIN index with or without a range of recent ids); at 1,000,000 stories each is
    used for some words. Forced one by one on this archive, each gives the reader the same page,
    count, last page and topic results."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the SQLite backend has one plan)")
    from newsdesk.search.backends import postgres

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    monkeypatch.setattr(postgres, "SMALL", 0)
    if plan == "walk":
        monkeypatch.setattr(postgres, "GIN_ENTRY_US", 1e9)
    else:
        monkeypatch.setattr(postgres, "WALK_US", 1e9)
        monkeypatch.setattr(postgres, "FEW", 10**9 if plan == "gin" else 0)
    html = client.get("/search", {"q": "harbour"}).content.decode()
    assert "More than 1,000 stories match" in html
    ids = result_ids(html)
    assert ids[:2] == [archive["pilots"].pk, archive["newest_notice"].pk]
    last, next_page = api_ids(client, page=50)
    assert (len(last), next_page) == (20, None)
    assert archive["old"].pk not in last
    html = client.get("/search", {"q": "harbour", "topic": "lighthouses"}).content.decode()
    assert "4 stories match" in html
    assert result_ids(html)[0] == archive["old"].pk
    end = archive["pilots"].published_at + dt.timedelta(hours=1)  # notice ROUTINE - 50
    dated = search_stories("harbour", date_to=end)
    assert dated.more_than_cap
    assert [hit.story.pk for hit in dated.hits][:2] == [
        archive["pilots"].pk,
        archive["pilots"].pk - 1,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("scan", ["exact", "wide range"])
def test_a_date_range_ending_in_the_past_ranks_the_newest_matches_before_its_end(
    archive, monkeypatch, scan
):
    """'harbour' before a day in the past: more than 1,000 match, and the newest of them before
    that day lead, the headline match first; nothing from that day or later is shown. On SQLite
    the walk starts at the range (from the feed index); 'wide range' makes the range count as
    wider than the stories it reads to find its ids, as a five-year range would."""
    from newsdesk.search.backends import sqlite

    if scan == "wide range":
        monkeypatch.setattr(sqlite, "BOUND_SCAN", 100)
    notices = Story.objects.filter(slug__startswith="archived-", headline__startswith="Notice")
    end = notices.get(slug=f"archived-{ROUTINE - 49}").published_at  # notice ROUTINE - 50
    result = search_stories("harbour", date_to=end)
    assert (result.total, result.more_than_cap) == (1_000, True)
    ids = [hit.story.pk for hit in result.hits]
    newest_before = notices.filter(published_at__lt=end).order_by("-published_at").first()
    assert ids[:2] == [archive["pilots"].pk, newest_before.pk]
    assert all(hit.story.published_at < end for hit in result.hits)
    last = search_stories("harbour", date_to=end, page=50)
    assert len(last.hits) == 20 and last.next_page is None
