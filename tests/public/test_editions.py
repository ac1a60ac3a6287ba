"""Two editions, English at / and Ukrainian at /uk/: each lists only its own stories on every
surface a reader (or a feed reader, a search engine, a live stream) reaches; the Ukrainian one
speaks Ukrainian with the right plural forms; old addresses of Ukrainian stories move to /uk/;
the Ukrainian catalogue is complete and compiled."""

from __future__ import annotations

import asyncio
import gettext as python_gettext
import json
import re
from urllib.parse import quote

import lxml.html
import pytest
from asgiref.sync import sync_to_async

from newsdesk.config import env
from newsdesk.config.asgi import application
from newsdesk.stories import actions
from tests.live.sse import StreamClient, events, fresh_hubs  # noqa: F401 (fresh_hubs: a fixture)
from tests.public.messages import COMPILED, extract, read_po

pytestmark = pytest.mark.django_db

EN_HEADLINE = "Harbour pumps restart after the flood"
UK_HEADLINE = "Насоси в гавані знову працюють після повені"
EN_LIVE = "Storm Verity: live"
UK_LIVE = "Шторм «Веріті»: наживо"


@pytest.fixture
def newsroom(editor, publish, author, topic):
    """One English and one Ukrainian story on the same topic by the same author, and a live
    coverage in each language with one entry."""
    english = publish(EN_HEADLINE, body="The pumps run again.", author_ids=[author.pk],
                      topic_ids=[topic.pk])  # fmt: skip
    ukrainian = publish(UK_HEADLINE, body="Насоси знову качають воду з підвалів.",
                        language="uk", author_ids=[author.pk], topic_ids=[topic.pk])  # fmt: skip
    coverages = {}
    for language, headline, entry in (
        ("en", EN_LIVE, "Trees down on the coast road."),
        ("uk", UK_LIVE, "На прибережній дорозі повалені дерева."),
    ):
        story = actions.do_create_story(
            editor,
            {"headline": headline, "summary": "…", "kind": "live", "language": language,
             "topic_ids": [topic.pk], "author_ids": [author.pk]},
        )  # fmt: skip
        coverage = actions.do_publish_story(editor, story.pk)
        actions.do_post_entry(editor, coverage.pk, {"body": entry, "author_ids": [author.pk]})
        coverages[language] = coverage
    return {"en": english, "uk": ukrainian, "live_en": coverages["en"], "live_uk": coverages["uk"]}


def text_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def surfaces(prefix: str, author, topic) -> list[str]:
    """Every list of stories a reader of the edition at `prefix` ("" or "/uk") reaches."""
    return [
        f"{prefix}/",
        f"{prefix}/more/",
        f"{prefix}/topics/{topic.slug}/",
        f"{prefix}/authors/{author.slug}/",
        f"{prefix}/more/?topic={topic.slug}",
        f"{prefix}/more/?author={author.slug}",
        *(f"{prefix}/feed/{name}" for name in ("rss.xml", "atom.xml", "feed.json")),
        *(f"{prefix}/topics/{topic.slug}/feed/{name}" for name in ("rss.xml", "feed.json")),
        *(f"{prefix}/authors/{author.slug}/feed/{name}" for name in ("atom.xml", "feed.json")),
        f"{prefix}/sitemap-stories.xml",
        f"{prefix}/news-sitemap.xml",
    ]


def mentions(text: str, headline: str) -> bool:
    """Whether a page, feed or sitemap names a headline (as text, escaped or JSON)."""
    return (
        any(
            form in text
            for form in (headline, headline.replace("«", "&laquo;"), json.dumps(headline)[1:-1])
        )
        or quote(headline) in text
    )


def test_each_edition_lists_only_its_stories_on_every_surface(client, newsroom, author, topic):
    """The News Feed, Show More, topic and author pages and their feeds, and the sitemaps of
    each edition name its own stories and never the other edition's."""
    for prefix, own, other in (("", "en", "uk"), ("/uk", "uk", "en")):
        own_slug, other_slug = newsroom[own].slug, newsroom[other].slug
        for url in surfaces(prefix, author, topic):
            text = text_of(client, url)
            if "sitemap" not in url and "/more/" not in url:
                assert mentions(text, newsroom[own].headline), url
            assert other_slug not in text and quote(other_slug) not in text, url
            assert not mentions(text, newsroom[other].headline), url
        assert own_slug in text_of(client, f"{prefix}/sitemap-stories.xml") or quote(
            own_slug
        ) in text_of(client, f"{prefix}/sitemap-stories.xml")


def test_live_pages_and_live_now_belong_to_their_edition(client, newsroom):
    """Each edition's News Feed says "Live now" about its own live coverage only, and each live
    page is at its edition's address."""
    assert EN_LIVE in text_of(client, "/") and UK_LIVE not in text_of(client, "/")
    uk_feed = text_of(client, "/uk/")
    assert "Шторм «Веріті»: наживо".replace("«", "«") in uk_feed and EN_LIVE not in uk_feed
    live_uk = newsroom["live_uk"]
    assert live_uk.get_absolute_url().startswith("/uk/live/")
    page = text_of(client, live_uk.get_absolute_url())
    assert "Що відомо" in page and "На прибережній дорозі повалені дерева." in page


def test_search_in_each_edition_finds_only_its_stories(client, newsroom):
    """Searching in an edition finds its stories by any form of a word (Ukrainian forms in the
    Ukrainian edition), never the other edition's."""
    en_link, uk_link = newsroom["en"].get_absolute_url(), newsroom["uk"].get_absolute_url()
    uk = text_of(client, "/uk/search?q=" + quote("насосів"))
    assert uk_link in uk and en_link not in uk
    assert "Знайдено 1 матеріал за запитом" in uk
    en = text_of(client, "/search?q=pump")
    assert en_link in en and uk_link not in en
    assert uk_link not in text_of(client, "/search?q=" + quote("насоси"))
    assert en_link not in text_of(client, "/uk/search?q=pumps")


def test_pages_feeds_and_structured_data_say_their_edition_s_language(client, newsroom):
    """`<html lang>`, the feeds' language and JSON-LD `inLanguage` follow the edition."""
    for prefix, language in (("", "en"), ("/uk", "uk")):
        for url in (f"{prefix}/", newsroom[language].get_absolute_url(), f"{prefix}/search"):
            assert f'<html lang="{language}">' in text_of(client, url), url
        rss = text_of(client, f"{prefix}/feed/rss.xml")
        assert f"<language>{language}</language>" in rss
        assert json.loads(text_of(client, f"{prefix}/feed/feed.json"))["language"] == language
        tree = lxml.html.fromstring(text_of(client, f"{prefix}/"))
        scripts = tree.xpath('//script[@type="application/ld+json"]')
        data = [json.loads(script.text) for script in scripts]
        assert data and all(d.get("inLanguage") == language for d in data)


def test_the_ukrainian_edition_speaks_ukrainian(client, newsroom):
    """Labels, buttons, dates and the header's edition switcher, in Ukrainian; the day heading is
    written the Ukrainian way ("29 листопада 2026")."""
    page = text_of(client, "/uk/")
    for words in ("Стрічка новин", "Перейти до змісту", "Пошук", "Усі теми", "Стежте за новинами"):
        assert words in page, words
    assert "News Feed" not in page and "Skip to content" not in page
    months = "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|" \
        "листопада|грудня"  # fmt: skip
    assert re.search(rf'<time datetime="[0-9-]+">\d{{1,2}} ({months}) \d{{4}}</time>', page)
    tree = lxml.html.fromstring(page)
    switcher = tree.xpath('//nav[contains(@class, "edition-switcher")]//a')
    names = {a.text_content(): (a.get("href"), a.get("aria-current")) for a in switcher}
    assert names["English"][0] == "/" and names["Українська"] == ("/uk/", "true")
    english = lxml.html.fromstring(text_of(client, "/"))
    current = english.xpath('//nav[contains(@class, "edition-switcher")]//a[@aria-current="true"]')
    assert [a.text_content() for a in current][:1] == ["English"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [(100, "1 хвилина читання"), (300, "2 хвилини читання"), (1100, "5 хвилин читання"),
     (21 * 238, "21 хвилина читання"), (12 * 238, "12 хвилин читання")],
)  # fmt: skip
def test_reading_time_in_ukrainian_takes_the_right_plural_form(client, publish, words, expected):
    """ "N min read" in Ukrainian: 1 хвилина, 2 хвилини, 5 хвилин (and 21 хвилина, 12 хвилин)."""
    story = publish("Довга історія", kind="article", language="uk", body="слово " * words)
    assert expected in text_of(client, story.get_absolute_url())


def js_plural(entry: dict, n: int) -> str:
    """What newsdesk.js writes for a count (its `plural`), for checking the table it is sent."""
    table = entry["table"]
    index = table[n] if n < len(table) else table[100 + n % 100]
    return entry["forms"][int(index)].replace("%(count)s", str(n))


def test_the_scripts_get_ukrainian_words_with_their_plural_forms(client, newsroom):
    """The reader's JavaScript is handed the edition's words: "Today", month names and "N new
    updates" in every plural form of Ukrainian."""
    tree = lxml.html.fromstring(text_of(client, "/uk/"))
    words = json.loads(tree.get_element_by_id("reader-words").text)
    assert (words["today"], words["yesterday"]) == ("Сьогодні", "Учора")
    assert words["months"][10] == "листопада"
    expected = {1: "1 нове оновлення", 3: "3 нові оновлення", 5: "5 нових оновлень",
                11: "11 нових оновлень", 21: "21 нове оновлення", 112: "112 нових оновлень",
                1004: "1004 нові оновлення"}  # fmt: skip
    for n, text in expected.items():
        assert js_plural(words["new_updates"], n) == text
    assert js_plural(words["show_new_updates"], 2) == "Показати 2 нові оновлення"
    english = json.loads(lxml.html.fromstring(text_of(client, "/")).get_element_by_id(
        "reader-words").text)  # fmt: skip
    assert js_plural(english["new_updates"], 1) == "1 new update"
    assert js_plural(english["new_updates"], 101) == "101 new updates"


def test_the_ukrainian_catalogue_translates_every_reader_message():
    """Every message the reader's templates and Python mark has a Ukrainian translation, and no
    entry of the catalogue (the desk's too) is left untranslated or lacks a plural form."""
    catalogue = read_po()
    marked = extract()
    missing = sorted(m.singular for m in marked if m not in catalogue)
    assert not missing, f"add these to newsdesk/locale/uk/LC_MESSAGES/django.po: {missing}"
    untranslated = sorted(m.singular for m, forms in catalogue.items() if not all(forms))
    assert not untranslated, f"translate these: {untranslated}"
    plural_forms = {len(forms) for m, forms in catalogue.items() if m.plural}
    assert plural_forms == {3}


def test_the_compiled_catalogue_is_the_po_file():
    """django.mo says what django.po says (run `make messages` after editing the .po)."""
    with COMPILED.open("rb") as handle:
        compiled = python_gettext.GNUTranslations(handle)
    for message, forms in read_po().items():
        if message.plural is None and message.context is None:
            assert compiled.gettext(message.singular) == forms[0], message
        elif message.plural is None:
            assert compiled.pgettext(message.context, message.singular) == forms[0], message
        else:
            for n, form in ((1, 0), (3, 1), (5, 2)):
                assert compiled.ngettext(message.singular, message.plural, n) == forms[form]
    entries = sum(1 if m.plural is None else len(f) for m, f in read_po().items())
    assert len(compiled._catalog) == entries + 1  # and its header: nothing more, nothing less


def test_old_addresses_of_ukrainian_stories_move_to_their_edition(client, newsroom):
    """/stories/<a Ukrainian story>/ (its address before editions) answers 301 to /uk/stories/…,
    and an English story asked for under /uk/ to its own address; live pages and entries too."""
    uk, en = newsroom["uk"], newsroom["en"]
    response = client.get(f"/stories/{uk.slug}/")
    assert response.status_code == 301 and response["Location"] == f"/uk/stories/{quote(uk.slug)}/"
    response = client.get(f"/uk/stories/{en.slug}/")
    assert response.status_code == 301 and response["Location"] == f"/stories/{en.slug}/"
    live = newsroom["live_uk"]
    response = client.get(f"/live/{live.slug}/?order=oldest")
    assert response.status_code == 301
    assert response["Location"] == f"/uk/live/{quote(live.slug)}/?order=oldest"
    assert client.get(f"/uk/live/{newsroom['live_en'].slug}/").status_code == 301
    assert client.get(f"/uk/live/{newsroom['live_en'].slug}/feed/rss.xml").status_code == 404


def test_each_edition_s_live_events_reach_only_its_readers(client, newsroom, editor, publish):
    """The live stream's events, as polled: a reader of the Ukrainian edition gets the events of
    its stories, a reader at / those of the English ones; an unknown edition is a 404."""
    start = client.get("/live/poll").json()["last_id"]
    publish("Another English update")
    publish("Ще одне оновлення", language="uk")
    english = client.get(f"/live/poll?after={start}").json()["events"]
    ukrainian = client.get(f"/live/poll?after={start}&edition=uk").json()["events"]
    assert [e["story"]["slug"] for e in english] == ["another-english-update"]
    assert len(ukrainian) == 1 and "Ще одне оновлення" in ukrainian[0]["html"]
    assert "Оновлено" not in ukrainian[0]["html"] and "хвилин" not in english[0]["html"]
    response = client.get("/live/poll?edition=xx")
    assert (
        response.status_code == 404
        and "the editions are en, uk" in response.json()["error"]["message"]
    )


def test_robots_txt_names_every_edition_s_sitemaps(client, newsroom):
    """robots.txt (at / only) lists the sitemaps of both editions."""
    text = text_of(client, "/robots.txt")
    assert "/sitemap.xml" in text and "/uk/sitemap.xml" in text and "/uk/news-sitemap.xml" in text
    assert client.get("/uk/robots.txt").status_code == 404


def test_topic_and_author_indexes_list_what_each_edition_published(client, editor, publish, topic):
    """A topic only the Ukrainian edition wrote about is in its index, not in the English one."""
    only_uk = actions.do_save_topic(editor, None, {"name": "Культура"})
    publish("Концерт у Чинбарній залі", language="uk", topic_ids=[only_uk.pk])
    publish("Concert in Tannery Hall", topic_ids=[topic.pk])
    assert "Культура" in text_of(client, "/uk/topics/")
    assert "Культура" not in text_of(client, "/topics/")


@pytest.mark.parametrize(
    ("value", "problem"),
    [("en:,uk:uk,uk:ua", "twice"), ("uk:uk", "exactly one edition at /"),
     ("en:,uk:desk", "already an address"), ("en:,u k:uk", "not language:prefix")],
)  # fmt: skip
def test_editions_that_cannot_work_are_refused_with_a_way_to_fix_them(monkeypatch, value, problem):
    """NEWSDESK_EDITIONS is checked when the site starts; the message says what to change."""
    monkeypatch.setenv("NEWSDESK_EDITIONS", value)
    with pytest.raises(env.ConfigError, match=problem):
        env.get_editions("en")


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(60)
@pytest.mark.usefixtures("fresh_hubs")
def test_a_connected_reader_of_the_ukrainian_stream_gets_only_its_edition_s_stories(editor):
    """Connected to `/live/stream?edition=uk`, a reader gets the Ukrainian story published
    after an English one, and never the English one; the stream at / gets the English one."""

    async def scenario():
        async with (
            StreamClient(application, query="edition=uk") as ukrainian,
            StreamClient(application) as english,
        ):
            for reader in (ukrainian, english):
                await reader.read_until(
                    lambda m: any("connected" in c for x in m for c in x.comments)
                )
            await a_quick_post(editor, "Cranes are back at work on the quay")
            await a_quick_post(editor, "Крани знову працюють на причалі", language="uk")
            uk_events = events(await ukrainian.read_until(lambda m: len(events(m)) >= 1))
            en_events = events(await english.read_until(lambda m: len(events(m)) >= 1))
            return uk_events, en_events

    uk_events, en_events = asyncio.run(scenario())
    assert [m.json["story"]["url"].startswith("/uk/stories/") for m in uk_events] == [True]
    assert "Крани знову працюють на причалі" in uk_events[0].json["html"]
    assert [m.json["story"]["slug"] for m in en_events] == ["cranes-are-back-at-work-on-the-quay"]


def _quick_post(user, headline: str, language: str = "en"):
    story = actions.do_create_story(user, {"headline": headline, "body": "…", "language": language})
    return actions.do_publish_story(user, story.pk)


a_quick_post = sync_to_async(_quick_post)


def test_an_update_mark_is_in_ukrainian(client, editor, publish):
    """"(Updated: …)" on a Ukrainian story reads "(Оновлено: 21:40)", on its page and as a
    feed item."""
    story = publish("Міст знову відкрили", language="uk")
    actions.do_update_story(
        editor, story.pk, {"body": "Міст відкрили для всіх."}, expected_version=None,
        mark_as_update=True,
    )  # fmt: skip
    for url in (story.get_absolute_url(), "/uk/"):
        assert re.search(r"\(Оновлено: <time[^>]*>\d\d:\d\d</time>\)", text_of(client, url)), url
