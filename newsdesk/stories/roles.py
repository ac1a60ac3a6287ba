"""The three newsroom roles as Django groups, and the permissions each one holds."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

CONTRIBUTOR, EDITOR, ADMIN = "contributor", "editor", "admin"
ROLES = (CONTRIBUTOR, EDITOR, ADMIN)

_CONTRIBUTOR_PERMS = [
    "stories.add_story",
    "stories.change_story",
    "stories.view_story",
    "stories.add_image",
    "stories.view_image",
]
_EDITOR_PERMS = [
    *_CONTRIBUTOR_PERMS,
    "stories.publish_story",
    "stories.edit_any_story",
    "stories.add_author",
    "stories.change_author",
    "stories.add_topic",
    "stories.change_topic",
    "stories.add_correction",
]
_ADMIN_PERMS = [
    *_EDITOR_PERMS,
    "stories.delete_story",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.add_group",
    "auth.change_group",
]
ROLE_PERMISSIONS = {CONTRIBUTOR: _CONTRIBUTOR_PERMS, EDITOR: _EDITOR_PERMS, ADMIN: _ADMIN_PERMS}


def ensure_roles(**_kwargs) -> None:
    """Create or repair the role groups; runs after every migrate (idempotent)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def role_of(user) -> str | None:
    """The highest role a user holds, or None."""
    if user.is_superuser:
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in (ADMIN, EDITOR, CONTRIBUTOR):
        if role in names:
            return role
    return None
