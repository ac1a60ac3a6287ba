"""The story editor: write, save, publish, schedule, update, correct, pin; submit for review,
approve or return with a note; the desk's notes; history and restore.

Every button posts to the editor. Saves that do more than one thing (save then publish, upload
an image then save) run in one transaction, so they happen entirely or not at all; if anything
fails, the editor is shown again with the person's own typed text and the reason. An edit
conflict (somebody saved since this edit began) answers 409 with the conflict screen
(`desk.conflicts`): both versions side by side, and a choice per field; saving again from a stale
version is refused again, never applied on top.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from newsdesk.core.errors import EditConflict, InvalidInput, NewsdeskError
from newsdesk.core.ids import parse_id
from newsdesk.desk import conflicts, presence, uploads
from newsdesk.desk.access import BadRequest, add_errors, desk_view, parse_int
from newsdesk.desk.diffs import word_diff as diff_words
from newsdesk.desk.forms import (
    CorrectionForm,
    ImageForm,
    NoteForm,
    ReturnForm,
    StoryForm,
    TranslateForm,
    story_initial,
)
from newsdesk.desk.views.preview import preview_html
from newsdesk.media import actions as media_actions
from newsdesk.stories import actions, desk_queries, permissions, queries, translations
from newsdesk.stories.inline_images import inline_image_ids
from newsdesk.stories.models import CHOSEN_KINDS, Image, Kind, Review, Status, Story

SAVE_ACTIONS = {"save", "publish", "publish_update", "schedule", "preview", "submit", "approve"}
STATE_ACTIONS = {"unpublish", "pin", "unpin", "breaking_on", "breaking_off", "correct", "return"}
DONE = {
    "save": _("Saved."),
    "submit": _("Saved and submitted for review: editors see it in their review queue."),
    "approve": _("Approved and published."),
    "return": _("Returned to the writer with your note."),
    "note": _("Note added."),
    "publish": _("Published."),
    "publish_update": _("Saved and marked as updated: readers see “Updated” with the time."),
    "schedule": _("Scheduled."),
    "unpublish": _("Unpublished: the story is no longer on the site."),
    "pin": _("Pinned to the top of the News Feed."),
    "unpin": _("Unpinned."),
    "breaking_on": _("Marked as breaking news."),
    "breaking_off": _("No longer marked as breaking news."),
    "correct": _("Correction added under the story."),
}


def _offered_authors(user, story: Story | None) -> set[int] | None:
    """None (everyone) for editors; for others the names they may put on a byline: their own
    and those the story already has (the action refuses anything else, from any channel)."""
    if permissions.can_set_any_byline(user):
        return None
    offered = {a.pk for a in story.ordered_authors()} if story else set()
    offered.add(permissions.own_author_id(user))
    return offered


def _story_form(request: HttpRequest, story: Story | None, data=None) -> StoryForm:
    if data is not None:
        byline = [i for i in map(parse_id, data.getlist("author_ids")) if i is not None]
    else:
        byline = [a.pk for a in story.ordered_authors()] if story else []
    initial = story_initial(story) if story else None
    if initial and initial["headline"] == actions.UNTITLED:
        initial["headline"] = ""  # created by autosave before a headline was typed
    if story is None and request.GET.get("kind") in CHOSEN_KINDS:
        initial = {"kind": request.GET["kind"]}  # "New live coverage" opens the editor so
    return StoryForm(
        data,
        initial=initial,
        authors=queries.all_authors(),
        offered_authors=_offered_authors(request.user, story),
        topics=queries.all_topics(),
        byline=byline,
        slug_locked=story is not None and story.status in {Status.PUBLISHED, Status.UNPUBLISHED},
        can_publish=permissions.can_publish(request.user),
        embeds=story.embeds if story else (),
    )


def _render(
    request: HttpRequest,
    story: Story | None,
    form: StoryForm,
    image_form: ImageForm | None = None,
    *,
    correction_form: CorrectionForm | None = None,
    return_form: ReturnForm | None = None,
    note_form: NoteForm | None = None,
    preview: str = "",
    problem: str = "",
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
        "can_publish": permissions.can_publish(user),
        "can_edit": story is None or permissions.can_edit(user, story),
        "revisions": desk_queries.story_revisions(story) if story else [],
        "present": presence.heartbeat(story.pk, user) if story else [],
        "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
        "authors": story.ordered_authors() if story else [],
        "can_review": permissions.can_review(user),
        "can_submit": _can_submit(user, story),
        "return_form": return_form or ReturnForm(),
        "note_form": note_form or NoteForm(),
        "notes": desk_queries.story_notes(user, story) if story else [],
        "return_note": desk_queries.return_note(story) if story else None,
        "own_profile": permissions.own_author_id(user) is not None,
        "sets_any_byline": permissions.can_set_any_byline(user),
        **_translation_values(user, story),
    }
    return render(request, "desk/story_edit.html", context, status=status)


def _translation_values(user, story: Story | None) -> dict:
    """The editor's Translations panel: the story in its other languages (those this person may
    open, or readers may read), whether this translation needs an update, and the form that
    starts a new one."""
    if story is None:
        return {"translation_members": [], "translate_form": None, "needs_update": False}
    members = [
        member
        for member in translations.desk_group(story)
        if member.story.is_published or permissions.can_view_in_desk(user, member.story)
    ]
    languages = translations.untranslated_languages(story)
    if story.kind == Kind.ENTRY:
        languages = [code for code in languages if code in _coverage_languages(story)]
    can = bool(languages) and permissions.can_translate(user, story)
    return {
        "translation_members": members,
        "translate_form": TranslateForm(languages=languages) if can else None,
        "needs_update": translations.needs_update(story),
    }


def _coverage_languages(entry: Story) -> set[str]:
    """An entry's translation goes into its coverage's translation: the languages it has."""
    if entry.coverage is None:
        return set()
    group = translations.desk_group(entry.coverage)
    return {member.language for member in group} | {entry.coverage.language}


def _can_submit(user, story: Story | None) -> bool:
    """Offer "Submit for review" to writers who cannot publish, on what can go to review."""
    if permissions.can_publish(user):
        return False
    if story is None:
        return True
    return story.status in {Status.DRAFT, Status.UNPUBLISHED} and story.review != Review.IN_REVIEW


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
        if pending.content.get("restored_from"):
            _say_restore_is_pending(request, story, pending.content["restored_from"])
            return _render(request, story, form)
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
def autosave_new(request: HttpRequest) -> HttpResponse:
    """The first autosave of a story never saved creates it as a draft, so closing the tab loses
    nothing; the page then switches to editing that story (its script replaces the address)."""
    try:
        story = actions.do_autosave_new_story(request.user, request.POST)
    except InvalidInput as error:
        return JsonResponse({"error": error.message, "fields": error.fields}, status=400)
    edit_url = reverse("desk:story_edit", kwargs={"story_id": story.pk})
    return JsonResponse(
        {
            "story": story.pk,
            "version": story.version,
            "edit_url": edit_url,
            "presence_url": reverse("desk:presence", kwargs={"story_id": story.pk}),
            "saved_at": timezone.localtime(story.modified_at).isoformat(),
        },
        status=201,
    )


@desk_view
@require_POST
def presence_heartbeat(request: HttpRequest, story_id: int) -> HttpResponse:
    """The editor page's heartbeat: note who has the story open; answer who else does, and the
    version saved now (so the page can say that somebody saved while this person types)."""
    story = desk_queries.story_for_desk(request.user, story_id)
    others = presence.heartbeat(
        story.pk,
        request.user,
        typing=request.POST.get("typing") == "1",
        leaving=request.POST.get("leaving") == "1",
    )
    return JsonResponse(
        {
            "others": [{"name": p.name, "typing": p.typing} for p in others],
            "version": story.version,
            "every": presence.HEARTBEAT_SECONDS,
        }
    )


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
    if action == "resolve" and story is not None:
        return _resolve(request, story)
    if action not in SAVE_ACTIONS:
        raise BadRequest(f"The editor has no button called {action!r}.")
    version = parse_int(request.POST.get("version"), "version") if story else None
    form = _story_form(request, story, request.POST)
    image_form = ImageForm(request.POST, request.FILES, prefix="image")
    pending = uploads.pending_upload(request.user, request.POST.get("image-pending", ""))
    if not (form.is_valid() & image_form.is_valid()):
        if form.is_valid():  # mark what the action would refuse too, not only the image's fields
            try:
                _check_story_words(story, form.story_data())
            except InvalidInput as error:
                add_errors(error, [form])
        _keep_chosen_file(request, image_form, pending)
        return _render(request, story, form, image_form, status=400)
    if pending is None and image_form.cleaned_data.get("pending"):
        image_form.cleaned_data["pending"] = ""  # expired or not this person's: nothing kept
    if action == "preview":
        image = None if image_form.cleaned_data["remove_image"] else (story and story.lead_image)
        library_id = image_form.wants_library_image()
        if library_id is not None:
            image = _library_image_or_none(request.user, library_id)
        _keep_chosen_file(request, image_form, pending)
        try:
            shown = inline_image_ids(story.body) if story else set()
            known = story.embeds if story else ()
            html = preview_html(
                request, form.cleaned_data, image=image, shown=shown, known_embeds=known
            )
        except InvalidInput as error:
            add_errors(error, [form])
            return _render(request, story, form, image_form, status=400)
        return _render(request, story, form, image_form, preview=html)
    actions.warm_embeds(form.cleaned_data.get("body"))  # the network, before the transaction
    try:
        with transaction.atomic():
            saved = _save(request, story, form, image_form, version, action, pending)
    except EditConflict:
        return _conflict(
            request,
            story,
            conflicts.form_values(form.story_data()),
            version,
            image_lost=image_form.wants_upload(),
        )
    except NewsdeskError as error:
        add_errors(error, [form, image_form])
        _keep_chosen_file(request, image_form, pending)
        return _render(request, story, form, image_form, status=error.status_code)
    uploads.drop_pending(pending)  # stored as the image now, or replaced by another choice
    messages.success(request, str(DONE[action]))
    return redirect("desk:story_edit", story_id=saved.pk)


def _keep_chosen_file(request: HttpRequest, image_form: ImageForm, pending) -> None:
    """A save refused for a reason other than the file keeps the chosen file for the next try:
    the form is drawn again with a token naming it (`uploads.keep_for_later`) and says so. A
    file refused for what it is (not an image, too large) is not kept."""
    if "image_file" in image_form.errors:
        return
    chosen = request.FILES.get("image-image_file")
    kept = uploads.keep_for_later(request.user, chosen) if chosen else pending
    if kept is None:
        return
    data = image_form.data.copy()
    data["image-pending"] = kept.token
    image_form.data = data
    image_form.kept_file = kept.name


def _library_image_or_none(user, image_id: int):
    image = Image.objects.filter(pk=image_id).first()
    return image if image is not None and permissions.can_use_image(user, image) else None


def _check_story_words(story: Story | None, data: dict) -> None:
    """What the story's save action would refuse in these fields (InvalidInput), checked early."""
    entry = story is not None and story.kind == Kind.ENTRY
    actions.check_story_fields(data, partial=story is not None, entry=entry)


def _check_both_forms(story: Story | None, data: dict, image_form: ImageForm) -> None:
    """The story's words and the image's words, checked before either is written, so that
    every field that cannot be saved is marked at once (the writes below stop at the first)."""
    fields: dict = {}
    checks = [lambda: _check_story_words(story, data)]
    keeps_current = (
        story is not None
        and story.lead_image is not None
        and image_form.wants_library_image() in (None, story.lead_image_id)
        and not image_form.cleaned_data["remove_image"]
    )
    if image_form.wants_upload() or keeps_current:
        image = image_form.cleaned_data
        checks.append(
            lambda: actions.check_image_text(
                image["alt_text"] or "-", image["caption"], image["credit"]
            )
        )
    for check in checks:
        try:
            check()
        except InvalidInput as error:
            if not error.fields:
                raise
            fields.update(error.fields)
    if fields:
        raise InvalidInput("Some fields cannot be saved as they are: see each one.", fields=fields)


def _save(
    request, story, form: StoryForm, image_form: ImageForm, version, action, pending=None
) -> Story:
    """The writes behind one button; the caller holds the transaction."""
    user = request.user
    data = form.story_data()
    _check_both_forms(story, data, image_form)
    uploaded = None
    try:
        retext = None
        library_id = image_form.wants_library_image()
        if image_form.wants_upload():
            uploaded = uploads.upload_from_form(user, image_form, pending=pending)
            data["lead_image_id"] = uploaded.pk
        elif library_id is not None:
            # The action checks that this person may use it (the same answer as for no image).
            data["lead_image_id"] = library_id
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
        elif action == "submit":
            story = actions.do_submit_for_review(user, story.pk, expected_version=story.version)
        elif action == "approve":
            story = actions.do_approve_story(user, story.pk, expected_version=story.version)
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


def _conflict(
    request: HttpRequest,
    story: Story,
    mine: dict,
    base_version: int | None,
    *,
    problem: str = "",
    chosen: dict[str, str] | None = None,
    image_lost: bool = False,
    status: int = 409,
) -> HttpResponse:
    """The conflict screen: the person's fields beside what is saved now, differences marked, a
    choice per field. Nothing the other person saved is dropped without a choice made here."""
    current = desk_queries.story_for_desk(request.user, story.pk)
    names = {
        "author_ids": {a.pk: a.name for a in queries.all_authors()},
        "topic_ids": {t.pk: t.name for t in queries.all_topics()},
    }
    items = conflicts.compare(
        mine,
        conflicts.story_values(current),
        conflicts.base_values(current, base_version),
        names,
    )
    for item in items:
        if chosen and chosen.get(item.name):
            item.chosen = chosen[item.name]
    saved_by = conflicts.last_saved_by(current)
    context = {
        "story": current,
        "conflicts": items,
        "base_version": base_version,
        "saved_by": saved_by,
        "problem": problem,
        "image_lost": image_lost,
    }
    return render(request, "desk/story_conflict.html", context, status=status)


def _resolve(request: HttpRequest, story: Story) -> HttpResponse:
    """The conflict screen's Save: the chosen value of each field, on top of the version the
    screen showed (refused again, with a fresh screen, if somebody saved meanwhile)."""
    version = parse_int(request.POST.get("version"), "version")
    base_raw = request.POST.get("base_version")
    base_version = parse_int(base_raw, "base version") if base_raw else None
    fields = [f for f in request.POST.getlist("conflict_fields") if f in conflicts.FIELDS]
    mine = conflicts.form_values(
        {
            name: request.POST.getlist(f"mine_{name}")
            if name in ("author_ids", "topic_ids")
            else (
                request.POST.get(f"mine_{name}") == "1"
                if name == "breaking"
                else request.POST.get(f"mine_{name}", "")
            )
            for name in fields
        }
    )
    chosen = {name: request.POST.get(f"choose_{name}", "") for name in fields}
    data, missing = conflicts.resolved_data(request.POST, story)
    if missing:
        problem = (
            "Choose what to keep for: " + ", ".join(missing) + ". Keeping yours would drop what "
            "the other person saved there, so the desk does not choose for you."
        )
        return _conflict(
            request, story, mine, base_version, problem=problem, chosen=chosen, status=400
        )
    actions.warm_embeds(data.get("body"))  # the network, before the transaction
    try:
        with transaction.atomic():
            actions.do_update_story(request.user, story.pk, data, expected_version=version)
    except EditConflict as error:
        return _conflict(
            request, story, conflicts.form_values(data), version, problem=error.message
        )
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        return _conflict(
            request,
            story,
            mine,
            base_version,
            problem=error.message,
            chosen=chosen,
            status=error.status_code,
        )
    messages.success(request, "Saved with the choices you made: both people's work is kept.")
    return redirect("desk:story_edit", story_id=story.pk)


@desk_view
@require_POST
def story_state(request: HttpRequest, story_id: int) -> HttpResponse:
    """The publishing panel's buttons: unpublish, pin, breaking, add a correction, return a
    story in review with a note."""
    story = desk_queries.story_for_desk(request.user, story_id)
    action = request.POST.get("action", "")
    if action not in STATE_ACTIONS:
        raise BadRequest(f"The editor has no button called {action!r}.")
    user = request.user
    correction_form = CorrectionForm(request.POST if action == "correct" else None)
    return_form = ReturnForm(request.POST if action == "return" else None)
    try:
        if action == "unpublish":
            version = parse_int(request.POST.get("version"), "version")
            actions.do_unpublish_story(user, story.pk, expected_version=version)
        elif action in {"pin", "unpin"}:
            actions.do_set_pinned(user, story.pk, action == "pin")
        elif action in {"breaking_on", "breaking_off"}:
            actions.do_set_breaking(user, story.pk, action == "breaking_on")
        elif action == "return":
            permissions.check_can_review(user)
            if not return_form.is_valid():
                raise InvalidInput("Write a note saying what to change, then press Return.")
            version = parse_int(request.POST.get("version"), "version")
            actions.do_return_story(
                user, story.pk, return_form.cleaned_data["note"], expected_version=version
            )
        else:
            permissions.check_can_publish(user)
            if not correction_form.is_valid():
                raise InvalidInput("Write the correction's text, then press Add correction.")
            actions.do_add_correction(user, story.pk, correction_form.cleaned_data["text"])
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        for form in (correction_form, return_form):
            if form.is_bound:
                add_errors(error, [form])
        story.refresh_from_db()
        return _render(
            request,
            story,
            _story_form(request, story),
            correction_form=correction_form,
            return_form=return_form,
            problem=error.message,
            status=error.status_code,
        )
    messages.success(request, str(DONE[action]))
    return redirect("desk:story_edit", story_id=story.pk)


def _say_restore_is_pending(request: HttpRequest, story: Story, number: int) -> None:
    messages.warning(
        request,
        format_html(
            "Revision {}’s headline, summary and body are in the form below; readers still see "
            "the published version. Read them, then press “Save” for a silent fix or “Publish as "
            "update” to show readers it changed. Flags and corrections are unchanged. "
            '<a href="?autosave=discard">Drop the restore</a>.',
            number,
        ),
    )
    revision = story.revisions.filter(number=number).first()
    if revision is None:
        return
    for correction in desk_queries.corrections_since(story, revision.created_at):
        messages.warning(
            request,
            format_html(
                "A correction was published after revision {} was written: “{}”. Check that the "
                "restored text does not bring back what it corrected.",
                number,
                correction.text,
            ),
        )


@desk_view
@require_POST
def add_note(request: HttpRequest, story_id: int) -> HttpResponse:
    """A note in the story's desk thread."""
    story = desk_queries.story_for_desk(request.user, story_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("Write the note, then press Add note.")
        actions.do_add_story_note(request.user, story.pk, form.cleaned_data["text"])
    except NewsdeskError as error:
        if error.status_code == 404:
            raise
        add_errors(error, [form])
        return _render(
            request,
            story,
            _story_form(request, story),
            note_form=form,
            problem=error.message,
            status=error.status_code,
        )
    messages.success(request, str(DONE["note"]))
    return redirect(reverse("desk:story_edit", kwargs={"story_id": story.pk}) + "#notes-title")


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
    if story.status != Status.PUBLISHED:
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
        "latest": story.revisions.order_by("-number").values_list("number", flat=True).first(),
    }
    return render(request, "desk/revision.html", context)


# What the revision diff compares: the conflict screen's fields, and what only revisions record.
REVISION_FIELDS = {
    **conflicts.FIELDS,
    "status": "Status",
    "pinned": "Pinned",
    "lead_image_id": "Lead image",
}


@desk_view
@require_GET
def revision_diff(request: HttpRequest, story_id: int) -> HttpResponse:
    """Two revisions side by side (`?a=<number>&b=<number>`, the older on the left), each field
    that differs with its words marked. Without numbers: the last two revisions."""
    story = desk_queries.story_for_desk(request.user, story_id)
    revisions = desk_queries.story_revisions(story)
    if request.GET.get("a") or request.GET.get("b"):
        first = parse_int(request.GET.get("a"), "first revision")
        second = parse_int(request.GET.get("b"), "second revision")
    elif len(revisions) >= 2:
        first, second = revisions[1].number, revisions[0].number
    else:
        raise InvalidInput("This story has only one revision: there is nothing to compare yet.")
    older, newer = desk_queries.revision_pair(story, first, second)
    names = {
        "author_ids": {a.pk: a.name for a in queries.all_authors()},
        "topic_ids": {t.pk: t.name for t in queries.all_topics()},
    }
    rows, unchanged = [], []
    for name, label in REVISION_FIELDS.items():
        left, right = older.content.get(name), newer.content.get(name)
        if name in ("author_ids", "topic_ids"):
            left, right = (_names(v, names[name]) for v in (left, right))
        elif not isinstance(left, str) or not isinstance(right, str):
            left, right = _plain(left), _plain(right)
        diff = diff_words(left, right)
        if diff.changed:
            rows.append({"label": label, "diff": diff})
        else:
            unchanged.append(label)
    context = {
        "story": story,
        "older": older,
        "newer": newer,
        "rows": rows,
        "unchanged": unchanged,
        "revisions": revisions,
    }
    return render(request, "desk/revision_diff.html", context)


def _names(ids, names: dict[int, str]) -> str:
    return ", ".join(names.get(i, f"#{i}") for i in ids or []) or "(none)"


def _plain(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "(none)" if value in (None, "") else str(value)
