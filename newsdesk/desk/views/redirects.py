"""Old addresses answering 301: the list (imported and editors' own), adding and deleting one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.validation import max_length
from newsdesk.desk.access import add_errors, desk_view, parse_int
from newsdesk.imports import actions, queries
from newsdesk.imports.models import Redirect
from newsdesk.stories import permissions


class RedirectForm(forms.Form):
    old_path = forms.CharField(
        label="Old address",
        max_length=max_length(Redirect, "old_path"),
        help_text="A path on this site, e.g. /2019/03/old-story/ or /?p=123",
    )
    target = forms.CharField(
        label="New address",
        max_length=max_length(Redirect, "target"),
        help_text="Where it goes now, e.g. /stories/new-story/",
    )


@desk_view
def redirect_list(request: HttpRequest) -> HttpResponse:
    permissions.check_can_publish(request.user)
    if request.method == "POST":
        form = RedirectForm(request.POST)
        if form.is_valid():
            try:
                made = actions.do_add_redirect(request.user, **form.cleaned_data)
            except NewsdeskError as error:
                add_errors(error, [form])
            else:
                messages.success(request, f"{made.old_path} now redirects to {made.target}.")
                return redirect("desk:redirect_list")
        return _page(request, form, status=400)
    return _page(request, RedirectForm())


def _page(request: HttpRequest, form: RedirectForm, status: int = 200) -> HttpResponse:
    after = parse_int(request.GET.get("after") or "0", "after")
    contains = request.GET.get("q", "").strip()[:200]
    rows, next_after = queries.redirect_page(after=after, contains=contains)
    context = {
        "form": form,
        "redirects": rows,
        "next_after": next_after,
        "q": contains,
        "total": queries.redirect_count(),
    }
    return render(request, "desk/redirect_list.html", context, status=status)


@require_POST
@desk_view
def redirect_delete(request: HttpRequest, redirect_id: int) -> HttpResponse:
    actions.do_delete_redirect(request.user, redirect_id)
    messages.success(request, "Redirect deleted.")
    return redirect("desk:redirect_list")
