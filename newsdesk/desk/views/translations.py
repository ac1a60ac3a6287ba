"""Translations at the desk: "Create translation" on the editor, and the desk's own settings
(the language its interface speaks to each person)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from newsdesk.core.errors import InvalidInput
from newsdesk.desk.access import desk_view
from newsdesk.desk.forms import TRANSLATE_PREFIX, DeskLanguageForm
from newsdesk.stories import accounts, actions, desk_queries, permissions, translations
from newsdesk.stories.models import Story


@desk_view
@require_POST
def translate(request: HttpRequest, story_id: int) -> HttpResponse:
    """Start a translation of the story and open it in the editor. A language the story has
    already, or one the site does not have, is said on the story's own editor page."""
    # The editor's form is prefixed (its page has the story's own Language field); a plain
    # `language` is taken too. Which languages are allowed is the action's call.
    language = request.POST.get(f"{TRANSLATE_PREFIX}-language") or request.POST.get("language")
    try:
        draft = actions.do_create_translation(request.user, story_id, language or "")
    except InvalidInput as error:
        story = Story.objects.filter(pk=story_id).first()
        if story is None or not permissions.can_view_in_desk(request.user, story):
            raise
        messages.error(request, error.message)
        return redirect("desk:story_edit", story_id=story_id)
    messages.success(
        request,
        _(
            "Translation started: a draft in %(language)s with the original's words. "
            "Translate them, then save or publish it like any story."
        )
        % {"language": translations.language_name(draft.language)},
    )
    return redirect("desk:story_edit", story_id=draft.pk)


@desk_view
def desk_settings(request: HttpRequest) -> HttpResponse:
    """The person's desk settings: the language of the desk's interface."""
    current = desk_queries.desk_language(request.user)
    form = DeskLanguageForm(request.POST or None, initial={"language": current})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            accounts.do_set_desk_language(request.user, form.cleaned_data["language"])
            # The next page speaks the new language; this message is already in it.
            with translation.override(form.cleaned_data["language"] or settings.LANGUAGE_CODE):
                messages.success(request, _("Saved: the desk now speaks this language to you."))
            return redirect("desk:settings")
        status = 400
    return render(request, "desk/settings.html", {"form": form}, status=status)
