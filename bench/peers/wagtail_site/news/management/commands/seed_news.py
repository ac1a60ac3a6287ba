"""Make a news index the site's home page and put N invented news pages under it.

    python manage.py seed_news --pages 1000

The text comes from bench/peers/invented.py (the same stories Ghost gets). Pages are published
(live, first_published_at set) without revisions, which the front end does not read.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))  # bench/peers

from invented import stories


class Command(BaseCommand):
    help = "Create the news index and invented news pages."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=1000)

    @transaction.atomic
    def handle(self, *args, pages: int, **options):
        root = Page.get_first_root_node()
        welcome = root.get_children().first()  # the "Welcome to Wagtail" page of a new site
        index = NewsIndexPage(
            title="News", slug="news", intro="<p>The newest from the Lindenhav Courier.</p>"
        )
        root.add_child(instance=index)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": index},
        )
        if welcome is not None:
            welcome.delete()
        index.refresh_from_db()
        for story in stories(pages):
            index.add_child(
                instance=NewsPage(
                    title=story.headline,
                    slug=story.slug,
                    date=story.published,
                    intro=story.intro,
                    body=story.html,
                    first_published_at=story.published,
                    last_published_at=story.published,
                )
            )
        self.stdout.write(f"{pages} news pages under {index.url_path}")
