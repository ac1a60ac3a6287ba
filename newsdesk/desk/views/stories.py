"""The story list (the desk's home) and the editors' quick post box above it (`desk.quick_post`:
into the News Feed, a topic or a live page; with a live page chosen, its latest entries are
listed under the box)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from newsdesk.core.errors import NewsdeskError
from newsdesk.desk import quick_post as quick
from newsdesk.desk.access import add_errors, desk_view
from newsdesk.desk.forms import QuickPostForm, StoryFilterForm
from newsdesk.desk.quick_post import entry_row, error_json, saved_message, wants_json
from newsdesk.stories import desk_queries, permissions, queries
from newsdesk.stories.models import Kind, Status, Story

LIST_LIMIT = 100
REFRESH_SECONDS = 10


def _listed(request: HttpRequest) -> tuple[StoryFilterForm, list, int]:
    """The filter form as the address sets it, the stories it lists, and the status to answer."""
    filters = StoryFilterForm(
        request.GET or None, authors=queries.all_authors(), topics=queries.all_topics()
    )
    if filters.is_bound and not filters.is_valid():
        return filters, [], 400
    chosen = filters.cleaned_data if filters.is_bound else {}
    stories = list(
        desk_queries.desk_stories(
            request.user,
            status=chosen.get("status") or "",
            author_id=chosen.get("author"),
            topic_id=chosen.get("topic"),
            search=(chosen.get("q") or "").strip(),
            translation=chosen.get("translation") or "",
            limit=LIST_LIMIT,
        )
    )
    return filters, stories, 200


def _list_page(
    request: HttpRequest, quick_form: QuickPostForm | None = None, status: int = 200
) -> HttpResponse:
    filters, stories, listed = _listed(request)
    can_publish = permissions.can_publish(request.user)
    context = {
        "filters": filters,
        "stories": stories,
        "filtered": filters.is_bound,
        "quick_form": quick_form
        or (quick.make_form(request, with_target=True) if can_publish else None),
        "quick_coverage": _chosen_coverage(request, quick_form) if can_publish else None,
        "can_publish": can_publish,
        "list_limit": LIST_LIMIT,
        "refresh_seconds": REFRESH_SECONDS,
        "rows_stamp": _stamp(stories),
    }
    return render(request, "desk/story_list.html", context, status=max(status, listed))


def _stamp(stories: list) -> str:
    """What the rows show, in a few characters: the page's script compares it with a fresh
    answer's to know whether anything changed (the HTML itself differs by whitespace)."""
    seen = "|".join(f"{s.pk}:{s.modified_at.isoformat()}:{s.review}" for s in stories)
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


@desk_view
def story_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


def _chosen_coverage(request: HttpRequest, form: QuickPostForm | None) -> dict | None:
    """The live page the quick post is set to, with its latest entries for the list under it."""
    value = form.data.get("target") if form is not None and form.is_bound else None
    kind, coverage_id = quick.parse_target(value or quick.remembered_target(request))
    if kind != "live":
        return None
    coverage = Story.objects.filter(pk=coverage_id, kind=Kind.LIVE, status=Status.PUBLISHED).first()
    if coverage is None:
        return None
    return {
        "coverage": coverage,
        "entries": desk_queries.coverage_entries_for_desk(request.user, coverage, limit=10),
    }


@desk_view
def story_rows(request: HttpRequest) -> HttpResponse:
    """The list's rows alone, for the same filters (the address's query): what the list page
    asks for every REFRESH_SECONDS to stay current without a reload (desk.js)."""
    filters, stories, status = _listed(request)
    context = {
        "stories": stories,
        "filtered": filters.is_bound,
        "list_limit": LIST_LIMIT,
        "rows_stamp": _stamp(stories),
    }
    return render(request, "desk/_story_rows.html", context, status=status)


@desk_view
@require_POST
def quick_post(request: HttpRequest) -> HttpResponse:
    """The front page's quick post: into the News Feed, a topic or a live page (remembered for
    the next post), with JSON answers for `desk/live-desk.js` and a redirect without it."""
    form = quick.make_form(request, with_target=True, data=request.POST, files=request.FILES)
    if not form.is_valid():
        if wants_json(request):
            return error_json(quick.form_problem(form))
        return _list_page(request, form, status=400)
    try:
        story = quick.post(request, form)
    except NewsdeskError as error:
        # The actions call the text "body"; on this form it is "Text".
        error.fields = {("text" if k == "body" else k): v for k, v in error.fields.items()}
        if wants_json(request):
            return error_json(error)
        add_errors(error, [form])
        return _list_page(request, form, status=error.status_code)
    if wants_json(request):
        answer = {
            "id": story.pk,
            "status": story.status,
            "url": story.get_absolute_url(),
            "message": saved_message(story),
        }
        if story.kind == Kind.ENTRY:
            coverage = Story.objects.get(pk=story.coverage_id)
            answer["coverage_id"] = coverage.pk
            answer["row"] = entry_row(request, coverage, story)
        return JsonResponse(answer, status=201)
    messages.success(
        request,
        format_html(
            'Published “{}”. <a href="{}">Read it on the site</a>.',
            story.display_headline,
            story.get_absolute_url(),
        ),
    )
    return redirect("desk:story_list")
