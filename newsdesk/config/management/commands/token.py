"""`newsdesk token NAME [--label LABEL]`: make an API token for a user and print it once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsdesk.api.actions import do_create_token, do_revoke_token
from newsdesk.core.errors import NewsdeskError


class Command(BaseCommand):
    help = (
        "Create an API token for a newsroom account and print it. Only a hash is kept, so copy "
        "the token now. --revoke ID stops a token instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="user name the token acts as")
        parser.add_argument("--label", default="", help="what the token is for (default: cli)")
        parser.add_argument("--revoke", type=int, metavar="ID", help="revoke token ID instead")

    def handle(self, *args, name: str, label: str, revoke: int | None, **options):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(
                f"There is no account called {name!r}. Create one with "
                f"`newsdesk createuser {name} --role editor`."
            )
        try:
            if revoke is not None:
                token = do_revoke_token(user, revoke)
                self.stdout.write(f"Revoked token {token.pk} ({token.label}).")
                return
            token, secret = do_create_token(user, label or "cli")
        except NewsdeskError as error:
            raise CommandError(error.message) from None
        self.stderr.write(
            f"Token {token.pk} ({token.label}) for {name}. Send it as "
            "'Authorization: Bearer <token>'; it is shown only this once:"
        )
        self.stdout.write(secret)
