"""Build the demo newsroom through the real write actions, as a demo editor would.

`build_demo_newsroom()` is what `newsdesk demo` runs and what tests call for a realistic shared
fixture. It is deterministic for a given seed (the same authors, topics, headlines, bodies and
order every time; only the clock times move with "now") and idempotent: the marker author
`demo-desk` says a demo is already loaded, and then nothing is written.

Every story, update, correction, pin and breaking flag goes through `stories.actions`, so the
demo exercises the same permission checks, revisions and feed events as the desk. The one
departure is history: actions stamp everything with the current time, and a demo needs days of
past news. After each action, the rows it wrote (the story's times, its revisions, feed events
and corrections) are moved back to that step's historical time with queryset `.update()`. That is
demo history only and nothing else in the product may do it. The steps run in time order, so
story ids follow `published_at` and feed-event ids follow `created_at`: keyset pages, the live
stream's replay by event id and `latest_change()` all see one consistent history. Revision
snapshots keep the real build time in their `published_at` field; they are an audit trail, and
this is the truth about when the demo was built.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from newsdesk.demo import images, timeline, world
from newsdesk.demo import translations as demo_translations
from newsdesk.demo.content import StoryText, Writer
from newsdesk.demo.live import LiveDemo
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.accounts import do_create_user
from newsdesk.stories.models import (
    Author,
    Correction,
    FeedEvent,
    Kind,
    Revision,
    Story,
    StoryNote,
)

DEFAULT_STORIES = 320
DEFAULT_SEED = 1887
MARKER_AUTHOR_SLUG = world.AUTHORS[0].slug
DEMO_USERNAME = "demo-desk"
LIVE_MIN_STORIES = 100  # smaller demos (test fixtures) leave live coverage out
STORM_HOURS = 30  # the storm stories start this long before "now"


@dataclass
class DemoNewsroom:
    """What a build made (or found): handy for tests that use the demo as their fixture."""

    created: bool
    editor: object
    story_count: int
    draft_slugs: list[str] = field(default_factory=list)
    scheduled_slugs: list[str] = field(default_factory=list)
    live_slugs: list[str] = field(default_factory=list)
    entry_count: int = 0


@dataclass
class _Plan:
    """One published story before it is written: when, what kind, about what, by whom."""

    index: int
    at: dt.datetime
    topics: list[str]
    author_slugs: list[str]
    kind: str = Kind.UPDATE
    language: str = "en"
    text_number: int = 0  # which of `content.UKRAINIAN_STORIES` a Ukrainian story tells
    card: bool = False
    update_at: dt.datetime | None = None
    # One of the fixed Storm Verity stories of `demo.translations`, translated into Ukrainian at
    # `translate_at` (only in demos with live coverage).
    fixed: str = ""
    translate_at: dt.datetime | None = None
    correction_at: dt.datetime | None = None
    pin_at: dt.datetime | None = None
    breaking_at: dt.datetime | None = None
    story_id: int = 0
    body: str = ""


def demo_is_loaded() -> bool:
    return Author.objects.filter(slug=MARKER_AUTHOR_SLUG).exists()


def build_demo_newsroom(
    stories: int = DEFAULT_STORIES, seed: int = DEFAULT_SEED, *, now: dt.datetime | None = None
) -> DemoNewsroom:
    """Load the invented newsroom once: authors with avatars, topics, and `stories` stories
    (published updates and articles over the last five days, a few drafts and one scheduled).

    All of it is written in one transaction, so a failure leaves no half-built demo behind. When
    a demo is already loaded, nothing is written and `created` is False.
    """
    if stories < 10:
        raise ValueError("The demo needs at least 10 stories to show every kind of story.")
    if demo_is_loaded():
        editor = get_user_model().objects.filter(username=DEMO_USERNAME).first()
        mine = Story.objects.filter(created_by=editor, translation_of=None)
        mine = mine.exclude(kind__in=(Kind.LIVE, Kind.ENTRY))
        count = mine.count() if editor else 0
        return DemoNewsroom(created=False, editor=editor, story_count=count)
    with transaction.atomic():
        return _Builder(stories, seed, now or timezone.now()).build()


class _Builder:
    def __init__(self, stories: int, seed: int, now: dt.datetime) -> None:
        self.total = stories
        self.seed = seed
        self.now = now
        self.rng = random.Random(seed)
        self.writer = Writer(random.Random(seed + 1))
        self.clock = _Clock()
        self.lead_images: dict[tuple[str, int], int] = {}

    def build(self) -> DemoNewsroom:
        self.editor = _demo_editor()
        self.authors = self._authors()
        self.topics = {
            t.slug: actions.do_save_topic(
                self.editor, None, {"name": t.name, "slug": t.slug, "description": t.description}
            ).pk
            for t in world.TOPICS
        }
        drafts = 3 if self.total >= 60 else 1
        plans = self._plan(self.total - drafts - 1)
        self.live = None
        if self.total >= LIVE_MIN_STORIES:
            self.live = LiveDemo(
                self.editor, self.authors, self.topics, self.now, self.rng, self.writer
            )
        self._run(plans)
        draft_slugs = [self._draft(i) for i in range(drafts)]
        scheduled = self._scheduled()
        mine = Story.objects.filter(created_by=self.editor)
        live_kinds = (Kind.LIVE, Kind.ENTRY)
        return DemoNewsroom(
            created=True,
            editor=self.editor,
            story_count=mine.exclude(kind__in=live_kinds).filter(translation_of=None).count(),
            draft_slugs=draft_slugs,
            scheduled_slugs=[scheduled],
            live_slugs=list(mine.filter(kind=Kind.LIVE).values_list("slug", flat=True)),
            entry_count=mine.filter(kind=Kind.ENTRY).count(),
        )

    # ── people and pictures ──────────────────────────────────────────────────────────────────

    def _authors(self) -> dict[str, int]:
        ids = {}
        for person in world.AUTHORS:
            avatar = do_upload_image(
                self.editor,
                images.avatar_png(person.name, person.colour),
                alt_text=f"Initials of {person.name}",
            )
            data = {
                "name": person.name,
                "slug": person.slug,
                "role": person.role,
                "bio": person.bio,
                "avatar_id": avatar.pk,
            }
            if person.slug == MARKER_AUTHOR_SLUG and not hasattr(self.editor, "author"):
                data["user"] = self.editor
            ids[person.slug] = actions.do_save_author(self.editor, None, data).pk
        return ids

    def _lead_image(self, topic: str) -> int:
        """A lead image for the topic's scene; each scene is drawn in two variants and reused,
        as newsrooms reuse file pictures (and so the build stays quick)."""
        theme = images.THEME_BY_TOPIC[topic]
        key = (theme, self.rng.randrange(2))
        if key not in self.lead_images:
            scene = next(s for s in images.SCENES if s.theme == theme)
            picture_rng = random.Random(f"{self.seed}-{theme}-{key[1]}")
            image = do_upload_image(
                self.editor,
                images.lead_image_jpeg(theme, picture_rng),
                alt_text=scene.alt_text,
                caption=scene.caption,
                credit=images.photo_credit(picture_rng),
            )
            self.lead_images[key] = image.pk
        return self.lead_images[key]

    # ── planning ─────────────────────────────────────────────────────────────────────────────

    def _plan(self, count: int) -> list[_Plan]:
        rng = self.rng
        times = timeline.publication_times(count, self.now, rng)
        storm_start = self.now - dt.timedelta(hours=STORM_HOURS)
        others = [t.slug for t in world.TOPICS if t.slug != "storm-verity"]
        plans = []
        for index, at in enumerate(times):
            stormy = at >= storm_start and rng.random() < 0.6
            topic = "storm-verity" if stormy else rng.choice(others)
            topics = [topic]
            if rng.random() < 0.25:
                extra = rng.choice(others)
                if extra != topic:
                    topics.append(extra)
            writers = [a.slug for a in world.AUTHORS if topic in a.topics] or [MARKER_AUTHOR_SLUG]
            authors = rng.sample(writers, 2 if rng.random() < 0.15 and len(writers) > 1 else 1)
            plans.append(_Plan(index, at, topics, authors))

        for plan in rng.sample(plans, max(3, round(count * 0.14))):
            plan.kind = Kind.ARTICLE
            plan.card = plan.index > 0 and rng.random() < 0.5
        ukrainian_topics = (
            "storm-verity",
            "transport",
            "city-hall",
            "culture",
            "culture",
            "health",
        )
        updates = [p for p in plans if p.kind == Kind.UPDATE]
        for n, plan in enumerate(rng.sample(updates, min(6, max(1, count // 50)))):
            plan.language, plan.topics = "uk", [ukrainian_topics[n % len(ukrainian_topics)]]
            plan.author_slugs = [world.AUTHORS[-1].slug]
            plan.text_number = n
        # The Ukrainian edition's later stories, chosen with a random stream of their own so the
        # rest of the demo stays as it was.
        english = [p for p in updates if p.language == "en"]
        extra = random.Random(count).sample(english, min(3, count // 100, len(english)))
        for n, plan in enumerate(extra):
            plan.language, plan.topics = "uk", [("culture", "city-hall", "storm-verity")[n]]
            plan.author_slugs = [world.AUTHORS[-1].slug]
            plan.text_number = 6 + n
        for plan in plans[1:]:
            if plan.kind == Kind.UPDATE and plan.language == "en" and rng.random() < 0.08:
                plan.card = True
        # Cards need an earlier story to point at; the first article with room always gets one.
        next(p for p in plans[1:] if p.kind == Kind.ARTICLE).card = True

        for plan in rng.sample(plans, max(2, count // 10)):
            plan.update_at = timeline.follow_up(plan.at, self.now, rng, most=240)
        for plan in rng.sample(plans, max(2, count // 30)):
            plan.correction_at = timeline.follow_up(plan.at, self.now, rng, most=600)
        storm_articles = [p for p in plans if p.kind == Kind.ARTICLE and p.at >= storm_start]
        lead = (storm_articles or [p for p in plans if p.kind == Kind.ARTICLE])[-1]
        lead.topics = ["storm-verity", *[t for t in lead.topics if t != "storm-verity"]]
        explainer = next(p for p in reversed(plans) if p.kind == Kind.ARTICLE and p is not lead)
        for plan in (lead, explainer):
            plan.pin_at = timeline.follow_up(plan.at, self.now, rng, most=3)
        latest_updates = [p for p in plans if p.kind == Kind.UPDATE and p.language == "en"][-2:]
        for plan in latest_updates:
            plan.topics = ["storm-verity"]
            plan.breaking_at = timeline.follow_up(plan.at, self.now, rng, most=2)
        if self.total >= LIVE_MIN_STORIES and len(latest_updates) == 2:
            self._plan_translations(lead, *latest_updates)
        return plans

    def _plan_translations(self, lead: _Plan, road: _Plan, barrier: _Plan) -> None:
        """The lead storm article and the two breaking updates get the fixed texts of
        `demo.translations` and a Ukrainian translation a while after they went out; the
        barrier story is updated again after its translation, which then needs an update."""
        for plan, key in ((lead, "lead"), (road, "coast_road"), (barrier, "barrier")):
            plan.fixed, plan.card = key, False
            plan.translate_at = plan.at + (self.now - plan.at) * 0.4
            plan.update_at = None
        barrier.update_at = barrier.at + (self.now - barrier.at) * 0.7

    # ── writing, in time order ───────────────────────────────────────────────────────────────

    def _run(self, plans: list[_Plan]) -> None:
        steps: list[tuple[dt.datetime, int, str, _Plan]] = []
        for plan in plans:
            steps.append((plan.at, len(steps), "publish", plan))
            for name in ("update", "correction", "pin", "breaking", "translate"):
                when = getattr(plan, f"{name}_at")
                if when is not None:
                    steps.append((when, len(steps), name, plan))
        if self.live is not None:
            for when, name, item in self.live.steps():
                steps.append((when, len(steps), name, item))
        published: list[tuple[str, str, str]] = []  # (slug, first topic, kind), oldest first
        for when, _, name, plan in sorted(steps, key=lambda step: (step[0], step[1])):
            if name.startswith("live_"):
                self._step_live(name, plan, when)
            else:
                getattr(self, f"_step_{name}")(plan, when, published)

    def _step_live(self, name: str, item, when: dt.datetime) -> None:
        story_id = self.live.step(name, item, when)
        fields: dict = {}
        if name in {"live_open", "live_entry"}:
            fields = {"published_at": when, "created_at": when - dt.timedelta(minutes=2)}
        elif name in {"live_translate_open", "live_translate_entry"}:
            fields = {
                "published_at": when,
                "created_at": when - dt.timedelta(minutes=5),
                "translated_at": when,
            }
        elif name == "live_update":
            fields = {"updated_at": when}
        elif name == "live_end":
            fields = {"ended_at": when}
        self.clock.stamp(story_id, when, **fields)

    def _step_publish(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        text = self._text(plan, published)
        data = {
            "headline": text.headline,
            "summary": text.summary,
            "body": text.body,
            "kind": plan.kind,
            "language": text.language,
            "author_ids": [self.authors[slug] for slug in plan.author_slugs],
            "topic_ids": [self.topics[slug] for slug in plan.topics],
        }
        if plan.kind == Kind.ARTICLE:
            data["lead_image_id"] = self._lead_image(plan.topics[0])
        story = actions.do_create_story(self.editor, data)
        actions.do_publish_story(self.editor, story.pk)
        written = when - dt.timedelta(minutes=self.rng.randint(4, 50))
        self.clock.stamp(story.pk, when, published_at=when, created_at=written)
        plan.story_id, plan.body = story.pk, text.body
        published.append((story.slug, plan.topics[0], plan.kind))

    def _text(self, plan: _Plan, published: list[tuple[str, str, str]]) -> StoryText:
        if plan.fixed:
            return demo_translations.ENGLISH[plan.fixed]
        if plan.language == "uk":
            return self.writer.ukrainian(plan.text_number)
        card = None
        if plan.card and published:
            recent = published[-60:]
            best = [
                slug for slug, topic, kind in recent if (topic, kind) == (plan.topics[0], "article")
            ]
            related = [slug for slug, topic, _ in recent if topic == plan.topics[0]]
            card = self.rng.choice(best or related or [slug for slug, _, _ in recent])
        if plan.kind == Kind.ARTICLE:
            return self.writer.article(plan.topics[0], card_slug=card)
        return self.writer.feed_update(plan.topics[0], card_slug=card)

    def _step_update(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        note = self.writer.update_note(timezone.localtime(when).strftime("%H:%M"))
        plan.body = f"{plan.body}\n\n{note}"
        actions.do_update_story(
            self.editor, plan.story_id, {"body": plan.body}, expected_version=None,
            mark_as_update=True,
        )  # fmt: skip
        self.clock.stamp(plan.story_id, when, updated_at=when)

    def _step_translate(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        words = demo_translations.UKRAINIAN[plan.fixed]
        translation = actions.do_create_translation(self.editor, plan.story_id, "uk")
        actions.do_update_story(
            self.editor,
            translation.pk,
            {"headline": words.headline, "summary": words.summary, "body": words.body},
            expected_version=None,
        )
        actions.do_publish_story(self.editor, translation.pk)
        written = when - dt.timedelta(minutes=self.rng.randint(10, 30))
        self.clock.stamp(
            translation.pk, when, published_at=when, created_at=written, translated_at=when
        )

    def _step_correction(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        actions.do_add_correction(self.editor, plan.story_id, self.writer.correction())
        self.clock.stamp(plan.story_id, when)

    def _step_pin(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        actions.do_set_pinned(self.editor, plan.story_id, True)
        self.clock.stamp(plan.story_id, when)

    def _step_breaking(self, plan: _Plan, when: dt.datetime, published: list) -> None:
        actions.do_set_breaking(self.editor, plan.story_id, True)
        self.clock.stamp(plan.story_id, when)

    def _draft(self, n: int) -> str:
        topic = self.rng.choice([t.slug for t in world.TOPICS])
        text = self.writer.feed_update(topic)
        story = actions.do_create_story(
            self.editor,
            {
                "headline": f"DRAFT: {text.headline}",
                "body": text.body,
                "author_ids": [self.authors[world.AUTHORS[1 + n % 5].slug]],
                "topic_ids": [self.topics[topic]],
            },
        )
        written = self.now - dt.timedelta(minutes=self.rng.randint(20, 600))
        self.clock.stamp(story.pk, written, created_at=written)
        if n == 0:
            # One draft waits in the review queue, with a note for the editors (docs/desk.md).
            actions.do_submit_for_review(
                self.editor,
                story.pk,
                note="Can someone check the times with the port office before this goes out?",
            )
            submitted = written + dt.timedelta(minutes=15)
            self.clock.stamp(story.pk, submitted, review_changed_at=submitted)
        return story.slug

    def _scheduled(self) -> str:
        text = self.writer.article("culture")
        story = actions.do_create_story(
            self.editor,
            {
                "headline": f"Coming up: {text.headline}",
                "summary": text.summary,
                "body": text.body,
                "kind": Kind.ARTICLE,
                "author_ids": [self.authors["oksana-levchyk-daal"]],
                "topic_ids": [self.topics["culture"]],
                "lead_image_id": self._lead_image("culture"),
            },
        )
        going_out = (self.now + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        actions.do_schedule_story(self.editor, story.pk, going_out)
        return story.slug


class _Clock:
    """Moves the rows the last action wrote back to that step's time (demo history only)."""

    MODELS = (FeedEvent, Revision, Correction, StoryNote)

    def __init__(self) -> None:
        self.marks = {model: self._last(model) for model in self.MODELS}

    @staticmethod
    def _last(model) -> int:
        return model.objects.aggregate(last=Max("pk"))["last"] or 0

    def stamp(self, story_id: int, when: dt.datetime, **story_fields) -> None:
        for model, mark in self.marks.items():
            if model.objects.filter(pk__gt=mark).update(created_at=when):
                self.marks[model] = self._last(model)
        Story.objects.filter(pk=story_id).update(modified_at=when, **story_fields)


def _demo_editor():
    """The account the demo is written by: an editor with an unguessable password nobody is
    told (people log in with their own accounts, e.g. the one `newsdesk up` prints)."""
    user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = do_create_user(None, DEMO_USERNAME, secrets.token_urlsafe(24), "editor")
    return user
