"""schema.org structured data for reader pages: NewsArticle, LiveBlogPosting, ProfilePage.

Each function returns a plain dict describing one page; `script()` turns it into a
`<script type="application/ld+json">` element that is safe to put in HTML whatever the text
holds (`<`, `>` and `&` are written as JSON escapes, so `</script>` cannot end the element).
Browsers never execute this data block, so the Content-Security-Policy needs no nonce for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from newsdesk.core import editions, memory
from newsdesk.core.editions import Edition
from newsdesk.stories import queries
from newsdesk.stories.models import Author, Story
from newsdesk.syndication import entries

CONTEXT = "https://schema.org"


def script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Three replaces, not str.translate with a mapping: that looks up every character and cost
    # about a millisecond of each feed page.
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def publisher() -> dict:
    width, height = entries.LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": entries.absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": entries.logo_url(),
            "width": width,
            "height": height,
        },
    }


def person(author: Author) -> dict:
    data = {
        "@type": "Person",
        "name": author.name,
        "url": entries.absolute(author.get_absolute_url()),
    }
    if author.role:
        data["jobTitle"] = author.role
    return data


def news_article(story: Story) -> dict:
    url = entries.story_url(story)
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": story.headline,
        "description": entries.excerpt(story),
        "datePublished": story.published_at,
        "dateModified": entries.last_update(story),
        "inLanguage": story.language,
        "author": [person(author) for author in story.ordered_authors()],
        "publisher": publisher(),
        "isAccessibleForFree": True,
    }
    image = entries.lead_image(story)
    if image is not None:
        data["image"] = [image.url]
    topics = [topic.name for topic in story.topics.all()]
    if topics:
        data["keywords"] = topics
    return data


def blog_posting(story: Story) -> dict:
    """One update of a live blog: what it says, when, by whom, its picture and its own address
    (for a live entry, the entry's address on its live page)."""
    url = entries.story_url(story)
    data = {
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "headline": story.display_headline,
        "articleBody": strip_tags(story.body_html).strip(),
        "datePublished": story.published_at,
        "dateModified": entries.last_update(story),
        "author": [person(author) for author in story.ordered_authors()],
    }
    image = entries.lead_image(story)
    if image is not None:
        data["image"] = image.url
    return data


def live_blog(stories: Iterable[Story], coverage_start) -> dict:
    """The News Feed (of the current edition) as one live blog whose updates are its newest
    stories, in the edition's language."""
    stories = list(stories)
    url = entries.absolute(reverse("public:feed"))
    edition = editions.current()
    data = {
        "@context": CONTEXT,
        "@type": "LiveBlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": f"{gettext('News Feed')} · {settings.SITE_NAME}",
        "description": site_description(),
        "inLanguage": edition.language,
        # The newsroom writes its News Feed: it is the author, and its logo the feed's image.
        "author": {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": url},
        "image": [entries.logo_url()],
        "publisher": publisher(),
        "liveBlogUpdate": [blog_posting(story) for story in stories],
    }
    if coverage_start is not None:
        data["coverageStartTime"] = coverage_start
        data["datePublished"] = coverage_start
    if stories:
        data["dateModified"] = max(entries.last_update(story) for story in stories)
    return data


def profile_page(author: Author) -> dict:
    main_entity = person(author)
    if author.bio:
        main_entity["description"] = author.bio
    if author.avatar is not None:
        main_entity["image"] = entries.absolute(author.avatar.url)
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "url": main_entity["url"],
        "mainEntity": main_entity,
    }


def site_description() -> str:
    """What the site (its current edition) is, in the edition's language."""
    return gettext("Live news from %(site)s: updates as they happen.") % {
        "site": settings.SITE_NAME
    }


def live_blog_script(*story_lists, edition: Edition) -> SafeString:
    """The News Feed's LiveBlogPosting script (of `edition`, the current one), remembered per
    process (`core.memory`) by the stories it lists at their versions; when coverage started is
    asked of the database at most once a minute, as it changes only if the oldest story is
    unpublished."""
    stories = sorted(
        {story.pk: story for stories in story_lists for story in stories}.values(),
        key=lambda story: (story.published_at, story.pk),
        reverse=True,
    )
    minute_key = ("coverage_start", edition.language, int(time.monotonic() // 60))
    coverage_start = memory.get_or_set(minute_key, lambda: queries.first_publication_time(edition))
    listed = tuple((story.pk, story.version, story.modified_at) for story in stories)
    key = ("live_blog_jsonld", edition.language, listed, coverage_start)
    return memory.get_or_set(
        key, lambda: script(live_blog(queries.drawable(stories), coverage_start))
    )
