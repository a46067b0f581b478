"""Optimistic locking (decision 0013): an edit is saved only over the version of the record its user read.

Versioned models carry ``version``; every write of such a row takes the next version with ``claim`` (the
bulk paths add one in their own UPDATE). Whoever saved in between is read from the audit trail, so the
second editor learns who changed the record and when.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from payung import formats
from payung.audit.models import AuditEvent


class Conflict(Exception):
    """The record was saved by someone else after the user read it; nothing was written."""

    def __init__(self, instance: models.Model):
        super().__init__(f"{instance._meta.label} {instance.pk} changed")
        self.event = _last_change(instance)

    def who_and_when(self) -> str:
        """The first sentence: who changed the record and when, if the trail tells."""
        actor = self.event.actor if self.event else None
        if actor is None:
            return _("Data ini sudah diubah orang lain setelah Anda membukanya.")
        return _("Data ini sudah diubah oleh %(who)s pada %(when)s setelah Anda membukanya.") % {
            "who": actor.get_full_name() or actor.get_username(),
            "when": formats.format_datetime(timezone.localtime(self.event.at), get_language()),
        }

    def for_form(self) -> str:
        what_now = _("Periksa nilai terbaru di bawah lalu simpan lagi.")
        return f"{self.who_and_when()} {what_now}"

    def for_api(self) -> str:
        what_now = _("Baca ulang datanya lalu kirim lagi dengan versi terbaru.")
        return f"{self.who_and_when()} {what_now}"


def _last_change(instance: models.Model) -> AuditEvent | None:
    events = AuditEvent.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    return events.exclude(action__endswith=".view").select_related("actor").first()


def claim(instance: models.Model, version: int | None, **still) -> None:
    """Take the next version of ``instance``'s row if it is still at ``version`` (None: at any version)
    and matches ``still``; else raise Conflict. One conditional UPDATE, not a read-then-compare: of two
    writers holding the same version one wins, the other waits on the row lock and then finds it moved
    on. Call inside the writing transaction, before writing; ``instance.version`` becomes the new one."""
    manager = type(instance)._default_manager
    rows = manager.filter(pk=instance.pk, **still)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise Conflict(instance)
    instance.version = manager.values_list("version", flat=True).get(pk=instance.pk)
