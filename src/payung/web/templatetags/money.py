"""Template filters for money pages: a payment status as a coloured badge class."""

from __future__ import annotations

from django import template

from payung.web.templatetags.payung import money

register = template.Library()

BADGES = {"paid": "st-active", "partial": "st-warning", "unpaid": "st-ended", "overdue": "st-error"}


@register.filter
def badge(status: str) -> str:
    """'paid' -> 'st-active' (green), 'overdue' -> 'st-error' (red), ..."""
    return BADGES.get(status, "")


@register.filter
def uang(value) -> str:
    """Rp 1.234.567 with a non-breaking space, so a narrow column never splits 'Rp' from the number."""
    return money(value, "\u00a0")
