"""The demo newsroom's live coverage: "Storm Verity: live" (started the evening before, about
60 entries by four reporters, six key events, a pinned entry, one entry updated and one
corrected) and one ended coverage (the Lindenhav half marathon, two days ago).

Written through the real actions like the rest of the demo, as timed steps that the builder
merges into its one history (`build._Builder._run`), so ids and feed events follow time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from newsdesk.demo import translations as demo_translations
from newsdesk.demo import world
from newsdesk.demo.content import Writer
from newsdesk.stories import actions
from newsdesk.stories.models import Kind

STORM_ENTRIES = 60
STORM_SUMMARY = (
    "Storm Verity brought gusts of up to 130 km/h to the Aldermoor coast overnight.\n"
    "Thousands of homes in Lindenhav lost power; crews are restoring it district by district.\n"
    "Ferries to the Skerrow Islands are suspended and several roads are closed by fallen trees.\n"
    "The Serrow is high but the flood barrier at Kestrel Quay is holding.\n"
    "Call 112 only in an emergency; the council's storm line is 0800 555 019."
)
# (headline, text) of the six entries marked as key events, and where among the entries they are.
KEY_EVENT_AT = (3, 12, 22, 33, 44, 55)
KEY_EVENTS = (
    (
        "Red warning issued",
        "The weather service has raised its warning for the Aldermoor "
        "coast to red, its highest level, from 22:00 until 09:00. People are asked not to travel.",
    ),
    (
        "Flood barrier raised at Kestrel Quay",
        "The Serrow flood barrier has been raised for "
        "the first time this winter as the river climbed a metre in three hours.",
    ),
    (
        "Gust of 131 km/h recorded",
        "The weather station on Holm Point recorded a gust of "
        "131 km/h at 04:10, the strongest in Lindenhav since records began in 1961.",
    ),
    (
        "Ferries suspended until tomorrow",
        "All sailings to the Skerrow Islands are "
        "cancelled until tomorrow morning. The ferry company will refund tickets.",
    ),
    (
        "Power back for half of homes",
        "Grid crews say power is back for about half of the "
        "homes that lost it overnight. Ambervale and Mossford are still waiting.",
    ),
    (
        "Red warning lifted",
        "The red warning has been lowered to amber. Winds are easing "
        "from the west, but the council asks people to stay away from the seafront.",
    ),
)
PINNED = (
    "How to stay safe and where to get help",
    "Stay indoors and away from the seafront. Report fallen power lines on 0800 555 020, never "
    "touch them. Rest centres are open at the Brannock Hill sports hall and the Old Tannery "
    "library; both take pets.",
)
UPDATED_NOTE = "**Update:** The council now says the road will reopen by noon."
CORRECTION = "An earlier version of this entry said the tram depot was in Northgate. It is in "
"Copperworks."

MARATHON_SUMMARY = (
    "The Lindenhav half marathon ran on a new route along the Harrow Embankment.\n"
    "About 4,000 runners took part; the course record fell in the women's race."
)
MARATHON = (
    "Runners are gathering at the start on Ferrier Avenue; the temperature is a mild 9 °C.",
    "And they're off: the wheelchair race started at 09:00, the main field five minutes later.",
    "The leading group of six has passed the 5 km mark at the Copperworks bridge.",
    "Water stations report plenty of supplies; the crowds are thickest on Weaver Street.",
    "The leaders are through 15 km in 47 minutes, well inside course record pace.",
    "Ingrid Halvarsen wins the women's race in 1:09:41, a new course record.",
    "Tomas Reyes takes the men's race in a sprint finish on the embankment.",
    "The last runners are home; organisers thank the 600 volunteers. That's all from us today.",
)


@dataclass
class _Entry:
    coverage: str  # "storm" or "marathon"
    headline: str
    body: str
    authors: list[str]
    key_event: bool = False
    pin: bool = False
    story_id: int = 0


@dataclass
class LiveDemo:
    """The live coverage steps: `steps()` gives (when, name, item) to merge into the history;
    the builder calls `step(name, item, when)` for each in time order."""

    editor: object
    authors: dict[str, int]
    topics: dict[str, int]
    now: dt.datetime
    rng: random.Random
    writer: Writer
    coverage_ids: dict[str, int] = field(default_factory=dict)

    def steps(self) -> list[tuple[dt.datetime, str, object]]:
        reporters = [a.slug for a in world.AUTHORS[1:] if "storm-verity" in a.topics][:4]
        start = (self.now - dt.timedelta(days=1)).replace(hour=19, minute=30, second=0)
        start = start.replace(microsecond=0)
        span = (self.now - dt.timedelta(minutes=4)) - start
        steps: list[tuple[dt.datetime, str, object]] = [(start, "live_open", "storm")]
        keys = dict(zip(KEY_EVENT_AT, KEY_EVENTS, strict=True))
        entries: list[tuple[dt.datetime, _Entry]] = []
        for n in range(STORM_ENTRIES):
            at = start + span * ((n + 1) / (STORM_ENTRIES + 1))
            author = [reporters[n % len(reporters)]]
            if n in keys:
                headline, text = keys[n]
                entry = _Entry("storm", headline, text, author, key_event=True)
            elif n == 1:
                entry = _Entry("storm", PINNED[0], PINNED[1], author, pin=True)
            else:
                words = self.writer.feed_update("storm-verity")
                body = words.body.split("\n\n")[0]
                entry = _Entry("storm", words.headline if n % 2 else "", body, author)
            entries.append((at, entry))
        # The live page in Ukrainian: the coverage five minutes after it opened, then
        # the pinned entry and the key events a few minutes after each (demo.translations).
        steps.append((start + dt.timedelta(minutes=5), "live_translate_open", "storm"))
        for at, entry in entries:
            steps.append((at, "live_entry", entry))
            if entry.headline in demo_translations.LIVE_ENTRIES:
                steps.append((at + dt.timedelta(minutes=6), "live_translate_entry", entry))
            if entry.key_event:
                steps.append((at + dt.timedelta(minutes=2), "live_key", entry))
            if entry.pin:
                steps.append((at + dt.timedelta(minutes=1), "live_pin", entry))
        plain = [e for at, e in entries if not (e.key_event or e.pin)]
        updated, corrected = plain[len(plain) // 2], plain[len(plain) // 3]
        by_entry = {id(e): at for at, e in entries}
        steps.append((by_entry[id(updated)] + dt.timedelta(minutes=40), "live_update", updated))
        steps.append(
            (by_entry[id(corrected)] + dt.timedelta(minutes=25), "live_correct", corrected)
        )

        race = (self.now - dt.timedelta(days=2)).replace(hour=8, minute=30, second=0)
        race = race.replace(microsecond=0)
        steps.append((race, "live_open", "marathon"))
        runner = reporters[-1:]
        for n, text in enumerate(MARATHON):
            at = race + dt.timedelta(minutes=15 + n * 22)
            steps.append((at, "live_entry", _Entry("marathon", "", text, runner, key_event=n == 5)))
        steps.append((race + dt.timedelta(hours=3, minutes=30), "live_end", "marathon"))
        return steps

    def step(self, name: str, item, when: dt.datetime) -> int:
        """Do one step; returns the id of the story it changed (for the builder's clock)."""
        if name == "live_open":
            return self._open(item)
        if name == "live_end":
            return actions.do_end_coverage(self.editor, self.coverage_ids[item]).pk
        if name == "live_entry":
            data = {
                "headline": item.headline,
                "body": item.body,
                "author_ids": [self.authors[slug] for slug in item.authors],
            }
            entry = actions.do_post_entry(self.editor, self.coverage_ids[item.coverage], data)
            item.story_id = entry.pk
            return entry.pk
        if name == "live_key":
            return actions.do_set_key_event(self.editor, item.story_id, True).pk
        if name == "live_pin":
            return actions.do_set_pinned_entry(self.editor, item.story_id, True).coverage_id
        if name == "live_update":
            clock = f"{when:%H:%M}"
            actions.do_update_story(
                self.editor, item.story_id,
                {"body": f"{item.body}\n\n{UPDATED_NOTE.replace('Update:', f'Update {clock}:')}"},
                expected_version=None, mark_as_update=True,
            )  # fmt: skip
            return item.story_id
        if name == "live_correct":
            actions.do_add_correction(self.editor, item.story_id, CORRECTION)
            return item.story_id
        if name == "live_translate_open":
            return self._translate_coverage(item)
        if name == "live_translate_entry":
            return self._translate_entry(item)
        raise ValueError(f"no live demo step {name!r}")

    def _translate_coverage(self, which: str) -> int:
        coverage = actions.do_create_translation(self.editor, self.coverage_ids[which], "uk")
        words = {
            "headline": demo_translations.LIVE_HEADLINE,
            "summary": demo_translations.LIVE_SUMMARY,
            "slug": "storm-verity-live-uk",
        }
        actions.do_update_story(self.editor, coverage.pk, words, expected_version=None)
        actions.do_publish_story(self.editor, coverage.pk)
        self.coverage_ids[f"{which}_uk"] = coverage.pk
        return coverage.pk

    def _translate_entry(self, item: _Entry) -> int:
        headline, text = demo_translations.LIVE_ENTRIES[item.headline]
        entry = actions.do_create_translation(self.editor, item.story_id, "uk")
        words = {"headline": headline, "body": text}
        actions.do_update_story(self.editor, entry.pk, words, expected_version=None)
        actions.do_publish_story(self.editor, entry.pk)
        if item.key_event:
            actions.do_set_key_event(self.editor, entry.pk, True)
        if item.pin:
            actions.do_set_pinned_entry(self.editor, entry.pk, True)
        return entry.pk

    def _open(self, which: str) -> int:
        storm = which == "storm"
        data = {
            "headline": "Storm Verity: live" if storm else "Lindenhav half marathon: live",
            "slug": "storm-verity-live" if storm else "half-marathon-live",
            "summary": STORM_SUMMARY if storm else MARATHON_SUMMARY,
            "kind": Kind.LIVE,
            "topic_ids": [self.topics["storm-verity" if storm else "sport"]],
            "author_ids": [
                self.authors[a.slug] for a in world.AUTHORS if "storm-verity" in a.topics
            ][:2]
            if storm
            else [self.authors[world.AUTHORS[-2].slug]],
        }
        coverage = actions.do_create_story(self.editor, data)
        actions.do_publish_story(self.editor, coverage.pk)
        self.coverage_ids[which] = coverage.pk
        return coverage.pk
