"""The reader's live page, its entries' permanent addresses and what editors do to them."""

from __future__ import annotations

import json
import re

import pytest

from newsdesk.core.errors import InvalidInput, NotAllowed, NotFound
from newsdesk.stories import actions
from newsdesk.stories.queries import PAGE_SIZE

pytestmark = pytest.mark.django_db


def entry_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="live-entry[^"]*" id="entry-(\d+)"', html)]


def test_live_page_shows_summary_entries_newest_first_and_live_mark(client, coverage, post):
    """The page has the summary on top, the entries newest first, and says it is live."""
    first = post("Trees down on the coast road.")
    second = post("Ferries cancelled until morning.", headline="Ferries stop")
    html = client.get(coverage.get_absolute_url()).content.decode()
    assert coverage.get_absolute_url() == f"/live/{coverage.slug}/"
    assert "What we know" in html and "Gusts of 120 km/h on the coast." in html
    assert entry_ids(html) == [second.pk, first.pk]
    assert ">Live</span>" in html and "Ferries stop" in html


def test_oldest_first_is_kept_in_the_address_and_pages_by_show_more(client, coverage, post):
    entries = [post(f"Entry number {n}.") for n in range(PAGE_SIZE + 3)]
    html = client.get(coverage.get_absolute_url() + "?order=oldest").content.decode()
    assert entry_ids(html) == [e.pk for e in entries[:PAGE_SIZE]]
    more = re.search(r'href="([^"]+)"[^>]*rel="next"', html).group(1).replace("&amp;", "&")
    assert "order=oldest" in more
    rest = client.get(more).content.decode()
    assert entry_ids(rest) == [e.pk for e in entries[PAGE_SIZE:]]
    newest = client.get(coverage.get_absolute_url()).content.decode()
    assert entry_ids(newest)[0] == entries[-1].pk
    fragment = re.search(r'data-live-fragment="([^"]+)"', newest).group(1).replace("&amp;", "&")
    assert entry_ids(client.get(fragment).content.decode()) == [e.pk for e in entries[2::-1]]


def test_an_entry_address_opens_on_that_entry_even_pages_down(client, coverage, post):
    """/live/<slug>/entries/<id>/ draws the page starting at the entry, with its own title,
    description and OpenGraph data; a wrong coverage slug redirects to the right address."""
    old = post("The first gauge readings came in at noon.", headline="Gauges read high")
    for n in range(PAGE_SIZE + 2):
        post(f"Later entry {n}.")
    url = old.get_absolute_url()
    assert url == f"/live/{coverage.slug}/entries/{old.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert entry_ids(html)[0] == old.pk
    assert "<title>Gauges read high · Storm Verity: live" in html
    assert 'property="og:title"' in html and "Gauges read high" in html
    assert f'<link rel="canonical" href="http://testserver{url}"' in html or url in html
    assert "Back to the latest entries" in html
    wrong = client.get(f"/live/not-this-one/entries/{old.pk}/")
    assert wrong.status_code == 301 and wrong["Location"] == url


def test_key_events_timeline_links_to_entries(client, coverage, post, editor):
    entry = post("Sea wall breached at the harbour.", headline="Sea wall breached")
    post("Nothing new.")
    actions.do_set_key_event(editor, entry.pk, True)
    html = client.get(coverage.get_absolute_url()).content.decode()
    timeline = html.split("data-key-events-list>")[1].split("</ol>")[0]
    assert f'href="{entry.get_absolute_url()}#entry-{entry.pk}"' in timeline
    assert "Sea wall breached" in timeline
    actions.do_set_key_event(editor, entry.pk, False)
    html = client.get(coverage.get_absolute_url()).content.decode()
    assert "Sea wall breached" not in html.split("data-key-events-list>")[1].split("</ol>")[0]


def test_pinned_entry_is_on_top_and_only_once(client, coverage, post, editor):
    pinned = post("Call 112 only in an emergency.", headline="Emergency numbers")
    post("Later news.")
    actions.do_set_pinned_entry(editor, pinned.pk, True)
    html = client.get(coverage.get_absolute_url()).content.decode()
    assert entry_ids(html)[0] == pinned.pk
    assert entry_ids(html).count(pinned.pk) == 1
    assert client.get(pinned.get_absolute_url()).status_code == 200


def test_entries_reach_the_news_feed_and_topic_page_linking_to_their_place(
    client, coverage, post, topic
):
    entry = post("Power is out in 4,000 homes.", headline="Power cuts spread")
    for page in ("/", topic.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'href="{entry.get_absolute_url()}"' in html
        assert "Power cuts spread" in html
    story_url = f"/stories/{entry.slug}/"
    assert client.get(story_url)["Location"] == entry.get_absolute_url()


def test_the_news_feed_points_to_live_coverage_while_it_is_live(
    client, coverage, editor, django_capture_on_commit_callbacks
):
    live_now = client.get("/").content.decode().split('aria-label="Live now"')
    assert len(live_now) == 2 and f'href="{coverage.get_absolute_url()}"' in live_now[1]
    with django_capture_on_commit_callbacks(execute=True):  # the list is kept until a commit
        actions.do_end_coverage(editor, coverage.pk)
    assert 'aria-label="Live now"' not in client.get("/").content.decode()


def test_ended_coverage_stays_readable_and_refuses_entries(client, coverage, post, editor):
    post("Last words.")
    actions.do_end_coverage(editor, coverage.pk)
    html = client.get(coverage.get_absolute_url()).content.decode()
    assert "Coverage ended" in html and "Last words." in html
    with pytest.raises(InvalidInput, match="has ended"):
        actions.do_post_entry(editor, coverage.pk, {"body": "Too late."})


def test_bad_input_is_a_clear_refusal(coverage, post, editor, contributor):
    entry = post("To be deleted.")
    actions.do_unpublish_story(editor, entry.pk)
    with pytest.raises(InvalidInput, match="not published"):
        actions.do_set_key_event(editor, entry.pk, True)
    with pytest.raises(NotFound):
        actions.do_post_entry(editor, 999_999, {"body": "Where?"})
    with pytest.raises(NotAllowed):
        actions.do_post_entry(contributor, coverage.pk, {"body": "Straight out"})
    draft = actions.do_post_entry(contributor, coverage.pk, {"body": "For review"}, publish=False)
    assert draft.status == "draft"


def test_drafts_and_deleted_entries_never_show(client, coverage, post, editor, contributor):
    draft = actions.do_post_entry(contributor, coverage.pk, {"body": "Secret draft"}, publish=False)
    gone = post("Pulled entry text.")
    actions.do_unpublish_story(editor, gone.pk)
    html = client.get(coverage.get_absolute_url()).content.decode()
    assert "Secret draft" not in html and "Pulled entry text." not in html
    for entry in (draft, gone):
        assert client.get(f"/live/{coverage.slug}/entries/{entry.pk}/").status_code == 404


def test_live_blog_posting_structured_data(client, coverage, post, editor):
    entry = post("Wind easing in the west.", headline="Wind easing")
    actions.do_end_coverage(editor, coverage.pk)
    html = client.get(coverage.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = next(json.loads(b) for b in blocks if '"LiveBlogPosting"' in b)
    assert data["headline"] == "Storm Verity: live"
    assert data["coverageStartTime"] and data["coverageEndTime"]
    assert data["description"] and data["publisher"]["name"] and data["author"]
    (update,) = data["liveBlogUpdate"]
    assert update["headline"] == "Wind easing"
    assert update["articleBody"] == "Wind easing in the west."
    assert update["url"].endswith(entry.get_absolute_url())
    assert update["datePublished"] and update["dateModified"] and update["author"]


def test_feeds_per_live_page(client, coverage, post):
    entry = post("Rain gauge at 80 mm.", headline="Rain totals")
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        response = client.get(f"/live/{coverage.slug}/feed/{fmt}")
        assert response.status_code == 200, fmt
        body = response.content.decode()
        assert "Rain totals" in body and entry.get_absolute_url() in body
    assert client.get("/live/no-such/feed/rss.xml").status_code == 404
