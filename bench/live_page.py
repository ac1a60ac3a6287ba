"""Live page benchmark: a live coverage with N entries, its first screen timed uncached.

    .venv/bin/python bench/live_page.py [--entries 5000] [--db sqlite|postgres] [--runs 300]

Builds one live coverage ("Storm Verity: live") the way the desk does (actions) with its
newest 40 entries, six key events and a pinned entry, and loads the older entries in bulk
(`bulk_create`, a copy of the posted ones' rendered text spread over the hours before: a bulk
load, not an editor). Then times `GET /live/<slug>/` through Django's test client (middleware,
view, Jinja2 templates; no page cache in front: the live page is never in it):

- "cold": the per-process memory (every entry fragment drawn before) and the cache are emptied
  before each request, so every entry on the first screen is drawn again: the uncached case,
  with the issue's target p99 < 20 ms;
- "warm": fragments kept by version, as a running process serves it;
- an entry's permanent address 2,500 entries down, Show More 100 pages down, oldest first.

Prints p50/p99 in milliseconds (wall and CPU time, and the queries of one request), then, with
--profile cold|warm, the cProfile of --runs first screens.
The database is a fresh SQLite file (or `newsdesk_bench_<n>` on PostgreSQL, as bench/archive.py
makes it), dropped at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.archive import clean_up, configure


def timed(fn, runs: int) -> tuple[float, float, float, float, int]:
    """p50 and p99 in ms of wall time and of this process's CPU time over `runs` calls after
    one warm-up. On a busy machine wall time counts the waits for a core; CPU time is what the
    request itself costs (SQLite reads are in the page cache: little waiting on disk)."""
    import statistics

    fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p99 = min(runs - 1, int(runs * 0.99))
    return statistics.median(wall), wall[p99], statistics.median(cpu), cpu[p99], runs


POSTED = 40  # entries posted through the actions; the rest is a bulk copy of their text
TEXTS = [
    "Gusts of 120 km/h reached the harbour wall at {t}; the coastguard asks people to stay "
    "away from the promenade.",
    "The ferry company cancelled the {t} crossing. **Passengers** with tickets can rebook for "
    "free on the next three days.",
    "Power is out in {n} homes on the east side, the grid operator says; crews wait for the wind "
    "to drop below 80 km/h before they climb.",
    "Trees down on the coast road near the old mill. Police closed it in both directions at {t}.",
    "Schools in the valley will open late tomorrow, the council said at {t}.",
]


def build(entries: int) -> tuple[str, list[int]]:
    """The coverage's slug and its entries' ids, newest first."""
    from django.db import transaction

    from newsdesk.stories import actions
    from newsdesk.stories.accounts import do_create_user
    from newsdesk.stories.models import Kind, Status, Story, StoryAuthor

    editor = do_create_user(None, "bench-editor", "Bench-Editor-Password-42", "editor")
    topic = actions.do_save_topic(editor, None, {"name": "Weather", "description": "Storms."})
    authors = [
        actions.do_save_author(editor, None, {"name": name, "role": "Reporter"})
        for name in ("Mira Osei", "Tomas Brandt", "Ines Varga", "Kofi Laine")
    ]
    coverage = actions.do_create_story(
        editor,
        {"headline": "Storm Verity: live", "kind": "live", "topic_ids": [topic.pk],
         "summary": "Gusts of 120 km/h on the coast.\nFerries are cancelled.\nSchools open late.",
         "author_ids": [a.pk for a in authors]},
    )  # fmt: skip
    coverage = actions.do_publish_story(editor, coverage.pk)
    bulk = entries - POSTED
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)
    step = dt.timedelta(hours=29) / max(bulk, 1)
    posted = []
    for n in range(min(POSTED, entries)):
        text = TEXTS[n % len(TEXTS)].format(t=f"{n % 24:02d}:{n % 60:02d}", n=100 + n)
        data = {"body": text, "author_ids": [authors[n % 4].pk]}
        if n % 3 == 0:
            data["headline"] = f"Update {n}: the storm at the coast"
        posted.append(actions.do_post_entry(editor, coverage.pk, data))
    for entry in posted[-6:]:
        actions.do_set_key_event(editor, entry.pk, True)
    actions.do_set_pinned_entry(editor, posted[-20].pk, True)
    with transaction.atomic():
        rows = []
        for n in range(bulk):
            model = posted[n % len(posted)]
            when = start + step * n
            rows.append(
                Story(
                    headline=model.headline, slug=f"storm-verity-live-bulk-{n}", body=model.body,
                    body_html=model.body_html, word_count=model.word_count, kind=Kind.ENTRY,
                    status=Status.PUBLISHED, published_at=when, created_by=editor,
                    coverage=coverage, language="en", key_event=n % 400 == 0,
                )
            )  # fmt: skip
        made = Story.objects.bulk_create(rows, batch_size=1000)
        StoryAuthor.objects.bulk_create(
            [StoryAuthor(story=s, author=authors[i % 4], position=0) for i, s in enumerate(made)],
            batch_size=1000,
        )
        Story.topics.through.objects.bulk_create(
            [Story.topics.through(story_id=s.pk, topic_id=topic.pk) for s in made],
            batch_size=1000,
        )
    ids = list(
        Story.objects.filter(coverage=coverage, status=Status.PUBLISHED)
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
    )
    return coverage.slug, ids


def measure(slug: str, ids: list[int], runs: int):
    from django.core.cache import cache
    from django.test import Client

    from newsdesk.core import memory
    from newsdesk.stories import queries

    client = Client()
    page = f"/live/{slug}/"
    deep = ids[min(len(ids) - 1, 2500)]
    coverage = queries.coverage_by_slug(slug)
    cursor = None
    for _ in range(min(100, len(ids) // queries.PAGE_SIZE - 1)):
        cursor = queries.coverage_entries(coverage, cursor).next_cursor

    def cold(path: str):
        def get():
            memory.clear()
            cache.clear()
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        return get

    def warm(path: str):
        return lambda: client.get(path)

    more = f"{page}?before={cursor.encode()}" if cursor else page
    reads = [
        ("first screen, cold: every entry drawn (GET /live/<slug>/)", cold(page)),
        ("first screen, warm fragments (GET /live/<slug>/)", warm(page)),
        ("oldest first, cold (GET /live/<slug>/?order=oldest)", cold(f"{page}?order=oldest")),
        ("an entry's address 2,500 entries down, cold (GET /live/<slug>/entries/<id>/)",
         cold(f"{page}entries/{deep}/")),
        ("Show More, 100 pages down, cold (GET /live/<slug>/?before=…)", cold(more)),
        ("entries page (queries.coverage_entries)",
         lambda: list(queries.coverage_entries(coverage, None).items)),
        ("key events (queries.key_events)", lambda: list(queries.key_events(coverage))),
    ]  # fmt: skip
    from django.db import connection

    count = []

    def counting(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    for name, fn in reads:
        with connection.execute_wrapper(counting):
            fn()
        queries_made = len(count)
        count.clear()
        p50, p99, cpu50, cpu99, made = timed(fn, runs)
        yield name, p50, p99, cpu50, cpu99, queries_made, made


def profile(slug: str, runs: int = 200, cold: bool = True) -> None:
    from django.core.cache import cache
    from django.test import Client

    from newsdesk.core import memory

    client = Client()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        if cold:
            memory.clear()
            cache.clear()
        client.get(f"/live/{slug}/")
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--profile", choices=["cold", "warm"], help="cProfile --runs first screens")
    args = parser.parse_args()
    name = configure(args.db, args.entries, None, False)
    try:
        started = time.monotonic()
        slug, ids = build(args.entries)
        built = time.monotonic() - started
        now = dt.datetime.now(dt.UTC)
        print(f"\nA live page with {len(ids):,} entries on {args.db}, built in {built:.0f} s "
              f"({platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, {now:%Y-%m-%d %H:%M} UTC); up to {args.runs} runs "
              "a read\n")  # fmt: skip
        print("| read | p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | queries | runs |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)  # fmt: skip
        for read, p50, p99, cpu50, cpu99, queries, runs in measure(slug, ids, args.runs):
            print(f"| {read} | {p50:.2f} | {p99:.2f} | {cpu50:.2f} | {cpu99:.2f} | {queries} "
                  f"| {runs} |", flush=True)  # fmt: skip
        if args.profile:
            profile(slug, args.runs, cold=args.profile == "cold")
    finally:
        clean_up(args.db, name)


if __name__ == "__main__":
    main()
