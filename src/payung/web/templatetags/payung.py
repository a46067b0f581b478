"""Template filters: how pages write numbers, rupiah, dates, months and times (payung.formats, one style per
language: decision 0018), audit actions in words, field diffs.

    {{ n|angka }}         1.234.567           {{ amount|rupiah }}  Rp 1.234.567 (never broken across lines)
    {{ day|tanggal }}     01-09-1978 / 1 Sep 1978
    {{ month|bulan }}     September 2026      {{ moment|waktu }}   01-09-2026 14:05 (local time)
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from payung import formats
from payung.registry.models import Group, Sex, Status, Unit
from payung.rules.models import Confidence

register = template.Library()


def _lang() -> str:
    return translation.get_language() or "id"


def _local(value):
    """An aware datetime in the site's time zone (WITA); anything else as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def angka(value) -> str:
    """1234567 -> '1.234.567' in Indonesian, '1,234,567' in English; empty for None."""
    return formats.format_number(value, _lang())


def money(value) -> str:
    """'Rp 1.234.567' as plain text, for messages and exports; a negative amount as '-Rp 39.960'."""
    return formats.format_rupiah(value, _lang())


@register.filter
def rupiah(value) -> str:
    """An amount in a page: one unbreakable piece (``.money`` is nowrap), so a narrow column or card never
    shows 'Rp 27.851.9' on one line and '85' on the next. Empty for None, so ``|default:"—"`` works."""
    text = money(value)
    return format_html('<span class="money">{}</span>', text) if text else ""


def _unbroken(text: str) -> str:
    """One piece a line never breaks (a date's hyphens are break opportunities); '' stays ''."""
    return format_html('<span class="nowrap">{}</span>', text) if text else ""


@register.filter
def tanggal(value) -> str:
    """A date (or an ISO date text, e.g. from stored evidence): '01-09-1978' / '1 Sep 1978', never broken
    across lines. Text that is not a date (a value as typed) is shown as it is."""
    return _unbroken(formats.format_date(_local(value), _lang()))


@register.filter
def bulan(value) -> str:
    """The month of a date: 'September 2026'."""
    return formats.format_month(_local(value), _lang())


@register.filter
def waktu(value) -> str:
    """A moment in local time: '01-09-2026 14:05' / '1 Sep 2026 14:05'."""
    if not isinstance(value, dt.datetime):
        return ""
    return _unbroken(formats.format_datetime(_local(value), _lang()))


def action_labels() -> dict[str, str]:
    return {
        "person.create": _("Data dibuat"),
        "person.update": _("Data diubah"),
        "person.view": _("Data lengkap dilihat"),
        "person.status": _("Status diubah"),
        "person.merge": _("Digabung"),
        "engagement.create": _("Penugasan ditambahkan"),
        "engagement.wage": _("Upah diubah"),
        "engagement.transfer": _("Mutasi ke unit lain"),
        "duplicate.merge": _("Duplikat digabung"),
        "duplicate.dismiss": _("Bukan duplikat"),
        "import.commit": _("Diimpor"),
        "import.failed": _("Impor gagal"),
        "duplicates.find": _("Pencarian duplikat"),
        "export": _("Ekspor"),
    }


@register.filter
def action_label(action: str) -> str:
    return action_labels().get(action, action)


HIDDEN_FIELDS = {
    "id",
    "person_id",
    "engagement_id",  # a transfer's new engagement: the unit beside it says where the person went
    "region_id",
    "created_at",
    "updated_at",
    "name_key",
    "sound_first",
    "sound_last",
}


def _field_labels() -> dict[str, str]:
    from payung.web.forms import EngagementForm, PersonForm, StatusForm

    labels = {}
    for form in (PersonForm, EngagementForm, StatusForm):
        labels.update({name: field.label for name, field in form.base_fields.items()})
    labels["village_id"], labels["unit_id"] = labels["village_code"], labels["unit"]
    labels["status"] = _("Status")
    return labels


def _value(field: str, value) -> object:
    """A stored value as people read it: choice labels, dates in the one style, rupiah with separators."""
    if value in (None, ""):
        return ""
    choices = {"sex": Sex.choices, "group": Group.choices, "status": Status.choices}.get(field)
    if choices:
        return dict(choices).get(value, value)
    if field.endswith("date") and isinstance(value, str):
        return formats.format_date(value, _lang())
    if field == "unit_id":
        return Unit.objects.filter(pk=value).values_list("name", flat=True).first() or value
    return angka(value) if field == "monthly_wage" else value


@register.filter
def changes(event) -> list[tuple[str, object, object]]:
    """(label, before, after) for every field an audit event changed, readable, empty values left out."""
    before, after = event.before or {}, event.after or {}
    labels = _field_labels()
    rows = []
    for key in sorted(set(before) | set(after)):
        if key in HIDDEN_FIELDS or not isinstance(before.get(key, ""), str | int | None):
            continue
        old, new = _value(key, before.get(key)), _value(key, after.get(key))
        if old != new:
            rows.append((labels.get(key, key), old, new))
    return rows


LONG_CHOICE = 30  # characters: a select in one 260-px grid column cuts a longer option


@register.filter
def long_choices(field) -> bool:
    """Whether a select field has an option too long for one column of the form grid."""
    choices = getattr(field.field, "choices", None)
    return choices is not None and any(len(str(label)) > LONG_CHOICE for _, label in choices)


@register.filter
def confidence_label(code: str) -> str:
    """A rule version's confidence mark in words: 'R' -> 'Teks peraturan'."""
    return dict(Confidence.choices).get(code, code)


@register.filter
def status_label(value: str) -> str:
    """Person.status carries no choices (it follows StatusChange); show it in words all the same."""
    return dict(Status.choices).get(value, value)
