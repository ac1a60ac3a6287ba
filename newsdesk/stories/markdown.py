"""Markdown source → sanitised HTML, with related-story cards marked for display.

The rendered HTML is stored on the story (`body_html`) so a page view never parses Markdown.
Sanitising is done by nh3 (Ammonia) after rendering, so raw HTML in the source, `javascript:`
links and event-handler attributes never reach a page whatever the Markdown parser lets through.

Related-story cards depend on another story's current state (it may be unpublished later), so at
save time we only mark the paragraphs that could be cards; `cards.render_body` resolves them when
the page is drawn.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from newsdesk.stories.validation import replace_xml_illegal

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
    "a", "em", "strong", "code", "pre", "del", "s", "sup", "sub", "img", "figure",
    "figcaption", "table", "thead", "tbody", "tr", "th", "td", "abbr", "cite", "q",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
CARD_OPEN, CARD_CLOSE = "<!--card:", "<!--/card-->"

_parser = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)
# Slugs are word characters joined by single hyphens, so a marker can never hold "-->".
_STORY_PATH = re.compile(r"^/stories/(?P<slug>\w+(?:-\w+)*)/?$")
_BARE_URL_LINE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<url>(?:https?://\S+)?/stories/[^\s<>]+)\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line opening <script>, <style> or <textarea> starts a CommonMark raw HTML block that runs to
# its closing tag, or to the end of the story when there is none; the sanitiser then drops it
# whole, so every word after a pasted "<script>" would vanish. Such a line is shown as text.
_RAW_TEXT_BLOCK = re.compile(r"^( {0,3})<(?=(?:script|style|textarea)(?:[\s>]|$))", re.I)
_LONE_LINK_PARAGRAPH = re.compile(r'<p><a href="(?P<href>[^"]+)"[^>]*>(?P<text>[^<]*)</a></p>')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote_headings(rendered: str) -> str:
    """The page's headline is the only <h1>: Markdown's # becomes <h2>, and so on down."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", rendered)


def _link_bare_story_urls(source: str) -> str:
    """A line holding only a URL to one of our stories becomes a link, so it can become a card;
    a line opening a raw-text HTML block (see `_RAW_TEXT_BLOCK`) is escaped so no words vanish.

    Lines inside fenced code blocks are left alone: there the reader must see the text as typed.
    """
    lines = []
    fence = ""
    for line in source.splitlines():
        marker = _FENCE.match(line)
        if fence:
            closes = (
                marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence)
            )
            if closes and not line[marker.end() :].strip():
                fence = ""
            lines.append(line)
            continue
        if marker:
            fence = marker.group(1)
        line = _RAW_TEXT_BLOCK.sub(r"\1&lt;", line)
        match = _BARE_URL_LINE.match(line)
        if match:
            url = match.group("url")
            line = f"{match.group('indent')}[{url}]({url})"
        lines.append(line)
    return "\n".join(lines)


def story_slug_from_url(href: str, site_url: str) -> str | None:
    """The slug when href points at one of our story pages (relative, or on our site), else None."""
    parts = urlsplit(html.unescape(href))
    if parts.scheme or parts.netloc:
        ours = urlsplit(site_url)
        if (parts.scheme, parts.netloc) != (ours.scheme, ours.netloc):
            return None
    match = _STORY_PATH.match(parts.path)
    return match.group("slug") if match else None


def _mark_cards(cleaned: str, site_url: str) -> str:
    def mark(match: re.Match) -> str:
        slug = story_slug_from_url(match.group("href"), site_url)
        if slug is None:
            return match.group(0)
        return f"{CARD_OPEN}{slug}-->{match.group(0)}{CARD_CLOSE}"

    return _LONE_LINK_PARAGRAPH.sub(mark, cleaned)


def sanitize_html(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_RAW_TEXT_TAGS = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext",
}  # fmt: skip
_TAG_NAME = re.compile(r"^</?\s*([A-Za-z][A-Za-z0-9-]*)")


def _html_block(_renderer, tokens, idx, options, env) -> str:
    """Each raw HTML block is sanitised on its own, so one left open (an unclosed quote, a
    <link href="… with no end) cannot swallow the paragraphs after it."""
    return sanitize_html(tokens[idx].content) + "\n"


def _html_inline(_renderer, tokens, idx, options, env) -> str:
    """An inline <script>, <style>, <textarea>… would turn the rest of the story into its raw
    text (and the sanitiser drops it whole): those tags are dropped, their words stay."""
    match = _TAG_NAME.match(tokens[idx].content)
    if match and match.group(1).lower() in _RAW_TEXT_TAGS:
        return ""
    return tokens[idx].content


_parser.add_render_rule("html_block", _html_block)
_parser.add_render_rule("html_inline", _html_inline)


def _clean_output(text: str) -> str:
    """What the renderer made, without the characters XML 1.0 cannot hold.

    The body goes into RSS and Atom as well as pages. The source cannot hold such characters
    (validation refuses them), but a character reference can name one: markdown-it turns `&#1;`
    in text into U+FFFD, while the HTML sanitiser decodes `&#1;` or `&#xFFFF;` in raw HTML to
    the character itself, and `html.unescape` does the same for plain text. Every output passes
    here, so they all end alike: U+FFFD where such a character was.
    """
    return replace_xml_illegal(text)


def render_markdown(source: str, *, site_url: str) -> str:
    """Safe HTML for a story body; lone links to our own stories are wrapped in card markers."""
    source = source.replace("\x00", "")
    rendered = _parser.render(_link_bare_story_urls(source))
    cleaned = sanitize_html(_demote_headings(rendered))
    return _clean_output(_mark_cards(cleaned, site_url))


def plain_text(source: str) -> str:
    """Markdown source reduced to its words, for excerpts, word counts and search."""
    rendered = _parser.render(source.replace("\x00", ""))
    text = nh3.clean(rendered, tags=set(), strip_comments=True)
    return _clean_output(re.sub(r"\s+", " ", html.unescape(text)).strip())
