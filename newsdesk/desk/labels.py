"""The desk's words for a story's state and kind, translated with the rest of the desk (the
stored values never change): used by the list's filters and the `desk_labels` template filters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STATES = {
    "draft": _("draft"),
    "in review": _("in review"),
    "returned": _("returned"),
    "scheduled": _("scheduled"),
    "published": _("published"),
    "unpublished": _("unpublished"),
}
KINDS = {
    "update": _("Feed update"),
    "article": _("Article"),
    "live": _("Live coverage"),
    "entry": _("Live entry"),
}
