"""WordPress's own theme unit test export, imported once for the module and compared with the
file item by item. The file is parsed here on its own (lxml), not with the importer's reader, so
a mistake in the reader cannot hide behind the same mistake in the test."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import lxml.etree
import lxml.html
from django.core.management import call_command
from django.test import TestCase

from newsdesk.imports.models import ItemKind, Redirect, SourceItem
from newsdesk.stories.models import Author, Story, Topic
from tests.conftest import make_user

THEME_DATA = Path(__file__).resolve().parents[3] / "shared/data/themeunittestdata.wordpress.xml"
STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "private": "unpublished"}
BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "address",
    "figcaption",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "br",
    "pre",
    "table",
    "ul",
    "ol",
    "hr",
)
CAPTION_ATTRIBUTE = re.compile(r'\[caption[^\]]*?caption="([^"]*)"[^\]]*\](.*?)\[/caption\]')
SHORTCODE = re.compile(r"\[/?(?:caption|embed|gallery|audio|video)[^\]]*\]")


def _local(element) -> str:
    return lxml.etree.QName(element).localname


def _source():
    """(channel, [post items]) of the export, read with lxml."""
    root = lxml.etree.parse(str(THEME_DATA), lxml.etree.XMLParser(resolve_entities=False))
    channel = root.getroot().find("channel")
    items = channel.findall("item")
    return channel, items


def _field(item, name: str, namespace_part: str = "export") -> str:
    for child in item:
        if _local(child) == name and namespace_part in (lxml.etree.QName(child).namespace or ""):
            return child.text or ""
    return ""


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _source_words(content: str) -> list[str]:
    """What a reader of the old site read: the content's text without scripts, styles, HTML
    comments and shortcode markers."""
    # WordPress shows a caption given as the shortcode's attribute after the image.
    content = CAPTION_ATTRIBUTE.sub(r"\2 \1", content)
    content = SHORTCODE.sub(" ", content)
    if not content.strip():
        return []
    tree = lxml.html.fragment_fromstring(content, create_parent="div")
    for bad in tree.xpath("//script|//style|//comment()"):
        bad.drop_tree()
    for player in tree.xpath("//iframe|//audio|//video|//embed|//object"):
        # A player on the old site; its address here (see html_markdown's docstring).
        src = player.get("src") or next((s.get("src") for s in player.iter("source")), "")
        player.tail = f" {src or ''} {player.tail or ''}"
        player.drop_tree()
    for block in tree.iter(*BLOCKS):
        # A block starts and ends a word, as a browser shows it.
        block.text, block.tail = f" {block.text or ''}", f" {block.tail or ''}"
    return _words(tree.text_content())


class ThemeUnitTestImport(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", "importer")
        out = StringIO()
        call_command("import", "wordpress", str(THEME_DATA), "--as", "importer", stdout=out)
        cls.output = out.getvalue()
        cls.channel, cls.items = _source()
        cls.posts = [
            i
            for i in cls.items
            if _field(i, "post_type") == "post" and _field(i, "status") in STATUS
        ]
        known = SourceItem.objects.filter(kind=ItemKind.POST)
        by_source = {row.source_id: row.object_id for row in known}
        stories = Story.objects.in_bulk(by_source.values())
        cls.story_of = {sid: stories[pk] for sid, pk in by_source.items()}

    def test_every_post_is_one_story(self):
        """58 posts in the file, 58 stories, each found again by its WordPress id."""
        assert len(self.posts) == 58
        assert Story.objects.count() == len(self.posts)
        assert set(self.story_of) == {_field(p, "post_id") for p in self.posts}

    def test_the_summary_counts_what_was_skipped(self):
        kinds = [_field(i, "post_type") for i in self.items]
        comments = sum(1 for i in self.items for c in i if _local(c) == "comment")
        assert "58 created, 0 updated" in self.output
        assert f"{kinds.count('page')} pages" in self.output
        assert f"{kinds.count('nav_menu_item')} menu items" in self.output
        assert f"{kinds.count('attachment')} attachments" in self.output
        assert f"{comments} comments" in self.output

    def test_headlines_slugs_statuses_and_dates_match_the_file(self):
        for post in self.posts:
            story = self.story_of[_field(post, "post_id")]
            title = _field(post, "title").strip()
            if title:
                assert story.headline == title
            password = _field(post, "post_password")
            expected = STATUS[_field(post, "status")]
            if password and expected == "published":
                expected = "unpublished"  # readers needed a password: kept from the public
            assert story.status == expected, title
            name = _field(post, "post_name")
            if name:
                assert story.slug.startswith(name[:150].lower().strip("-")), (name, story.slug)
            gmt = _field(post, "post_date_gmt")
            if expected != "draft" and not gmt.startswith("0000"):
                when = dt.datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
                assert story.published_at == when, title

    def test_authors_and_topics_match_the_file(self):
        names = {
            _field(a, "author_login"): _field(a, "author_display_name")
            for a in self.channel
            if _local(a) == "author"
        }
        assert set(Author.objects.values_list("name", flat=True)) == set(names.values())
        declared = {
            _field(c, "category_nicename") for c in self.channel if _local(c) == "category"
        } | {_field(t, "tag_slug") for t in self.channel if _local(t) == "tag"}
        assert Topic.objects.count() >= len(declared - {""})
        for post in self.posts:
            story = self.story_of[_field(post, "post_id")]
            creator = _field(post, "creator", "purl.org/dc").strip("<> ")  # two are ill-typed
            assert [a.name for a in story.ordered_authors()] == [names[creator]]
            terms = {
                c.get("nicename")
                for c in post
                if _local(c) == "category" and c.get("domain") in {"category", "post_tag"}
            }
            topics = {t.name for t in story.topics.all()}
            expected = {
                c.text.strip()
                for c in post
                if _local(c) == "category" and c.get("domain") in {"category", "post_tag"}
            }
            assert len(story.topics.all()) == len(terms), story.headline
            assert topics <= expected | {t.name for t in Topic.objects.all()}

    def test_every_word_of_every_post_is_kept_in_order(self):
        """The words readers saw on the old site are the story's words, in the same order
        (a gallery adds its images' captions, so there the old words must appear in order)."""
        for post in self.posts:
            story = self.story_of[_field(post, "post_id")]
            content = _field(post, "encoded", "purl.org/rss")
            old = _source_words(content)
            new = _source_words(story.body_html)  # read the same way, blocks apart
            if "[gallery" in content:
                remaining = iter(new)
                assert all(word in remaining for word in old), story.headline
            else:
                assert new == old, story.headline

    def test_markup_is_kept(self):
        story = Story.objects.get(slug="markup-html-tags-and-formatting")
        html = story.body_html
        tags = ("<blockquote>", "<table>", "<ul>", "<ol>", "<li>", "<code>", "<pre>", "<strong>",
                "<em>", "<s>", "<sup>", "<sub>", "<abbr", "<cite>", "<h2>")  # fmt: skip
        for tag in tags:
            assert tag in html, tag
        captioned = Story.objects.get(slug="markup-image-alignment").body_html
        assert "<img" in captioned
        caption = Story.objects.get(slug="post-format-gallery").body_html
        assert "<figure><img" in caption and "<figcaption>" in caption

    def test_embeds_stay_embeds(self):
        """An embed is its address alone on a line, as WordPress writes it."""
        story = Story.objects.get(slug="media-twitter-embeds")
        assert story.body.startswith("<https://twitter.com/nacin/status/319508408669708289>")
        assert 'href="https://twitter.com/nacin/status/319508408669708289"' in story.body_html

    def test_no_script_survives(self):
        assert "<script" in THEME_DATA.read_text()  # the file has some
        for story in Story.objects.all():
            assert "<script" not in story.body_html.lower()
            assert "javascript:" not in story.body_html.lower()
            assert not re.search(r"<[^>]+\son\w+\s*=", story.body_html, re.I)

    def test_old_permalinks_are_redirects(self):
        for post in self.posts:
            story = self.story_of[_field(post, "post_id")]
            link = re.sub(r"^https?://[^/]+", "", _field(post, "link", ""))
            assert Redirect.objects.filter(old_path=f"/?p={_field(post, 'post_id')}").exists()
            if link and link != "/":
                assert Redirect.objects.get(old_path=link).story_id == story.pk

    def test_running_it_again_changes_nothing(self):
        before = (Story.objects.count(), Redirect.objects.count(), Topic.objects.count())
        revisions = sum(s.revisions.count() for s in Story.objects.all())
        out = StringIO()
        call_command("import", "wordpress", str(THEME_DATA), "--as", "importer", stdout=out)
        assert "0 created, 0 updated, 58 unchanged" in out.getvalue()
        assert (Story.objects.count(), Redirect.objects.count(), Topic.objects.count()) == before
        assert sum(s.revisions.count() for s in Story.objects.all()) == revisions

    def test_old_addresses_answer_301_over_http(self):
        slug = "markup-html-tags-and-formatting"
        post = next(p for p in self.posts if _field(p, "post_name") == slug)
        story = self.story_of[_field(post, "post_id")]
        old = re.sub(r"^https?://[^/]+", "", _field(post, "link", ""))
        for address in (old, old.rstrip("/"), f"/?p={_field(post, 'post_id')}"):
            response = self.client.get(address)
            assert response.status_code == 301, (address, response.content[:300])
            assert response["Location"] == f"/stories/{story.slug}/"
        assert self.client.get(response["Location"]).status_code == 200

    def test_a_draft_is_never_redirected_to(self):
        draft = next(p for p in self.posts if _field(p, "status") == "draft")
        response = self.client.get(f"/?p={_field(draft, 'post_id')}")
        assert response.status_code == 200  # the News Feed, as for any unknown ?p=
        assert self.story_of[_field(draft, "post_id")].slug not in response.content.decode()
        link = re.sub(r"^https?://[^/]+", "", _field(draft, "link", ""))
        if link.startswith("/") and "?" not in link:
            assert self.client.get(link).status_code == 404
