"""Who may do what. Actions call these before writing; views may call them to hide buttons.

Roles are Django groups holding model permissions (see migrations): a contributor writes and edits
their own drafts, submits them for review and uploads images; an editor also publishes, updates,
unpublishes, corrects, pins, approves or returns stories in review, and edits anyone's story; an
admin also manages people.

Bylines: only editors put other people's names on a story; others may keep the names a story has
and add their own (`check_byline`). Notes on a story are for whoever may open it at the desk.

Translations: whoever writes may start one of a published story or of a story they may open at
the desk; the new draft is theirs, and publishing it is an editor's call as for any story.

Images are reached by id (a story's lead image, an author's avatar), so they have rules of their
own: an editor may use, read and re-word any image; a contributor may use and read their own
uploads and images readers can already see (on a published story, or an avatar), and may re-word
only their own uploads that readers cannot see yet. Re-wording an image readers see changes a
published story, which is an editor's call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.core.errors import NotAllowed, NotFound

if TYPE_CHECKING:
    from newsdesk.stories.models import Image, Story

EDITABLE_BY_CONTRIBUTOR = {"draft", "unpublished"}


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_write(user) -> bool:
    return _active(user) and user.has_perm("stories.add_story")


def can_publish(user) -> bool:
    return _active(user) and user.has_perm("stories.publish_story")


def is_own_story(user, story: Story) -> bool:
    if story.created_by_id == user.pk:
        return True
    author = getattr(user, "author", None)
    return author is not None and story.author_links.filter(author=author).exists()


def can_edit(user, story: Story) -> bool:
    if not can_write(user):
        return False
    if user.has_perm("stories.edit_any_story"):
        return True
    return story.status in EDITABLE_BY_CONTRIBUTOR and is_own_story(user, story)


def can_view_in_desk(user, story: Story) -> bool:
    return can_write(user) and (
        user.has_perm("stories.edit_any_story") or is_own_story(user, story)
    )


def _edits_any_story(user) -> bool:
    return can_write(user) and user.has_perm("stories.edit_any_story")


def image_is_public(image: Image) -> bool:
    """Readers can see it already: the lead image of a published story or inline in its body
    (`inline_images`), or an author's avatar."""
    from newsdesk.stories.image_uses import stories_showing
    from newsdesk.stories.models import Author, Status

    return (
        stories_showing(image).filter(status=Status.PUBLISHED).exists()
        or Author.objects.filter(avatar=image).exists()
    )


def is_own_image(user, image: Image) -> bool:
    return image.uploaded_by_id is not None and image.uploaded_by_id == user.pk


def can_use_image(user, image: Image) -> bool:
    """May put this image on a story (lead image) or an author (avatar)."""
    if not can_write(user):
        return False
    return _edits_any_story(user) or is_own_image(user, image) or image_is_public(image)


def can_view_image_details(user, image: Image) -> bool:
    """May read its alt text, caption, credit and address. The same people who may use it: an
    image one may not use must not be readable by trying to use it."""
    return can_use_image(user, image)


def can_edit_image_text(user, image: Image) -> bool:
    """May change its alt text, caption and credit, wherever the image is used."""
    if not can_write(user):
        return False
    if _edits_any_story(user):
        return True
    return is_own_image(user, image) and not image_is_public(image)


def can_manage_people(user) -> bool:
    return _active(user) and user.has_perm("auth.change_user")


def can_manage_authors_and_topics(user) -> bool:
    return _active(user) and user.has_perm("stories.change_topic")


def can_upload(user) -> bool:
    return _active(user) and user.has_perm("stories.add_image")


def check_can_write(user) -> None:
    if not can_write(user):
        raise NotAllowed("You need a contributor, editor or admin account to write stories.")


def check_can_publish(user) -> None:
    if not can_publish(user):
        raise NotAllowed(
            "Only editors can publish, update, unpublish, correct or pin stories. "
            "Save your draft and ask an editor to publish it."
        )


def check_can_edit(user, story: Story) -> None:
    if can_edit(user, story):
        return
    if can_write(user) and is_own_story(user, story):
        raise NotAllowed(
            f"This story is {story.get_status_display().lower()}: only an editor can change it now."
        )
    raise NotAllowed("You can only edit your own stories; editors can edit any story.")


def can_review(user) -> bool:
    """May approve a story in review (publishing it) or return it with a note: an editor."""
    return can_publish(user)


def check_can_review(user) -> None:
    if not can_review(user):
        raise NotAllowed(
            "Only editors can approve or return a story in review. "
            "Submit your story for review and an editor will pick it up."
        )


def check_can_submit(user, story: Story) -> None:
    """Anyone who may edit the story may put it up for review (contributors: their own)."""
    if can_edit(user, story):
        return
    if can_write(user) and is_own_story(user, story):
        raise NotAllowed(
            f"This story is {story.get_status_display().lower()}: there is nothing to submit."
        )
    raise NotAllowed(
        "You can only submit your own stories for review; editors can submit any story."
    )


def can_set_any_byline(user) -> bool:
    """May put anybody's name on a byline. Others may keep the names a story already has and
    add or remove their own."""
    return _edits_any_story(user) and can_publish(user)


def check_byline(user, current: set[int], wanted: list[int]) -> None:
    """Refuse a byline naming someone new who is not the writer themself."""
    if can_set_any_byline(user):
        return
    allowed = set(current) | {own_author_id(user)}
    added = [author_id for author_id in wanted if author_id not in allowed]
    if added:
        message = (
            "Only editors can put other people's names on a byline. "
            "Keep the byline as it is or add yourself, and ask an editor to add others."
        )
        raise NotAllowed(message, fields={"author_ids": [message]})


def own_author_id(user) -> int | None:
    """The id of the user's own author profile, read now (a profile made or linked during this
    request counts, whatever `user.author` remembered)."""
    from newsdesk.stories.models import Author

    if not _active(user):
        return None
    return Author.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def can_read_notes(user, story: Story) -> bool:
    """Notes are for the desk: whoever may open the story there (editors, its writers)."""
    return can_view_in_desk(user, story)


def can_translate(user, story: Story) -> bool:
    """May start a translation of this story: anyone who writes, of a story readers can see
    (its words are public) or one they may open at the desk (editors: any; writers: their own)."""
    return can_write(user) and (story.status == "published" or can_view_in_desk(user, story))


def check_can_translate(user, story: Story) -> None:
    if can_translate(user, story):
        return
    if not can_write(user):
        raise NotAllowed("You need a contributor, editor or admin account to translate stories.")
    raise NotAllowed(
        "You can translate published stories and your own drafts; editors can translate any story."
    )


def check_can_manage_authors_and_topics(user) -> None:
    if not can_manage_authors_and_topics(user):
        raise NotAllowed("Only editors and admins can manage authors and topics.")


def check_can_upload(user) -> None:
    if not can_upload(user):
        raise NotAllowed("You need a contributor, editor or admin account to upload images.")


def image_refusal(image_id) -> str:
    """The one answer for an image that does not exist and one the user may not use or read, so
    that trying ids tells nobody which images exist."""
    if isinstance(image_id, int):
        shown = str(image_id) if abs(image_id) < 10**20 else "that id"
    else:
        shown = repr(str(image_id)[:40])
    return f"No image with id {shown} that you can use."


def check_can_edit_image_text(user, image: Image) -> None:
    if can_edit_image_text(user, image):
        return
    if can_view_image_details(user, image) and can_write(user):
        raise NotAllowed(
            "Readers can see this image (on a published story or as an author's avatar): only an "
            "editor can change its alt text, caption or credit now."
            if image_is_public(image)
            else "You can only change the words of your own images; editors can change any."
        )
    raise NotFound(image_refusal(image.pk))
