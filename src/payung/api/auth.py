"""Who is calling: a bearer token (scripts, other systems) or the browser's Django session (the web UI).

Tokens are looked up by their SHA-256 (accounts.models.ApiToken); the token itself is never stored.
The session path keeps ninja's CSRF check, so a page on another site cannot write through a logged-in browser.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from payung.accounts.models import ApiToken

# last_used_at is for spotting stale tokens; a write per request would add nothing but load.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(digest=ApiToken.hash(token.strip()))
            .first()
        )
        if found is None or not found.user.is_active:
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
