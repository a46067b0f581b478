"""Filters of the monitoring pages: a dict's value by key, a share in percent."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``{{ labels|get:code }}``: the value for ``key``, or the key itself."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def pct(part, whole) -> str:
    """'87 %' of ``part`` in ``whole``; '—' without a whole."""
    try:
        return f"{round(100 * part / whole)} %" if whole else "—"
    except (TypeError, ValueError):
        return "—"
