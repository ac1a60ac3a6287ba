"""The story editor: write, save, publish, schedule, update, correct, pin; history and restore.

Every button posts to the editor. Saves that do more than one thing (save then publish, upload
an image then save) run in one transaction, so they happen entirely or not at all; if anything
fails, the editor is shown again with the person's own typed text and the reason. An edit
conflict (somebody saved since this edit began) answers 409 and keeps the text too.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from newsdesk.core.errors import EditConflict, InvalidInput, NewsdeskError
from newsdesk.core.ids import parse_id
from newsdesk.desk import uploads
from newsdesk.desk.access import BadRequest, add_errors, desk_view, parse_int
from newsdesk.desk.forms import CorrectionForm, ImageForm, StoryForm, story_initial
from newsdesk.desk.views.preview import preview_html
from newsdesk.media import actions as media_actions
from newsdesk.stories import actions, desk_queries, permissions, queries
from newsdesk.stories.models import CHOSEN_KINDS, Status, Story

SAVE_ACTIONS = {"save", "publish", "publish_update", "schedule", "preview"}
STATE_ACTIONS = {"unpublish", "pin", "unpin", "breaking_on", "breaking_off", "correct"}
DONE = {
    "save": "Saved.",
    "publish": "Published.",
    "publish_update": "Saved and marked as updated: readers see “Updated” with the time.",
    "schedule": "Scheduled.",
    "unpublish": "Unpublished: the story is no longer on the site.",
    "pin": "Pinned to the top of the News Feed.",
    "unpin": "Unpinned.",
    "breaking_on": "Marked as breaking news.",
    "breaking_off": "No longer marked as breaking news.",
    "correct": "Correction added under the story.",
}


def _story_form(request: HttpRequest, story: Story | None, data=None) -> StoryForm:
    if data is not None:
        byline = [i for i in map(parse_id, data.getlist("author_ids")) if i is not None]
    else:
        byline = [a.pk for a in story.ordered_authors()] if story else []
    initial = story_initial(story) if story else None
    if story is None and request.GET.get("kind") in CHOSEN_KINDS:
        initial = {"kind": request.GET["kind"]}  # "New live coverage" opens the editor so
    return StoryForm(
        data,
        initial=initial,
        authors=queries.all_authors(),
        topics=queries.all_topics(),
        byline=byline,
        slug_locked=story is not None and story.status in {Status.PUBLISHED, Status.UNPUBLISHED},
        can_publish=permissions.can_publish(request.user),
    )


def _render(
    request: HttpRequest,
    story: Story | None,
    form: StoryForm,
    image_form: ImageForm | None = None,
    *,
    correction_form: CorrectionForm | None = None,
    preview: str = "",
    problem: str = "",
    conflict: Story | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    image_form = image_form or ImageForm(prefix="image", initial=_image_initial(story))
    _mark_image_text_readonly(user, story, image_form)
    context = {
        "story": story,
        "form": form,
        "image_form": image_form,
        "correction_form": correction_form or CorrectionForm(),
        "preview": preview,
        "problem": problem,
        "conflict": conflict,
        "can_publish": permissions.can_publish(user),
        "can_edit": story is None or permissions.can_edit(user, story),
        "revisions": desk_queries.story_revisions(story) if story else [],
        "authors": story.ordered_authors() if story else [],
    }
    return render(request, "desk/story_edit.html", context, status=status)


def _mark_image_text_readonly(user, story: Story | None, image_form: ImageForm) -> None:
    """Words of the current image this person may not change are shown, not offered (a forged
    change is still refused by the action)."""
    image = story.lead_image if story else None
    if image is None or permissions.can_edit_image_text(user, image):
        return
    for name in ("alt_text", "caption", "credit"):
        image_form.fields[name].widget.attrs["readonly"] = True
    image_form.fields["alt_text"].help_text = (
        "Only an editor can change the words of this image: readers can see it, or it is not "
        "yours. To use another image, choose a new file."
    )


def _image_initial(story: Story | None) -> dict | None:
    image = story.lead_image if story else None
    if image is None:
        return None
    return {"alt_text": image.alt_text, "caption": image.caption, "credit": image.credit}


@desk_view
def story_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, None)
    return _render(request, None, _story_form(request, None))


@desk_view
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = desk_queries.story_for_desk(request.user, story_id)
    if request.method == "POST":
        return _submit(request, story)
    form = _story_form(request, story)
    pending = desk_queries.pending_autosave(request.user, story)
    if pending is not None and request.GET.get("autosave") != "discard":
        # Words typed but never saved (a closed tab, a crash): put them back in the form.
        form.initial.update({k: pending.content.get(k, "") for k in actions.AUTOSAVE_FIELDS})
        messages.info(
            request,
            format_html(
                "Restored the text you were typing at {} that was not saved yet. Save to keep "
                'it, or <a href="?autosave=discard">show the last saved version</a>.',
                timezone.localtime(pending.created_at).strftime("%H:%M"),
            ),
        )
    return _render(request, story, form)


@desk_view
@require_POST
def autosave(request: HttpRequest, story_id: int) -> HttpResponse:
    """The editor's script posts the typed fields here every few seconds of quiet typing."""
    try:
        revision = actions.do_autosave_draft(request.user, story_id, request.POST)
    except InvalidInput as error:
        return JsonResponse({"error": error.message, "fields": error.fields}, status=400)
    saved_at = timezone.localtime(revision.created_at)
    return JsonResponse({"revision": revision.number, "saved_at": saved_at.isoformat()})


def _submit(request: HttpRequest, story: Story | None) -> HttpResponse:
    action = request.POST.get("action", "save")
    if action not in SAVE_ACTIONS:
        raise BadRequest(f"The editor has no button called {action!r}.")
    version = parse_int(request.POST.get("version"), "version") if story else None
    form = _story_form(request, story, request.POST)
    image_form = ImageForm(request.POST, request.FILES, prefix="image")
    if not (form.is_valid() & image_form.is_valid()):
        return _render(request, story, form, image_form, status=400)
    if action == "preview":
        image = None if image_form.cleaned_data["remove_image"] else (story and story.lead_image)
        try:
            html = preview_html(request, form.cleaned_data, image=image)
        except InvalidInput as error:
            add_errors(error, [form])
            return _render(request, story, form, image_form, status=400)
        return _render(request, story, form, image_form, preview=html)
    try:
        with transaction.atomic():
            saved = _save(request, story, form, image_form, version, action)
    except EditConflict as error:
        return _conflict(request, story, error)
    except NewsdeskError as error:
        add_errors(error, [form, image_form])
        return _render(request, story, form, image_form, status=error.status_code)
    messages.success(request, DONE[action])
    return redirect("desk:story_edit", story_id=saved.pk)


def _save(request, story, form: StoryForm, image_form: ImageForm, version, action) -> Story:
    """The writes behind one button; the caller holds the transaction."""
    user = request.user
    data = form.story_data()
    uploaded = None
    try:
        retext = None
        if image_form.wants_upload():
            uploaded = uploads.upload_from_form(user, image_form)
            data["lead_image_id"] = uploaded.pk
        elif image_form.cleaned_data["remove_image"]:
            data["lead_image_id"] = None
        elif story is not None and story.lead_image is not None:
            retext = story.lead_image
        if story is None:
            story = actions.do_create_story(user, data)
        else:
            story = actions.do_update_story(
                user,
                story.pk,
                data,
                expected_version=version,
                mark_as_update=action == "publish_update",
            )
        if retext is not None and _update_image_text(user, retext, image_form.cleaned_data):
            story.refresh_from_db()  # on a published story the new words were a new version
        if action == "publish":
            story = actions.do_publish_story(user, story.pk, expected_version=story.version)
        elif action == "schedule":
            when = form.cleaned_data.get("publish_at")
            if when is None:
                raise InvalidInput(
                    "Choose the date and time to publish at, then press Schedule.",
                    fields={"publish_at": ["Choose a date and time."]},
                )
            story = actions.do_schedule_story(user, story.pk, when, expected_version=story.version)
    except BaseException:
        uploads.discard(uploaded)
        raise
    return story


def _update_image_text(user, image, typed: dict) -> bool:
    """A fixed caption, credit or alt text of the current lead image (no new file), through the
    action that decides who may change an image's words and records it on published stories.
    Runs after the story's own save, whose version check must see the version the form had."""
    wanted = (typed["alt_text"], typed["caption"], typed["credit"])
    if wanted == (image.alt_text, image.caption, image.credit):
        return False
    media_actions.do_update_image_text(
        user, image.pk, alt_text=wanted[0], caption=wanted[1], credit=wanted[2]
    )
    return True


def _conflict(request: HttpRequest, story: Story, error: EditConflict) -> HttpResponse:
    """409: the person's text stays in the form, now based on the current version, so saving
    again applies it on top of what the other person saved (which is shown for comparison)."""
    data = request.POST.copy()
    data["version"] = str(error.current_version)
    current = desk_queries.story_for_desk(request.user, story.pk)
    form = _story_form(request, current, data)
    form.is_valid()
    form.add_error(None, error.message)
    image_form = ImageForm(request.POST, prefix="image")
    image_form.is_valid()
    if image_form.wants_upload() or request.FILES:
        image_form.add_error("image_file", "Choose the image file again: it was not saved.")
    return _render(request, current, form, image_form, conflict=current, status=409)


@desk_view
@require_POST
def story_state(request: HttpRequest, story_id: int) -> HttpResponse:
    """The publishing panel's buttons: unpublish, pin, breaking, add a correction."""
    story = desk_queries.story_for_desk(request.user, story_id)
    action = request.POST.get("action", "")
    if action not in STATE_ACTIONS:
        raise BadRequest(f"The editor has no button called {action!r}.")
    user = request.user
    correction_form = CorrectionForm(request.POST if action == "correct" else None)
    try:
        if action == "unpublish":
            version = parse_int(request.POST.get("version"), "version")
            actions.do_unpublish_story(user, story.pk, expected_version=version)
        elif action in {"pin", "unpin"}:
            actions.do_set_pinned(user, story.pk, action == "pin")
        elif action in {"breaking_on", "breaking_off"}:
            actions.do_set_breaking(user, story.pk, action == "breaking_on")
        else:
            permissions.check_can_publish(user)
            if not correction_form.is_valid():
                raise InvalidInput("Write the correction's text, then press Add correction.")
            actions.do_add_correction(user, story.pk, correction_form.cleaned_data["text"])
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        if correction_form.is_bound:
            add_errors(error, [correction_form])
        story.refresh_from_db()
        return _render(
            request,
            story,
            _story_form(request, story),
            correction_form=correction_form,
            problem=error.message,
            status=error.status_code,
        )
    messages.success(request, DONE[action])
    return redirect("desk:story_edit", story_id=story.pk)


@desk_view
@require_POST
def restore(request: HttpRequest, story_id: int, number: int) -> HttpResponse:
    """Bring an earlier revision's words back, as a new revision."""
    story = desk_queries.story_for_desk(request.user, story_id)
    version = parse_int(request.POST.get("version"), "version")
    try:
        actions.do_restore_revision(request.user, story.pk, number, expected_version=version)
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        story.refresh_from_db()
        return _render(
            request,
            story,
            _story_form(request, story),
            problem=error.message,
            status=error.status_code,
        )
    messages.success(request, f"Restored revision {number}. The restore is itself a revision.")
    return redirect("desk:story_edit", story_id=story.pk)


@desk_view
@require_GET
def revision_detail(request: HttpRequest, story_id: int, number: int) -> HttpResponse:
    """What a revision held: its text as written and as readers would have seen it."""
    story = desk_queries.story_for_desk(request.user, story_id)
    revision = desk_queries.story_revision(story, number)
    content = revision.content
    html = preview_html(request, content)
    context = {
        "story": story,
        "revision": revision,
        "content": content,
        "preview": html,
        "can_edit": permissions.can_edit(request.user, story),
        "edit_url": reverse("desk:story_edit", kwargs={"story_id": story.pk}),
    }
    return render(request, "desk/revision.html", context)
