"""`newsdesk settings`: every NEWSDESK_* setting with its value now and its default."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from newsdesk.config import env


class Command(BaseCommand):
    help = "List every NEWSDESK_* setting (--markdown: the README table; --readme FILE: rewrite)."

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="print the README table")
        parser.add_argument(
            "--readme", type=Path, help="rewrite the settings table in this README file"
        )

    def handle(self, *args, markdown: bool, readme: Path | None, **options):
        if readme is not None:
            readme.write_text(
                env.with_settings_table(readme.read_text(encoding="utf-8")), encoding="utf-8"
            )
            self.stdout.write(f"Rewrote the settings table in {readme}.")
            return
        if markdown:
            self.stdout.write(env.markdown_table())
            return
        width = max(len(s.name) for s in env.SETTINGS)
        for setting in env.SETTINGS:
            self.stdout.write(f"{setting.name:<{width}}  {env.get(setting.name)!r}")
