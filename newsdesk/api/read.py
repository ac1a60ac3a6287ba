"""Anonymous reads: feed, stories, authors, topics and search (a token may also read drafts)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router, Schema

from newsdesk.api.auth import request_user
from newsdesk.api.conditional import story_etag
from newsdesk.api.schemas import AuthorOut, ErrorOut, FeedOut, SearchOut, StoryOut, TopicOut
from newsdesk.core.errors import NotFound
from newsdesk.search.queries import MAX_PAGE, search_stories
from newsdesk.stories import permissions, queries
from newsdesk.stories.models import Story
from newsdesk.syndication.ninjs import CONTENT_TYPE as NINJS_TYPE
from newsdesk.syndication.ninjs import story_as_ninjs

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _viewable(request: HttpRequest, **lookup) -> Story:
    """A published story; or any story the token's user could open in the desk."""
    if not queries.possible_slug(str(lookup.get("slug", ""))):
        raise NotFound("There is no published story here (or your token may not see it).")
    story = queries.with_display_relations(queries.published().filter(**lookup)).first()
    if story is not None:
        return story
    user = request_user(request, required=False)
    if user is not None:
        story = queries.with_display_relations(Story.objects.filter(**lookup)).first()
        if story is not None and permissions.can_view_in_desk(user, story):
            return story
    raise NotFound("There is no published story here (or your token may not see it).")


@router.get(
    "/feed",
    response={200: FeedOut, **ERRORS},
    summary="The News Feed, newest first",
    url_name="feed",
    tags=["read"],
)
def feed(request: HttpRequest, before: str | None = None):
    """Published stories including pinned ones, 20 per page. Pass `next` back as `before`."""
    request_user(request, required=False)  # a wrong token is a 401, even here
    cursor = queries.Cursor.decode(before) if before else None
    page = queries.feed_page(cursor, include_pinned=True)
    queries.load_corrections(page.items)  # each item lists its corrections: one query, not 20
    token = page.next_cursor.encode() if page.next_cursor else None
    next_url = f"{reverse('api:feed')}?{urlencode({'before': token})}" if token else None
    return {"items": page.items, "next": token, "next_url": next_url}


@router.get(
    "/stories/{story_id}", response={200: StoryOut, **ERRORS}, url_name="story", tags=["read"]
)
def story(request: HttpRequest, response: HttpResponse, story_id: int):
    """A story by id; ETag is '"<id>-<version>"'."""
    request_user(request, required=False)  # a wrong token is a 401, even here
    item = _viewable(request, pk=story_id)
    if _wants_ninjs(request):
        answer = ninjs_response(story_as_ninjs(item))
        answer["ETag"] = story_etag(item)
        answer["Vary"] = "Accept"
        return answer
    response["ETag"] = story_etag(item)
    response["Vary"] = "Accept"
    return item


def _wants_ninjs(request: HttpRequest) -> bool:
    """`?format=ninjs`, or `Accept: application/ninjs+json`."""
    return request.GET.get("format") == "ninjs" or NINJS_TYPE in request.headers.get("Accept", "")


def ninjs_response(data) -> JsonResponse:
    return JsonResponse(data, safe=False, content_type=NINJS_TYPE)


@router.get("/stories/by-slug/{slug}", response={200: StoryOut, **ERRORS}, tags=["read"])
def story_by_slug(request: HttpRequest, response: HttpResponse, slug: str):
    """A story by its address (slug)."""
    request_user(request, required=False)  # a wrong token is a 401, even here
    item = _viewable(request, slug=slug)
    response["ETag"] = story_etag(item)
    return item


@router.get("/authors", response={200: list[AuthorOut], **ERRORS}, tags=["read"])
def authors(request: HttpRequest):
    """Without a token, the people readers can find (`/authors/`); with a desk token, all."""
    user = request_user(request, required=False)  # a wrong token is a 401, even here
    return queries.all_authors() if permissions.can_write(user) else queries.author_index()


@router.get("/topics", response={200: list[TopicOut], **ERRORS}, tags=["read"])
def topics(request: HttpRequest):
    """Without a token, topics with a published story (`/topics/`); with a desk token, all: a
    topic nobody has published in yet says what a newsroom is preparing."""
    user = request_user(request, required=False)  # a wrong token is a 401, even here
    return queries.all_topics() if permissions.can_write(user) else queries.topic_index()


class SearchParams(Schema):
    q: str = F("", max_length=1000, description="Words to find (all of them must match)")
    topic: str | None = F(None, description="Topic slug")
    author: str | None = F(None, description="Author slug")
    kind: str | None = F(None, pattern="^(update|article)$")
    page: int = F(1, ge=1, le=MAX_PAGE)


@router.get("/search", response={200: SearchOut, **ERRORS}, url_name="search", tags=["read"])
def search(request: HttpRequest, params: Query[SearchParams]):
    """Published stories matching every word of `q`, best first, with highlighted snippets."""
    request_user(request, required=False)  # a wrong token is a 401, even here
    result = search_stories(
        params.q, topic=params.topic, author=params.author, kind=params.kind, page=params.page
    )
    queries.load_corrections([hit.story for hit in result.hits])
    next_url = None
    if result.next_page:
        query = {k: v for k, v in params.dict().items() if v not in (None, "")}
        query["page"] = result.next_page
        next_url = f"{reverse('api:search')}?{urlencode(query)}"
    return {
        "query": result.query,
        "items": [
            {"story": h.story, "headline_html": h.headline_html, "snippet_html": h.snippet_html}
            for h in result.hits
        ],
        "total": result.total,
        "total_exact": result.total_exact,
        "page": result.page,
        "next_page": result.next_page,
        "next_url": next_url,
    }
