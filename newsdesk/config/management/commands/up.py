"""`newsdesk up` (what `make run` calls): prepare everything once, then serve.

Migrates, collects static files, loads the demo newsroom if the site is empty, makes sure an
editor account exists, prints where to go and how to log in, and serves.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.config import env
from newsdesk.stories.accounts import do_create_user, do_set_password
from newsdesk.stories.models import Author, Story

DEMO_EDITOR = "editor"


def listening_url() -> str:
    """Where `newsdesk serve` answers on this machine (NEWSDESK_HOST, NEWSDESK_PORT): what to
    open in a browser, which is not NEWSDESK_SITE_URL when that names a proxy or a domain."""
    return env.listening_url(settings.SERVE_HOST, settings.SERVE_PORT)


class Command(BaseCommand):
    help = "Migrate, collect static files, load the demo once, print the login, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo newsroom")
        parser.add_argument("--no-serve", action="store_true", help="prepare only, do not serve")

    def handle(self, *args, no_demo: bool, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not Story.objects.exists():
            self.stdout.write("Loading the demo newsroom (once)…")
            call_command("demo")
        password = self._editor_password()
        here = listening_url()
        public = ""
        if here != settings.SITE_URL:
            public = f"  Public:   {settings.SITE_URL}/ (NEWSDESK_SITE_URL, in feeds and links)\n"
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Readers:  {here}/\n"
                f"  Desk:     {here}/desk/\n"
                f"{public}"
                f"  Editor:   {DEMO_EDITOR} / {password}\n"
                f"            (generated for this machine, kept in "
                f"{settings.DATA_DIR}/editor-password)\n"
            )
        )
        if not no_serve:
            call_command("serve")

    def _editor_password(self) -> str:
        """The demo editor's password: generated on first run, kept in the data folder only."""
        path = settings.DATA_DIR / "editor-password"
        User = get_user_model()
        user = User.objects.filter(username=DEMO_EDITOR).first()
        if user is not None and path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        if user is None:
            author = Author.objects.filter(user__isnull=True).order_by("pk").first()
            do_create_user(None, DEMO_EDITOR, password, "editor", author=author)
        else:
            do_set_password(None, user, password)
        path.write_text(password + "\n")
        path.chmod(0o600)
        return password
