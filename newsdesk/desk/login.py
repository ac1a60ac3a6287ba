"""Login that slows password guessing: too many failures per account or per address lock out.

Failures are counted in Django's cache (per process with the default memory cache, shared with
Redis) for `LOGIN_FAILURE_WINDOW` seconds: after `LOGIN_FAILURES_PER_ACCOUNT` failures for one
user name, or `LOGIN_FAILURES_PER_ADDRESS` from one client address, every further attempt is
refused — even with the right password — until the window ends. The desk's login form says so
with the minutes left; the authentication backend refuses too, so the admin login and any other
road into `authenticate()` are held to the same limit.
"""

from __future__ import annotations

import math
import time

from django import forms
from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from newsdesk.cache.outage import or_default


def _address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _keys(username: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    keys = []
    if username:
        keys.append((f"login-fail:user:{username.lower()}", settings.LOGIN_FAILURES_PER_ACCOUNT))
    if _address(request):
        keys.append((f"login-fail:addr:{_address(request)}", settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def seconds_locked(username: str, request: HttpRequest | None) -> int:
    """How long this user name or address must wait before trying again (0: it may try now)."""
    wait = 0
    for key, allowed in _keys(username, request):
        record = or_default(lambda key=key: cache.get(key), None, "checking login failures")
        if record and record["count"] >= allowed:
            wait = max(wait, int(record["until"] - time.time()))
    return max(wait, 0)


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed attempts; try again in {minutes} {unit}. "
        "If you forgot your password, ask an admin to set a new one."
    )


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    window = settings.LOGIN_FAILURE_WINDOW

    def count(key: str) -> None:
        record = cache.get(key) or {"count": 0, "until": time.time() + window}
        record["count"] += 1
        cache.set(key, record, max(1, int(record["until"] - time.time())))

    for key, _allowed in _keys(credentials.get("username", ""), request):
        or_default(lambda key=key: count(key), None, "counting a login failure")


@receiver(user_logged_in)
def _forget_account_failures(sender, request, user, **kwargs) -> None:
    key = f"login-fail:user:{user.get_username().lower()}"
    or_default(lambda: cache.delete(key), None, "clearing login failures")


class ThrottledBackend(ModelBackend):
    """Django's backend, refusing every attempt while the name or address is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and seconds_locked(username, request):
            raise PermissionDenied(lockout_message(seconds_locked(username, request)))
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledLoginForm(AuthenticationForm):
    """The desk's login form, telling a locked-out person how long to wait."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = seconds_locked(username, self.request)
        if wait:
            raise forms.ValidationError(lockout_message(wait), code="locked_out")
        return super().clean()
