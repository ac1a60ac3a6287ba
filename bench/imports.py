"""Import benchmark: a synthetic WordPress export of N posts, imported with `newsdesk import
wordpress` into a fresh SQLite site, then imported again (nothing changed: the re-run path).

    .venv/bin/python bench/imports.py --posts 100000        # the issue's size
    .venv/bin/python bench/imports.py --posts 10000 --keep  # keep the data folder to look at it

The export is written by this script (invented words, like the demo newsroom): each post has a
few paragraphs, a heading, a list, links, a captioned image (missing from the uploads, so the
report lists it), two categories out of 200 and three tags out of 2,000, one of 25 authors, and
a status mix like a real archive (90% published, 5% drafts, 3% private, 2% scheduled).
The import runs in a child process, as an editor would run it, with the default batch size;
the script prints the wall time of both runs, posts per second, and the importer's summary.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import run_newsdesk  # noqa: E402

WORDS = [
    "harbour",
    "council",
    "grid",
    "power",
    "ferry",
    "storm",
    "river",
    "bridge",
    "school",
    "market",
    "energy",
    "water",
    "rail",
    "budget",
    "court",
    "minister",
    "village",
    "strike",
    "festival",
    "hospital",
    "airport",
    "flood",
    "winter",
    "summer",
    "road",
    "police",
    "museum",
    "forest",
    "coast",
    "tunnel",
    "election",
    "library",
    "clinic",
    "factory",
    "harvest",
    "island",
    "tram",
    "square",
    "night",
    "morning",
    "report",
    "vote",
    "plan",
    "repair",
    "crossing",
    "station",
    "garden",
    "theatre",
]
STATUSES = ["publish"] * 90 + ["draft"] * 5 + ["private"] * 3 + ["future"] * 2


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _content(rng: random.Random, n: int) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
    return (
        f"{paragraphs[0]}\n\n"
        f'[caption id="attachment_{n}" align="aligncenter" width="640"]'
        f'<img src="https://archive.example.org/wp-content/uploads/2019/03/photo-{n % 500}.jpg" '
        f'alt="{_sentence(rng, 4)}" width="640" height="400" /> {_sentence(rng, 6)}[/caption]\n\n'
        f"<h2>{_sentence(rng, 4)}</h2>\n\n{paragraphs[1]}\n\n"
        f"<ul>\n<li>{_sentence(rng, 5)}</li>\n<li>{_sentence(rng, 5)}</li>\n</ul>\n\n"
        f'{paragraphs[2]} <a href="https://example.org/{n}">{_sentence(rng, 3)}</a>\n\n'
        f"<blockquote>{_sentence(rng)}</blockquote>\n\n{paragraphs[3]}"
    )


def write_export(path: Path, posts: int, seed: int = 18) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Archive</title><link>https://archive.example.org</link>"
            "<language>en</language><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_blog_url>https://archive.example.org</wp:base_blog_url>\n"
        )
        for a in range(25):
            out.write(
                f"<wp:author><wp:author_login>writer{a}</wp:author_login>"
                f"<wp:author_display_name><![CDATA[Writer {a}]]></wp:author_display_name>"
                "</wp:author>\n"
            )
        for c in range(200):
            out.write(
                f"<wp:category><wp:category_nicename>section-{c}</wp:category_nicename>"
                f"<wp:cat_name><![CDATA[Section {c}]]></wp:cat_name></wp:category>\n"
            )
        for n in range(1, posts + 1):
            status = rng.choice(STATUSES)
            year, month, day = 2010 + n * 15 // posts, 1 + n % 12, 1 + n % 28
            if status == "future":
                year = 2099
            date = f"{year}-{month:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00"
            slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}"
            terms = "".join(
                f'<category domain="category" nicename="section-{c}"><![CDATA[Section {c}]]>'
                "</category>"
                for c in rng.sample(range(200), 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
                for t in rng.sample(range(2000), 3)
            )
            out.write(
                f"<item><title><![CDATA[{_sentence(rng, 7)}]]></title>"
                f"<link>https://archive.example.org/{year}/{month:02d}/{slug}/</link>"
                f"<dc:creator>writer{n % 25}</dc:creator>"
                f"<content:encoded><![CDATA[{_content(rng, n)}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{_sentence(rng, 12)}]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
                f"<wp:post_type>post</wp:post_type>{terms}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="newsdesk-bench-imports-"))
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data),
        "NEWSDESK_PASSWORD": "bench-imports-password",
        "PYTHONPATH": str(ROOT),
    }
    environ.pop("NEWSDESK_DATABASE_URL", None)
    try:
        export = data / "export.xml"
        began = time.monotonic()
        write_export(export, args.posts)
        print(
            f"export: {args.posts:,} posts, {export.stat().st_size / 1e6:,.0f} MB, written in "
            f"{time.monotonic() - began:.0f} s"
        )
        run_newsdesk(environ, "migrate", "-v0")
        run_newsdesk(environ, "createuser", "bench", "--role", "editor")
        print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
              f"{platform.python_version()}, SQLite")  # fmt: skip
        for label in ("first import", "second run (nothing changed)"):
            began = time.monotonic()
            result = run_newsdesk(environ, "import", "wordpress", str(export), "--as", "bench")
            seconds = time.monotonic() - began
            print(f"\n{label}: {seconds:,.1f} s wall, {args.posts / seconds:,.0f} posts/s")
            summary = [
                line
                for line in result.stdout.splitlines()
                if not line.startswith("  missing image") and "posts of" not in line
            ]
            print("\n".join(summary))
        size = sum(p.stat().st_size for p in data.glob("*.sqlite3*"))
        print(f"\ndatabase: {size / 1e6:,.0f} MB")
    finally:
        if args.keep:
            print(f"kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
