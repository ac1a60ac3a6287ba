"""Two people saved one story: what each of them has, field by field, and what they chose to keep.

A save refused with `EditConflict` (its base version is stale) shows the conflict screen: every
field where the person's text differs from what is saved now, side by side with the words marked,
and a choice per field (keep mine, take theirs, or, for text, a merged text they can edit). The
screen's form posts `action=resolve` with the version it showed; the action's version check still
applies, so if a third save came in meanwhile the screen comes back instead of overwriting it.

Fields that only one side changed since the common base version are pre-chosen (nothing is lost
either way); a field both changed has no default, and the save is refused until a choice is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsdesk.core.errors import InvalidInput
from newsdesk.core.ids import parse_id
from newsdesk.desk.diffs import SideBySide, merge_texts, normalise, word_diff
from newsdesk.stories.models import Revision, Story

TEXT_FIELDS = ("headline", "slug", "summary", "body")
# What the conflict screen compares, in the editor's order, with its label.
FIELDS = {
    "headline": "Headline",
    "slug": "Address (slug)",
    "summary": "Summary",
    "body": "Body",
    "kind": "Kind",
    "language": "Language",
    "author_ids": "Authors",
    "topic_ids": "Topics",
    "breaking": "Breaking news",
}
MINE, THEIRS, MERGED = "mine", "theirs", "merged"


def story_values(story: Story) -> dict[str, Any]:
    """What is saved now, in the shape `form_values` gives."""
    return {
        "headline": story.headline,
        "slug": story.slug,
        "summary": story.summary,
        "body": story.body,
        "kind": story.kind,
        "language": story.language,
        "author_ids": [a.pk for a in story.ordered_authors()],
        "topic_ids": sorted(story.topics.values_list("pk", flat=True)),
        "breaking": story.breaking,
    }


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of `StoryForm.story_data()` (or a revision's content) that can be compared."""
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("author_ids", "topic_ids"):
            ids = [i for i in map(parse_id, value or []) if i is not None]
            value = ids if name == "author_ids" else sorted(ids)
        elif name == "breaking":
            value = bool(value)
        elif name in TEXT_FIELDS:
            value = normalise(value)
        values[name] = value
    return values


def base_values(story: Story, base_version: int | None) -> dict[str, Any] | None:
    """What the story held at `base_version` (the version the person started from), from the
    revision that recorded it; None when there is none to be found."""
    if base_version is None:
        return None
    for revision in story.revisions.exclude(action="autosave").order_by("-number"):
        if revision.content.get("version") == base_version:
            return form_values(revision.content)
    return None


@dataclass
class FieldConflict:
    name: str
    label: str
    mine: Any
    theirs: Any
    base: Any
    diff: SideBySide | None = None
    mine_shown: str = ""
    theirs_shown: str = ""
    chosen: str = ""
    merged: str = ""
    merged_cleanly: bool = False
    mine_list: list = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.name in TEXT_FIELDS


def compare(
    mine: dict[str, Any],
    theirs: dict[str, Any],
    base: dict[str, Any] | None,
    names: dict[str, dict[int, str]],
) -> list[FieldConflict]:
    """The fields the person sent that differ from what is saved now."""
    conflicts = []
    for name, label in FIELDS.items():
        if name not in mine or mine[name] == theirs.get(name):
            continue
        old = None if base is None else base.get(name)
        item = FieldConflict(name, label, mine[name], theirs.get(name), old)
        if base is not None and name in base:
            if mine[name] == old:
                item.chosen = THEIRS  # only they changed it
            elif theirs.get(name) == old:
                item.chosen = MINE  # only I changed it
        if item.is_text:
            item.diff = word_diff(mine[name], theirs.get(name))
            merged = merge_texts(old, mine[name], theirs.get(name)) if old is not None else None
            item.merged_cleanly = merged is not None
            item.merged = merged if merged is not None else mine[name]
        else:
            item.mine_shown = _shown(name, mine[name], names)
            item.theirs_shown = _shown(name, theirs.get(name), names)
            if name in ("author_ids", "topic_ids"):
                item.mine_list = list(mine[name])
        conflicts.append(item)
    return conflicts


def _shown(name: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if name in names:
        return ", ".join(names[name].get(i, f"#{i}") for i in value or []) or "(none)"
    if name == "breaking":
        return "yes" if value else "no"
    return str(value or "(empty)")


def resolved_data(post, story: Story) -> tuple[dict[str, Any], list[str]]:
    """The fields to save from a posted conflict screen, and the labels of the fields that still
    need a choice. `post` is the request's QueryDict."""
    theirs = story_values(story)
    data: dict[str, Any] = {}
    missing: list[str] = []
    for name in post.getlist("conflict_fields"):
        if name not in FIELDS or name in data:
            continue
        choice = post.get(f"choose_{name}", "")
        if choice == THEIRS:
            data[name] = theirs[name]
        elif choice == MINE:
            if name in ("author_ids", "topic_ids"):
                data[name] = post.getlist(f"mine_{name}")
            elif name == "breaking":
                data[name] = post.get(f"mine_{name}") == "1"
            else:
                data[name] = post.get(f"mine_{name}", "")
        elif choice == MERGED and name in TEXT_FIELDS:
            data[name] = post.get(f"merged_{name}", "")
        else:
            missing.append(FIELDS[name])
    if not data and not missing:
        raise InvalidInput("This conflict screen sent no fields. Open the story again.")
    return data, missing


def last_saved_by(story: Story) -> Revision | None:
    return (
        story.revisions.exclude(action="autosave")
        .select_related("created_by")
        .order_by("-number")
        .first()
    )
