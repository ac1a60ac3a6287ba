"""Reads of the redirects, for the desk: a page at a time, by id (keyset, never OFFSET)."""

from __future__ import annotations

from newsdesk.imports.models import Redirect

PAGE_SIZE = 100


def redirect_page(*, after: int = 0, contains: str = "") -> tuple[list[Redirect], int | None]:
    """Up to PAGE_SIZE redirects after id `after` (their old address containing `contains`),
    and the id to go on from, or None on the last page."""
    rows = Redirect.objects.select_related("story").order_by("id").filter(id__gt=after)
    if "\x00" in contains:  # no address holds one, and PostgreSQL refuses it in a parameter
        return [], None
    if contains:
        rows = rows.filter(old_path__icontains=contains)
    found = list(rows[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return found, (found[-1].pk if more else None)


def redirect_count() -> int:
    return Redirect.objects.count()
