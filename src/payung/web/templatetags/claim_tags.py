"""Template helpers of the claim pages: badges and words for verdicts, states and deadlines, and a person's
claims on the person page (fetched from the template, so that page's view stays the registry's)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from payung.claims import queries, words
from payung.claims.models import Claim

register = template.Library()


@register.filter
def verdict_badge(verdict: str) -> str:
    return queries.VERDICT_BADGES.get(verdict, "")


@register.filter
def verdict_label(verdict: str) -> str:
    labels = {
        "protected": _("Terlindungi"),
        "at_risk": _("Berisiko"),
        "not_protected": _("Tidak terlindungi"),
    }
    return labels.get(verdict, "—")


@register.filter
def state_badge(state: str) -> str:
    return queries.STATE_BADGES.get(state, "")


@register.filter
def deadline_label(code: str) -> str:
    return {
        "report_1": _("Laporan kecelakaan tahap I"),
        "report_2": _("Laporan kecelakaan tahap II"),
        "expiry": _("Batas akhir menuntut JKK"),
        "payment": _("BPJS membayar paling lambat"),
    }.get(code, code)


@register.filter
def deadline_text(pair) -> str:
    """'Laporan kecelakaan tahap I: paling lambat 12 Mei 2025 08.00 (lewat)' from a (deadline, state)."""
    deadline, state = pair
    when = timezone.localtime(deadline.due)
    if deadline.code.startswith("report"):
        day = date_format(when, "j M Y H:i")
    else:  # a payment deadline is the start of the day after BPJS's last day
        day = date_format(when - dt.timedelta(days=1) if deadline.code == "payment" else when, "j M Y")
    words = {"late": _("sudah lewat"), "soon": _("segera"), "done": _("selesai"), "open": ""}[state]
    return f"{deadline_label(deadline.code)}: {day}" + (f" ({words})" if words else "")


@register.filter
def level_label(code: str) -> str:
    """A school level of the scholarship table in words ('smp' -> 'SMP/sederajat')."""
    if code not in words.LEVEL_LABELS:
        return _("Beasiswa sekaligus") if code == "lump_sum" else code
    return words.label(code, translation.get_language() or "id", words.LEVEL_LABELS)


@register.simple_tag
def claims_of(person) -> list[Claim]:
    return list(Claim.objects.filter(person=person).select_related("event").order_by("-event__occurred_on"))
