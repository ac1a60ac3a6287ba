"""`newsdesk demo`: the invented newsroom that people try first and tests share as a fixture.

The full 300-story build runs once for `TestFullDemo` (it takes a few seconds) inside a
transaction that is rolled back after the class; each test there reads it through the command,
the models' public fields and the reader pages, as a visitor would. Small builds, as other
tests use them, are checked on their own below.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from newsdesk.demo.build import build_demo_newsroom
from newsdesk.stories.models import Author, Correction, FeedEvent, Kind, Status, Story, Topic

FULL = 300


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`newsdesk demo --stories 300`, built once for the class and rolled back afterwards."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        out = io.StringIO()
        call_command("demo", stories=FULL, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TestFullDemo:
    """The demo as `newsdesk demo --stories 300` loads it."""

    def test_command_reports_what_it_loaded(self, loaded):
        """The command says it loaded the demo and how many stories it wrote."""
        assert "Demo newsroom loaded: 300 stories" in loaded

    def test_authors_have_roles_bios_and_avatars_with_renditions(self, loaded):
        """At least five authors, each with a role, a bio of a few sentences and a PNG avatar that
        went through the upload pipeline (so it has renditions)."""
        authors = list(Author.objects.select_related("avatar"))
        assert len(authors) >= 5
        for author in authors:
            assert author.role
            assert author.bio.count(".") >= 2
            assert author.avatar is not None
            assert author.avatar.format == "PNG"
            assert author.avatar.renditions

    def test_topics_have_descriptions(self, loaded):
        """At least eight topics, each described."""
        topics = list(Topic.objects.all())
        assert len(topics) >= 8
        assert all(topic.description for topic in topics)

    def test_story_counts_and_kinds(self, loaded):
        """300 stories in all: mostly short updates, 40+ articles, a few drafts, one scheduled
        (translations of some of them come on top: see `test_storm_stories_in_ukrainian`)."""
        originals = Story.objects.filter(translation_of=None)
        assert originals.exclude(kind__in=[Kind.LIVE, Kind.ENTRY]).count() == FULL
        assert Story.objects.filter(kind=Kind.ARTICLE).count() >= 40
        assert Story.objects.filter(kind=Kind.UPDATE).count() > FULL // 2
        assert Story.objects.filter(status=Status.DRAFT).count() >= 2
        assert Story.objects.filter(status=Status.SCHEDULED).count() == 1
        headlines = list(Story.objects.exclude(kind=Kind.ENTRY).values_list("headline", flat=True))
        assert len(set(headlines)) == len(headlines)

    def test_articles_have_lead_images_and_rich_bodies(self, loaded):
        """Every article has a dek, a JPEG lead image with alt text, caption and a Newsdesk credit,
        and a Markdown body with a quote, a sub-heading, a list and a link."""
        articles = Story.objects.filter(kind=Kind.ARTICLE).select_related("lead_image")
        for article in articles:
            assert article.summary
            image = article.lead_image
            assert image is not None and image.format == "JPEG"
            assert image.alt_text and image.caption
            assert image.credit.endswith(" / Newsdesk")
            for tag in ("<blockquote>", "<h2>", "<ul>", '<a href="https://'):
                assert tag in article.body_html
            paragraphs = [b for b in article.body.split("\n\n") if b.strip()]
            assert 5 <= len(paragraphs) <= 16

    def test_stories_are_spread_over_the_last_days_and_keyset_order_is_consistent(self, loaded):
        """Published times lie in the last five days, all in the past; ids follow publication time
        and feed-event ids follow their times, so keyset pages and live replay agree."""
        now = timezone.now()
        rows = list(
            Story.objects.filter(status=Status.PUBLISHED)
            .order_by("published_at", "id")
            .values_list("id", "published_at")
        )
        ids = [story_id for story_id, _ in rows]
        assert ids == sorted(ids)
        assert all(now - timezone.timedelta(days=5, hours=1) < when < now for _, when in rows)
        assert (now - rows[0][1]).days >= 3
        last_hours = [when for _, when in rows if now - when < timezone.timedelta(hours=8)]
        assert len(last_hours) > len(rows) // 5
        events = list(FeedEvent.objects.order_by("id").values_list("created_at", flat=True))
        assert events == sorted(events)
        assert events[-1] < now

    def test_updated_stories_show_the_update_time(self, loaded, client):
        """Some stories were marked as updated later than they were published, and say so."""
        updated = Story.objects.filter(status=Status.PUBLISHED, updated_at__isnull=False)
        assert updated.count() >= 10
        assert all(story.updated_at > story.published_at for story in updated)
        story = updated.first()
        assert "(Updated:" in _page(client, story.get_absolute_url())

    def test_corrected_stories_show_their_correction(self, loaded, client):
        """Some stories carry a public correction, shown under the story."""
        correction = Correction.objects.select_related("story").first()
        assert Correction.objects.count() >= 5
        assert correction.created_at > correction.story.published_at
        page = _page(client, correction.story.get_absolute_url())
        assert "Corrections" in page
        assert html.escape(correction.text, quote=True) in page

    def test_related_story_lines_render_as_cards(self, loaded, client):
        """A body line holding only /stories/<slug>/ of an earlier story renders as a card."""
        with_cards = Story.objects.filter(status=Status.PUBLISHED, body_html__contains="<!--card:")
        assert with_cards.count() >= 10
        story = with_cards.filter(kind=Kind.ARTICLE).first()
        target_slug = re.search(r"^/stories/([^/]+)/$", story.body, re.MULTILINE).group(1)
        target = Story.objects.get(slug=target_slug)
        assert target.published_at < story.published_at
        page = _page(client, story.get_absolute_url())
        assert 'class="story-card"' in page
        assert html.escape(target.headline) in page

    def test_pinned_and_breaking_stories(self, loaded, client):
        """Two stories are pinned and two are breaking; the front page shows both badges."""
        assert Story.objects.filter(pinned=True, status=Status.PUBLISHED).count() == 2
        assert Story.objects.filter(breaking=True, status=Status.PUBLISHED).count() == 2
        front = _page(client, "/")
        assert "badge--pinned" in front
        assert "badge--breaking" in front

    def test_drafts_and_the_scheduled_story_stay_private(self, loaded, client):
        """Drafts and the scheduled story return 404 and appear on no page of the News Feed."""
        private = list(Story.objects.exclude(status=Status.PUBLISHED))
        assert private
        for story in private:
            assert client.get(story.get_absolute_url()).status_code == 404
        scheduled = Story.objects.get(status=Status.SCHEDULED)
        assert scheduled.published_at > timezone.now()

        pages, url, seen = 0, "/", []
        while url:
            page = _page(client, url)
            seen.append(page)
            more = re.search(r'class="button" href="([^"]+)"', page)
            url = html.unescape(more.group(1)) if more else ""
            pages += 1
            assert pages < 40
        everything = "".join(seen)
        for story in private:
            assert html.escape(story.headline) not in everything
            assert story.slug not in everything
        assert pages >= FULL // 20

    def test_ukrainian_stories_render(self, loaded, client):
        """A handful of stories are in Ukrainian; their pages (Cyrillic slugs included) render."""
        ukrainian = list(Story.objects.filter(language="uk", status=Status.PUBLISHED))
        assert len(ukrainian) >= 5
        for story in ukrainian:
            page = _page(client, story.get_absolute_url())
            assert '<html lang="uk">' in page
            assert html.escape(story.headline) in page

    def test_second_run_changes_nothing(self, loaded):
        """Running the command again says the demo is loaded and writes nothing."""
        before = (Story.objects.count(), Author.objects.count(), FeedEvent.objects.count())
        out = io.StringIO()
        call_command("demo", stdout=out)
        assert "Demo newsroom already loaded" in out.getvalue()
        assert (Story.objects.count(), Author.objects.count(), FeedEvent.objects.count()) == before

    def test_storm_verity_live_coverage_runs(self, loaded, client):
        storm = Story.objects.get(slug="storm-verity-live", kind=Kind.LIVE)
        entries = storm.entries.filter(status=Status.PUBLISHED)
        assert 55 <= entries.count() <= 70
        assert entries.filter(key_event=True).count() == 6
        assert storm.pinned_entry_id and storm.ended_at is None
        assert entries.exclude(updated_at=None).count() == 1
        assert entries.filter(corrections__isnull=False).distinct().count() == 1
        authors = {a for e in entries for a in e.author_links.values_list("author_id", flat=True)}
        assert len(authors) == 4
        page = _page(client, storm.get_absolute_url())
        assert "What we know" in page and "Key events" in page and "Red warning issued" in page
        assert "Ended" not in page.split("<main")[1].split("</header>")[0]

    def test_storm_stories_in_ukrainian(self, loaded, client):
        """The lead storm article, the two breaking storm updates and the live page (with its
        pinned entry and key events) have published Ukrainian translations that link back; one
        translation is older than its original's last update."""
        translations = Story.objects.filter(translation_of__isnull=False, language="uk")
        stories = translations.exclude(kind__in=[Kind.LIVE, Kind.ENTRY])
        assert stories.count() == 3 and all(s.is_published for s in translations)
        assert all(s.translation_of.topics.filter(slug="storm-verity").exists() for s in stories)
        storm_uk = translations.get(kind=Kind.LIVE)
        assert storm_uk.translation_of.slug == "storm-verity-live"
        entries = storm_uk.entries.filter(status=Status.PUBLISHED)
        assert entries.count() == 7 and entries.filter(key_event=True).count() == 6
        assert storm_uk.pinned_entry_id in {e.pk for e in entries}
        page = _page(client, storm_uk.get_absolute_url())
        assert "Оголошено червоний рівень небезпеки" in page and "Read in English" in page
        lead = stories.get(kind=Kind.ARTICLE)
        english = _page(client, lead.translation_of.get_absolute_url())
        assert "Читати українською" in english
        assert '<link rel="alternate" hreflang="uk"' in english
        needing = [s for s in translations if s.translation_of.updated_at
                   and s.translation_of.updated_at > s.translated_at]  # fmt: skip
        assert [s.headline for s in needing] == [
            "Шторм Веріті: барʼєр на причалі Кестрел залишиться піднятим до четверга"
        ]

    def test_an_ended_coverage_stays_readable(self, loaded, client):
        ended = Story.objects.get(kind=Kind.LIVE, ended_at__isnull=False)
        page = _page(client, ended.get_absolute_url())
        assert "Coverage ended" in page and "Ingrid Halvarsen" in page


@pytest.mark.django_db
def test_same_seed_writes_the_same_newsroom_at_any_time_of_day():
    """A build is deterministic for a seed: the same stories in the same order, whenever it is
    built; only the clock times move with "now"."""

    def build(now) -> list[tuple]:
        with transaction.atomic():
            result = build_demo_newsroom(stories=20, seed=5, now=now)
            assert result.created and result.story_count == 20
            made = list(Story.objects.order_by("id").values_list("headline", "kind", "status"))
            transaction.set_rollback(True)
        return made

    now = timezone.now()
    first = build(now)
    assert len({headline for headline, _, _ in first}) == 20
    assert build(now - timezone.timedelta(hours=7, minutes=13)) == first


@pytest.mark.django_db
def test_small_build_is_a_ready_fixture(client):
    """`build_demo_newsroom(stories=40)` gives other tests a realistic newsroom to read."""
    result = build_demo_newsroom(stories=40, seed=11)
    assert result.created
    assert Story.objects.filter(status=Status.PUBLISHED).count() == 38
    for slug in result.draft_slugs + result.scheduled_slugs:
        assert client.get(f"/stories/{slug}/").status_code == 404
    assert build_demo_newsroom(stories=40, seed=11).created is False
    assert Story.objects.count() == 40
