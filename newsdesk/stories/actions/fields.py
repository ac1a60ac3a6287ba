"""A story's fields as a save takes them: checked text and ids, what a role may not set, the body
rendered before the transaction opens, and applying it all to the story."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotAllowed
from newsdesk.core.ids import parse_id, whole_number_text
from newsdesk.core.validation import FieldChecker, base_slug, max_length, text_problem
from newsdesk.stories import embeds, permissions
from newsdesk.stories.actions.common import (
    checked_ids,
    unique_slug,
)
from newsdesk.stories.inline_images import check_inline_images, inline_image_ids
from newsdesk.stories.markdown import RenderedBody, prepare_body, text_of_html
from newsdesk.stories.models import (
    CHOSEN_KINDS,
    Author,
    Image,
    Kind,
    Story,
    StoryAuthor,
    Topic,
)
from newsdesk.stories.reading_time import count_words
from newsdesk.stories.signals import catalogue_saved

# Fields only an editor may change on a save, because readers see them at once. Anyone may send
# the value the story already has (a form posts every field); changing it is refused, on every
# channel alike, because the check is here and not in a form.
EDITOR_ONLY_FIELDS = {
    "breaking": "Only editors can mark a story as breaking news or take the mark off.",
}
# Fields a save never sets: each has its own action, so a save that names one is refused rather
# than silently ignored.
SET_BY_OTHER_ACTIONS = {
    "status": "the status changes by publishing, scheduling or unpublishing the story",
    "pinned": "pin or unpin the story instead",
    "published_at": "publish or schedule the story instead",
    "updated_at": "save it marked as an update instead",
}


def check_story_fields(
    data: dict[str, Any], *, partial: bool, entry: bool = False
) -> dict[str, Any]:
    """Validated story fields from `data`; with partial=True only the keys present are checked.
    With `entry` (a live entry's): the headline is optional and the kind stays "entry"."""
    checker = FieldChecker(Story)
    cleaned: dict[str, Any] = {}

    def wants(key: str) -> bool:
        return not partial or key in data

    if wants("headline"):
        cleaned["headline"] = checker.text(data, "headline", "Headline", required=not entry)
    for key, label in (("summary", "Summary"), ("body", "Body")):
        if wants(key):
            cleaned[key] = checker.text(data, key, label)
    if data.get("slug"):
        slug = checker.text(data, "slug", "Address (slug)")
        if slug:
            normalised = base_slug(slug, "", Story)
            if not normalised:
                checker.add("slug", "The address must contain letters or digits.")
            cleaned["slug"] = normalised
    if wants("kind") and not entry:
        kind = data.get("kind") or Kind.UPDATE
        if kind not in CHOSEN_KINDS:
            checker.add(
                "kind",
                f"Kind must be one of: {', '.join(CHOSEN_KINDS)} "
                "(entries are posted into a live coverage).",
            )
        cleaned["kind"] = kind
    if wants("language"):
        language = (data.get("language") or settings.LANGUAGE_CODE).strip()
        problem = text_problem("Language", language, max_length(Story, "language"), required=True)
        if problem:
            checker.add("language", problem)
        cleaned["language"] = language
    if wants("breaking"):
        cleaned["breaking"] = bool(data.get("breaking"))
    if wants("author_ids"):
        cleaned["author_ids"] = checked_ids(
            data.get("author_ids"), Author, "author_ids", "author", checker
        )
    if wants("topic_ids"):
        cleaned["topic_ids"] = checked_ids(
            data.get("topic_ids"), Topic, "topic_ids", "topic", checker
        )
    if "embeds" in data:
        # Words typed for embeds the platform told us nothing about (checked, by link).
        cleaned["embeds"] = embeds.check_described(data.get("embeds"))
    if wants("lead_image_id"):
        # Whether it exists and may be used depends on who asks: `check_allowed_fields`.
        cleaned["lead_image_id"] = image_id_of(data.get("lead_image_id"), "lead_image_id", checker)
    for key, how in SET_BY_OTHER_ACTIONS.items():
        if key in data:
            checker.add(key, f"“{key}” cannot be set by saving a story: {how}.")
    checker.raise_if_any()
    return cleaned


def image_id_of(value: Any, field: str, checker: FieldChecker) -> int | None:
    """An image id as typed (None for none); its existence is checked with the user's rights.
    A whole number no row can have (`ids.parse_id`) names no image, without asking the database."""
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        if whole_number_text(value) is None:
            checker.add(field, f"{str(value)[:40]!r} is not an image id (a whole number).")
        else:
            # The same answer as for an image that does not exist (`permissions.image_refusal`).
            checker.add(field, f"No image with id {whole_number_text(value)} that you can use.")
    return number


def usable_image(user, image_id: int) -> bool:
    image = Image.objects.filter(pk=image_id).first()
    return image is not None and permissions.can_use_image(user, image)


def keep_what_they_may_not_set(user, story: Story, data: dict[str, Any]) -> None:
    """For a restore: what this person may not change keeps the story's value now, so restoring
    words cannot bring back a breaking mark or an image they may not use."""
    if not permissions.can_publish(user):
        for field in EDITOR_ONLY_FIELDS:
            data[field] = getattr(story, field)
    if not permissions.can_set_any_byline(user):
        allowed = set(story.author_links.values_list("author_id", flat=True))
        allowed.add(permissions.own_author_id(user))
        data["author_ids"] = [i for i in data.get("author_ids", []) if i in allowed]
    image_id = data.get("lead_image_id")
    if image_id not in (None, story.lead_image_id) and not usable_image(user, image_id):
        data["lead_image_id"] = story.lead_image_id


def check_allowed_fields(user, story: Story | None, cleaned: dict[str, Any]) -> None:
    """Refuse what this user may not set on this story (None: a new one): an editor-only field
    changed, or an image they may not use (as lead image or in the body). A value the story
    already has is always fine (an editor may have put it there). An image that does not exist
    and one the user may not use get the same answer, so ids cannot be tried to learn which
    images exist."""
    if "author_ids" in cleaned:
        current = set(story.author_links.values_list("author_id", flat=True)) if story else set()
        permissions.check_byline(user, current, cleaned["author_ids"])
    refused: dict[str, list[str]] = {}
    for field, message in EDITOR_ONLY_FIELDS.items():
        current = getattr(story, field) if story else Story._meta.get_field(field).default
        if field in cleaned and cleaned[field] != current and not permissions.can_publish(user):
            refused[field] = [message]
    images: dict[str, list[str]] = {}
    image_id = cleaned.get("lead_image_id")
    current_image = story.lead_image_id if story else None
    if image_id is not None and image_id != current_image and not usable_image(user, image_id):
        images["lead_image_id"] = [permissions.image_refusal(image_id)]
    if refused:
        raise NotAllowed(next(iter(refused.values()))[0], fields={**refused, **images})
    if images:
        raise InvalidInput(images["lead_image_id"][0], fields=images)
    if "body" in cleaned:
        already = inline_image_ids(story.body) if story else set()
        check_inline_images(user, cleaned["body"], already=already)


def render_body(cleaned: dict[str, Any], *, known: list | None = None) -> RenderedBody | None:
    """The new body rendered (HTML, words, embed cards), or None when the write leaves the body
    alone.

    Called before the write's transaction opens: rendering a long body takes a moment, and
    asking a platform about an embed up to a few seconds (`embeds.gather`, reusing what the
    story already had in `known`); inside the transaction either would hold every other writer
    (on SQLite the whole database) waiting. Bodies past the cost limits are refused here
    (`markdown.BodyTooComplex`)."""
    if "body" not in cleaned:
        return None
    return prepare_with_embeds(
        cleaned["body"], known=known or (), described=cleaned.get("embeds"), fetch=True
    )


def prepare_with_embeds(
    source: str, *, known=(), described: dict | None = None, fetch: bool
) -> RenderedBody:
    """`markdown.prepare_body`, with each lone platform link turned into an embed marker."""
    body = prepare_body(source, site_url=settings.SITE_URL)
    found = embeds.gather(body.html, known=known, described=described, fetch=fetch)
    if not found:
        return body
    html = embeds.wrap(body.html, found)
    return RenderedBody(source=source, html=html, text=text_of_html(html), embeds=tuple(found))


def warm_embeds(source: str | None) -> None:
    """Ask the platforms about a body's embeds now, so that a caller about to open a
    transaction around several actions (the desk's Save and Publish) does not wait on the
    network inside it: the answers are kept a minute (`embeds.gather`)."""
    if source and embeds.has_candidates(source):
        embeds.gather(prepare_body(source, site_url=settings.SITE_URL).html, fetch=True)


def known_embeds(story_id: int) -> list:
    """What a story's embeds said at its last save: reused instead of asking again. Read
    without a lock before the transaction: it is only a head start."""
    found = Story.objects.filter(pk=story_id).values_list("embeds", flat=True).first()
    return found if isinstance(found, list) else []


def apply_fields(story: Story, cleaned: dict[str, Any], body: RenderedBody | None) -> None:
    for key in ("headline", "summary", "body", "kind", "language", "breaking", "lead_image_id"):
        if key in cleaned:
            setattr(story, key, cleaned[key])
    if story.translation_of_id and any(k in cleaned for k in ("headline", "summary", "body")):
        # A translation's words saved: it is in step with its original again (`translations`).
        story.translated_at = timezone.now()
    if "body" in cleaned:
        if body is None or body.source != story.body:
            body = prepare_with_embeds(
                story.body, known=story.embeds, described=cleaned.get("embeds"), fetch=False
            )
        story.body_html = body.html
        story.word_count = count_words(body.text)
        story.embeds = [embed.as_dict() for embed in body.embeds]


def apply_relations(story: Story, cleaned: dict[str, Any]) -> None:
    if "author_ids" in cleaned:
        StoryAuthor.objects.filter(story=story).delete()
        StoryAuthor.objects.bulk_create(
            StoryAuthor(story=story, author_id=author_id, position=i)
            for i, author_id in enumerate(cleaned["author_ids"])
        )
    if "topic_ids" in cleaned:
        story.topics.set(cleaned["topic_ids"])


def default_authors(user) -> list[int]:
    own = permissions.own_author_id(user)
    return [own] if own is not None else []


def needs_own_profile(user) -> bool:
    """A writer who may byline only themself and has no author profile yet gets one with their
    first story, so their stories are never without a byline (editors keep choosing)."""
    return not permissions.can_set_any_byline(user) and permissions.own_author_id(user) is None


def create_own_profile(user, *, attempt: int = 0) -> Author:
    """The writer's author profile, named as their account is (an editor can rename it and add
    a role, bio and avatar in the desk's Authors). Inside the caller's transaction."""
    name = (user.get_full_name() or user.get_username()).strip()[: max_length(Author, "name")]
    author = Author(name=name, user=user)
    author.slug = unique_slug(Author, base_slug(name, "author", Author), spread=attempt)
    author.save()
    catalogue_saved.send(sender=Author, instance=author, renamed=False)
    return author
