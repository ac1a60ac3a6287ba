"""Authors and topics: the lists and their create/edit forms (editors and admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from newsdesk.core.errors import NewsdeskError
from newsdesk.desk import uploads
from newsdesk.desk.access import add_errors, editors_only
from newsdesk.desk.forms import AuthorForm, ImageForm, TopicForm
from newsdesk.stories import actions, desk_queries, queries


@editors_only
def author_list(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/author_list.html", {"authors": desk_queries.desk_authors()})


@editors_only
def author_edit(request: HttpRequest, author_id: int | None = None) -> HttpResponse:
    author = desk_queries.author_by_id(author_id) if author_id is not None else None
    users = desk_queries.newsroom_users()
    if request.method != "POST":
        initial = (
            {
                "name": author.name,
                "slug": author.slug,
                "role": author.role,
                "bio": author.bio,
                "user": author.user_id,
            }
            if author
            else None
        )
        form = AuthorForm(initial=initial, users=users)
        return _author_page(request, author, form, ImageForm(prefix="avatar"))
    form = AuthorForm(request.POST, users=users)
    image_form = ImageForm(request.POST, request.FILES, prefix="avatar")
    if not (form.is_valid() & image_form.is_valid()):
        return _author_page(request, author, form, image_form, status=400)
    data = {key: form.cleaned_data[key] for key in ("name", "slug", "role", "bio")}
    user_id = form.cleaned_data["user"]
    data["user"] = next((u for u in users if u.pk == user_id), None)
    uploaded = None
    try:
        with transaction.atomic():
            if image_form.wants_upload():
                uploaded = uploads.upload_from_form(
                    request.user, image_form, default_alt=form.cleaned_data["name"]
                )
                data["avatar_id"] = uploaded.pk
            elif image_form.cleaned_data["remove_image"]:
                data["avatar_id"] = None
            saved = actions.do_save_author(request.user, author.pk if author else None, data)
    except NewsdeskError as error:
        uploads.discard(uploaded)
        add_errors(error, [form, image_form])
        return _author_page(request, author, form, image_form, status=error.status_code)
    messages.success(request, f"Saved author “{saved.name}”.")
    return redirect("desk:author_list")


def _author_page(request, author, form, image_form, status: int = 200) -> HttpResponse:
    context = {"author": author, "form": form, "image_form": image_form}
    return render(request, "desk/author_form.html", context, status=status)


@editors_only
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/topic_list.html", {"topics": queries.all_topics()})


@editors_only
def topic_edit(request: HttpRequest, topic_id: int | None = None) -> HttpResponse:
    topic = desk_queries.topic_by_id(topic_id) if topic_id is not None else None
    if request.method != "POST":
        initial = (
            {"name": topic.name, "slug": topic.slug, "description": topic.description}
            if topic
            else None
        )
        return _topic_page(request, topic, TopicForm(initial=initial))
    form = TopicForm(request.POST)
    if not form.is_valid():
        return _topic_page(request, topic, form, status=400)
    try:
        saved = actions.do_save_topic(request.user, topic.pk if topic else None, form.cleaned_data)
    except NewsdeskError as error:
        add_errors(error, [form])
        return _topic_page(request, topic, form, status=error.status_code)
    messages.success(request, f"Saved topic “{saved.name}”.")
    return redirect("desk:topic_list")


def _topic_page(request, topic, form, status: int = 200) -> HttpResponse:
    return render(request, "desk/topic_form.html", {"topic": topic, "form": form}, status=status)
