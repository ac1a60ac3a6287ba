"""Who may do what. Actions call these before writing; views may call them to hide buttons.

Roles are Django groups holding model permissions (see migrations): a contributor writes and edits
their own drafts and uploads images; an editor also publishes, updates, unpublishes, corrects, pins
and edits anyone's story; an admin also manages people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.stories.errors import NotAllowed

if TYPE_CHECKING:
    from newsdesk.stories.models import Story

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


def can_manage_people(user) -> bool:
    return _active(user) and user.has_perm("auth.change_user")


def can_manage_authors_and_topics(user) -> bool:
    return _active(user) and user.has_perm("stories.change_topic")


def can_upload(user) -> bool:
    return _active(user) and user.has_perm("media.add_image")


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


def check_can_manage_authors_and_topics(user) -> None:
    if not can_manage_authors_and_topics(user):
        raise NotAllowed("Only editors and admins can manage authors and topics.")


def check_can_upload(user) -> None:
    if not can_upload(user):
        raise NotAllowed("You need a contributor, editor or admin account to upload images.")
