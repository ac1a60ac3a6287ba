"""Reads of the links between a story and its translations (issue 19).

A story and its translations are one *group*: the original (`translation_of` empty) and every
story whose `translation_of` is that original, one per language. Languages are data: the ones a
story may be translated into are the site's `LANGUAGES`, and nothing here names one.

Two kinds of reads live here, kept apart as `queries` and `desk_queries` keep them:

- what readers may see (`published_alternates`): only published members of the group (and for a
  live entry only while its coverage is published), so an unpublished original or translation
  never shows through its translation's links, hreflang tags, sitemap entries or API answer;
- what the desk sees (`desk_group`, `needs_update`, `missing_translation`): every member, with
  whether a translation is older than its original's last update.

"Needs update": the original was updated for readers (its `updated_at`, set when an editor marks
an edit as an update, else its `published_at`) after the translation's words were last saved
(`translated_at`). A silent fix of the original does not count; neither does a correction, which
each edition writes for itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import get_language_info, pgettext

from newsdesk.stories.models import Kind, Status, Story


def language_codes() -> list[str]:
    """The languages stories may be written and translated in: the site's `LANGUAGES`."""
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language's own name for itself ("English", "українська"), or the code itself."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def read_in(language: str) -> str:
    """The words of a link to a story in `language`, in that language: each catalogue
    translates "Read in English" into its own ("Читати українською"), so a new language brings
    its own link text with its catalogue (newsdesk/stories/locale)."""
    with translation.override(language):
        return pgettext(
            "link to this story in another language, in that language", "Read in English"
        )


def default_language() -> str:
    """The language of `x-default`: the site's own (`NEWSDESK_LANGUAGE`)."""
    return settings.LANGUAGE_CODE


def original_id(story: Story) -> int:
    """The id of the group's original (the story itself when it is one)."""
    return story.translation_of_id or story.pk


def _group(story: Story) -> QuerySet[Story]:
    root = original_id(story)
    return Story.objects.filter(Q(pk=root) | Q(translation_of_id=root))


def language_taken(story: Story, language: str) -> Story | None:
    """Another member of the story's group written in `language`, if any."""
    return _group(story).exclude(pk=story.pk).filter(language=language).first()


# ── what readers may see ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Alternate:
    """One language of a story as readers can reach it."""

    language: str
    story: Story

    @property
    def path(self) -> str:
        return self.story.get_absolute_url()


def published_alternates(story: Story) -> list[Alternate]:
    """Every published member of the story's group (the story itself included), one per
    language, the original's language first. Empty when the story has no published translation
    (or is not published itself): a page then carries no alternates at all. An entry counts only
    while its coverage is published, as its address leads nowhere otherwise."""
    return published_alternates_of([story])[story.pk]


def x_default(alternates: list[Alternate]) -> Alternate | None:
    """The alternate for readers of no listed language: the site's language, else the original."""
    if not alternates:
        return None
    for alternate in alternates:
        if alternate.language == default_language():
            return alternate
    return alternates[0]


def published_alternates_of(stories: list[Story]) -> dict[int, list[Alternate]]:
    """`published_alternates` for many stories at once (a sitemap page), in two queries at
    most: which of their groups have a translation at all, then those groups' published
    members."""
    ids = [s.pk for s in stories]
    roots = {s.pk: original_id(s) for s in stories}
    linked = set(
        Story.objects.filter(translation_of_id__in=set(roots.values())).values_list(
            "translation_of_id", flat=True
        )
    )
    wanted_roots = {root for root in roots.values() if root in linked}
    if not wanted_roots:
        return {pk: [] for pk in ids}
    members = Story.objects.filter(
        Q(pk__in=wanted_roots) | Q(translation_of_id__in=wanted_roots),
        status=Status.PUBLISHED,
        published_at__isnull=False,
    ).exclude(Q(kind=Kind.ENTRY) & ~Q(coverage__status=Status.PUBLISHED))
    members = members.only("id", "slug", "kind", "language", "coverage_id", "translation_of_id")
    by_root: dict[int, dict[str, Alternate]] = {}
    for member in members.order_by(F("translation_of_id").asc(nulls_first=True), "id"):
        group = by_root.setdefault(member.translation_of_id or member.pk, {})
        group.setdefault(member.language, Alternate(member.language, member))
    answer = {}
    for story in stories:
        group = list(by_root.get(roots[story.pk], {}).values())
        ok = len(group) >= 2 and story.pk in {a.story.pk for a in group}
        answer[story.pk] = group if ok else []
    return answer


# ── what the desk sees ───────────────────────────────────────────────────────────────────────


def _original_last_update():
    return Coalesce("translation_of__updated_at", "translation_of__published_at")


def needs_update_condition() -> Q:
    """Translations whose published original was updated after their words were last saved."""
    return Q(
        translation_of__isnull=False,
        translation_of__status=Status.PUBLISHED,
        translated_at__lt=_original_last_update(),
    )


def with_needs_update(queryset: QuerySet[Story]) -> QuerySet[Story]:
    """`queryset` with `needs_update` on each story (False for a story that is no translation)."""
    return queryset.annotate(
        needs_update=Case(
            When(needs_update_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def needs_update(translation: Story) -> bool:
    """Whether this translation is older than its original's last update for readers."""
    if translation.translation_of_id is None:
        return False
    return Story.objects.filter(needs_update_condition(), pk=translation.pk).exists()


def missing_translation(queryset: QuerySet[Story], language: str) -> QuerySet[Story]:
    """Originals in `queryset` with no translation into `language` (and not written in it).
    Entries are left to their coverage's desk; drafts of translations count as translations."""
    others = Story.objects.filter(translation_of_id=OuterRef("pk"), language=language)
    return (
        queryset.filter(translation_of__isnull=True)
        .exclude(language=language)
        .filter(~Exists(others))
    )


@dataclass(frozen=True)
class Member:
    """One language of a story at the desk."""

    story: Story
    is_original: bool
    needs_update: bool

    @property
    def language(self) -> str:
        return self.story.language


def desk_group(story: Story) -> list[Member]:
    """Every member of the story's group but itself, the original first, each with whether it
    needs an update. For people who may open `story` at the desk (the caller checks)."""
    root = original_id(story)
    members = with_needs_update(_group(story).exclude(pk=story.pk)).order_by(
        F("translation_of_id").asc(nulls_first=True), "language", "id"
    )
    return [Member(m, m.pk == root, m.needs_update) for m in members]


def untranslated_languages(story: Story) -> list[str]:
    """The site's languages no member of the story's group is written in."""
    taken = set(_group(story).values_list("language", flat=True)) | {story.language}
    return [code for code in language_codes() if code not in taken]
