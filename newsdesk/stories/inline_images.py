"""Images from the photo library inside a story's body.

The Markdown form is a paragraph of its own holding one line per image:

    [image 42]
    [image 42 | The ferry leaves the harbour at dawn. | Ana Ruiz / Harbour Press]

`42` is the image's id in the photo library (`/desk/photos/`). The optional second and third
parts are this story's own caption and credit; without them the library's are used. The alt
text is always the library's: it says what the picture shows, wherever it is.

`render_markdown` calls `expand_inline_images` on the sanitised HTML, so the figure stored in
`body_html` is built here, from the Image row, and never from what the writer typed as HTML: a
`<figure>` with `<img srcset sizes>` like the lead image and a `<figcaption>` with caption and
credit. Because the figure names the image's files by their /media/ addresses, everything that
already follows images in bodies keeps working: a file is public only while a published story
shows it (`media.queries.public_file_keys`), and takedowns purge it. Feeds make the addresses
absolute (`syndication.entries.absolute_links`), srcset included.

A line naming an image that does not exist stays as the text typed. Who may put which image in a
body is the same rule as for lead images (`permissions.can_use_image`), checked by the save
actions and the preview through `check_inline_images`.
"""

from __future__ import annotations

import html
import re

from django.utils.html import escape

from newsdesk.core.errors import InvalidInput
from newsdesk.stories import permissions
from newsdesk.stories.models import Image

# One reference in the Markdown source, on a line of its own.
_SOURCE_LINE = re.compile(r"^ {0,3}\[image\s+(?P<id>\d{1,18})\s*(?:\|[^\n]*)?\]\s*$", re.M)
# The same line as markdown-it and the sanitiser leave it, inside a paragraph of such lines.
_RENDERED_LINE = re.compile(r"^\[image\s+(?P<id>\d{1,18})\s*(?P<rest>\|.*)?\]$")
_PARAGRAPH = re.compile(r"<p>(?P<inner>\[image\s[^\n]*?\](?:\n\[image\s[^\n]*?\])*)</p>")
_TAGS = re.compile(r"<[^>]*>")
SIZES = "(min-width: 60rem) 42rem, 100vw"
# The figure's marker, so a query can find the stories showing an image inline.
MARKER = 'data-image-id="{id}"'


def inline_image_ids(source: str) -> set[int]:
    """Ids of the library images a Markdown body places inline (lines in code blocks too: a
    check that counts one too many refuses nothing a writer meant to show)."""
    return {int(m.group("id")) for m in _SOURCE_LINE.finditer(source or "")}


def check_inline_images(user, source: str, *, already: set[int] = frozenset()) -> None:
    """Refuse a body placing an image this person may not use (InvalidInput on `body`), with
    the same answer for an image that does not exist, as for lead images. Images the story
    already shows (`already`) stay allowed: an editor may have put them there."""
    wanted = inline_image_ids(source) - set(already)
    if not wanted:
        return
    found = {image.pk: image for image in Image.objects.filter(pk__in=wanted)}
    refused = sorted(
        i for i in wanted if i not in found or not permissions.can_use_image(user, found[i])
    )
    if refused:
        messages = [
            permissions.image_refusal(i).rstrip(".") + " (in the body: “[image "
            f"{i}]”). Pick one from the photo library, or upload it first."
            for i in refused
        ]
        raise InvalidInput(messages[0], fields={"body": messages})


def _plain(fragment: str) -> str:
    """Text of a sanitised HTML fragment (a caption may hold *emphasis*: its words are kept)."""
    return html.unescape(_TAGS.sub("", fragment)).strip()


def figure_html(image: Image, caption: str, credit: str) -> str:
    """The reader's figure for an image in a body: `srcset` in the original's format (so feed
    readers and the JSON Feed get one `<img>` they understand), a mid-sized `src`."""
    srcset = image.srcset()
    parts = [
        f'<figure class="inline-figure" {MARKER.format(id=image.pk)}>',
        f'<img src="{escape(image.smallest_url(800))}"',
        f' srcset="{escape(srcset)}" sizes="{SIZES}"' if srcset else "",
        f' width="{image.width}" height="{image.height}"',
        f' alt="{escape(image.alt_text)}" loading="lazy">',
    ]
    if caption or credit:
        shown = escape(caption)
        if credit:
            shown += f' <span class="credit">(Photo: {escape(credit)})</span>'
        parts.append(f"<figcaption>{shown.strip()}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def expand_inline_images(cleaned: str) -> str:
    """Sanitised body HTML with every paragraph of `[image N …]` lines drawn as figures."""
    if "[image" not in cleaned:
        return cleaned
    matches = list(_PARAGRAPH.finditer(cleaned))
    if not matches:
        return cleaned
    ids: set[int] = set()
    for match in matches:
        for line in match.group("inner").split("\n"):
            found = _RENDERED_LINE.match(line)
            if found:
                ids.add(int(found.group("id")))
    images = {image.pk: image for image in Image.objects.filter(pk__in=ids)} if ids else {}

    def draw(match: re.Match) -> str:
        figures = []
        for line in match.group("inner").split("\n"):
            found = _RENDERED_LINE.match(line)
            image = images.get(int(found.group("id"))) if found else None
            if image is None:
                return match.group(0)  # not all of it names images: leave the text as typed
            parts = [_plain(part) for part in (found.group("rest") or "").split("|")[1:]]
            caption = parts[0] if len(parts) > 0 and parts[0] else image.caption
            credit = parts[1] if len(parts) > 1 and parts[1] else image.credit
            figures.append(figure_html(image, caption, credit))
        return "\n".join(figures)

    return _PARAGRAPH.sub(draw, cleaned)
