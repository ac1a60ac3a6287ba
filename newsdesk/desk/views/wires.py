"""The wire desk: agency items as they arrive, filtered by source, urgency and words; one item's
text and images; "Use" to start a draft; editors hide or show a source.

Contributors and editors read and use wires (anyone who writes stories); only editors manage
sources. Wire items are read here only: no reader page, feed or public API reaches them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.desk.access import desk_view, parse_int
from newsdesk.stories import desk_queries, permissions
from newsdesk.stories.markdown import render_markdown
from newsdesk.wires import actions, queries
from newsdesk.wires.models import SourceKind

PAGE = 100
URGENCIES = [(1, "Flash (1)"), (2, "1–2"), (3, "1–3"), (5, "1–5")]


@desk_view
@require_GET
def wire_list(request: HttpRequest) -> HttpResponse:
    actions.check_can_read_wires(request.user)
    source = request.GET.get("source", "")[:100]
    urgency = request.GET.get("urgency", "")
    max_urgency = int(urgency) if urgency in {"1", "2", "3", "5"} else None
    words = request.GET.get("q", "")[:200]
    before = queries.parse_cursor(request.GET.get("before", "")[:100])
    found = queries.wire_items(source=source, max_urgency=max_urgency, words=words, before=before)
    items = list(found[: PAGE + 1])
    more = {"source": source, "urgency": max_urgency or "", "q": words}
    context = {
        "items": items[:PAGE],
        "more": urlencode({**more, "before": queries.cursor_of(items[PAGE - 1])})
        if len(items) > PAGE
        else "",
        "paged": before is not None,
        "sources": queries.wire_sources(),
        "source": source,
        "urgency": max_urgency,
        "urgencies": URGENCIES,
        "q": words,
        "manages": permissions.can_publish(request.user),
        "stamp": queries.newest_item_stamp(),
        "kinds": SourceKind.choices,
    }
    return render(request, "desk/wire_list.html", context)


@desk_view
@require_GET
def wire_stamp(request: HttpRequest) -> HttpResponse:
    """`{"newest", "count"}`, polled by desk.js to offer the items that arrived since."""
    actions.check_can_read_wires(request.user)
    return JsonResponse(queries.newest_item_stamp())


@desk_view
@require_GET
def wire_item(request: HttpRequest, item_id: int) -> HttpResponse:
    actions.check_can_read_wires(request.user)
    item = queries.wire_item(item_id)
    if item is None:
        raise NotFound("There is no such wire item.")
    body_html = render_markdown(item.body, site_url=settings.SITE_URL)
    return render(
        request,
        "desk/wire_item.html",
        {
            "item": item,
            "body_html": body_html,
            "credit": actions.credit_line(item.source),
            "coverages": desk_queries.running_coverages(),
        },
    )


@desk_view
@require_POST
def wire_use(request: HttpRequest, item_id: int) -> HttpResponse:
    wire_url = request.build_absolute_uri(reverse("desk:wire_item", args=[item_id]))
    coverage = request.POST.get("coverage", "")
    coverage_id = parse_int(coverage, "coverage") if coverage else None
    story = actions.do_use_item(request.user, item_id, wire_url=wire_url, coverage_id=coverage_id)
    if coverage_id is not None:
        messages.success(request, "A draft entry was started from the wire item; publish it here.")
        return redirect("desk:live_desk", coverage_id)
    messages.success(request, "A draft was started from the wire item; edit and publish it.")
    return redirect("desk:story_edit", story.pk)


@desk_view
@require_POST
def wire_source_add(request: HttpRequest) -> HttpResponse:
    """Editors add a source; a push source's token is shown on this one answer, never again."""
    try:
        poll = int(request.POST.get("poll_minutes") or 5)
    except ValueError:
        poll = 0
    try:
        new = actions.do_add_source(
            request.user,
            name=request.POST.get("name", "")[:200],
            kind=request.POST.get("kind", ""),
            url=request.POST.get("url", "").strip()[:600],
            poll_minutes=poll,
        )
    except InvalidInput as error:
        problems = [m for messages_ in error.fields.values() for m in messages_]
        for problem in problems or [error.message]:
            messages.error(request, problem)
        return redirect("desk:wire_list")
    if new.token is None:
        messages.success(request, f"{new.source.name} is added; it is polled within minutes.")
        return redirect("desk:wire_list")
    push_url = request.build_absolute_uri(f"/api/v1/wires/{new.source.slug}/items")
    return render(
        request,
        "desk/wire_source_added.html",
        {"source": new.source, "token": new.token, "push_url": push_url},
    )


@desk_view
@require_POST
def wire_source_hidden(request: HttpRequest, source_id: int) -> HttpResponse:
    hidden = parse_int(request.POST.get("hidden"), "hidden flag") == 1
    source = actions.do_set_source_hidden(request.user, source_id, hidden)
    state = "hidden from" if source.hidden else "shown in"
    messages.success(request, f"{source.name} is {state} the wire list.")
    return redirect("desk:wire_list")
