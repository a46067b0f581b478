"""Template filters: numbers the Indonesian way (1.234.567), audit actions in words, field diffs."""

from __future__ import annotations

from babel.numbers import format_decimal
from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from payung.registry.models import Status

register = template.Library()


@register.filter
def angka(value) -> str:
    """1234567 -> '1.234.567' in Indonesian, '1,234,567' in English; empty for None."""
    if value is None or value == "":
        return ""
    lang = "en" if (translation.get_language() or "id").startswith("en") else "id"
    return format_decimal(value, locale=lang)


@register.filter
def rupiah(value) -> str:
    return "" if value is None else f"Rp {angka(value)}"


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
        "export": _("Ekspor"),
    }


@register.filter
def action_label(action: str) -> str:
    return action_labels().get(action, action)


@register.filter
def changes(event) -> list[tuple[str, object, object]]:
    """(field, before, after) for every key an audit event touched, in a stable order."""
    before, after = event.before or {}, event.after or {}
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys if k not in {"id", "updated_at"}]


@register.filter
def status_label(value: str) -> str:
    """Person.status carries no choices (it follows StatusChange); show it in words all the same."""
    return dict(Status.choices).get(value, value)
