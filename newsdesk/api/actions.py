"""Writes for API tokens. The desk's token page (to come) and `newsdesk token` both call these."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from newsdesk.api.models import ApiToken
from newsdesk.core.errors import NotAllowed, NotFound
from newsdesk.core.validation import FieldChecker
from newsdesk.stories import permissions

TOKEN_PREFIX = "nd_"  # noqa: S105  (a visible prefix, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def do_create_token(user, label: str) -> tuple[ApiToken, str]:
    """A new token for `user`, returned with its secret: show the secret once, it is not kept."""
    if not permissions.can_write(user):
        raise NotAllowed("API tokens are for newsroom accounts (contributor, editor or admin).")
    checker = FieldChecker(ApiToken)
    label = checker.text({"label": label}, "label", "Label", required=True)
    checker.raise_if_any("The token could not be created.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, label=label, token_hash=hash_token(secret))
    return token, secret


def do_revoke_token(user, token_id: int) -> ApiToken:
    """Stop a token working at once. People revoke their own tokens; admins anyone's."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise NotFound(f"There is no API token with id {token_id}.")
    if user is not None and token.user_id != user.pk and not permissions.can_manage_people(user):
        raise NotAllowed("You can only revoke your own API tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(secret: str):
    """The active user a token belongs to, or None. Records when the token was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
