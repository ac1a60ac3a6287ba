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
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from newsdesk.core.errors import InvalidInput
from newsdesk.core.validation import replace_xml_illegal
from newsdesk.stories.inline_images import expand_inline_images

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
_HEADING = re.compile(r"<(/?)h([1-6])>")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _demote_headings(rendered: str) -> str:
    return re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", rendered)


def outline_headings(body_html: str, top: int = 2) -> str:
    """Body headings as an outline under the page's own heading: the body's highest becomes
    `<h{top}>` and none skips a level after the one before it (`#`, then `###` → h2, h3).

    The stored body is outlined under a story page's `<h1>` (top 2); a page that shows a body
    under a deeper heading (a feed item's `<h2>` headline) outlines it again with a higher `top`.
    Outlining an outlined body at the same `top` changes nothing. Levels past 6 stay at 6.
    Headings in sanitised HTML carry no attributes, so `<hN>` and `</hN>` are their only forms.
    """
    levels = [int(m.group(2)) for m in _HEADING.finditer(body_html) if not m.group(1)]
    if not levels:
        return body_html
    highest = min(levels)
    previous = top - 1
    current = top

    def level(match: re.Match) -> str:
        nonlocal previous, current
        if not match.group(1):
            wanted = top + int(match.group(2)) - highest
            current = min(max(wanted, top), previous + 1, 6)
            previous = current
            return f"<h{current}>"
        return f"</h{current}>"

    return _HEADING.sub(level, body_html)


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


def _site_of(parts) -> tuple[str, int | None] | None:
    """(host, port) naming a site whatever way it is written: host names ignore case, the
    loopback names are one machine, and a scheme's default port is no port."""
    if parts.scheme not in _DEFAULT_PORTS:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host in _LOOPBACK:
        host = "127.0.0.1"
    return host, None if port == _DEFAULT_PORTS[parts.scheme] else port


def story_slug_from_url(href: str, site_url: str) -> str | None:
    """The slug when href points at one of our story pages (relative, or on our site), else None.

    "On our site" is what an editor pastes from their own browser: the site's address over
    http or https, with any host-name case, and localhost for 127.0.0.1."""
    parts = urlsplit(html.unescape(href))
    if parts.scheme or parts.netloc:
        here = _site_of(parts)
        if here is None or here != _site_of(urlsplit(site_url)):
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
    """Safe HTML for a story body; lone links to our own stories are wrapped in card markers.

    Raises `InvalidInput` (field `body`) for a body past the cost limits (see "Cost limits")."""
    source = source.replace("\x00", "")
    check_html_nesting(source)
    budget = _Budget()
    env = {_BUDGET: budget}
    tokens = _parser.parse(_link_bare_story_urls(source), env)
    budget.check()
    rendered = _parser.renderer.render(tokens, _parser.options, env)
    # h1 is not allowed in a body (the page's headline is its only one): every level moves one
    # down before sanitising, then the outline closes any gap the writer left.
    cleaned = outline_headings(sanitize_html(_demote_headings(rendered)))
    budget.check()
    cleaned = expand_inline_images(cleaned)  # "[image 42 | caption | credit]" lines: figures
    return _clean_output(_mark_cards(cleaned, site_url))


def text_of_html(rendered: str) -> str:
    """The words of rendered, sanitised body HTML, for word counts and search: what readers see,
    without parsing the Markdown a second time."""
    text = nh3.clean(rendered, tags=set(), strip_comments=True)
    return _clean_output(re.sub(r"\s+", " ", html.unescape(text)).strip())


@dataclass(frozen=True)
class RenderedBody:
    """A body rendered once, before a write's transaction opens (`prepare_body`)."""

    source: str
    html: str
    text: str


def prepare_body(source: str, *, site_url: str) -> RenderedBody:
    """Render a body and its plain text (raises `InvalidInput` past the cost limits)."""
    rendered = render_markdown(source, site_url=site_url)
    return RenderedBody(source=source, html=rendered, text=text_of_html(rendered))


# ── Cost limits ──────────────────────────────────────────────────────────────────────────────
# Some short bodies cost seconds: markdown-it scans ahead from every unmatched "[" (quadratic:
# "[" × 200,000 took ~6 s), and html5ever walks the whole stack of open elements for each new
# block element, so "<div>" × 40,000 took ~10 s in the sanitiser. Rendering happens before a
# write's transaction (stories.actions), but a body must still never tie up a server thread:
# raw HTML may nest at most MAX_HTML_NESTING block elements deep (checked on the source, before
# any parsing), Markdown nesting is bounded by markdown-it's maxNesting (20), and parsing and
# rendering get RENDER_BUDGET_SECONDS of CPU time (this thread's, so a busy machine does not
# refuse a body a quiet one accepts). Past either, the writer is told which field to shorten.

MAX_HTML_NESTING = 200
MAX_TABLE_ROWS = 5_000  # markdown-it reads a whole table in one step the budget cannot interrupt
RENDER_BUDGET_SECONDS = 0.5
_BUDGET = "newsdesk_budget"
_TOO_COSTLY = (
    "The body is too complex to render quickly ({why}). Split it into several stories, or "
    "remove repeated brackets, markup or HTML tags."
)
# Elements html5ever closes by itself (or that never hold anything) do not nest without end.
_SELF_CLOSING = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp",
    "thead", "tbody", "tfoot", "caption", "colgroup",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>|<(/?)([A-Za-z][A-Za-z0-9-]*)")


class BodyTooComplex(InvalidInput):
    """A body past the cost limits; the message names the body field."""

    def __init__(self, why: str) -> None:
        message = _TOO_COSTLY.format(why=why)
        super().__init__(message, fields={"body": [message]})


def check_html_nesting(source: str) -> None:
    """Refuse raw HTML nesting deeper than MAX_HTML_NESTING elements (one pass, no parsing).

    Like the HTML parser, an end tag closes the nearest open element of its name and is ignored
    when there is none, so "<div></span>" × n counts as n deep."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for match in _TAG.finditer(source):
        closing = match.group(1) or match.group(4)
        name = (match.group(2) or match.group(5)).lower()
        if name in _SELF_CLOSING or match.group(3):
            continue
        if not closing:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > MAX_HTML_NESTING:
                raise BodyTooComplex(f"HTML elements nested more than {MAX_HTML_NESTING} deep")
        elif open_count.get(name):
            while stack:
                popped = stack.pop()
                open_count[popped] -= 1
                if popped == name:
                    break


class _Budget:
    """CPU time left for one render; checked from parser rules, so a runaway parse stops."""

    __slots__ = ("calls", "deadline")

    def __init__(self) -> None:
        self.deadline = time.thread_time() + RENDER_BUDGET_SECONDS
        self.calls = 0

    def check(self) -> None:
        if time.thread_time() > self.deadline:
            raise BodyTooComplex(f"it needs more than {RENDER_BUDGET_SECONDS} s")

    def tick(self) -> None:
        self.calls += 1
        if not self.calls & 0xFF:
            self.check()


def _budget_block_rule(state, start_line, end_line, silent) -> bool:
    budget = state.env.get(_BUDGET)
    if budget is not None:
        budget.check()
    return False


def _budget_inline_rule(state, silent) -> bool:
    budget = state.env.get(_BUDGET)
    if budget is not None:
        budget.tick()
    return False


def _budget_core_rule(state) -> None:
    budget = state.env.get(_BUDGET)
    if budget is not None:
        budget.check()


def _bounded_table_rule(table_rule):
    """markdown-it's table rule, shown at most MAX_TABLE_ROWS rows: a longer table is refused."""

    def rule(state, start_line, end_line, silent) -> bool:
        bound = min(end_line, start_line + 2 + MAX_TABLE_ROWS)
        found = table_rule(state, start_line, bound, silent)
        if found and not silent and bound < end_line and state.line >= bound:
            raise BodyTooComplex(f"a table longer than {MAX_TABLE_ROWS:,} rows")
        return found

    return rule


(_table,) = [rule for rule in _parser.block.ruler.__rules__ if rule.name == "table"]
_parser.block.ruler.at("table", _bounded_table_rule(_table.fn), {"alt": list(_table.alt)})
_parser.block.ruler.before("table", "newsdesk_budget", _budget_block_rule)
_parser.inline.ruler.before("text", "newsdesk_budget", _budget_inline_rule)
_parser.inline.ruler2.before("balance_pairs", "newsdesk_budget", _budget_core_rule)
_parser.core.ruler.after("inline", "newsdesk_budget", _budget_core_rule)
