"""The budget pages' breakdowns: a kabupaten's couple of hundred villages are folded under the costliest
ones, and the folded table still adds up to the total."""

from __future__ import annotations

import polars as pl
from django.utils import translation

from payung.budget import pricing
from payung.web import budget_tables


def priced(villages: int, extra: int = 0) -> pricing.Priced:
    """One month of ``villages`` village-paid units costing 1,000 x their number (+ ``extra`` each), and
    planned people (no unit)."""
    rows = [
        {"month": 1, "program": "JKK", "part": "desa", "source": "dana_desa", "unit_id": n,
         "unit": f"Desa {n:03d}", "village": f"{n:03d}", "people": 1, "amount": 1_000 * n + extra}
        for n in range(1, villages + 1)
    ] + [{"month": 1, "program": "JKK", "part": "guru", "source": "apbd", "unit_id": None, "unit": None,
          "village": None, "people": 5, "amount": 7}]  # fmt: skip
    return pricing.Priced(pl.DataFrame(rows, schema=pricing.LINE), 2027)


def test_two_hundred_villages_fold_under_the_ten_costliest_and_still_add_up():
    before, after = priced(200), priced(200, extra=5)
    tables = {t["key"]: t for t in budget_tables.tables([before, after])}
    village, unit = tables["village"], tables["unit"]
    assert [r["key"] for r in village["rows"]] == [f"{n:03d}" for n in range(200, 190, -1)]
    assert village["rest"]["label"] == "190 desa lainnya"
    for column, scenario in enumerate((before, after)):
        shown = sum(r["amounts"][column] for r in village["rows"]) + village["rest"]["amounts"][column]
        assert shown == scenario.total - 7
    assert village["rest"]["change"] == 190 * 5
    assert [r["key"] for r in village["all"]] == [f"{n:03d}" for n in range(1, 201)]  # by name, all
    assert unit["rows"][-1]["key"] is None and len(unit["rows"]) == 11  # planned people always shown
    assert len(unit["all"]) == 201


def test_a_short_table_is_not_folded():
    tables = {t["key"]: t for t in budget_tables.tables([priced(11)])}
    assert len(tables["village"]["rows"]) == 11 and tables["village"]["rest"] is None
    assert tables["village"]["all"] is None


def test_a_part_named_after_its_group_shows_in_the_page_language():
    """Parts made from registry groups are stored with the group's name in their maker's language."""
    rows = [
        {"month": 1, "program": "JKK", "part": part, "source": "apbd", "unit_id": None, "unit": None,
         "village": None, "people": 1, "amount": 10}
        for part in ("Perangkat desa", "Vulnerable worker", "Guru honorer SD Negeri 1")
    ]  # fmt: skip
    scenario = pricing.Priced(pl.DataFrame(rows, schema=pricing.LINE), 2027)
    with translation.override("en"):
        (parts,) = [t for t in budget_tables.tables([scenario]) if t["key"] == "part"]
        assert sorted(r["label"] for r in parts["rows"]) == [
            "Guru honorer SD Negeri 1",  # typed by a user: as typed
            "Village official",
            "Vulnerable worker",
        ]
    with translation.override("id"):
        (parts,) = [t for t in budget_tables.tables([scenario]) if t["key"] == "part"]
        assert "Pekerja rentan" in {r["label"] for r in parts["rows"]}
