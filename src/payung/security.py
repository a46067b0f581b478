"""Request-level defences settings.py names: the Content-Security-Policy header and the client's address.

Django 5.2 has no CSP of its own (6.0 adds one). Payung's pages load only their own static files, with no
inline script or style, so one fixed policy (settings.PAYUNG_CONTENT_SECURITY_POLICY) fits every page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PAYUNG_CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The address the login and token throttles count by: behind a reverse proxy, the header the proxy
    sets (settings.PAYUNG_CLIENT_IP_HEADER, e.g. X-Real-IP); otherwise the connection's peer."""
    header = settings.PAYUNG_CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
