"""`newsdesk createuser NAME --role contributor|editor|admin`."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from newsdesk.config import env
from newsdesk.core.errors import NewsdeskError
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

    def handle(self, *args, name: str, role: str, email: str, **options):
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
            do_create_user(None, name, password, role, email=email)
        except NewsdeskError as error:
            details = "; ".join(m for messages in error.fields.values() for m in messages)
            raise CommandError(f"{error.message} {details}".strip()) from None
        self.stdout.write(self.style.SUCCESS(f"Created {role} {name!r}. Log in at /desk/."))
