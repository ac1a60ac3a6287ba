"""Our published stories as IPTC ninjs 2.2 (news in JSON), for partners.

`story_as_ninjs` answers `/api/v1/stories/{id}?format=ninjs` and each item of the partners'
feed (`/api/v1/ninjs/stories`); tests validate both against the IPTC's own schema. Only
published stories are ever given here (the callers read them through `stories.queries`).
"""

from __future__ import annotations

from django.conf import settings

from newsdesk.stories import embeds
from newsdesk.stories.models import Story

CONTENT_TYPE = "application/ninjs+json"
SCHEMA_URL = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def story_as_ninjs(story: Story) -> dict:
    """A published story as one ninjs 2.2 object (authors and topics loaded or not)."""
    url = _absolute(story.get_absolute_url())
    authors = story.ordered_authors()
    item: dict = {
        "uri": url,
        "type": "text",
        "version": str(story.version),
        "firstcreated": _iso(story.created_at),
        "versioncreated": _iso(story.modified_at),
        "pubstatus": "usable",
        "language": story.language,
        "headlines": [{"role": "main", "value": story.headline}],
        # Embeds as their quote and link: partners get no markers of ours.
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": embeds.draw(story.body_html)}
        ],
        "by": ", ".join(author.name for author in authors),
        "people": [
            {"name": author.name, "rel": "author", "uri": _absolute(author.get_absolute_url())}
            for author in authors
        ],
        "subjects": [
            {"name": topic.name, "uri": _absolute(topic.get_absolute_url())}
            for topic in story.topics.all()
        ],
        "altids": [{"role": "website", "value": url}],
    }
    if story.published_at:
        item["contentcreated"] = _iso(story.published_at)
    if story.summary:
        item["descriptions"] = [{"role": "summary", "value": story.summary}]
    image = story.lead_image
    if image is not None:
        picture: dict = {
            "name": "leadimage",
            "uri": _absolute(image.file.url),
            "type": "picture",
            "renditions": [
                {
                    "name": "original",
                    "href": _absolute(image.file.url),
                    "contenttype": f"image/{image.format.lower()}",
                    "width": image.width,
                    "height": image.height,
                }
            ],
            "descriptions": [{"role": "alt", "value": image.alt_text}],
        }
        if image.caption:
            picture["descriptions"].append({"role": "caption", "value": image.caption})
        if image.credit:
            picture["copyrightholder"] = image.credit
        item["associations"] = [picture]
    return item
