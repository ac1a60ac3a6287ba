"""What the desk reads of wires (never the reader site: wire items are not public)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from newsdesk.wires.models import WireItem, WireSource

PAGE = 50


def wire_items(
    *, source: str = "", max_urgency: int | None = None, words: str = "", show_hidden=False
) -> QuerySet[WireItem]:
    """Newest (last received or changed) first; `max_urgency` 3 keeps urgency 1–3."""
    items = WireItem.objects.select_related("source")
    if source:
        items = items.filter(source__slug=source)
    elif not show_hidden:
        items = items.filter(source__hidden=False)
    if max_urgency:
        items = items.filter(urgency__isnull=False, urgency__lte=max_urgency)
    for word in words.split()[:8]:
        items = items.filter(Q(headline__icontains=word) | Q(body__icontains=word))
    return items.defer("body")


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
