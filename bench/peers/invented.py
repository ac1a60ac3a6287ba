"""Invented news for the peer sites: the same headlines, dates, intros and bodies for Wagtail and
Ghost, made from a word list with a fixed seed (nothing real is copied). Standard library only,
so that every peer's own Python or script can use it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

WORD_LIST = """
harbour council ferry bridge storm tide school budget library market mayor river tram festival
museum winter summer night rail station island quarter street square hospital court vote plan
fire crew rescue road works closure opening record crowd team match final season harvest fishing
fleet lighthouse archive orchestra theatre park garden north south east west old new small large
early late quiet busy long short
"""
VERB_LIST = "opens closes delays approves rejects reopens expands plans welcomes names"
WORDS = tuple(WORD_LIST.split())
VERBS = tuple(VERB_LIST.split())


@dataclass(frozen=True)
class Story:
    number: int  # 1 is the oldest
    slug: str
    headline: str
    published: dt.datetime
    intro: str
    paragraphs: tuple[str, ...]

    @property
    def html(self) -> str:
        return "".join(f"<p>{p}</p>" for p in self.paragraphs)


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words.insert(rng.randint(1, len(words) - 1), rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def headline(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 7))]
    words.insert(2, rng.choice(VERBS))
    return " ".join(words).capitalize()


def stories(count: int = 1000, seed: int = 6, now: dt.datetime | None = None) -> Iterator[Story]:
    """`count` stories, oldest first, one every 37 minutes up to `now`."""
    rng = random.Random(seed)
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    for number in range(1, count + 1):
        yield Story(
            number=number,
            slug=f"news-{number}",
            headline=headline(rng),
            published=now - dt.timedelta(minutes=37 * (count - number + 1)),
            intro=sentence(rng, 14, 24)[:300],
            paragraphs=tuple(
                " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
                for _ in range(rng.randint(4, 8))
            ),
        )
