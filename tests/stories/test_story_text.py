"""Story text: Markdown rendering, sanitising, related-story cards and reading time."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from newsdesk.config import env
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.markdown import render_markdown
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
    """# in a body is a sub-heading (<h2>); the headline stays the only <h1>."""
    html = render("# Background\n\n## Detail\n\n###### Deepest")
    assert "<h1" not in html
    assert "<h2>Background</h2>" in html
    assert "<h3>Detail</h3>" in html
    assert "<h6>Deepest</h6>" in html


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
