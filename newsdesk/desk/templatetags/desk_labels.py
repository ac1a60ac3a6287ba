"""The words the desk shows for a story's state and kind, in the desk's language.

Stories store short values ("draft", "in_review", "entry"); the desk's lists and editor show
them through these filters, so they are translated with the rest of the desk (its catalogue in
newsdesk/desk/locale) while the values themselves never change.
"""

from __future__ import annotations

from django import template

from newsdesk.desk.labels import KINDS, STATES

register = template.Library()


@register.filter
def state_label(state: str) -> str:
    """A story's `desk_status` in words ("draft", "in review", …)."""
    return STATES.get(state, state)


@register.filter
def kind_label(kind: str) -> str:
    """A story's kind in words ("Feed update", "Article", …)."""
    return KINDS.get(kind, kind)
