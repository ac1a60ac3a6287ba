"""No draft, scheduled or unpublished story reaches a reader, by any road.

A newsroom with published stories (enough for several Show More pages) and secret ones — a
contributor's draft, a draft with a lead image, a scheduled story, an unpublished story, a
story scheduled then withdrawn — each carrying invented words that appear nowhere else. An
anonymous crawler then follows every link and address it can find from the front page, the
feeds, the sitemaps, robots.txt, the API and the live stream, and asks for every secret story
directly by slug and id, and searches for every secret word. Not one secret word may appear in
any answer, and the draft's image files must not be served.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from newsdesk.config.asgi import application
from newsdesk.imports.runner import run_import
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Story
from newsdesk.wires.actions import do_add_source, do_store_items, do_use_item
from newsdesk.wires.models import WireItem
from newsdesk.wires.parsers import ParsedItem
from tests.conftest import make_user
from tests.live.sse import StreamClient, fresh_hubs, parse_sse  # noqa: F401 (fresh_hubs is a fixture)
from tests.media.imagefiles import image_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
    pytest.mark.usefixtures("fresh_hubs"),
]

# Invented words: each appears only in one secret story, so seeing one anywhere is a leak.
SECRETS = {
    "draft": ("Quorvane", "Blixtorium", "Fennaglow"),
    "draft_image": ("Zandrupel", "Mookwether", "Trillivax"),
    "scheduled": ("Embargolux", "Vantrexil", "Grimbledorn"),
    "unpublished": ("Pullbackia", "Sorrowmint", "Yestervane"),
    "unscheduled": ("Holdfastor", "Quellumbra", "Nixtrovel"),
    "image_text": ("Snorkelpine", "Obscurant Credit Wexley", "Veiled Caption Drumlin"),
    # A draft placing a library photo inline (issue 15), with the photo's own secret words and
    # the caption and credit the draft gives it.
    "draft_inline": ("Figurantix", "Plinthowle", "Gallerinth"),
    "inline_image_text": ("Lanternquay", "Shutterbriar", "Negativelm"),
    "inline_placement": ("Captionmarrow", "Creditfennel", "Placementor"),
    # The desk's notes (a published story's included) and the note a story was returned with.
    "notes": ("Murmelwick", "Tattlebrine", "Hushquarry"),
    # Posts of an imported WordPress archive that readers of the old site could not see.
    "imported_draft": ("Archivodraft", "Dustjacketon", "Shelvomire"),
    "imported_private": ("Privatorix", "Lockboxelle", "Keyholdmar"),
    "imported_future": ("Futurambel", "Tomorrowisk", "Laterplinth"),
    "imported_password": ("Passwordion", "Cipherblume", "Gatekeepra"),
    "draft_entry": ("Gloamwhistle", "Pendrigast", "Tovaquill"),
    "entry_in_review": ("Quorblethane", "Mistrovale", "Yarrowquint"),
    "deleted_entry": ("Rescindora", "Wiltmarrow", "Halcyplume"),
    "draft_coverage": ("Prelivium", "Undawnish", "Corvantis"),
    # Agency wire items (never public), and one an editor used to start a draft.
    "wire": ("Telexfalcon", "Wirequillon", "Agencymorrow"),
    "wire_used": ("Stringerbolt", "Dispatchelm", "Bulletinoxa"),
    # The Ukrainian edition's own secrets (issue 19): a draft and a story since unpublished.
    "uk_draft": ("Таємнолист", "Прихованець", "Шепотинія"),
    "uk_unpublished": ("Відкликанія", "Зниклівка", "Забудьмір"),
    # Translations (issue 19): an original unpublished after its translation went out, a draft
    # translation of a published story, and a translation published then unpublished.
    "translated_original": ("Originalwick", "Sourcebrane", "Mothertongue"),
    "draft_translation": ("Perekladny", "Chernetkova", "Movoznav"),
    "unpublished_translation": ("Znyatokrai", "Vidklykana", "Skasovanets"),
}
IMPORTED = {  # WordPress status and password of each imported secret post, by key and post id
    "imported_draft": (901, "draft", ""),
    "imported_private": (902, "private", ""),
    "imported_future": (903, "future", ""),
    "imported_password": (904, "publish", "enter"),
}
ALL_WORDS = [w for words in SECRETS.values() for w in words]
SKIP_PREFIXES = ("/desk/", "/admin/", "/static/", "/live/stream")
MAX_PAGES = 3000


def _wordpress_export(path) -> None:
    """An export of the four kinds of post a WordPress reader could not see, plus a public one."""
    items = []
    for key, (post_id, status, password) in IMPORTED.items():
        head, summary_word, body_word = SECRETS[key]
        items.append(
            f"<item><title>{head} archived plan</title>"
            f"<link>https://old.example.org/2019/05/{key}/</link>"
            "<dc:creator>oldhand</dc:creator>"
            f"<content:encoded><![CDATA[<p>About {body_word}.</p>]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[The {summary_word} summary.]]></excerpt:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id>"
            "<wp:post_date>2099-05-01 10:00:00</wp:post_date>"
            "<wp:post_date_gmt>2099-05-01 10:00:00</wp:post_date_gmt>"
            f"<wp:post_name>{key.replace('_', '-')}</wp:post_name><wp:status>{status}</wp:status>"
            f"<wp:post_password>{password}</wp:post_password><wp:post_type>post</wp:post_type>"
            '<category domain="category" nicename="energy">Energy</category></item>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>'
        "<link>https://old.example.org</link>"
        "<wp:author><wp:author_login>oldhand</wp:author_login>"
        "<wp:author_display_name>Old Hand</wp:author_display_name></wp:author>"
        + "".join(items)
        + "</channel></rss>"
    )


def _wire_items(editor) -> list[Story]:
    """Two wire items of a push source (one with a picture) and the draft "Use" made of one."""
    source = do_add_source(editor, name="Leak Wire Agency", kind="ninjs").source
    items = []
    for key in ("wire", "wire_used"):
        head, summary_word, body_word = SECRETS[key]
        items.append(
            ParsedItem(
                guid=f"urn:leak:{key}",
                headline=f"{head} wire flash",
                body=f"About {body_word}.",
                byline=f"{summary_word} Staff",
                urgency=1,
                images=[{"href": "https://agency.example/p.jpg", "caption": summary_word}],
            )
        )
    do_store_items(source, items)
    used = WireItem.objects.get(guid="urn:leak:wire_used")
    return [do_use_item(editor, used.pk, wire_url=f"https://desk.example/desk/wires/{used.pk}/")]


def _secret_story(user, key: str, slug: str, **extra):
    head, summary_word, body_word = SECRETS[key]
    return actions.do_create_story(
        user,
        {
            "headline": f"{head} plan revealed",
            "slug": slug,
            "summary": f"The {summary_word} summary.",
            "body": f"Paragraph about {body_word} and more.\n\n{head} again.",
            **extra,
        },
    )


@pytest.fixture
def newsroom(db, tmp_path):
    """Published stories across two authors and topics, plus every kind of secret story."""
    editor = make_user("editor", "leak-editor")
    contributor = make_user("contributor", "leak-contrib")
    alba = actions.do_save_author(editor, None, {"name": "Alba Reyes", "role": "Reporter"})
    bram = actions.do_save_author(editor, None, {"name": "Bram Okafor", "role": "Reporter"})
    energy = actions.do_save_topic(editor, None, {"name": "Energy"})
    harbour = actions.do_save_topic(editor, None, {"name": "Harbour"})
    public_image = do_upload_image(
        editor, image_bytes(size=(900, 600)), alt_text="Cranes at dusk", caption="The quay"
    )
    published = []
    for i in range(47):
        story = actions.do_create_story(
            editor,
            {
                "headline": f"Harbour update number {i}",
                "summary": f"Ordinary summary {i}.",
                "body": f"Ordinary words for item {i}.",
                "author_ids": [alba.pk if i % 2 else bram.pk],
                "topic_ids": [energy.pk if i % 3 else harbour.pk],
                "kind": "article" if i % 5 == 0 else "update",
                "lead_image_id": public_image.pk if i == 0 else None,
            },
        )
        published.append(actions.do_publish_story(editor, story.pk))
    actions.do_set_pinned(editor, published[3].pk, True)
    # A published story showing a photo inline only (no lead image): its files are public, so
    # the crawl, which reaches them, would reach a draft's inline photo too if it leaked.
    inline_public = do_upload_image(
        editor, image_bytes(size=(900, 600), color=(200, 120, 40)), alt_text="Nets drying"
    )
    pictures = actions.do_create_story(
        editor,
        {"headline": "Pictures from the quay", "body": f"Nets.\n\n[image {inline_public.pk}]"},
    )
    published.append(actions.do_publish_story(editor, pictures.pk))
    # Secret stories share the public authors and topics, so they would show on their pages.
    shared = {"author_ids": [alba.pk], "topic_ids": [energy.pk, harbour.pk]}
    draft = _secret_story(contributor, "draft", "secret-one", topic_ids=shared["topic_ids"])
    secret_image = do_upload_image(
        contributor,
        image_bytes(size=(1200, 800), color=(10, 200, 90)),
        alt_text=SECRETS["image_text"][0],
        caption=SECRETS["image_text"][2],
        credit=SECRETS["image_text"][1],
    )
    draft_image = _secret_story(
        contributor,
        "draft_image",
        "secret-two",
        kind="article",
        lead_image_id=secret_image.pk,
        topic_ids=shared["topic_ids"],
    )
    alt, credit, caption = SECRETS["inline_image_text"]
    inline_secret = do_upload_image(
        editor,
        image_bytes(size=(1000, 700), color=(90, 10, 160)),
        alt_text=f"{alt} at night",
        caption=caption,
        credit=credit,
    )
    placed_caption, placed_credit, placement_word = SECRETS["inline_placement"]
    draft_inline = _secret_story(
        editor,
        "draft_inline",
        "secret-inline",
        kind="article",
        topic_ids=shared["topic_ids"],
    )
    draft_inline = actions.do_update_story(
        editor,
        draft_inline.pk,
        {
            "body": f"{draft_inline.body}\n\n{placement_word} below.\n\n"
            f"[image {inline_secret.pk} | {placed_caption} | {placed_credit}]",
        },
        expected_version=None,
    )
    # Only an editor puts another person's name on a contributor's byline.
    for story in (draft, draft_image):
        actions.do_update_story(editor, story.pk, {"author_ids": [alba.pk]}, expected_version=None)
    scheduled = _secret_story(editor, "scheduled", "secret-three", **shared)
    actions.do_schedule_story(editor, scheduled.pk, timezone.now() + dt.timedelta(hours=6))
    unpublished = _secret_story(editor, "unpublished", "secret-four", **shared)
    actions.do_publish_story(editor, unpublished.pk)
    actions.do_set_pinned(editor, unpublished.pk, True)
    actions.do_unpublish_story(editor, unpublished.pk)
    unscheduled = _secret_story(editor, "unscheduled", "secret-five", **shared)
    actions.do_schedule_story(editor, unscheduled.pk, timezone.now() + dt.timedelta(hours=1))
    actions.do_unpublish_story(editor, unscheduled.pk)
    # A published story whose body links to a secret one on a line of its own (a card).
    linker = actions.do_create_story(
        editor,
        {
            "headline": "Links onward",
            "body": "See also:\n\n/stories/secret-one/\n\n/stories/secret-three/",
        },
    )
    actions.do_publish_story(editor, linker.pk)
    # Notes at the desk: on published stories (whose pages, feeds and API answers readers get),
    # one sent with a submission, and the note a story in review was returned with.
    murmel, tattle, hush = SECRETS["notes"]
    actions.do_add_story_note(editor, published[0].pk, f"Check {murmel} before noon.")
    actions.do_add_story_note(editor, published[3].pk, f"Pinned until {murmel} says so.")
    reviewed = actions.do_create_story(
        contributor, {"headline": "Reviewed harbour story", "body": "Ordinary reviewed words."}
    )
    actions.do_submit_for_review(contributor, reviewed.pk, note=f"Quote from {tattle}.")
    actions.do_return_story(editor, reviewed.pk, f"Ask {hush} to confirm.")
    actions.do_submit_for_review(contributor, reviewed.pk)
    published.append(actions.do_approve_story(editor, reviewed.pk))
    # A draft waiting in review, with a note: its words and its note stay at the desk.
    actions.do_submit_for_review(contributor, draft.pk, note=f"Also {hush} and {tattle}.")
    secrets = [draft, draft_image, scheduled, unpublished, unscheduled, draft_inline]
    # The Ukrainian edition (/uk/): more than a page of its own stories on the same topic and
    # author, a Ukrainian draft, and a Ukrainian story published, pinned and taken down.
    ukrainian = []
    for i in range(23):
        story = actions.do_create_story(
            editor,
            {
                "headline": f"Оновлення з гавані номер {i}",
                "slug": f"uk-update-{i}",
                "body": f"Звичайні слова про оновлення {i}.",
                "language": "uk",
                **shared,
            },
        )
        ukrainian.append(actions.do_publish_story(editor, story.pk))
    uk_draft = _secret_story(editor, "uk_draft", "secret-uk-one", language="uk", **shared)
    uk_unpublished = _secret_story(
        editor, "uk_unpublished", "secret-uk-two", language="uk", **shared
    )
    actions.do_publish_story(editor, uk_unpublished.pk)
    actions.do_set_pinned(editor, uk_unpublished.pk, True)
    actions.do_unpublish_story(editor, uk_unpublished.pk)
    secrets += [uk_draft, uk_unpublished]
    export = tmp_path / "old-site.xml"
    _wordpress_export(export)
    summary = run_import("wordpress", export, user=editor)
    assert summary.created == len(IMPORTED)
    secrets += list(Story.objects.filter(redirects__origin="wordpress").distinct())
    live = _live_coverage(editor, contributor, alba, energy)
    secrets += _wire_items(editor)
    translated = _translations(editor, alba, energy)
    secrets += translated["secrets"]
    return {
        "translated": translated,
        "live": live,
        "secrets": secrets,
        "secret_image": secret_image,
        "public_image": public_image,
        "inline_secret": inline_secret,
        "inline_public": inline_public,
        "published": published,
        "ukrainian": ukrainian,
    }


def _live_coverage(editor, contributor, author, topic) -> dict:
    """A published live coverage with two pages of entries, a key event and a pinned entry; in
    it a contributor's draft entry, another waiting in the review queue, and an entry deleted
    after being a key event and pinned; and a live coverage still in draft, with a draft entry
    of its own."""
    coverage = actions.do_create_story(
        editor,
        {
            "headline": "Harbour storm: live",
            "summary": "What we know so far.",
            "kind": "live",
            "author_ids": [author.pk],
            "topic_ids": [topic.pk],
        },
    )
    actions.do_publish_story(editor, coverage.pk)
    entries = [
        actions.do_post_entry(editor, coverage.pk, {"body": f"Ordinary entry {n}."})
        for n in range(25)
    ]
    actions.do_set_key_event(editor, entries[2].pk, True)
    actions.do_set_pinned_entry(editor, entries[5].pk, True)
    head, middle, tail = SECRETS["draft_entry"]
    draft = actions.do_post_entry(
        contributor,
        coverage.pk,
        {"headline": f"{head} report", "body": f"{middle} and {tail}."},
        publish=False,
    )
    head, middle, tail = SECRETS["entry_in_review"]
    in_review = actions.do_post_entry(
        contributor,
        coverage.pk,
        {"headline": f"{head} report", "body": f"{middle} and {tail}."},
        publish=False,
        review=True,
    )
    head, middle, tail = SECRETS["deleted_entry"]
    deleted = actions.do_post_entry(
        editor, coverage.pk, {"headline": f"{head} report", "body": f"{middle} and {tail}."}
    )
    actions.do_set_key_event(editor, deleted.pk, True)
    actions.do_set_pinned_entry(editor, deleted.pk, True)
    actions.do_unpublish_story(editor, deleted.pk)
    head, middle, tail = SECRETS["draft_coverage"]
    hidden = actions.do_create_story(
        editor,
        {"headline": f"{head}: live", "summary": f"{middle}.", "kind": "live", "slug": "prelive"},
    )
    hidden_entry = actions.do_post_entry(
        editor, hidden.pk, {"body": f"{tail} entry in a draft coverage."}, publish=False
    )
    return {
        "coverage": coverage,
        "entries": entries,
        "secrets": [draft, in_review, deleted, hidden, hidden_entry],
    }


def _translation(editor, story, key: str | None, publish: bool):
    """`story`'s Ukrainian translation, rewritten (with the secret words of `key`, or ordinary
    Ukrainian ones), and published when asked."""
    if key is None:
        words = ("Гавань знову відкрита", "Звичайний підсумок.", "Звичайні слова перекладу.")
    else:
        head, summary_word, body_word = SECRETS[key]
        words = (f"{head} план", f"Підсумок {summary_word}.", f"Про {body_word}.")
    translation = actions.do_create_translation(editor, story.pk, "uk")
    translation = actions.do_update_story(
        editor,
        translation.pk,
        {"headline": words[0], "summary": words[1], "body": words[2]},
        expected_version=None,
    )
    if publish:
        translation = actions.do_publish_story(editor, translation.pk)
    return translation


def _translations(editor, author, topic) -> dict:
    """Three published stories each with a published other language, and the secret members
    of their groups: an original unpublished after its translation went out, a draft
    translation, and a translation unpublished after it went out."""
    shared = {"author_ids": [author.pk], "topic_ids": [topic.pk]}
    original = _secret_story(editor, "translated_original", "originalwick-plan", **shared)
    actions.do_publish_story(editor, original.pk)
    kept = _translation(editor, original, None, publish=True)
    actions.do_unpublish_story(editor, original.pk)
    english = actions.do_create_story(
        editor, {"headline": "Ferries run again", "body": "Ordinary ferry words.", **shared}
    )
    english = actions.do_publish_story(editor, english.pk)
    draft = _translation(editor, english, "draft_translation", publish=False)
    other = actions.do_create_story(
        editor, {"headline": "Quay lights repaired", "body": "Ordinary quay words.", **shared}
    )
    other = actions.do_publish_story(editor, other.pk)
    withdrawn = _translation(editor, other, "unpublished_translation", publish=True)
    actions.do_unpublish_story(editor, withdrawn.pk)
    return {"visible": [kept, english, other], "secrets": [original, draft, withdrawn]}


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in ALL_WORDS if word.lower() in lowered]


_ATTR_URL = re.compile(
    r"""(?:href|src|action|poster|data-fragment|data-live-fragment)\s*=\s*["']([^"']+)["']""", re.I
)
_SRCSET = re.compile(r"""srcset\s*=\s*["']([^"']+)["']""", re.I)
_LOC = re.compile(r"<(?:loc|id|link|uri)>\s*([^<\s]+)\s*</", re.I)
_JSON_URL = re.compile(
    r'"(?:url|next_url|external_url|image|banner_image|feed_url|home_page_url|next)"\s*:\s*"([^"]+)"'
)


def _links(body: str) -> list[str]:
    found = _ATTR_URL.findall(body) + _LOC.findall(body) + _JSON_URL.findall(body)
    for srcset in _SRCSET.findall(body):
        found += [part.strip().split(" ")[0] for part in srcset.split(",") if part.strip()]
    found += re.findall(r"^Sitemap:\s*(\S+)", body, re.M)
    return [url.replace("&amp;", "&") for url in found]


def _local(url: str, base: str) -> str | None:
    """The path and query of a URL on this site, or None for other sites and desk pages."""
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"}:
        return None
    if parts.hostname not in {"testserver", "127.0.0.1", "localhost"}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    return path


def crawl(client: Client, starts: list[str]) -> dict[str, tuple[int, str]]:
    """Every page reachable from `starts` by following links, with its status and text."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        is_text = not content_type.startswith("image/")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace") if is_text else ""
        seen[path] = (response.status_code, text)
        if is_text and response.status_code == 200:
            for link in _links(text):
                local = _local(link, "http://testserver" + path)
                if local and local not in seen:
                    queue.append(local)
    assert len(seen) < MAX_PAGES, "the crawl did not finish; raise MAX_PAGES"
    return seen


def test_an_anonymous_crawl_of_every_public_surface_never_shows_a_secret_word(newsroom):
    """From the front page, the feeds, the sitemaps, robots.txt and the API, following every
    link (Show More pages, fragments, author and topic pages and their pagination, story pages,
    feeds and sitemap sections, image files), no page contains a word of a draft, scheduled or
    unpublished story, and every published story was reached."""
    client = Client()
    starts = [
        "/",
        "/more/",
        "/feed/rss.xml",
        "/feed/atom.xml",
        "/feed/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/api/v1/feed",
        "/api/v1/authors",
        "/api/v1/topics",
        "/api/v1/openapi.json",
        "/live/poll?after=0",
        "/live/poll",
        # The desk's notes and histories through the API need a token: without one, nothing.
        *(
            f"/api/v1/stories/{story.pk}/{route}"
            for story in (newsroom["published"][0], newsroom["published"][-1])
            for route in ("notes", "history")
        ),
        "/api/v1/review-queue",
        # The photo library through the API needs a token too.
        "/api/v1/images",
        "/api/v1/images?q=Lanternquay",
        f"/api/v1/images/{newsroom['inline_secret'].pk}",
        "/api/v1/live",
        f"/api/v1/live/{newsroom['live']['coverage'].pk}/entries",
        f"/live/poll?after=0&coverage={newsroom['live']['coverage'].slug}",
        "/api/v1/ninjs/stories",
        *(f"/api/v1/stories/{story.pk}?format=ninjs" for story in newsroom["published"][:3]),
        # The Ukrainian edition's own surfaces (its pages link on to the rest).
        "/uk/",
        "/uk/more/",
        "/uk/feed/rss.xml",
        "/uk/feed/atom.xml",
        "/uk/feed/feed.json",
        "/uk/sitemap.xml",
        "/uk/news-sitemap.xml",
        "/live/poll?after=0&edition=uk",
    ]
    pages = crawl(client, starts)
    leaks = {path: _leaks(text) for path, (_status, text) in pages.items() if _leaks(text)}
    assert leaks == {}
    server_errors = [path for path, (status, _) in pages.items() if status >= 500]
    assert server_errors == []
    reached = set(pages)
    # The detector reads real content: public words are found where secret ones are not.
    texts = [text for _status, text in pages.values()]
    assert sum("Harbour update number 0" in t for t in texts) >= 5
    for story in newsroom["published"]:
        assert f"/stories/{story.slug}/" in reached
    # Show More was followed to the end on the feed and on author and topic pages.
    assert any(p.startswith("/?before=") for p in reached)
    assert any(p.startswith("/more/?before=") for p in reached)
    assert any(p.startswith("/authors/alba-reyes/?before=") for p in reached)
    assert any(p.startswith("/topics/energy/?before=") for p in reached)
    assert any(p.startswith("/api/v1/feed?before=") for p in reached)
    assert any(p.startswith("/sitemap-") for p in reached)
    assert any(p.startswith("/authors/") and "/feed/" in p for p in reached)
    assert any(p.startswith("/topics/") and "/feed/" in p for p in reached)
    # Every story of the Ukrainian edition, at its address there, through its own Show More.
    for story in newsroom["ukrainian"]:
        assert f"/uk/stories/{story.slug}/" in reached
    assert any(p.startswith("/uk/?before=") for p in reached)
    assert any(p.startswith("/uk/authors/alba-reyes/?before=") for p in reached)
    assert any(p.startswith("/uk/topics/energy/") and "/feed/" in p for p in reached)
    assert any(p.startswith("/uk/sitemap-") for p in reached)
    # The live page, its Show More pages, fragments, feeds and every entry's own address.
    live = newsroom["live"]["coverage"]
    assert any(p.startswith(f"/live/{live.slug}/?before=") for p in reached)
    assert any(p.startswith(f"/live/{live.slug}/more/?before=") for p in reached)
    assert any(p.startswith(f"/live/{live.slug}/feed/") for p in reached)
    for entry in newsroom["live"]["entries"]:
        assert entry.get_absolute_url() in reached
    # The published side of each translated story was reached, carrying no trace of the other.
    for story in newsroom["translated"]["visible"]:
        assert story.get_absolute_url() in reached
    # The crawl found the public image's files, so it would have found the secret one's.
    public_image = newsroom["public_image"]
    assert any(p.startswith("/media/") for p in reached), "no image files were linked"
    secret_stem = newsroom["secret_image"].file.name.rsplit(".", 1)[0]
    assert not any(secret_stem in p for p in reached)
    assert any(public_image.file.name.rsplit(".", 1)[0] in p for p in reached)
    # A photo shown inline by a published story is reached (srcset included); one shown inline
    # by a draft is not.
    inline_public = newsroom["inline_public"]
    reached_public_inline = [p for p in reached if inline_public.file.name.rsplit(".", 1)[0] in p]
    assert len(reached_public_inline) > 1
    inline_stem = newsroom["inline_secret"].file.name.rsplit(".", 1)[0]
    assert not any(inline_stem in p for p in reached)


def test_an_unpublished_language_leaves_no_trace_on_the_published_ones(newsroom):
    """For each story whose other language is unpublished or a draft: the published one's page
    has no link or hreflang to it, the sitemap lists no alternates for it, its JSON-LD and API
    answers (the story and its languages) name neither its words, its address nor its id."""
    client = Client()
    visible = newsroom["translated"]["visible"]
    secrets = newsroom["translated"]["secrets"]
    for path in ("/sitemap-stories.xml", "/uk/sitemap-stories.xml"):  # each edition's
        sitemap = client.get(path)
        text = sitemap.content.decode()
        assert sitemap.status_code in {200, 404} and "hreflang" not in text and not _leaks(text)
    for story, hidden in zip(visible, secrets, strict=True):
        page = client.get(story.get_absolute_url()).content.decode()
        assert page and not _leaks(page)
        assert '<link rel="alternate" hreflang=' not in page
        assert "data-translation-link" not in page
        assert hidden.get_absolute_url() not in page
        jsonld = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
        assert jsonld and not any(_leaks(block) for block in jsonld)
        for path in (
            f"/api/v1/stories/{story.pk}",
            f"/api/v1/stories/{story.pk}/translations",
            f"/api/v1/stories/{story.pk}?format=ninjs",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            text = response.content.decode()
            assert not _leaks(text) and hidden.slug not in text, path
            if path.endswith("/translations"):
                assert response.json() == []
        assert client.get(f"/api/v1/stories/{hidden.pk}/translations").status_code == 404


def test_every_secret_story_is_not_found_by_slug_or_id_and_its_404_says_nothing(newsroom):
    """Story pages, API by id and by slug, and the topic/author feeds answer 404 (or list
    nothing) for every secret story, and the 404 pages carry none of its words."""
    client = Client()
    for story in newsroom["secrets"]:
        for path in (
            f"/stories/{story.slug}/",
            f"/stories/{story.slug}",
            f"/api/v1/stories/{story.pk}",
            f"/api/v1/stories/by-slug/{story.slug}",
        ):
            response = client.get(path, follow=True)
            assert response.status_code == 404, path
            assert _leaks(response.content.decode()) == [], path


def test_old_addresses_of_imported_secret_posts_lead_nowhere(newsroom):
    """An imported draft, private, scheduled or password-protected post keeps its old
    addresses as redirects, but they answer as if nothing were there until it is published."""
    client = Client()
    for key, (post_id, _status, _password) in IMPORTED.items():
        for path in (f"/2019/05/{key}/", f"/2019/05/{key}", f"/?p={post_id}"):
            response = client.get(path)
            assert response.status_code in {200, 404}, path  # the News Feed for /?p=
            assert "Location" not in response, path
            assert _leaks(response.content.decode()) == [], path


def test_draft_and_deleted_entries_and_draft_coverage_are_not_found(newsroom):
    """Entry addresses, the live page and its API of a draft coverage, and the API by id answer
    404 for every secret entry and coverage, and say none of their words."""
    client = Client()
    live = newsroom["live"]["coverage"]
    draft, in_review, deleted, hidden, hidden_entry = newsroom["live"]["secrets"]
    paths = [
        f"/live/{live.slug}/entries/{draft.pk}/",
        f"/live/{live.slug}/entries/{in_review.pk}/",
        f"/live/{live.slug}/entries/{deleted.pk}/",
        f"/live/other/entries/{deleted.pk}/",
        f"/live/{hidden.slug}/",
        f"/live/{hidden.slug}/entries/{hidden_entry.pk}/",
        f"/live/{hidden.slug}/feed/rss.xml",
        f"/api/v1/live/{hidden.pk}",
        f"/api/v1/live/{hidden.pk}/entries",
        f"/stories/{hidden.slug}/",
        *(f"/api/v1/stories/{story.pk}" for story in newsroom["live"]["secrets"]),
    ]
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert _leaks(response.content.decode()) == [], path


def test_searching_for_each_secret_word_finds_nothing(newsroom):
    """Reader search and API search for every secret word (and all of them at once) find no
    story and echo no secret text beyond the query itself."""
    client = Client()
    for word in ALL_WORDS:
        for path in ("/search", "/uk/search", "/api/v1/search"):
            response = client.get(path, {"q": word})
            assert response.status_code == 200, (path, word)
            text = response.content.decode()
            others = [w for w in _leaks(text) if w.lower() not in word.lower()]
            assert others == [], (path, word)
            if path == "/api/v1/search":
                assert response.json()["items"] == []
            else:
                assert "secret-" not in text


def test_the_live_stream_replayed_from_the_start_carries_no_secret_word(newsroom):
    """A reader connecting with Last-Event-ID 0 gets every feed event ever written — including
    the publish and pin of the story since unpublished — but the unpublished story comes only as
    an id marked invisible, with no headline, slug or HTML."""
    unpublished = newsroom["secrets"][3]

    async def replay() -> str:
        async with StreamClient(application, headers={"Last-Event-ID": "0"}) as reader:
            await reader.read_until(
                lambda messages: sum(1 for m in messages if m.event) >= 50, timeout=30
            )
            return reader.buffer

    text = asyncio.run(replay())
    assert _leaks(text) == []
    about_unpublished = [
        json.loads(m.data)
        for m in parse_sse(text)
        if m.event and json.loads(m.data)["story"]["id"] == unpublished.pk
    ]
    assert {p["event"] for p in about_unpublished} >= {"published", "pinned", "unpublished"}
    assert all(p["story"] == {"id": unpublished.pk, "visible": False} for p in about_unpublished)
    assert "secret-four" not in text


def test_a_draft_lead_images_files_are_refused_to_readers_but_shown_at_the_desk(newsroom):
    """Every file of a draft's lead image (original and renditions) is a 404 for an anonymous
    reader who knows its address; a contributor at the desk still sees it; the files of an
    image on a published story are served to everyone."""
    secret = newsroom["secret_image"]
    names = [secret.file.name, *(r["name"] for r in secret.renditions)]
    assert len(names) > 1
    anonymous = Client()
    for name in names:
        assert anonymous.get(f"/media/{name}").status_code == 404, name
    desk = Client()
    desk.force_login(make_user("contributor", "leak-desk"))
    response = desk.get(f"/media/{secret.file.name}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    public = newsroom["public_image"]
    for name in [public.file.name, *(r["name"] for r in public.renditions)]:
        response = anonymous.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert "public" in response["Cache-Control"]


def test_a_draft_image_becomes_public_when_its_story_is_published(newsroom):
    """Publishing the story makes its lead image's files reachable: the rule follows the story,
    not the upload."""
    editor = make_user("editor", "leak-publisher")
    secret_story = newsroom["secrets"][1]
    image = newsroom["secret_image"]
    assert Client().get(f"/media/{image.file.name}").status_code == 404
    actions.do_publish_story(editor, secret_story.pk)
    assert Client().get(f"/media/{image.file.name}").status_code == 200


def test_desk_notes_are_at_the_desk_and_nowhere_a_reader_goes(newsroom):
    """The crawl's note words are real: an editor reads them on the story at the desk and
    through the API with a token, while the story's public page and API answer have none."""
    from newsdesk.api.actions import do_create_token

    story = newsroom["published"][0]
    word = SECRETS["notes"][0]
    editor = make_user("editor", "leak-note-reader")
    desk = Client()
    desk.force_login(editor)
    assert word in desk.get(f"/desk/stories/{story.pk}/").content.decode()
    token = do_create_token(editor, "notes")[1]
    notes = Client().get(f"/api/v1/stories/{story.pk}/notes", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert word in notes.content.decode()
    for path in (story.get_absolute_url(), f"/api/v1/stories/{story.pk}"):
        response = Client().get(path)
        assert response.status_code == 200
        assert _leaks(response.content.decode()) == []


def test_wire_items_are_at_the_desk_and_nowhere_a_reader_goes(newsroom):
    """The crawl's wire words are real: the desk's wire list and item pages show them; readers,
    anonymous API clients and the push endpoint without a token get none of them."""
    word = SECRETS["wire"][0]
    item = WireItem.objects.get(guid="urn:leak:wire")
    desk = Client()
    desk.force_login(make_user("contributor", "leak-wire-reader"))
    assert word in desk.get("/desk/wires/").content.decode()
    assert SECRETS["wire"][2] in desk.get(f"/desk/wires/{item.pk}/").content.decode()
    anonymous = Client()
    for path in ("/desk/wires/", f"/desk/wires/{item.pk}/", "/desk/wires/stamp/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and _leaks(response.content.decode()) == []
    for path in (
        f"/api/v1/wires/{item.source.slug}/items",
        "/api/v1/wires",
        f"/api/v1/wires/{item.pk}",
    ):
        assert _leaks(anonymous.get(path).content.decode()) == []
    body_word = SECRETS["wire"][2]  # searched for, it is echoed; the item's other words are not
    for path in (f"/search/?q={body_word}", f"/api/v1/search?q={body_word}"):
        assert set(_leaks(anonymous.get(path).content.decode())) <= {body_word}


def test_what_the_push_tier_is_given_carries_no_secret_word(newsroom, settings):
    """With NEWSDESK_PUSH=pushpin, the answer Pushpin gets for a reader starting from the first
    event, and every item the publisher would send it for every feed event ever written, show no
    secret word: the unpublished story is an invisible id there too."""
    from newsdesk.live import push
    from newsdesk.stories.models import FeedEvent

    settings.PUSH = "pushpin"

    async def answer_to_pushpin() -> str:
        client = StreamClient(application, headers={"Grip-Sig": "x", "Last-Event-ID": "0"})
        async with client:
            await asyncio.wait_for(client.task, timeout=30)
            while not client.chunks.empty():
                client.buffer += (await client.chunks.get()).get("body", b"").decode()
        assert client.headers[b"grip-hold"] == b"stream"
        return client.buffer

    body = asyncio.run(answer_to_pushpin())
    assert len([m for m in parse_sse(body) if m.event]) >= 50
    assert _leaks(body) == []
    items = push.items_for(list(FeedEvent.objects.values_list("pk", flat=True)))
    published = json.dumps(items, ensure_ascii=False)
    assert _leaks(published) == []
    assert "secret-four" not in published


def test_a_drafts_inline_photo_is_public_only_while_a_published_story_shows_it(newsroom):
    """An image placed in a draft's body (`[image N]`) is a 404 for readers, every rendition;
    publishing the story serves it; unpublishing makes it private again."""
    editor = make_user("editor", "leak-inline")
    image = newsroom["inline_secret"]
    story = Story.objects.get(slug="secret-inline")
    names = [image.file.name, *(r["name"] for r in image.renditions)]

    def statuses() -> set[int]:
        return {Client().get(f"/media/{name}").status_code for name in names}

    assert statuses() == {404}
    actions.do_publish_story(editor, story.pk)
    assert statuses() == {200}
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "<figcaption>Captionmarrow" in page and "srcset=" in page
    actions.do_unpublish_story(editor, story.pk)
    assert statuses() == {404}
