"""Archive benchmark: build N published stories fast, then time feed, story and search reads.

    .venv/bin/python bench/archive.py --stories 1000000 --db sqlite|postgres [--runs 200]

Builds into a fresh SQLite file (in a temporary folder, or --data-dir) or a fresh PostgreSQL
database (`newsdesk_bench_<n>` at 127.0.0.1:5432) with raw bulk SQL that bypasses the actions on
purpose (a bulk import, not an editor): executemany in transactions of 20,000 stories on SQLite,
COPY on PostgreSQL. The search index of word forms fills as the rows arrive (FTS5 triggers
calling `newsdesk_terms()`; on PostgreSQL a staging table with the terms made in Python), and
the GIN index is built once at the end. 1,000,000 stories take
about 4 minutes on SQLite and 5 on PostgreSQL on a 2-core machine (6 GB and 5 GB).

Prints p50/p99 in milliseconds for each read. The database is dropped at the end unless --keep;
--reuse measures a kept one without building (e.g. `--keep --no-measure` first, measure later),
--only TEXT measures the reads whose name holds TEXT.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import random
import shutil
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


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def configure(db: str, stories: int, data_dir: str | None, reuse: bool) -> str:
    """Point Django at the bench database (fresh unless `reuse`); returns the PostgreSQL name."""
    if data_dir:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    os.environ["NEWSDESK_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="newsdesk-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")
    os.environ.setdefault("NEWSDESK_DATABASE_POOL", "0")
    name = ""
    if db == "postgres":
        import psycopg

        name = f"newsdesk_bench_{stories}"
        if not reuse:
            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}"')
                c.execute(f'CREATE DATABASE "{name}"')
        os.environ["NEWSDESK_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    elif not reuse:
        Path(os.environ["NEWSDESK_DATA_DIR"], "newsdesk.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages link static files; the bench has no collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if not reuse:
        call_command("migrate", verbosity=0)
    return name


def clean_up(db: str, name: str) -> None:
    """Drop the bench database and its data folder."""
    from django.db import connections

    connections.close_all()
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(os.environ["NEWSDESK_DATA_DIR"], ignore_errors=True)


STORY_COLUMNS = (
    "id, headline, slug, summary, body, body_html, word_count, kind, status, published_at, "
    "updated_at, modified_at, created_at, created_by_id, lead_image_id, language, pinned, "
    "breaking, version"
)
BATCH = 20_000
FEW = 12  # stories of the small topic and author


def _sentences(rng: random.Random, vocab: list[str], count: int, words: int) -> list[str]:
    """A pool of Zipf-weighted word runs: stories are cut from it, so generating a million
    texts costs a few random picks each instead of 150 (word frequencies stay Zipf-like)."""
    cum = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    return [" ".join(rng.choices(vocab, cum_weights=cum, k=words)) for _ in range(count)]


def _rows(n: int, rng: random.Random, vocab: list[str], authors: list[str], topics: list[str]):
    """Batches of story tuples, ids 1..n in publication order (the newest last), every story
    with one of the authors and one of the topics."""
    heads = _sentences(rng, vocab, 50_000, 4)
    lines = _sentences(rng, vocab, 50_000, 10)
    rare_ids = set(rng.sample(range(1, n + 1), min(10, n)))
    newest = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = newest - dt.timedelta(days=3650)
    step = dt.timedelta(days=3650) / n
    pick = rng.choice
    for first in range(1, n + 1, BATCH):
        batch = []
        for i in range(first, min(n, first + BATCH - 1) + 1):
            headline = f"{pick(heads)} {pick(heads)}".capitalize()
            summary = f"{pick(lines)} {pick(lines)}"
            body = " ".join(pick(lines) for _ in range(12))
            if i in rare_ids:
                body += f" {RARE_WORD}"
            when = start + step * i
            batch.append((i, headline, summary, body, when, (i - 1) % 20 + 1, (i - 1) % 30 + 1,
                          authors[(i - 1) % 20], topics[(i - 1) % 30]))  # fmt: skip
        yield batch


def build(n: int, seed: int = 5) -> None:
    """Bulk-load n published stories with raw SQL (a bulk import, not an editor's writes): big
    executemany transactions on SQLite, COPY on PostgreSQL; the full-text index holds word forms
    (search.terms): SQLite's FTS5 triggers make them with `newsdesk_terms()`, and on PostgreSQL
    the rows are copied to a staging table with their terms and inserted with their tsvector;
    the GIN index is built once at the end."""
    from django.db import connection

    from newsdesk.search.index import VECTOR
    from newsdesk.search.terms import index_terms

    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    author_names = [f"{rng.choice(['Mira', 'Taras', 'Ola', 'Ben'])} {vocab[50 + i].title()}"
                    for i in range(20)]  # fmt: skip
    topic_names = [vocab[100 + i].title() for i in range(30)]
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-200000")
        else:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("DROP INDEX IF EXISTS search_document_gin")
        cursor.executemany(
            "INSERT INTO stories_author (id, name, slug, role, bio) VALUES (%s, %s, %s, '', '')",
            [(i + 1, name, f"author-{i}") for i, name in enumerate(author_names)],
        )
        cursor.executemany(
            "INSERT INTO stories_topic (id, name, slug, description) VALUES (%s, %s, %s, '')",
            [(i + 1, name, f"topic-{i}") for i, name in enumerate(topic_names)],
        )
    done = 0
    for batch in _rows(n, rng, vocab, author_names, topic_names):
        stories, links, topic_links, docs = [], [], [], []
        for i, headline, summary, body, when, author_id, topic_id, author, topic in batch:
            stamp = when if not sqlite else when.replace(tzinfo=None).isoformat(" ")
            stories.append((i, headline, f"story-{i}", summary, body, f"<p>{body}</p>", 120,
                            "update", "published", stamp, None, stamp, stamp, None, None, "en",
                            False, False, 1))  # fmt: skip
            links.append((i, i, author_id, 0))
            topic_links.append((i, i, topic_id))
            docs.append((i, headline, summary, body, author, topic))
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("BEGIN")
                marks = ", ".join(["%s"] * 19)
                cursor.executemany(
                    f"INSERT INTO stories_story ({STORY_COLUMNS}) VALUES ({marks})",  # noqa: S608
                    stories,
                )
                cursor.executemany(
                    "INSERT INTO stories_storyauthor (id, story_id, author_id, position) "
                    "VALUES (%s, %s, %s, %s)",
                    links,
                )
                cursor.executemany(
                    "INSERT INTO stories_story_topics (id, story_id, topic_id) VALUES (%s, %s, %s)",
                    topic_links,
                )
                cursor.executemany(
                    "INSERT INTO search_searchdocument "
                    "(story_id, headline, summary, body_text, authors, topics) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    docs,
                )
                cursor.execute("COMMIT")
            else:
                raw = cursor.cursor
                # The index's rows with their word forms beside them (search.terms), so the
                # tsvector is written with the row, not by a second pass that would bloat it.
                terms = [(*doc, *(index_terms(text) for text in doc[1:])) for doc in docs]
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS bench_documents (story_id bigint, "
                    "headline text, summary text, body_text text, authors text, topics text, "
                    "t_headline text, t_summary text, t_body_text text, t_authors text, "
                    "t_topics text)"
                )
                for table, columns, rows in (
                    ("stories_story", STORY_COLUMNS, stories),
                    ("stories_storyauthor", "id, story_id, author_id, position", links),
                    ("stories_story_topics", "id, story_id, topic_id", topic_links),
                    ("bench_documents", "story_id, headline, summary, body_text, authors, "
                     "topics, t_headline, t_summary, t_body_text, t_authors, t_topics", terms),
                ):  # fmt: skip
                    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                vector = VECTOR.format("t_headline", "t_summary", "t_authors", "t_topics",
                                       "t_body_text")  # fmt: skip
                cursor.execute(
                    "INSERT INTO search_searchdocument (story_id, headline, summary, body_text, "  # noqa: S608
                    "authors, topics, document) SELECT story_id, headline, summary, body_text, "
                    f"authors, topics, {vector} FROM bench_documents"
                )
                cursor.execute("TRUNCATE bench_documents")
        done += len(batch)
        if (done // BATCH) % 10 == 0 or done == n:
            print(f"  {done:,} stories", file=sys.stderr, flush=True)
    _few_links(n, rng)
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            print("  GIN index", file=sys.stderr, flush=True)
            cursor.execute(
                "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)"
            )
            for table in ("stories_story", "stories_storyauthor", "stories_story_topics",
                          "stories_author", "stories_topic"):  # fmt: skip
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")


def _few_links(n: int, rng: random.Random) -> None:
    """A topic and an author with only a few stories (`topic-few`, `author-few`), beside the 30
    topics and 20 authors that each hold a thirtieth or a twentieth of the archive: their pages
    are read the other way (`stories.queries._of_subject`)."""
    from django.db import connection

    story_ids = rng.sample(range(1, n + 1), min(FEW, n))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO stories_topic (id, name, slug, description) VALUES (31, 'Few', "
            "'topic-few', '')"
        )
        cursor.execute(
            "INSERT INTO stories_author (id, name, slug, role, bio) VALUES (21, 'Few Writer', "
            "'author-few', '', '')"
        )
        cursor.executemany(
            "INSERT INTO stories_story_topics (id, story_id, topic_id) VALUES (%s, %s, 31)",
            [(n + k + 1, story_id) for k, story_id in enumerate(story_ids)],
        )
        cursor.executemany(
            "INSERT INTO stories_storyauthor (id, story_id, author_id, position) "
            "VALUES (%s, %s, 21, 1)",
            [(n + k + 1, story_id) for k, story_id in enumerate(story_ids)],
        )


def timed(fn, runs: int, budget: float = 30.0) -> tuple[float, float, int]:
    """p50 and p99 in ms over `runs` calls after one warm-up, stopping early (after at least 20)
    once `budget` seconds are spent, so a read costing a second does not take minutes."""
    fn()  # warm
    samples: list[float] = []
    deadline = time.monotonic() + budget
    while len(samples) < runs and (len(samples) < 20 or time.monotonic() < deadline):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return statistics.median(samples), p99, len(samples)


def measure(n: int, words: dict, runs: int, only: str = ""):
    """(read, p50, p99, runs) for each read, yielded as it is measured."""
    from django.test import Client

    from newsdesk.search.queries import search_stories
    from newsdesk.stories import queries

    cursor = None
    for _ in range(min(499, max(0, n // queries.PAGE_SIZE - 1))):
        cursor = queries.feed_page(cursor).next_cursor
    slug = f"story-{n // 2}"
    common, rare = words["common"], words["rare"]
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
        ("busy topic page, 1 story in 30 (HTTP GET /topics/topic-3/)",
         lambda: client.get("/topics/topic-3/")),
        ("busy author page, 1 story in 20 (HTTP GET /authors/author-3/)",
         lambda: client.get("/authors/author-3/")),
        (f"small topic page, {FEW} stories (HTTP GET /topics/topic-few/)",
         lambda: client.get("/topics/topic-few/")),
        (f"small author page, {FEW} stories (HTTP GET /authors/author-few/)",
         lambda: client.get("/authors/author-few/")),
        (f"search common word '{common}' (search_stories)", lambda: search_stories(common)),
        (f"search rare word '{rare}' (search_stories)", lambda: search_stories(rare)),
        (f"search '{common}', page 10 (search_stories)", lambda: search_stories(common, page=10)),
        (f"search '{common}' in a topic (search_stories)",
         lambda: search_stories(common, topic="topic-3")),
        (f"search a word form '{common}s' (search_stories)",
         lambda: search_stories(f"{common}s")),
        (f"search as you type, common word begun '{common[:5]}' (search_stories)",
         lambda: search_stories(common[:5])),
        (f"search as you type, rare word begun '{rare[:5]}' (search_stories)",
         lambda: search_stories(rare[:5])),
        (f"search common word (HTTP GET /search?q={common})",
         lambda: client.get("/search", {"q": common})),
        (f"search rare word (HTTP GET /search?q={rare})",
         lambda: client.get("/search", {"q": rare})),
        ("search two words (HTTP GET /search?q=harbour+storm)",
         lambda: client.get("/search", {"q": "harbour storm"})),
        (f"API search (HTTP GET /api/v1/search?q={common})",
         lambda: client.get("/api/v1/search", {"q": common})),
    ]  # fmt: skip
    for name, fn in reads:
        if only in name:
            yield (name, *timed(fn, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--data-dir", help="folder for the SQLite file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database, no build")
    parser.add_argument("--only", default="", help="measure only reads whose name has this text")
    parser.add_argument("--no-measure", action="store_true", help="build only (with --keep)")
    args = parser.parse_args()
    name = configure(args.db, args.stories, args.data_dir, args.reuse)
    try:
        build_seconds = 0.0
        if not args.reuse:
            started = time.monotonic()
            build(args.stories)
            build_seconds = time.monotonic() - started
            print(f"built in {build_seconds:.0f} s", file=sys.stderr)
        if args.no_measure:
            return
        words = {"common": WORDS[0], "rare": RARE_WORD}
        built = f", built in {build_seconds:.0f} s" if build_seconds else ""
        now = dt.datetime.now(dt.UTC)
        print(f"\n{args.stories:,} stories on {args.db}{built} ({platform.machine()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{now:%Y-%m-%d %H:%M} UTC); up to {args.runs} runs a read, at least 20 "
              "(fewer than asked once a read has taken 30 s)\n")  # fmt: skip
        print("| read | p50 ms | p99 ms | runs |\n| --- | ---: | ---: | ---: |", flush=True)
        for read, p50, p99, runs in measure(args.stories, words, args.runs, args.only):
            print(f"| {read} | {p50:.2f} | {p99:.2f} | {runs} |", flush=True)
    finally:
        if not args.keep:
            clean_up(args.db, name)


if __name__ == "__main__":
    main()
