"""The reader's search page: a plain GET form, server-rendered, usable without JavaScript."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from newsdesk.core import editions
from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.search.queries import SearchPage, search_stories
from newsdesk.stories.models import Kind
from newsdesk.stories.queries import topic_index


def _date(value: str, label: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            gettext("%(field)s must be a date like 2025-03-01.") % {"field": label}
        ) from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _page_number(value: str) -> int:
    try:
        return int(value or 1)
    except ValueError:
        raise InvalidInput(gettext("The page number must be a whole number.")) from None


# The kinds as readers read them, marked for the catalogue (the model's labels are the desk's).
KIND_LABELS = {
    Kind.UPDATE: gettext_noop("Feed update"),
    Kind.ARTICLE: gettext_noop("Article"),
    Kind.LIVE: gettext_noop("Live coverage"),
    Kind.ENTRY: gettext_noop("Live entry"),
}


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    params = {key: request.GET.get(key, "").strip() for key in ("q", "topic", "kind", "from", "to")}
    status, error = 200, ""
    result = SearchPage(query=params["q"], words=[], hits=[], page=1, has_more=False)
    try:
        date_to = _date(params["to"], gettext("'To'"))
        result = search_stories(
            params["q"],
            topic=params["topic"] or None,
            kind=params["kind"] or None,
            date_from=_date(params["from"], gettext("'From'")),
            date_to=date_to + dt.timedelta(days=1) if date_to else None,
            page=_page_number(request.GET.get("page", "")),
            edition=editions.current(),
        )
    except (InvalidInput, NotFound) as problem:
        status, error = 400, problem.message
    context = {
        "result": result,
        "error": error,
        # only topics with a published story: drafts stay unsaid
        "topics": topic_index(editions.current()),
        "kinds": [(value, gettext(KIND_LABELS[value])) for value in Kind.values],
        "topic": params["topic"],
        "kind": params["kind"],
        "date_from": params["from"],
        "date_to": params["to"],
        "page_query": urlencode({k: v for k, v in params.items() if v}),
    }
    response = render(request, "search/search.html", context, status=status)
    patch_cache_control(response, private=True, max_age=0)
    return response
