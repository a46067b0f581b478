"""Who is calling: a bearer token (scripts, other systems) or the browser's Django session (the web UI).

Tokens are looked up by their SHA-256 (accounts.models.ApiToken); the token itself is never stored.
Guessing is throttled like passwords (django-axes, settings.AXES_*): a wrong token counts as a failed login
of TOKEN_LOGIN from the caller's address; past the limit that address gets 429 for every token, right or not.
The session path keeps ninja's CSRF check, so a page on another site cannot write through a logged-in browser.
"""

from __future__ import annotations

import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from payung.accounts.models import ApiToken

# last_used_at is for spotting stale tokens; a write per request would add nothing but load.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# The "username" token failures are counted under: not a valid username, so no user shares its count.
TOKEN_LOGIN = "<token API>"
TOKEN_CREDENTIALS = {"username": TOKEN_LOGIN}


def _refuse_if_throttled(request: HttpRequest) -> None:
    # One query a token request; AXES_ENABLED, which axes' own hooks obey, turns it off too.
    if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS):
        raise Throttled(wait=None)


def _count_failure(request: HttpRequest) -> None:
    user_login_failed.send(sender=TokenAuth, credentials=TOKEN_CREDENTIALS, request=request)
    # axes flags the request that reaches the limit for its middleware's lockout page; the API answers
    # its own 429 from the next request on, and this one stays a JSON 401.
    request.axes_locked_out = False


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        _refuse_if_throttled(request)
        found = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(digest=ApiToken.hash(token.strip()))
            .first()
        )
        if found is None or not found.user.is_active:
            _count_failure(request)
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class BrowserSession(SessionAuth):
    """The logged-in web user (with CSRF); ninja's SessionAuth returns request.user."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def api_auth() -> list:
    return [TokenAuth(), BrowserSession()]


def require_editor(user) -> None:
    """Call after the object was fetched through the scope: a 403 may only answer for visible records."""
    if not user.can_edit:
        raise PermissionDenied


def require_reviewer(user) -> None:
    if not user.can_review:
        raise PermissionDenied
