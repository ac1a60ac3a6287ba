"""Authors and topics: the names stories are bylined and filed under."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from newsdesk.core.errors import NotFound
from newsdesk.core.validation import FieldChecker, base_slug
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    retrying_taken_slug,
    unique_slug,
)
from newsdesk.stories.actions.fields import image_id_of, usable_image
from newsdesk.stories.models import (
    Author,
    Topic,
)
from newsdesk.stories.signals import catalogue_saved


def do_save_author(user, author_id: int | None, data: dict[str, Any]) -> Author:
    """Create (author_id None) or edit an author: name, role, bio, avatar, linked account."""
    permissions.check_can_manage_authors_and_topics(user)
    checker = FieldChecker(Author)
    name = checker.text(data, "name", "Name", required=True)
    role = checker.text(data, "role", "Role")
    bio = checker.text(data, "bio", "Bio")
    slug = checker.text(data, "slug", "Address (slug)") if data.get("slug") else ""
    avatar_id = image_id_of(data.get("avatar_id"), "avatar_id", checker)
    if avatar_id is not None:
        current = Author.objects.filter(pk=author_id).values_list("avatar_id", flat=True).first()
        if avatar_id != current and not usable_image(user, avatar_id):
            checker.add("avatar_id", permissions.image_refusal(avatar_id))
    linked = data.get("user")
    if linked is not None:
        # One account, one author profile: the link is unique, so say so instead of crashing.
        other = Author.objects.filter(user=linked).exclude(pk=author_id).first()
        if other is not None:
            checker.add(
                "user",
                f"The account {linked.get_username()!r} is already linked to {other.name}. "
                "Unlink it there first, or choose another account.",
            )
    checker.raise_if_any()

    def write(attempt: int) -> Author:
        with transaction.atomic():
            author = (
                Author.objects.select_for_update().filter(pk=author_id).first()
                if author_id
                else Author()
            )
            if author is None:
                raise NotFound(f"There is no author with id {author_id}.")
            author.name, author.role, author.bio = name, role, bio
            if "avatar_id" in data:
                author.avatar_id = avatar_id
            if slug or not author.slug:
                author.slug = unique_slug(
                    Author,
                    base_slug(slug or name, "author", Author),
                    exclude_id=author.pk,
                    spread=attempt,
                )
            if "user" in data:
                author.user = data["user"]
            renamed = author.pk is not None and Author.objects.get(pk=author.pk).name != name
            author.save()
            catalogue_saved.send(sender=Author, instance=author, renamed=renamed)
        return author

    return retrying_taken_slug(write)


def do_save_topic(user, topic_id: int | None, data: dict[str, Any]) -> Topic:
    """Create (topic_id None) or edit a topic."""
    permissions.check_can_manage_authors_and_topics(user)
    checker = FieldChecker(Topic)
    name = checker.text(data, "name", "Name", required=True)
    description = checker.text(data, "description", "Description")
    slug = checker.text(data, "slug", "Address (slug)") if data.get("slug") else ""
    checker.raise_if_any()

    def write(attempt: int) -> Topic:
        with transaction.atomic():
            topic = (
                Topic.objects.select_for_update().filter(pk=topic_id).first()
                if topic_id
                else Topic()
            )
            if topic is None:
                raise NotFound(f"There is no topic with id {topic_id}.")
            topic.name, topic.description = name, description
            if slug or not topic.slug:
                topic.slug = unique_slug(
                    Topic,
                    base_slug(slug or name, "topic", Topic),
                    exclude_id=topic.pk,
                    spread=attempt,
                )
            renamed = topic.pk is not None and Topic.objects.get(pk=topic.pk).name != name
            topic.save()
            catalogue_saved.send(sender=Topic, instance=topic, renamed=renamed)
        return topic

    return retrying_taken_slug(write)
