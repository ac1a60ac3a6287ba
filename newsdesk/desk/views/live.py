"""Live coverage at the desk: the list of coverages, and one coverage's desk view with a quick
post box built for the shift (Ctrl/Cmd+Enter posts, focus returns to an empty box, the entry
appears in the list) and one-click buttons per entry (edit, key event, pin, correct, delete;
delete and ending the coverage ask for confirmation).

With JavaScript (`desk/live-desk.js`) the quick post and the buttons are sent with `fetch` and
answered with JSON (`Accept: application/json`); without it they are ordinary forms that come
back to the desk view.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from newsdesk.core.errors import InvalidInput, NewsdeskError, NotFound
from newsdesk.desk import quick_post as quick
from newsdesk.desk.access import BadRequest, add_errors, desk_view
from newsdesk.desk.forms import LiveCorrectionForm, QuickPostForm
from newsdesk.desk.quick_post import entry_row, error_json, saved_message, wants_json
from newsdesk.stories import actions, desk_queries, permissions
from newsdesk.stories.models import Kind, Story

ENTRY_ACTIONS = {
    "key_on": "Marked as a key event.",
    "key_off": "No longer a key event.",
    "pin": "Pinned on top of the live page.",
    "unpin": "Unpinned.",
    "delete": "Deleted: the entry is gone from the live page and every feed.",
    "republish": "Published again.",
    "publish": "Published.",
    "correct": "Correction added.",
}
CONFIRM = {"delete"}  # destructive: asked once more (a page without JavaScript, confirm() with)


def _entry_form(request: HttpRequest, data=None, files=None) -> QuickPostForm:
    return quick.make_form(request, with_target=False, data=data, files=files)


def _desk_page(request, coverage: Story, form: QuickPostForm | None = None, status: int = 200):
    context = {
        "coverage": coverage,
        "form": form or _entry_form(request),
        "entries": desk_queries.coverage_entries_for_desk(request.user, coverage),
        "can_publish": permissions.can_publish(request.user),
        "correction_form": LiveCorrectionForm(),
    }
    return render(request, "desk/live_desk.html", context, status=status)


@desk_view
def live_list(request: HttpRequest) -> HttpResponse:
    context = {
        "coverages": desk_queries.desk_coverages(),
        "can_publish": permissions.can_publish(request.user),
    }
    return render(request, "desk/live_list.html", context)


@desk_view
def live_desk(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = desk_queries.coverage_for_desk(request.user, coverage_id)
    return _desk_page(request, coverage)


@desk_view
@require_POST
def live_post(request: HttpRequest, coverage_id: int) -> HttpResponse:
    """Post an entry (editors) or save it as a draft (contributors, or "Save draft")."""
    try:
        coverage = desk_queries.coverage_for_desk(request.user, coverage_id)
    except NotFound as error:
        if wants_json(request):
            return error_json(error)
        raise
    form = _entry_form(request, request.POST, request.FILES)
    # "Post now" by someone who may not publish is refused (403), never quietly made a draft.
    # "Send to editors" (review=1) saves a draft waiting in the review queue.
    review = request.POST.get("review") == "1"
    publish = request.POST.get("draft") != "1" and not review
    if not form.is_valid():
        error = quick.form_problem(form)
        if wants_json(request):
            return error_json(error)
        return _desk_page(request, coverage, form, status=400)
    try:
        entry = quick.post(request, form, coverage_id=coverage.pk, publish=publish, review=review)
    except NewsdeskError as error:
        error.fields = {("text" if k == "body" else k): v for k, v in error.fields.items()}
        if wants_json(request):
            return error_json(error)
        add_errors(error, [form])
        return _desk_page(request, coverage, form, status=error.status_code)
    if wants_json(request):
        return JsonResponse(
            {
                "id": entry.pk,
                "status": entry.status,
                "message": saved_message(entry),
                "row": entry_row(request, coverage, entry),
            },
            status=201,
        )
    messages.success(request, saved_message(entry))
    return redirect("desk:live_desk", coverage_id=coverage.pk)


@desk_view
@require_POST
def live_entry_action(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One click on an entry's button: key event on or off, pin, unpin, correct, delete."""
    action = request.POST.get("action", "")
    if action not in ENTRY_ACTIONS:
        raise BadRequest(f"The live desk has no button called {action!r}.")
    entry = Story.objects.filter(pk=entry_id, kind=Kind.ENTRY).first()
    if entry is None:
        error = NotFound(f"There is no live entry with id {entry_id}.")
        if wants_json(request):
            return error_json(error)
        raise error
    coverage = desk_queries.coverage_for_desk(request.user, entry.coverage_id)
    if action in CONFIRM and request.POST.get("confirmed") != "1":
        context = {"coverage": coverage, "entry": entry, "action": action}
        return render(request, "desk/live_confirm.html", context)
    user = request.user
    try:
        if action in {"key_on", "key_off"}:
            actions.do_set_key_event(user, entry.pk, action == "key_on")
        elif action in {"pin", "unpin"}:
            actions.do_set_pinned_entry(user, entry.pk, action == "pin")
        elif action == "delete":
            actions.do_unpublish_story(user, entry.pk)
        elif action in {"publish", "republish"}:
            actions.do_publish_story(user, entry.pk)
        else:
            form = LiveCorrectionForm(request.POST)
            permissions.check_can_publish(user)
            if not form.is_valid():
                raise InvalidInput("Write the correction's text, then add it.")
            actions.do_add_correction(user, entry.pk, form.cleaned_data["text"])
    except NewsdeskError as error:
        if wants_json(request):
            return error_json(error)
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
        return _desk_page(request, coverage, status=error.status_code)
    if wants_json(request):
        entry.refresh_from_db()
        coverage.refresh_from_db()
        return JsonResponse({"id": entry.pk, "row": entry_row(request, coverage, entry)})
    messages.success(request, ENTRY_ACTIONS[action])
    return redirect("desk:live_desk", coverage_id=coverage.pk)


@desk_view
@require_POST
def live_end(request: HttpRequest, coverage_id: int) -> HttpResponse:
    coverage = desk_queries.coverage_for_desk(request.user, coverage_id)
    if request.POST.get("confirmed") != "1":
        context = {"coverage": coverage, "entry": None, "action": "end"}
        return render(request, "desk/live_confirm.html", context)
    try:
        actions.do_end_coverage(request.user, coverage.pk)
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
        return _desk_page(request, coverage, status=error.status_code)
    messages.success(request, "Coverage ended. The live page stays readable, marked as ended.")
    return redirect("desk:live_desk", coverage_id=coverage.pk)
