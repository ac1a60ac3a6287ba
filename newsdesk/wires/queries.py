"""What the desk reads of wires (never the reader site: wire items are not public)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from newsdesk.wires.models import WireItem, WireSource

PAGE = 50


def wire_items(
    *,
    source: str = "",
    max_urgency: int | None = None,
    words: str = "",
    show_hidden=False,
    before: tuple[dt.datetime, int] | None = None,
) -> QuerySet[WireItem]:
    """Newest (last received or changed) first; `max_urgency` 3 keeps urgency 1–3; `before`
    (an item's `updated_at` and id) continues a list by keyset, never OFFSET."""
    items = WireItem.objects.select_related("source")
    if "\x00" in source + words:  # no source or text holds one; PostgreSQL refuses it
        return items.none()
    if before is not None:
        at, pk = before
        items = items.filter(Q(updated_at__lt=at) | Q(updated_at=at, id__lt=pk))
    if source:
        items = items.filter(source__slug=source)
    elif not show_hidden:
        items = items.filter(source__hidden=False)
    if max_urgency:
        items = items.filter(urgency__isnull=False, urgency__lte=max_urgency)
    for word in words.split()[:8]:
        items = items.filter(Q(headline__icontains=word) | Q(body__icontains=word))
    return items.defer("body")


def cursor_of(item: WireItem) -> str:
    return f"{item.updated_at.isoformat()}_{item.pk}"


def parse_cursor(value: str) -> tuple[dt.datetime, int] | None:
    """The `before` of `wire_items` from a cursor, or None when it is not one."""
    at, _, pk = value.rpartition("_")
    try:
        moment = dt.datetime.fromisoformat(at)
        number = int(pk)
    except ValueError:
        return None
    return (moment, number) if moment.tzinfo and number > 0 else None


def wire_item(item_id: int) -> WireItem | None:
    return WireItem.objects.select_related("source").filter(pk=item_id).first()


def wire_sources() -> list[WireSource]:
    return list(WireSource.objects.all())


def newest_item_stamp() -> dict:
    """What the desk's wire page polls to learn that something arrived or changed."""
    newest = WireItem.objects.filter(source__hidden=False).order_by("-updated_at", "-id").first()
    return {
        "newest": newest.updated_at.isoformat() if newest else None,
        "count": WireItem.objects.filter(source__hidden=False).count(),
    }
