"""Searching stories: the one function readers' pages, the desk and the API call.

Results are ranked by relevance (headline matches count most), then newest first. When more than
RESULTS_CAP (1,000) stories match, only the newest 1,000 matches are ranked and the count says
"more than 1,000": a newsroom's reader searching a word that is in half the archive wants this
month's stories about it, not the 1,000 best-scoring of ten years, and scoring every match is
what cost seconds at a million stories (docs/search.md, "How results are chosen").

Pages are numbered rather than keyset-paginated because a relevance order has no stable key; 50
pages of 20 reach the 1,000th result, the last one there is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from newsdesk.core import editions
from newsdesk.core.editions import Edition
from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.search.backends import WINDOW, Filters, run
from newsdesk.search.terms import query_terms
from newsdesk.search.text import marked_html, query_words
from newsdesk.stories.models import Author, Kind, Story, Topic
from newsdesk.stories.queries import possible_slug, with_display_relations

PAGE_SIZE = 20
MAX_PAGE = 50
RESULTS_CAP = WINDOW  # stories counted and ranked at most; PAGE_SIZE × MAX_PAGE reach them all


@dataclass(frozen=True)
class Hit:
    story: Story
    headline_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchPage:
    query: str
    words: list[str]
    hits: list[Hit]
    page: int
    has_more: bool
    total: int = 0  # matching stories, counted up to RESULTS_CAP
    total_exact: bool = True  # False: more than `total` stories match

    @property
    def more_than_cap(self) -> bool:
        return not self.total_exact

    @property
    def total_text(self) -> str:
        return number_format(self.total, force_grouping=True)

    @property
    def count_text(self) -> str:
        """'1 story matches', '12 stories match', 'More than 1,000 stories match' (in the
        active language, with its plural forms and digit grouping)."""
        values = {"count": self.total_text}
        if not self.total_exact:
            return (
                ngettext(
                    "More than %(count)s story matches",
                    "More than %(count)s stories match",
                    self.total,
                )
                % values
            )
        return ngettext("%(count)s story matches", "%(count)s stories match", self.total) % values

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.has_more else None

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None


def _resolve(model, value, label: str) -> int | None:
    """A Topic/Author, its id or its slug → its id; NotFound for one that does not exist."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value.pk
    if isinstance(value, int):
        found = model.objects.filter(pk=value).values_list("pk", flat=True).first()
    elif possible_slug(str(value)):
        found = model.objects.filter(slug=str(value)).values_list("pk", flat=True).first()
    else:
        found = None
    if found is None:
        raise NotFound(f"There is no {label} {value!r}.")
    return found


def search_stories(
    q: str,
    *,
    published_only: bool = True,
    topic: Topic | int | str | None = None,
    author: Author | int | str | None = None,
    kind: str | None = None,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    page: int = 1,
    limit: int = PAGE_SIZE,
    edition: Edition | None = None,
) -> SearchPage:
    """Stories matching every word of `q` in any of its forms (the last word also as the start
    of a word, for search as you type), best first. Any `q` is safe (it is never parsed as
    query syntax); an empty or punctuation-only `q` finds nothing. `published_only=False` is for
    the desk and must only be used after checking the user may see drafts. With `edition`, only
    that edition's stories (`core.editions`): the reader's search in each edition."""
    if kind and kind not in Kind.values:
        kinds = ", ".join(Kind.values)
        raise InvalidInput(gettext("Kind must be one of: %(kinds)s.") % {"kinds": kinds})
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(
            gettext("Pages of search results go from 1 to %(last)s.") % {"last": MAX_PAGE}
        )
    for name, when in (("date_from", date_from), ("date_to", date_to)):
        if when is not None and (not isinstance(when, dt.datetime) or when.tzinfo is None):
            raise InvalidInput(f"{name} must be a date and time with a time zone.")
    filters = Filters(
        published_only=published_only,
        topic_id=_resolve(Topic, topic, "topic"),
        author_id=_resolve(Author, author, "author"),
        kind=kind or None,
        date_from=date_from,
        date_to=date_to,
        language=edition.language if edition and not edition.is_default else None,
        not_languages=(
            tuple(editions.other_languages(edition)) if edition and edition.is_default else ()
        ),
    )
    words = query_words(q or "")
    offset = (page - 1) * limit
    found = run(query_terms(words), filters, limit=limit, offset=offset)
    has_more = offset + limit < found.total and page < MAX_PAGE
    ids = [hit.story_id for hit in found.hits]
    stories = with_display_relations(Story.objects.filter(pk__in=ids)) if ids else []
    by_id = {story.pk: story for story in stories}
    hits = [
        Hit(by_id[r.story_id], marked_html(r.headline), marked_html(r.snippet))
        for r in found.hits
        if r.story_id in by_id
    ]
    return SearchPage(
        query=q or "",
        words=words,
        hits=hits,
        page=page,
        has_more=has_more,
        total=found.total,
        total_exact=found.exact,
    )
