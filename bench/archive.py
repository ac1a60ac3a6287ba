"""Archive benchmark: build N published stories fast, then time feed, story and search reads.

    .venv/bin/python bench/archive.py --stories 1000000 --db sqlite|postgres [--runs 200]

Builds into a fresh SQLite file (in a temporary folder) or a fresh PostgreSQL database
(`newsdesk_bench_<n>` at 127.0.0.1:5432), with bulk inserts that bypass the actions on purpose
(a bulk import, not an editor), then fills the search index with `search.index`'s own document
builder. Prints p50/p99 in milliseconds for each read, measured over --runs repeats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# fmt: off
WORDS = [
    "harbour", "council", "grid", "power", "ferry", "storm", "river", "bridge", "school",
    "market", "energy", "water", "rail", "budget", "court", "minister", "village", "strike",
    "festival", "hospital", "airport", "flood", "winter", "summer", "road", "police", "museum",
    "forest", "coast", "tunnel", "election", "library", "clinic", "factory", "harvest",
]
# fmt: on
RARE_WORD = "quillowhisp"


def _vocabulary(rng: random.Random) -> list[str]:
    syllables = ["ka", "lo", "mi", "ter", "vo", "sa", "ne", "ri", "du", "pa", "zel", "or", "an"]
    invented = {
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)
    }
    return WORDS + sorted(invented)


def _text(rng: random.Random, vocab: list[str], weights: list[float], n: int) -> str:
    return " ".join(rng.choices(vocab, weights=weights, k=n))


def configure(db: str, stories: int) -> str:
    os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")
    name = ""
    if db == "postgres":
        import psycopg

        name = f"newsdesk_bench_{stories}"
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        os.environ["NEWSDESK_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages link static files; the bench has no collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    return name


def build(n: int, seed: int = 5) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from newsdesk.search.models import SearchDocument
    from newsdesk.stories.models import Author, Status, Story, StoryAuthor, Topic

    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf-like: WORDS are common
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    authors = Author.objects.bulk_create(
        Author(name=f"{rng.choice(['Mira', 'Taras', 'Ola', 'Ben'])} {vocab[50 + i].title()}",
               slug=f"author-{i}") for i in range(20)
    )  # fmt: skip
    topics = Topic.objects.bulk_create(
        Topic(name=vocab[100 + i].title(), slug=f"topic-{i}") for i in range(30)
    )
    start = timezone.now() - dt.timedelta(days=3650)
    step = dt.timedelta(days=3650) / n
    rare_ids = set(rng.sample(range(n), min(10, n)))
    batch = 5000
    for first in range(0, n, batch):
        rows, docs, links, topic_links = [], [], [], []
        for i in range(first, min(n, first + batch)):
            headline = _text(rng, vocab, weights, 8).capitalize()
            summary = _text(rng, vocab, weights, 20)
            body = _text(rng, vocab, weights, 120) + (f" {RARE_WORD}" if i in rare_ids else "")
            rows.append(Story(
                id=i + 1, headline=headline, slug=f"story-{i + 1}", summary=summary, body=body,
                body_html=f"<p>{body}</p>", word_count=120, kind="update",
                status=Status.PUBLISHED, published_at=start + step * i, language="en",
            ))  # fmt: skip
            author = authors[i % len(authors)]
            topic = topics[i % len(topics)]
            links.append(StoryAuthor(story_id=i + 1, author_id=author.pk, position=0))
            topic_links.append(Story.topics.through(story_id=i + 1, topic_id=topic.pk))
            docs.append(SearchDocument(
                story_id=i + 1, headline=headline, summary=summary, body_text=body,
                authors=author.name, topics=topic.name,
            ))  # fmt: skip
        with transaction.atomic():
            Story.objects.bulk_create(rows)
            StoryAuthor.objects.bulk_create(links)
            Story.topics.through.objects.bulk_create(topic_links)
            SearchDocument.objects.bulk_create(docs)
        if (first // batch) % 20 == 0:
            print(f"  {min(n, first + batch):,} stories", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('stories_story','id'), %s)", [n])
    return {"common": WORDS[0], "rare": RARE_WORD}


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return statistics.median(samples), p99


def measure(n: int, words: dict, runs: int) -> list[tuple[str, float, float]]:
    from django.test import Client

    from newsdesk.search.queries import search_stories
    from newsdesk.stories import queries

    cursor = None
    for _ in range(min(499, max(0, n // queries.PAGE_SIZE - 1))):
        cursor = queries.feed_page(cursor).next_cursor
    slug = f"story-{n // 2}"
    client = Client()
    page = queries.feed_page
    reads = [
        ("feed page 1 (queries.feed_page)", lambda: list(page().items)),
        ("feed page 500 (queries.feed_page)", lambda: list(page(cursor).items)),
        ("feed page 1 (HTTP GET /)", lambda: client.get("/")),
        ("feed page 500 (HTTP GET /?before=…)", lambda: client.get(f"/?before={cursor.encode()}")),
        ("story by slug (queries.story_by_slug)", lambda: queries.story_by_slug(slug)),
        ("story by slug (HTTP GET /stories/…/)", lambda: client.get(f"/stories/{slug}/")),
        ("API feed page 1 (HTTP GET /api/v1/feed)", lambda: client.get("/api/v1/feed")),
        (f"search common word '{words['common']}'", lambda: search_stories(words["common"])),
        (f"search rare word '{words['rare']}'", lambda: search_stories(words["rare"])),
        (
            "search two words (HTTP GET /search)",
            lambda: client.get("/search", {"q": "harbour storm"}),
        ),
    ]
    results = [(name, timed(fn, runs)) for name, fn in reads]
    return [(name, p50, p99) for name, (p50, p99) in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    configure(args.db, args.stories)
    started = time.monotonic()
    words = build(args.stories)
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    build_seconds = time.monotonic() - started
    print(f"\n{args.stories:,} stories on {args.db}, built in {build_seconds:.0f} s "
          f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{dt.date.today()}); {args.runs} runs each\n")  # fmt: skip
    print("| read | p50 ms | p99 ms |\n| --- | ---: | ---: |")
    for name, p50, p99 in measure(args.stories, words, args.runs):
        print(f"| {name} | {p50:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
