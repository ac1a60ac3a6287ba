"""`newsdesk createuser NAME --role contributor|editor|admin [--author SLUG]`."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from newsdesk.config import env
from newsdesk.core.errors import NewsdeskError, NotFound
from newsdesk.stories import queries
from newsdesk.stories.accounts import do_create_user
from newsdesk.stories.roles import ROLES


class Command(BaseCommand):
    help = (
        "Create a newsroom account. Prompts for the password, or reads it from "
        "NEWSDESK_PASSWORD when run from a script."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="user name to log in with")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--author",
            default="",
            metavar="SLUG",
            help="link the account to this author profile (its address, as in /authors/SLUG/), "
            "so the person's stories are bylined to it",
        )

    def handle(self, *args, name: str, role: str, email: str, author: str = "", **options):
        profile = None
        if author:
            try:
                profile = queries.author_by_slug(author)
            except NotFound:
                raise CommandError(
                    f"There is no author profile with the address {author!r}. Create it in the "
                    "desk (Authors), or leave --author out: a contributor's first story makes "
                    "one for them."
                ) from None
        password = env.get("NEWSDESK_PASSWORD")
        if not password:
            try:
                password = getpass.getpass(f"Password for {name}: ")
                if password != getpass.getpass("Again: "):
                    raise CommandError("The two passwords differ; nothing was created.")
            except EOFError:
                raise CommandError(
                    "No password given: type it at the prompt, or set NEWSDESK_PASSWORD."
                ) from None
        try:
            do_create_user(None, name, password, role, email=email, author=profile)
        except NewsdeskError as error:
            details = "; ".join(m for messages in error.fields.values() for m in messages)
            raise CommandError(f"{error.message} {details}".strip()) from None
        linked = f", bylined as {profile.name}" if profile else ""
        self.stdout.write(self.style.SUCCESS(f"Created {role} {name!r}{linked}. Log in at /desk/."))
