"""The one way to leave a trail. Writes call ``record`` inside their own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from payung.audit.models import AuditEvent


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe copy of a row's concrete fields (dates as ISO text), for before/after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def difference(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose values changed, before and after (both empty: nothing changed, nothing to write)."""
    changed = [k for k in after if after[k] != before.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def stored_user(user):
    """The user to store as who did something: None for the system (a CLI run or the demo without a user,
    an anonymous request), whose "user" is not a saved row."""
    return user if getattr(user, "pk", None) else None


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    channel: str = "web",
) -> AuditEvent:
    """Record what ``actor`` did. ``obj`` fills type, id and region when given."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        region_code = region_code or str(getattr(obj, "region_id", "") or "")
    return AuditEvent.objects.create(
        actor=stored_user(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
        channel=channel,
    )
