"""The HTML of an old post → the Markdown a story body is written in, keeping what it said.

Paragraphs, headings, quotes, lists, links, emphasis and code become Markdown. What Markdown has
no words for (figures with captions, tables, superscripts) stays as HTML inside the Markdown,
which the story's renderer sanitises like every other body (`stories.markdown`): nothing here
has to be safe, only faithful. Scripts, styles and forms are dropped with their contents.

An embed (an `<iframe>`, `<video>`, WordPress's `[embed]` or a URL alone on a line, which
WordPress turns into a player) becomes its address alone on a line: the way WordPress itself
writes an embed, and what a reader can follow while Newsdesk has no players.

Images go through `image_url(src)`, which gives the address of the imported copy (or None to
keep the original address); links to an uploaded file are rewritten the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param"}  # fmt: skip
BLOCK = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "hr", "table", "figure",
    "figcaption", "dl", "dt", "dd", "address", "details", "summary", "iframe", "video", "audio",
    "object", "embed", "form", "fieldset", "center", "caption",
}  # fmt: skip
DROPPED = {"script", "style", "noscript", "template", "form", "button", "select", "textarea",
           "input", "head", "title", "meta", "link"}  # fmt: skip
KEPT_INLINE = {"sup", "sub", "abbr", "cite", "q", "u", "ins", "mark", "small", "big"}
EMBEDS = {"iframe", "video", "audio", "object", "embed"}
# Implicitly closed when another one opens (enough of HTML's rules for real posts).
CLOSED_BY = {
    "p": BLOCK - {"iframe", "video", "audio", "object", "embed", "caption", "figcaption"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
}
PARAGRAPH_BREAK = "\x00P\x00"
LINE_BREAK = "\x00B\x00"

ImageUrl = Callable[[str, str], str | None]  # (src, alt) → new address or None
LINK_SCHEMES = {"http", "https", "mailto"}


class Node:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag in DROPPED and tag not in VOID:
                self.dropping += 1
            return
        if tag in DROPPED:
            if tag not in VOID:
                self.dropping = 1
            return
        for open_tag, closers in CLOSED_BY.items():
            if tag in closers and self._open(open_tag, stop_at={"ul", "ol", "table", "dl"}):
                self._close(open_tag)
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.dropping and self.current.tag == tag:
            self.current = self.current.parent or self.root

    def handle_endtag(self, tag):
        if self.dropping:
            if tag in DROPPED:
                self.dropping -= 1
            return
        if self._open(tag):
            self._close(tag)

    def handle_data(self, data):
        if not self.dropping:
            self.current.children.append(data)

    def _open(self, tag: str, stop_at: set[str] = frozenset()) -> bool:
        node = self.current
        while node is not None and node is not self.root:
            if node.tag == tag:
                return True
            if node.tag in stop_at:
                return False
            node = node.parent
        return False

    def _close(self, tag: str) -> None:
        node = self.current
        while node.tag != tag:
            node = node.parent
        self.current = node.parent or self.root


def parse_html(source: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


# ── text ─────────────────────────────────────────────────────────────────────────────────────

_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])(?=\s|$)")


def escape_text(text: str) -> str:
    """Text that Markdown shows as typed."""
    text = _ESCAPE_INLINE.sub(r"\\\1", text)
    return text.replace("&", "&amp;")


def _escape_line_starts(text: str) -> str:
    return "\n".join(_LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def _url(value: str) -> str:
    value = value.strip().replace(" ", "%20")
    return "<" + value.replace("<", "%3C").replace(">", "%3E") + ">"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


# ── the converter ────────────────────────────────────────────────────────────────────────────


class Converter:
    def __init__(self, image_url: ImageUrl | None = None, *, autop: bool = False) -> None:
        self.image_url = image_url or (lambda src, alt: None)
        self.autop = autop

    # Blocks: each returns a list of Markdown blocks (joined by blank lines).

    def blocks(self, node: Node) -> list[str]:
        out: list[str] = []
        run: list[Node | str] = []

        def flush() -> None:
            if run:
                out.extend(self.paragraphs(run))
                run.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag not in BLOCK:
                run.append(child)
                continue
            flush()
            out.extend(self.block(child))
        flush()
        return [b for b in out if b.strip()]

    def paragraphs(self, nodes: list[Node | str]) -> list[str]:
        text = self.inline_nodes(nodes)
        return [p for p in (self._finish(part) for part in text.split(PARAGRAPH_BREAK)) if p]

    def _finish(self, text: str) -> str:
        text = re.sub(r"[ \t\r\n]+", " ", text)
        text = re.sub(r" ?" + re.escape(LINE_BREAK) + " ?", LINE_BREAK, text).strip()
        edge = re.escape(LINE_BREAK)
        text = re.sub(f"^(?:{edge}|\\s)+|(?:{edge}|\\s)+$", "", text)
        text = _escape_line_starts(text.replace(LINE_BREAK, "\\\n"))
        return _lone_url_as_embed(text)

    def block(self, node: Node) -> list[str]:
        tag = node.tag
        if tag == "p":
            return self.paragraphs(node.children)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = self._finish(self.inline_nodes(node.children)).replace("\\\n", " ")
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(node))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag in {"ul", "ol"}:
            return [self.list_block(node)]
        if tag == "pre":
            return [self.code_block(node)]
        if tag == "hr":
            return ["* * *"]
        if tag == "figure":
            return [self.figure(node)]
        if tag == "table":
            return [self.raw_html(node)]
        if tag in EMBEDS:
            src = _embed_src(node)
            return [_embed_line(src)] if src else []
        if tag == "dl":
            return [
                f"**{self._finish(self.inline_nodes(c.children))}**"
                if c.tag == "dt"
                else "\n\n".join(self.blocks(c))
                for c in node.children
                if isinstance(c, Node)
            ]
        # div, section, li out of a list, figcaption on its own…: their content, as blocks.
        return self.blocks(node)

    def list_block(self, node: Node) -> str:
        ordered = node.tag == "ol"
        number = int(node.attrs["start"]) if ordered and _digits(node.attrs) else 1
        lines: list[str] = []
        pad = "  "
        for child in node.children:
            if isinstance(child, str):
                if not child.strip():
                    continue
                item = Node("li", {}, node)
                item.children = [child]
            elif child.tag in {"ul", "ol"}:
                nested = self.list_block(child)
                lines.append("\n".join(pad + line if line else "" for line in nested.split("\n")))
                continue
            else:
                item = child
            marker = f"{number}." if ordered else "-"
            number += 1
            pad = " " * (len(marker) + 1)
            content = self.blocks(item) or [""]
            tight = len(content) == 1 or _is_list(content[1:])
            first, *rest = ("\n" if tight else "\n\n").join(content).split("\n")
            lines.append("\n".join([f"{marker} {first}", *((pad + r) if r else "" for r in rest)]))
        return "\n".join(lines)

    def code_block(self, node: Node) -> str:
        text = _text_of(node).strip("\n")
        runs = [len(m) for m in re.findall(r"`+", text)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return f"{fence}\n{text}\n{fence}"

    def figure(self, node: Node) -> str:
        if any(n.tag == "figure" for n in _walk(node)):  # a gallery of figures
            return "\n\n".join(self.blocks(node))
        images = [n for n in _walk(node) if n.tag == "img"]
        captions = [n for n in _walk(node) if n.tag == "figcaption"]
        if not images:  # an embed, a quote…: its blocks, caption included
            return "\n\n".join(self.blocks(node))
        parts = [self.img_html(img) for img in images]
        if captions:
            caption = self._finish(self.inline_html(captions[0].children))
            parts.append(f"<figcaption>{caption.replace(chr(10), ' ')}</figcaption>")
        return "<figure>" + "".join(parts) + "</figure>"

    def img_html(self, img: Node) -> str:
        alt = img.attrs.get("alt", "")
        src = self.image_src(img.attrs.get("src", ""), alt)
        attrs = f' src="{_attr(src)}" alt="{_attr(alt)}"'
        for name in ("width", "height"):
            if (img.attrs.get(name) or "").isdigit():
                attrs += f' {name}="{img.attrs[name]}"'
        return f"<img{attrs}>"

    def image_src(self, src: str, alt: str = "") -> str:
        src = src.strip()
        return (self.image_url(src, alt) or src) if src else src

    def raw_html(self, node: Node) -> str:
        """A subtree as one HTML block (no blank line inside, or Markdown would end it)."""
        return re.sub(r"\s*\n\s*", " ", self.inline_html([node])).strip()

    # Inline: Markdown text.

    def inline_nodes(self, nodes: list[Node | str]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, node: Node | str) -> str:
        if isinstance(node, str):
            text = escape_text(node)
            if self.autop:
                text = re.sub(r"[ \t]*\r?\n[ \t]*(?:\r?\n[ \t]*)+", PARAGRAPH_BREAK, text)
                text = re.sub(r"[ \t]*\r?\n[ \t]*", LINE_BREAK, text)
            return text
        tag = node.tag
        inner = self.inline_nodes(node.children)
        if tag == "br":
            return LINE_BREAK
        if tag in {"em", "i"}:
            return _wrap(inner, "*", "em")
        if tag in {"strong", "b"}:
            return _wrap(inner, "**", "strong")
        if tag in {"del", "s", "strike"}:
            return _wrap(inner, "~~", "del")
        if tag == "code" or tag == "tt" or tag == "kbd":
            text = _text_of(node)
            if "`" in text or not text.strip():
                return f"<code>{html.escape(text)}</code>"
            return f"`{text}`"
        if tag == "a":
            href = node.attrs.get("href", "").strip()
            if not href:
                return inner
            scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", href))
            if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
                return inner  # javascript: and the like: the words stay, the link goes
            href = self.image_src(href) if _is_upload(href) else href
            title = node.attrs.get("title", "")
            titled = f' "{title.replace(chr(34), "&quot;")}"' if title else ""
            return f"[{inner}]({_url(href)}{titled})"
        if tag == "img":
            src = self.image_src(node.attrs.get("src", ""), node.attrs.get("alt", ""))
            if not src:
                return ""
            alt = escape_text(node.attrs.get("alt", ""))
            return f"![{alt}]({_url(src)})"
        if tag == "acronym":  # HTML 4's name for <abbr>
            node.tag = "abbr"
        if tag in KEPT_INLINE:
            return self.inline_html([node])
        if tag in EMBEDS:
            src = _embed_src(node)
            return f"{PARAGRAPH_BREAK}{_embed_line(src)}{PARAGRAPH_BREAK}" if src else ""
        if tag in BLOCK:  # a block inside an inline element (a <div> in a <span>)
            return PARAGRAPH_BREAK + "\n\n".join(self.blocks(node)) + PARAGRAPH_BREAK
        return inner  # span, font, and the rest: their words

    def inline_html(self, nodes: list[Node | str]) -> str:
        """Nodes as HTML again (for figures, tables, `<sup>`): tags as they were, images through
        `image_url`, text escaped; the renderer's sanitiser decides what is kept."""
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                out.append(html.escape(node, quote=False))
                continue
            if node.tag == "img":
                out.append(self.img_html(node))
                continue
            attrs = "".join(
                f' {k}="{_attr(v)}"' for k, v in node.attrs.items() if k in _KEPT_ATTRIBUTES
            )
            if node.tag == "a" and _is_upload(node.attrs.get("href", "")):
                attrs = f' href="{_attr(self.image_src(node.attrs["href"]))}"'
            if node.tag in VOID:
                out.append(f"<{node.tag}{attrs}>")
            else:
                out.append(f"<{node.tag}{attrs}>{self.inline_html(node.children)}</{node.tag}>")
        return "".join(out)


_KEPT_ATTRIBUTES = {"href", "title", "src", "alt", "width", "height", "start", "align", "colspan",
                    "rowspan"}  # fmt: skip


def _digits(attrs: dict[str, str]) -> bool:
    return (attrs.get("start") or "").isdigit()


def _is_list(blocks: list[str]) -> bool:
    return all(re.match(r"^(-|\d+\.) ", b) for b in blocks)


def _wrap(inner: str, marker: str, tag: str) -> str:
    if not inner.strip():
        return inner
    if inner != inner.strip() or marker[0] in inner or PARAGRAPH_BREAK in inner:
        return f"<{tag}>{inner}</{tag}>"
    return f"{marker}{inner}{marker}"


def _walk(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _walk(child)


def _text_of(node: Node) -> str:
    """The text under node; a `<br>` is a line break (a poem in a `<pre>`)."""
    return "".join(
        c if isinstance(c, str) else "\n" if c.tag == "br" else _text_of(c) for c in node.children
    )


def _embed_src(node: Node) -> str | None:
    for candidate in (node, *_walk(node)):
        for name in ("src", "data", "href"):
            value = candidate.attrs.get(name, "").strip()
            if value.startswith(("http://", "https://", "//")):
                return "https:" + value if value.startswith("//") else value
    return None


def _embed_line(src: str) -> str:
    return f"<{src}>" if src else ""


_UPLOAD = re.compile(r"/(?:wp-content/uploads|content/images|files)/|/\d{4}/\d{2}/[^/]+\.\w{2,5}$")


def _is_upload(href: str) -> bool:
    return bool(_UPLOAD.search(href.split("?")[0])) and bool(
        re.search(r"\.(jpe?g|png|gif|webp)$", href.split("?")[0], re.I)
    )


_LONE_URL = re.compile(r"^https?://[^\s<>\"]+$")


def _lone_url_as_embed(paragraph: str) -> str:
    """A paragraph that is only an address is an embed in WordPress: keep it a link."""
    plain = paragraph.replace("\\", "").replace("&amp;", "&")
    if _LONE_URL.match(plain):
        return _embed_line(plain)
    return paragraph


def html_to_markdown(source: str, image_url: ImageUrl | None = None, *, autop: bool = False) -> str:
    """Markdown for an HTML fragment. `autop`: blank lines in text make paragraphs and single
    line breaks make `<br>`, as WordPress shows classic (pre-block-editor) content."""
    converter = Converter(image_url, autop=autop)
    return "\n\n".join(converter.blocks(parse_html(source))).strip() + "\n"
