"""Template filters for money pages: a payment status as a coloured badge class."""

from __future__ import annotations

from django import template

from payung.web.templatetags.payung import rupiah

register = template.Library()

BADGES = {
    "paid": "st-active",
    "partial": "st-warning",
    "unpaid": "st-ended",
    "overdue": "st-error",
    "credit": "st-open",
}


@register.filter
def badge(status: str) -> str:
    """'paid' -> 'st-active' (green), 'overdue' -> 'st-error' (red), ..."""
    return BADGES.get(status, "")


# The money pages' older name of the one rupiah filter (payung.rupiah); new templates use ``rupiah``.
register.filter("uang", rupiah)
