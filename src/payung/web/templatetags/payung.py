"""Template filters: numbers the Indonesian way (1.234.567), audit actions in words, field diffs."""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal
from django import template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from payung.registry.models import Group, Sex, Status, Unit

register = template.Library()


@register.filter
def angka(value) -> str:
    """1234567 -> '1.234.567' in Indonesian, '1,234,567' in English; empty for None."""
    if value is None or value == "":
        return ""
    lang = "en" if (translation.get_language() or "id").startswith("en") else "id"
    return format_decimal(value, locale=lang)


def money(value, space: str = " ") -> str:
    """Rp 1.234.567; a negative amount as -Rp 39.960 (the sign before the currency, as in exports)."""
    if value is None or value == "":
        return ""
    return f"{'-' if value < 0 else ''}Rp{space}{angka(abs(value))}"


@register.filter
def rupiah(value) -> str:
    return money(value)


def action_labels() -> dict[str, str]:
    return {
        "person.create": _("Data dibuat"),
        "person.update": _("Data diubah"),
        "person.view": _("Data lengkap dilihat"),
        "person.status": _("Status diubah"),
        "person.merge": _("Digabung"),
        "engagement.create": _("Penugasan ditambahkan"),
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
    """A stored value as people read it: choice labels, dates as 30 Apr 1985, rupiah with separators."""
    if value in (None, ""):
        return ""
    choices = {"sex": Sex.choices, "group": Group.choices, "status": Status.choices}.get(field)
    if choices:
        return dict(choices).get(value, value)
    if field.endswith("date") and isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value[:10]), "j M Y")
        except ValueError:
            return value
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


@register.filter
def status_label(value: str) -> str:
    """Person.status carries no choices (it follows StatusChange); show it in words all the same."""
    return dict(Status.choices).get(value, value)
