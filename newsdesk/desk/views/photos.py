"""The photo library: every uploaded image this person may see, searchable, with the stories
that use it; an image's page to fix its alt text, caption and credit; the editor's picker.

Reads are `media.library` (which images a person may see); the one write is
`media.actions.do_update_image_text`, which decides who may change an image's words.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from newsdesk.core.errors import NewsdeskError
from newsdesk.desk.access import add_errors, desk_view
from newsdesk.desk.forms import ImageTextForm, LibrarySearchForm
from newsdesk.media import actions as media_actions
from newsdesk.media import library
from newsdesk.stories import permissions

PICKER_SIZE = 12


def _search(request: HttpRequest, limit: int) -> tuple[LibrarySearchForm, library.LibraryPage]:
    form = LibrarySearchForm(request.GET)
    search, before = "", None
    if form.is_valid():
        search = form.cleaned_data["q"] or ""
        before = form.cleaned_data["before"]
    return form, library.library_page(request.user, search=search, before=before, limit=limit)


@desk_view
@require_GET
def photo_list(request: HttpRequest) -> HttpResponse:
    """The library, newest first, with a search over caption, credit, alt text and file name."""
    form, page = _search(request, library.PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "uses": library.uses_of_page(request.user, page.images),
        "avatars": library.avatar_authors(page.images),
        "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
    }
    return render(request, "desk/photo_list.html", context)


@desk_view
@require_GET
def photo_picker(request: HttpRequest) -> HttpResponse:
    """The editor's picker: a fragment of library cards with "Insert in body" and "Use as lead
    image" buttons (the editor's script asks for it; without the script the picker's search
    opens the library page)."""
    form, page = _search(request, PICKER_SIZE)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    response = render(request, "desk/_photo_picker.html", {"page": page, "query": query})
    response["Cache-Control"] = "no-store"
    return response


@desk_view
def photo_detail(request: HttpRequest, image_id: int) -> HttpResponse:
    """One image: large, its words (a form when this person may change them), its sizes, the
    line that places it in a body, and every story using it."""
    image = library.library_image(request.user, image_id)
    can_edit = permissions.can_edit_image_text(request.user, image)
    status = 200
    if request.method == "POST":
        form = ImageTextForm(request.POST)
        if form.is_valid():
            try:
                media_actions.do_update_image_text(request.user, image.pk, **form.cleaned_data)
            except NewsdeskError as error:
                if error.status_code in {403, 404}:
                    raise
                add_errors(error, [form])
            else:
                messages.success(
                    request, "Saved. Published stories showing this image show the new words."
                )
                return redirect("desk:photo_detail", image_id=image.pk)
        status = 400
    else:
        form = ImageTextForm(
            initial={"alt_text": image.alt_text, "caption": image.caption, "credit": image.credit}
        )
    context = {
        "image": image,
        "form": form,
        "can_edit": can_edit,
        "uses": library.image_uses(request.user, image),
        "avatar_of": library.avatar_authors([image]).get(image.pk, []),
    }
    return render(request, "desk/photo_detail.html", context, status=status)
