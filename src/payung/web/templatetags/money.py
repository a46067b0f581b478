"""Template filters for money pages: a payment status as a coloured badge class."""

from __future__ import annotations

from django import template

register = template.Library()

BADGES = {"paid": "st-active", "partial": "st-warning", "unpaid": "st-ended", "overdue": "st-error"}


@register.filter
def badge(status: str) -> str:
    """'paid' -> 'st-active' (green), 'overdue' -> 'st-error' (red), ..."""
    return BADGES.get(status, "")
