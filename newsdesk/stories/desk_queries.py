"""Reads for the desk: what people at the desk may open, lists with filters, histories.

Kept apart from `stories.queries`, whose every read is safe for anonymous readers (published
stories only): these show drafts, histories and accounts, so only the desk calls them, and the
ones that open a story take the person asking and check they may see it
(`permissions.can_view_in_desk`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from newsdesk.core.errors import NotAllowed, NotFound
from newsdesk.stories import permissions, translations
from newsdesk.stories.models import (
    Author,
    Image,
    Kind,
    Review,
    Status,
    Story,
    StoryNote,
    Topic,
)
from newsdesk.stories.queries import with_display_relations

# The story list's status filter: a story's status, or for drafts where they stand in review.
REVIEW_FILTERS = {"in_review": Review.IN_REVIEW, "returned": Review.RETURNED}
STATUS_FILTERS = [*Status.values[:1], *REVIEW_FILTERS, *Status.values[1:]]


def desk_stories(
    user,
    *,
    status: str = "",
    author_id: int | None = None,
    topic_id: int | None = None,
    search: str = "",
    translation: str = "",
    limit: int = 50,
) -> QuerySet[Story]:
    """The desk's story list: everything for editors, a contributor's own stories otherwise.
    `translation`: "needs_update" (translations older than their original's last update) or
    "missing_<language>" (originals with no translation into it); each story carries
    `needs_update`."""
    queryset = Story.objects.all()
    if not user.has_perm("stories.edit_any_story"):
        own = Q(created_by=user)
        author = getattr(user, "author", None)
        if author is not None:
            own |= Q(author_links__author=author)
        queryset = queryset.filter(own).distinct()
    if status in REVIEW_FILTERS:
        queryset = queryset.filter(review=REVIEW_FILTERS[status])
    elif status == Status.DRAFT:
        queryset = queryset.filter(status=status, review=Review.NONE)
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    if author_id:
        queryset = queryset.filter(author_links__author_id=author_id)
    if topic_id:
        queryset = queryset.filter(topics__id=topic_id)
    if search:
        queryset = queryset.filter(headline__icontains=search)
    if translation == "needs_update":
        queryset = queryset.filter(translations.needs_update_condition())
    elif translation.startswith("missing_"):
        queryset = translations.missing_translation(
            queryset.exclude(kind=Kind.ENTRY), translation.removeprefix("missing_")
        )
    queryset = translations.with_needs_update(queryset)
    queryset = queryset.select_related("created_by").order_by("-modified_at", "-id")
    return with_display_relations(queryset)[:limit]


def review_queue(user) -> list[Story]:
    """Stories waiting for an editor, longest waiting first, with who submitted them and when.
    Editors only: the queue lists everybody's drafts."""
    permissions.check_can_review(user)
    queryset = Story.objects.filter(review=Review.IN_REVIEW).select_related(
        "review_changed_by", "created_by", "coverage"
    )
    return list(with_display_relations(queryset.order_by("review_changed_at", "id")))


def review_count(user) -> int | None:
    """How many stories wait in the review queue; None for people who do not review."""
    if not permissions.can_review(user):
        return None
    return Story.objects.filter(review=Review.IN_REVIEW).count()


def needs_update_count(user) -> int | None:
    """How many translations are older than their original's last update; None for people who
    do not publish (the desk's menu shows editors the count)."""
    if not permissions.can_publish(user):
        return None
    return Story.objects.filter(translations.needs_update_condition()).count()


def story_notes(user, story: Story) -> list[StoryNote]:
    """The desk's notes on a story, oldest first; only for people who may open it there."""
    if not permissions.can_read_notes(user, story):
        raise NotAllowed("You can only read notes on stories you can open in the desk.")
    return list(story.notes.select_related("created_by").order_by("created_at", "id"))


def return_note(story: Story) -> StoryNote | None:
    """Why a returned story was returned: the editor's latest return note (the caller may
    already open the story)."""
    if story.review != Review.RETURNED:
        return None
    notes = story.notes.filter(kind=StoryNote.Kind.RETURNED).select_related("created_by")
    return notes.order_by("-created_at", "-id").first()


def story_for_desk(user, story_id: int) -> Story:
    """A story the user may open in the desk; NotFound/NotAllowed otherwise."""
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        raise NotFound(f"There is no story with id {story_id}.")
    if not permissions.can_view_in_desk(user, story):
        raise NotAllowed("You can only open your own stories; editors can open any story.")
    return story


def story_revisions(story: Story) -> list:
    """A story's history for the desk, newest first, with who made each revision."""
    return list(story.revisions.select_related("created_by").order_by("-number"))


def story_revision(story: Story, number: int):
    """One revision of a story the caller may already open; NotFound when there is none."""
    revision = story.revisions.select_related("created_by").filter(number=number).first()
    if revision is None:
        raise NotFound(f"This story has no revision {number}.")
    return revision


def desk_authors() -> list[Author]:
    """Every author profile with the account it is linked to, for the desk's Authors list."""
    return list(Author.objects.select_related("avatar", "user").order_by("name"))


def author_by_id(author_id: int) -> Author:
    author = Author.objects.select_related("avatar", "user").filter(pk=author_id).first()
    if author is None:
        raise NotFound(f"There is no author with id {author_id}.")
    return author


def topic_by_id(topic_id: int) -> Topic:
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(f"There is no topic with id {topic_id}.")
    return topic


def newsroom_users() -> list:
    """Active accounts that an author profile may be linked to."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_active=True).order_by("username"))


def pending_autosave(user, story: Story):
    """The user's autosave of this story that is newer than its last real save, or None."""
    latest = story.revisions.order_by("-number").first()
    if latest is None or latest.action != "autosave" or latest.created_by_id != user.pk:
        return None
    return latest


def corrections_since(story: Story, when) -> list:
    """The story's corrections published after `when` (a restored text may undo what they fixed)."""
    return list(story.corrections.filter(created_at__gt=when).order_by("created_at", "id"))


def revision_pair(story: Story, first: int, second: int) -> tuple:
    """Two revisions of a story, older first; NotFound when either is missing."""
    older, newer = sorted((first, second))
    return story_revision(story, older), story_revision(story, newer)


def desk_coverages(limit: int = 100) -> list[Story]:
    """Every live coverage for the desk (drafts too), most recently changed first."""
    from newsdesk.stories.models import Kind

    return list(Story.objects.filter(kind=Kind.LIVE).order_by("-modified_at", "-id")[:limit])


def running_coverages(limit: int = 50) -> list[Story]:
    """Live coverage that has not ended (drafts too: entries may be drafted before it starts),
    newest first: where the desk may put a new entry."""
    from newsdesk.stories.models import Kind

    running = Story.objects.filter(kind=Kind.LIVE, ended_at__isnull=True)
    return list(running.exclude(status=Status.UNPUBLISHED).order_by("-created_at", "-id")[:limit])


def coverage_for_desk(user, coverage_id: int) -> Story:
    """A live coverage for its desk view. Everyone at the desk may open it (contributors draft
    entries into it); NotFound for anything that is not a live coverage."""
    from newsdesk.stories.models import Kind

    if not permissions.can_write(user):
        raise NotAllowed("You need a newsroom account to open live coverage in the desk.")
    story = Story.objects.filter(pk=coverage_id, kind=Kind.LIVE).first()
    if story is None:
        raise NotFound(f"There is no live coverage with id {coverage_id}.")
    return story


def coverage_entries_for_desk(user, coverage: Story, limit: int = 50) -> list[Story]:
    """A live coverage's newest entries for its desk view: for editors drafts and deleted ones
    too; for contributors the published ones and their own (others' drafts stay private, as
    with every story)."""
    entries = coverage.entries.all()
    if not user.has_perm("stories.edit_any_story"):
        entries = entries.filter(Q(status=Status.PUBLISHED) | Q(created_by=user))
    entries = entries.order_by("-created_at", "-id").prefetch_related("author_links__author")
    return list(entries[:limit])


def desk_language(user) -> str:
    """The language this person chose for the desk ("" when they chose none)."""
    from newsdesk.stories.models import DeskPreference

    if user is None or not user.is_authenticated:
        return ""
    found = DeskPreference.objects.filter(user_id=user.pk).values_list("language", flat=True)
    return found.first() or ""


def recent_images(user, limit: int = 12) -> list[Image]:
    """The newest images this person may put on a story (`permissions.can_use_image`), for the
    quick post's picker: editors any; contributors their own uploads and images readers already
    see (the lead image of a published story, an author's avatar)."""
    if not permissions.can_write(user):
        return []
    images = Image.objects.all()
    if not user.has_perm("stories.edit_any_story"):
        public = Exists(
            Story.objects.filter(lead_image=OuterRef("pk"), status=Status.PUBLISHED)
        ) | Exists(Author.objects.filter(avatar=OuterRef("pk")))
        images = images.filter(Q(uploaded_by=user) | public)
    return list(images.order_by("-created_at", "-id")[:limit])
