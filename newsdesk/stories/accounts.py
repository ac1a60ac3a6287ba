"""Writes for people: newsroom accounts and their roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from newsdesk.core.errors import InvalidInput, NotAllowed
from newsdesk.core.validation import FieldChecker
from newsdesk.stories import permissions
from newsdesk.stories.models import Author
from newsdesk.stories.roles import ADMIN, ROLES, ensure_roles


def do_create_user(
    actor,
    username: str,
    password: str,
    role: str,
    *,
    email: str = "",
    author: Author | None = None,
) -> object:
    """A new account with one role. `actor` None means the server's own command line, which may
    do anything; otherwise the actor must be allowed to manage people."""
    if actor is not None and not permissions.can_manage_people(actor):
        raise NotAllowed("Only admins can create accounts.")
    User = get_user_model()
    checker = FieldChecker(User)
    username = checker.text({"username": username}, "username", "User name", required=True)
    if role not in ROLES:
        checker.add("role", f"Role must be one of: {', '.join(ROLES)}.")
    if username and User.objects.filter(username__iexact=username).exists():
        checker.add("username", f"There is already an account called {username!r}.")
    if author is not None and author.user_id is not None:
        checker.add(
            "author",
            f"The author profile {author.name!r} is already linked to another account. Unlink "
            "it in the desk (Authors) first, or choose another profile.",
        )
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        for message in error.messages:
            checker.add("password", message)
    checker.raise_if_any("The account could not be created.")
    with transaction.atomic():
        ensure_roles()
        user = User.objects.create_user(username=username, email=email, password=password)
        user.groups.add(Group.objects.get(name=role))
        if role == ADMIN:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if author is not None:
            author.user = user
            author.save(update_fields=["user"])
    return user


def do_set_password(actor, user, password: str) -> None:
    if actor is not None and actor != user and not permissions.can_manage_people(actor):
        raise NotAllowed("Only admins can set another person's password.")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), fields={"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])


def do_set_desk_language(user, language: str):
    """The language the desk speaks to this person (empty: the site's own), one of the site's
    `LANGUAGES`. Anyone at the desk sets their own; nobody sets another person's."""
    from newsdesk.stories.models import DeskPreference
    from newsdesk.stories.translations import language_codes

    if not permissions.can_write(user):
        raise NotAllowed("You need a newsroom account to choose the desk's language.")
    language = (language or "").strip()
    if language and language not in language_codes():
        message = f"Choose one of the site's languages: {', '.join(language_codes())}."
        raise InvalidInput(message, fields={"language": [message]})
    with transaction.atomic():
        preference, _ = DeskPreference.objects.update_or_create(
            user=user, defaults={"language": language}
        )
    return preference
