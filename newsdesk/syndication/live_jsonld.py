"""schema.org `LiveBlogPosting` of one live coverage: what search engines read of a live page.

The coverage's headline, description (its summary), image, authors and publisher, when coverage
started and (once ended) ended, and a `liveBlogUpdate` per entry shown with headline,
`articleBody`, times, authors, image and the entry's own address.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from newsdesk.core import memory
from newsdesk.stories.models import Story
from newsdesk.syndication import entries
from newsdesk.syndication.jsonld import CONTEXT, blog_posting, person, publisher, script


def live_blog_posting(coverage: Story, shown: list[Story]) -> dict:
    url = entries.story_url(coverage)
    data = {
        "@context": CONTEXT,
        "@type": "LiveBlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": coverage.headline,
        "description": entries.excerpt(coverage),
        "inLanguage": coverage.language,
        "datePublished": coverage.published_at,
        "dateModified": max(
            [entries.last_update(coverage), *(entries.last_update(e) for e in shown)]
        ),
        "coverageStartTime": coverage.published_at,
        "author": [person(author) for author in coverage.ordered_authors()],
        "publisher": publisher(),
        "liveBlogUpdate": [blog_posting(entry) for entry in shown],
    }
    if coverage.ended_at is not None:
        data["coverageEndTime"] = coverage.ended_at
    image = entries.lead_image(coverage)
    if image is not None:
        data["image"] = [image.url]
    return data


def live_blog_script(coverage: Story, items: list[Story], pinned: Story | None) -> SafeString:
    """The live page's script, remembered per process (`core.memory`) by the coverage and the
    entries it lists, at their versions (every write bumps a version)."""
    from newsdesk.stories.queries import drawable

    shown = [*([pinned] if pinned is not None else []), *items]
    key = (
        "live_blog_posting",
        coverage.pk,
        coverage.version,
        coverage.modified_at,
        tuple((entry.pk, entry.version, entry.modified_at) for entry in shown),
    )
    return memory.get_or_set(key, lambda: script(live_blog_posting(coverage, drawable(shown))))
