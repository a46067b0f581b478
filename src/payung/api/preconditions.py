"""Optimistic locking over HTTP (decision 0013). A read gives the record's version, as ``ETag`` and as
``version`` in the body; a write names the version it started from, in ``If-Match`` or a ``version``
field. A stale one is a 409 (audit.locking.Conflict, answered in api.errors) saying who changed the record.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from payung.registry.services import ValidationFailed

_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')  # "3"; W/"3" and a bare 3 are taken too


def tag(response: HttpResponse, version: int) -> None:
    """Say which version ``response`` shows, for the client's next If-Match."""
    response["ETag"] = f'"{version}"'


def read_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client read, from If-Match or the body (they must agree); None if it sent neither."""
    header = request.headers.get("If-Match")
    if header is None:
        return body_version
    found = _TAG.match(header)
    if found is None:
        raise ValidationFailed({"If-Match": [_('If-Match harus berisi ETag dari GET, mis. "3".')]})
    version = int(found.group(1))
    if body_version is not None and body_version != version:
        raise ValidationFailed({"version": [_("If-Match dan kolom version menyebut versi yang berbeda.")]})
    return version


def required_text() -> str:
    """428: an edit that names no version could silently undo a change its client never saw."""
    return _("Sertakan versi data yang Anda baca: header If-Match dengan ETag dari GET, atau kolom version.")
