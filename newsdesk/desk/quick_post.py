"""The shift's quick post, one for the whole desk: the box on the desk's front page (into the
News Feed, a topic or a live page, the choice remembered for the next post) and the box of a
live coverage's desk view (into that coverage) are the same form, posted by the same code.

An image is either one of the recent images (`desk_queries.recent_images`) or a new upload; the
upload and the post are one transaction, so a refused post leaves no image behind.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string

from newsdesk.core.errors import InvalidInput, NewsdeskError
from newsdesk.desk import uploads
from newsdesk.desk.forms import QuickPostForm
from newsdesk.stories import actions, desk_queries, permissions, queries
from newsdesk.stories.models import Status, Story

TARGET_SESSION_KEY = "quick_post_target"
FEED = "feed"


def targets() -> list:
    """Where the front page's quick post can go: the News Feed, a running live page, a topic."""
    live = [
        (f"live:{c.pk}", c.headline)
        for c in desk_queries.running_coverages()
        if c.status == Status.PUBLISHED
    ]
    topics = [(f"topic:{t.pk}", t.name) for t in queries.all_topics()]
    choices: list = [(FEED, "News Feed (no topic)")]
    if live:
        choices.append(("Live pages", live))
    if topics:
        choices.append(("Topics", topics))
    return choices


def parse_target(value: str) -> tuple[str, int | None]:
    """("feed", None), ("topic", id) or ("live", id); the form has checked it is a choice."""
    kind, _, number = (value or FEED).partition(":")
    return (kind, int(number)) if number.isdigit() else (FEED, None)


def remembered_target(request: HttpRequest) -> str:
    return request.session.get(TARGET_SESSION_KEY, FEED)


def make_form(request: HttpRequest, *, with_target: bool, data=None, files=None):
    """The quick post form for this person: their own author profile chosen, the recent images
    they may use offered, and (on the front page) the target they posted into last."""
    form = QuickPostForm(
        data,
        files,
        targets=targets() if with_target else None,
        authors=queries.all_authors(),
        images=desk_queries.recent_images(request.user),
    )
    own = getattr(request.user, "author", None)
    if data is None and own is not None:
        form.initial["author_ids"] = [str(own.pk)]
    if data is None and with_target:
        wanted = remembered_target(request)
        offered = {str(v) for v, _ in _flat(form.fields["target"].choices)}
        form.initial["target"] = wanted if wanted in offered else FEED
    return form


def _flat(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label


def post(
    request: HttpRequest,
    form: QuickPostForm,
    *,
    coverage_id: int | None = None,
    publish: bool = True,
    review: bool = False,
) -> Story:
    """Post what a valid form holds: into `coverage_id` (a live desk view) or the form's target.
    Raises the actions' errors (InvalidInput, NotAllowed, NotFound) for the caller to show."""
    data = form.cleaned_data
    if coverage_id is not None:
        kind, target_id = "live", coverage_id
    else:
        kind, target_id = parse_target(data.get("target") or FEED)
    user = request.user
    uploaded = None
    try:
        with transaction.atomic():
            image_id = data.get("image_id")
            if form.wants_upload():
                uploaded = uploads.upload_from_form(user, form)
                image_id = uploaded.pk
            author_ids = [int(pk) for pk in data.get("author_ids") or []]
            if kind == "live":
                fields = {
                    "headline": data["headline"],
                    "body": data["text"],
                    "author_ids": author_ids,
                    "breaking": data["breaking"],
                }
                if image_id is not None:
                    fields["lead_image_id"] = image_id
                story = actions.do_post_entry(
                    user, target_id, fields, publish=publish, review=review
                )
            else:
                story = actions.do_quick_post(
                    user,
                    data["headline"],
                    data["text"],
                    topic_ids=[target_id] if kind == "topic" else [],
                    author_ids=author_ids,
                    breaking=data["breaking"],
                    lead_image_id=image_id,
                )
    except Exception:
        uploads.discard(uploaded)
        raise
    request.session[TARGET_SESSION_KEY] = (
        f"live:{target_id}"
        if kind == "live"
        else (f"topic:{target_id}" if kind == "topic" else FEED)
    )
    return story


# ── answers (JSON for desk/live-desk.js) ──


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def error_json(error: NewsdeskError) -> JsonResponse:
    body = {"error": {"code": error.status_code, "message": error.message, "fields": error.fields}}
    return JsonResponse(body, status=error.status_code)


def entry_row(request: HttpRequest, coverage: Story, entry: Story) -> str:
    context = {
        "coverage": coverage,
        "entry": entry,
        "can_publish": permissions.can_publish(request.user),
    }
    return render_to_string("desk/_live_entry_row.html", context, request=request)


def saved_message(entry: Story) -> str:
    if entry.status == "published":
        return "Posted."
    if entry.review == "in_review":
        return "Sent to the editors' review queue."
    return "Saved as a draft."


def form_problem(form: QuickPostForm) -> InvalidInput:
    """A form that did not validate, as the error the actions would raise (one message, and
    the messages per field)."""
    fields = {k: [str(m) for m in v] for k, v in form.errors.items()}
    if "text" in fields:
        message = "Write the text, then post it."
    else:
        message = next(iter(fields.values()))[0] if fields else "Check the quick post."
    return InvalidInput(message, fields=fields)
