"""The breakdown tables of the budget pages (per program, source, group, unit, village), one column per
scenario.

A kabupaten has a couple of hundred villages and as many units: listed in full, the per-unit and per-village
tables made the TTU comparison 18,600 px tall (85,000 px on a phone). They are folded: the ``TOP`` costliest
rows, then one "the other n villages" row (so the table still adds up to the total), and the whole list by
name in a closed ``<details>`` (compact, not phone cards) — every village's figure for its APBDes stays one
click away, and in the scenario's XLSX (a sheet per village).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from payung.budget import pricing, queries
from payung.coverage.models import FundingSource
from payung.registry.models import Group

TOP = 10  # rows of a long table shown before the fold
LONG = ("unit", "village")


def tables(priced: list[pricing.Priced]) -> list[dict]:
    names = {"program": _("Per program"), "source": _("Per sumber dana"), "part": _("Per kelompok"),
             "unit": _("Per unit"), "village": _("Per desa (bagian dana desa)")}  # fmt: skip
    shown = {"source": dict(FundingSource.choices), "part": _group_names()}
    found = []
    for key, title in names.items():
        rows = queries.compare(priced, key, drop_null=key == "village")
        for row in rows:
            row["label"] = shown.get(key, {}).get(row["key"], row["key"])
            row["change"] = _change(row["amounts"])
        if rows:
            table = {"key": key, "title": title, "rows": rows, "rest": None, "all": None}
            found.append(_fold(table) if key in LONG and len(rows) > TOP + 1 else table)
    return found


def _group_names() -> dict[str, str]:
    """A part named after its registry group keeps the group's name as it was when the scenario was made, in
    that user's language; shown in this page's language. A name the user typed stays as typed."""
    names = {}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(label): value for value, label in Group.choices})
    return {stored: str(Group(value).label) for stored, value in names.items()}


def _change(amounts: list[int]) -> int | None:
    return amounts[-1] - amounts[0] if len(amounts) > 1 else None


def _fold(table: dict) -> dict:
    """The TOP costliest rows (planned people always shown), the others summed in one row, all in ``all``."""
    rows = table["rows"]
    planned = [r for r in rows if r["key"] is None]
    named = sorted((r for r in rows if r["key"] is not None), key=lambda r: (-max(r["amounts"]), r["key"]))
    shown, others = named[:TOP], named[TOP:]
    amounts = [sum(column) for column in zip(*(r["amounts"] for r in others), strict=True)]
    if table["key"] == "village":
        label = ngettext("%(n)s desa lainnya", "%(n)s desa lainnya", len(others)) % {"n": len(others)}
        everything = ngettext("Semua %(n)s desa", "Semua %(n)s desa", len(named)) % {"n": len(named)}
    else:
        label = ngettext("%(n)s unit lainnya", "%(n)s unit lainnya", len(others)) % {"n": len(others)}
        everything = ngettext("Semua %(n)s unit", "Semua %(n)s unit", len(named)) % {"n": len(named)}
    return table | {
        "rows": shown + planned,
        "rest": {"label": label, "amounts": amounts, "change": _change(amounts)},
        "all": sorted(named, key=lambda r: r["key"]) + planned,
        "everything": everything,
    }
