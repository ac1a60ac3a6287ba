"""Story text: Markdown rendering, sanitising, related-story cards and reading time."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from newsdesk.config import env
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.excerpts import cut_at_word
from newsdesk.stories.markdown import outline_headings, render_markdown
from newsdesk.stories.reading_time import count_words, minutes_for_words
from tests.media.imagefiles import image_bytes

SITE = "https://news.example.org"
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def render(source: str) -> str:
    return render_markdown(source, site_url=SITE)


def shared_data(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        if env.is_ci():
            pytest.fail(f"Shared test data {path} is missing; CI must have it.")
        pytest.skip(f"Shared test data folder not present ({path}); it sits next to the repo.")
    return path


def assert_harmless(rendered: str) -> None:
    if not rendered.strip():
        return
    tree = lxml.html.fragment_fromstring(rendered, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in {"script", "iframe", "object", "embed", "style", "svg"}, rendered
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), rendered
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "srcset"}:
                cleaned = "".join(value.split()).lower()
                assert not cleaned.startswith(BAD_SCHEMES), rendered


# ── Markdown ─────────────────────────────────────────────────────────────────────────────────


def test_markdown_blocks_render():
    """Paragraphs, quotes, lists, links and inline images come out as the HTML readers expect."""
    html = render(
        "First para.\n\nSecond *para*.\n\n> A quote.\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "See [the report](https://example.com/report).\n\n![A flooded street](/media/x.jpg)"
    )
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [p.text_content() for p in tree.findall("p")][:2] == ["First para.", "Second para."]
    assert tree.find("blockquote").text_content().strip() == "A quote."
    assert [li.text for li in tree.find("ul")] == ["one", "two"]
    assert [li.text for li in tree.find("ol")] == ["first", "second"]
    link = tree.xpath("//a[text()='the report']")[0]
    assert link.get("href") == "https://example.com/report"
    assert "noopener" in link.get("rel")
    image = tree.xpath("//img")[0]
    assert (image.get("src"), image.get("alt")) == ("/media/x.jpg", "A flooded street")


def test_headings_are_demoted_so_the_page_keeps_one_h1():
    """# in a body is a sub-heading (<h2>); the headline stays the only <h1>; a heading never
    skips a level after the one before it (###### after ## is the next level down)."""
    html = render("# Background\n\n## Detail\n\n###### Deepest\n\n## Back up")
    assert "<h1" not in html
    assert re.findall(r"<h\d>[^<]*</h\d>", html) == [
        "<h2>Background</h2>", "<h3>Detail</h3>", "<h4>Deepest</h4>", "<h3>Back up</h3>"
    ]  # fmt: skip


def test_a_body_that_starts_at_h3_nests_right_under_the_headline():
    """`###` as a body's first heading is an <h2> under the page's <h1>, not a skipped level."""
    html = render("Intro.\n\n### What we know\n\n#### Roads\n\n### What next")
    assert re.findall(r"<h\d>", html) == ["<h2>", "<h3>", "<h2>"]


def test_outlining_again_under_a_deeper_heading_shifts_every_level():
    """Under a feed item's <h2> a body's headings start at <h3>; outlining is stable."""
    html = render("## A\n\n### B\n\n## C")
    assert outline_headings(html) == html
    assert re.findall(r"<h\d>", outline_headings(html, 3)) == ["<h3>", "<h4>", "<h3>"]
    assert outline_headings(outline_headings(html, 3), 3) == outline_headings(html, 3)


def test_story_urls_in_code_blocks_are_shown_as_typed():
    """A story URL in a fenced code block stays literal text; after the fence it is a link."""
    html = render("```\n/stories/abc/\n```\n\n~~~~\n/stories/def/\n~~~\n~~~~\n\n/stories/ghi/")
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [code.text for code in tree.iter("code")] == ["/stories/abc/\n", "/stories/def/\n~~~\n"]
    assert tree.xpath("//a/@href") == ["/stories/ghi/"]


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        '<a href="vbscript:msgbox(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<svg onload="alert(1)"></svg>',
        "[x](&#106;avascript:alert(1))",
    ],
)
def test_dangerous_markup_never_survives(source):
    """Scripts, event handlers and script/data URLs are stripped, whatever the Markdown."""
    html = render(source)
    assert "alert(1)</script>" not in html
    assert_harmless(html)


def test_xss_payload_list_is_harmless():
    """The first 300 payloads of a public XSS list all come out harmless."""
    lines = shared_data("xss-payload-list.txt").read_text(errors="replace").splitlines()[:300]
    assert len(lines) == 300
    for payload in lines:
        assert_harmless(render(payload))
        assert_harmless(render(f"Before\n\n{payload}\n\nAfter"))


# ── related-story cards (drawn on the story page) ────────────────────────────────────────────


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def related(editor, publish, site_url):
    image = do_upload_image(editor, image_bytes(size=(900, 600)), alt_text="Turbines at dusk")
    summary = "Wind farms produced a record share of the grid's power overnight. " * 4
    return publish(
        "Wind sets a record", summary=summary.strip(), kind="article", lead_image_id=image.pk
    )


def page_of(client, editor, publish, body: str) -> str:
    story = publish("The main story", body=body)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def story_body(page: str):
    return lxml.html.fromstring(page).xpath("//div[contains(@class, 'story__body')]")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "line",
    ["/stories/wind-sets-a-record/", "[Read this](/stories/wind-sets-a-record/)", "URL"],
    ids=["bare-path", "markdown-link", "absolute-url"],
)
def test_lone_link_to_a_published_story_becomes_a_card(client, editor, publish, related, line):
    """A link alone on its line to a published story shows its headline, summary and thumb."""
    line = line.replace("URL", f"{SITE}/stories/wind-sets-a-record/")
    body = story_body(page_of(client, editor, publish, f"Intro.\n\n{line}\n\nOutro."))
    cards = body.xpath(".//aside[contains(@class, 'story-card')]")
    assert len(cards) == 1
    card = cards[0]
    assert card.xpath(".//a/@href") == ["/stories/wind-sets-a-record/"]
    assert "Wind sets a record" in card.text_content()
    summary = card.xpath(".//*[contains(@class, 'story-card__summary')]")[0].text_content()
    assert summary.endswith("…")
    assert len(summary) <= 140
    assert summary.startswith("Wind farms produced a record share")
    thumb = card.xpath(".//img")[0]
    assert thumb.get("src").startswith("/media/images/")
    assert thumb.get("src").endswith("-400.jpg")  # the smallest rendition, not the original


@pytest.mark.django_db
def test_lone_link_to_a_draft_stays_a_plain_link(client, editor, publish, site_url):
    """A card never reveals a draft: no card, and the draft's headline is nowhere on the page."""
    secret = actions.do_create_story(
        editor, {"headline": "Secret merger talks", "summary": "Embargoed.", "body": "x"}
    )
    page = page_of(client, editor, publish, f"Intro.\n\n/stories/{secret.slug}/\n\nOutro.")
    body = story_body(page)
    assert not body.xpath(".//aside")
    assert body.xpath(".//a/@href") == [f"/stories/{secret.slug}/"]
    assert "Secret merger talks" not in page
    assert "Embargoed." not in page


@pytest.mark.django_db
def test_link_inside_a_sentence_is_not_a_card(client, editor, publish, related):
    """Only a link on a line of its own becomes a card."""
    body = story_body(
        page_of(
            client,
            editor,
            publish,
            "As [we reported](/stories/wind-sets-a-record/) yesterday, it was windy.",
        )
    )
    assert not body.xpath(".//aside")
    assert body.xpath(".//a/text()") == ["we reported"]


@pytest.mark.django_db
def test_link_to_another_site_is_not_a_card(client, editor, publish, related):
    """A same-looking path on somebody else's site is just a link."""
    body = story_body(
        page_of(client, editor, publish, "https://other.example/stories/wind-sets-a-record/")
    )
    assert not body.xpath(".//aside")
    assert "Wind sets a record" not in lxml.html.tostring(body, encoding="unicode")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "https://NEWS.example.org/stories/wind-sets-a-record/",
        "http://news.example.org/stories/wind-sets-a-record/",
        "https://news.example.org:443/stories/wind-sets-a-record/?utm=x#top",
    ],
)
def test_our_full_address_however_pasted_becomes_a_card(client, editor, publish, related, address):
    """The address an editor copies from their browser (case, http or https, default port,
    a query) is our site: it becomes a card like the root-relative form."""
    body = story_body(page_of(client, editor, publish, f"Intro.\n\n{address}\n\nOutro."))
    assert len(body.xpath(".//aside[contains(@class, 'story-card')]")) == 1


@pytest.mark.django_db
def test_a_card_follows_the_port_the_site_is_served_on(client, editor, publish, settings):
    """With NEWSDESK_SITE_URL unset and NEWSDESK_PORT=8400 the site is http://127.0.0.1:8400:
    an address on that port (or on localhost:8400) is a card; the old default port is not."""
    settings.SITE_URL = env.listening_url("127.0.0.1", 8400)
    publish("Ferry timetable", body="Boats run hourly from Monday.")
    body = story_body(
        page_of(
            client,
            editor,
            publish,
            "http://127.0.0.1:8400/stories/ferry-timetable/\n\n"
            "http://localhost:8400/stories/ferry-timetable/\n\n"
            "http://127.0.0.1:8000/stories/ferry-timetable/",
        )
    )
    assert len(body.xpath(".//aside")) == 2
    assert body.xpath("./p/a/@href") == ["http://127.0.0.1:8000/stories/ferry-timetable/"]


@pytest.mark.django_db
def test_a_card_without_a_summary_shows_the_opening_text_cut_at_a_word(client, editor, publish):
    """No summary: the card shows the story's opening words (not its cards' addresses), cut at
    a word boundary and ending with "…"."""
    words = "Crews restored power to the harbour district before dawn, " * 6
    publish("Power back", body=f"/stories/elsewhere/\n\n{words}\n\n## Later\n\nMore.")
    body = story_body(page_of(client, editor, publish, "/stories/power-back/"))
    text = body.xpath(".//*[contains(@class, 'story-card__summary')]")[0].text_content()
    assert text.startswith("Crews restored power to the harbour district before dawn")
    assert text.endswith("…") and len(text) <= 140
    assert text[:-1] == words[: len(text) - 1].rstrip(" ,")
    assert words[len(text) - 1] in " ,"  # cut at a word's end, never inside one


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short enough.", 20, "Short enough."),
        ("Wind farms produced a record share", 20, "Wind farms produced…"),
        ("Wind farms, produced a record", 12, "Wind farms…"),
        ("Supercalifragilistic words", 10, "Supercali…"),
        ("  spaced\n\nout   words here ", 15, "spaced out…"),
    ],
)
def test_cut_at_word_never_breaks_a_word(text, limit, expected):
    """Cut at a word boundary, trailing punctuation dropped, "…" counted in the limit."""
    assert cut_at_word(text, limit) == expected
    assert len(cut_at_word(text, limit)) <= limit


# ── reading time ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (10, 1), (238, 1), (239, 2), (476, 2), (477, 3)]
)
def test_reading_time_rounds_up_and_is_at_least_one_minute(words, minutes):
    """Words ÷ 238, rounded up, never below one minute."""
    assert minutes_for_words(words) == minutes


def test_word_count_ignores_markup():
    """Markdown syntax is not counted as words; contractions and hyphenations are one word."""
    from newsdesk.stories.markdown import prepare_body

    body = prepare_body("**Don't** panic: a [well-known](https://x.y) *fact*.", site_url="")
    assert count_words(body.text) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(("words", "label"), [(10, "1 min read"), (239, "2 min read")])
def test_reading_time_is_shown_on_the_story_page(client, publish, words, label):
    """Readers see the reading time in the story's header."""
    story = publish("Timed", body=" ".join(["word"] * words))
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    assert page.xpath("//*[@class='reading-time']/text()") == [label]
