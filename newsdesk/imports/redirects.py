"""Where an old address goes now: a published story's page, or an editor's path. Never a draft:
a redirect must not tell anyone the address of a story readers cannot see."""

from __future__ import annotations

from newsdesk.imports.models import Redirect
from newsdesk.stories.models import Status


def _variants(path: str) -> list[str]:
    base, sep, query = path.partition("?")
    stem = base.rstrip("/")
    forms = [base, f"{stem}/"] if stem else [base]
    if stem and base.endswith("/"):
        forms.append(stem)
    return [f"{form}{sep}{query}" for form in dict.fromkeys(forms)]


def redirect_for(path: str) -> str | None:
    """The new address of an old path (with or without its trailing slash), or None. A path
    with a NUL has none (PostgreSQL refuses NUL in a text parameter: an error, where a mistyped
    address must simply find nothing)."""
    if "\x00" in path:
        return None
    found = (
        Redirect.objects.filter(old_path__in=_variants(path))
        .select_related("story")
        .only(
            "target",
            "story__slug",
            "story__status",
            "story__kind",
            "story__language",
            "story__coverage_id",
        )
        .first()
    )
    if found is None:
        return None
    if found.story_id is not None:
        story = found.story
        return story.get_absolute_url() if story.status == Status.PUBLISHED else None
    return found.target or None
