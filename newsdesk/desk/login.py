"""Login that slows password guessing: too many attempts per account or per address lock out.

Every attempt is counted *before* its password is checked (`newsdesk.cache.attempts.reserve`:
atomic in Redis and in the memory cache), so a burst of parallel attempts cannot slip more
guesses past the limit than it allows: of N simultaneous attempts on one account exactly
`LOGIN_FAILURES_PER_ACCOUNT` get their password checked, and the rest are refused — even with the
right password — until `LOGIN_FAILURE_WINDOW` seconds after the first one. The same holds for
`LOGIN_FAILURES_PER_ADDRESS` attempts from one client address (`newsdesk.core.client_address`: the
real client behind a trusted proxy such as the shipped nginx). A successful login gives back its
address attempt and clears the account's count, so only failures add up.

The desk's login form says so with the minutes left; the authentication backend does the
counting, so the admin login and any other road into `authenticate()` are held to the same limit.
While the cache is unreachable attempts are not counted (see `newsdesk/cache/outage.py`).
"""

from __future__ import annotations

import math

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from newsdesk.cache import attempts
from newsdesk.core.client_address import client_address

_WAIT_ATTRIBUTE = "newsdesk_login_wait"


def _account_key(username: str) -> str:
    return f"login-fail:user:{username.lower()}"


def _address_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def _keys(username: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    keys = []
    if username:
        keys.append((_account_key(username), settings.LOGIN_FAILURES_PER_ACCOUNT))
    address = client_address(request)
    if address:
        keys.append((_address_key(address), settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def seconds_locked(username: str, request: HttpRequest | None) -> int:
    """How long this user name or address must wait before trying again (0: it may try now).

    A look only: the attempt itself is counted by `ThrottledBackend`."""
    window = settings.LOGIN_FAILURE_WINDOW
    wait = 0
    for key, allowed in _keys(username, request):
        if attempts.count(key) >= allowed:
            wait = max(wait, attempts.seconds_left(key, window))
    return wait


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed attempts; try again in {minutes} {unit}. "
        "If you forgot your password, ask an admin to set a new one."
    )


def _reserve_attempt(username: str, request: HttpRequest | None) -> int:
    """Count this attempt against the account and the address; the seconds to wait when either
    is past its limit (0: the password may be checked)."""
    window = settings.LOGIN_FAILURE_WINDOW
    wait = 0
    for key, allowed in _keys(username, request):
        number = attempts.reserve(key, window, timed=True)
        if number is not None and number > allowed:
            wait = max(wait, attempts.seconds_left(key, window), 1)
    return wait


@receiver(user_logged_in)
def _forget_account_failures(sender, request, user, **kwargs) -> None:
    attempts.clear(_account_key(user.get_username()))


class ThrottledBackend(ModelBackend):
    """Django's backend, counting every attempt before the password is checked and refusing
    every attempt past the limit for the account or the address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        wait = _reserve_attempt(str(username), request)
        if wait:
            if request is not None:
                setattr(request, _WAIT_ATTRIBUTE, wait)
            raise PermissionDenied(lockout_message(wait))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        address = client_address(request)
        if user is not None and address:
            attempts.release(_address_key(address))  # a success is not a failure
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )


class ThrottledLoginForm(AuthenticationForm):
    """The desk's login form, telling a locked-out person how long to wait."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = seconds_locked(username, self.request)
        if wait:
            raise forms.ValidationError(lockout_message(wait), code="locked_out")
        try:
            return super().clean()
        except forms.ValidationError:
            wait = getattr(self.request, _WAIT_ATTRIBUTE, 0)
            if wait:  # locked by a parallel attempt between the look above and this one
                raise forms.ValidationError(lockout_message(wait), code="locked_out") from None
            raise


class DeskLoginView(LoginView):
    """Django's login view, naming the newsroom: its own context would name the request's host
    ("127.0.0.1:8400", from `get_current_site` without the sites framework) as `site_name`."""

    template_name = "desk/login.html"
    authentication_form = ThrottledLoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}
