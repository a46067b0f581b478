"""The budget's pricing is the bills' calculator month by month: equal to single quotes added up, and to
the sum of the twelve bills of the same people (tests/budget/test_bills_equal.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.budget import pricing
from payung.budget.pricing import Assumptions, Growth, Part, PricingError
from payung.contributions.calculator import PROGRAMS, quote
from payung.rules.loader import shipped_book

BOOK = shipped_book()


def roster(*rows) -> pl.DataFrame:
    """rows of (unit, basis, people)."""
    units, bases, people = zip(*rows, strict=True)
    columns = {"unit_id": list(range(1, len(rows) + 1)), "unit": units, "village": units, "basis": bases}
    return pl.DataFrame(columns | {"people": people}, schema=pricing.ROSTER)


ROWS = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(1, 10**11), st.integers(1, 50)),
                min_size=1, max_size=5)  # fmt: skip


@st.composite
def cases(draw):
    category = draw(st.sampled_from(["pu", "bpu"]))
    programs = tuple(draw(st.lists(st.sampled_from(pricing.BUDGET_PROGRAMS), min_size=1, unique=True)))
    return {
        "category": category,
        "programs": pricing.programs_of(programs),
        "rows": draw(ROWS),
        "year": draw(st.integers(2016, 2026)),
        "jkk_class": draw(st.integers(1, 5)),
        "shares": draw(st.sampled_from(pricing.SHARES)),
        "region": draw(st.sampled_from(["", "5371", "5303"])),
    }


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_a_year_is_the_sum_of_single_quotes_month_by_month(case):
    part = Part("g", case["category"], case["programs"], "apbd", roster(*case["rows"]))
    assumptions = Assumptions(case["year"], case["region"], case["jkk_class"], case["shares"])
    priced = pricing.price(BOOK, [part], assumptions)
    available = [p for p in case["programs"] if p in PROGRAMS[case["category"]]]
    months = []
    for month in range(1, 13):
        total = 0
        for _, basis, people in case["rows"] if available else []:
            on = dt.date(case["year"], month, 1)
            q = quote(BOOK, category=case["category"], amount=basis, programs=available, on=on,
                      jkk_class=case["jkk_class"], region=case["region"])  # fmt: skip
            paid_all = case["category"] == "bpu" or case["shares"] == "all"
            total += people * (q.total if paid_all else q.employer)
        months.append(total)
    assert priced.months() == months
    assert priced.total == sum(months)
    assert sum(priced.by("program").values()) == priced.total == sum(priced.by("unit").values())


def test_ttu_pekerja_rentan_are_14880_times_the_bpu_package_times_12():
    part = Part("rentan", "bpu", ("JKK", "JKM"), "apbd", roster(("Desa A", 1_000_000, 14_880)))
    priced = pricing.price(BOOK, [part], Assumptions(2027, "5303"))
    assert priced.months() == [14_880 * 16_800] * 12
    assert priced.total == 2_999_808_000
    assert priced.people() == {"rentan": 14_880}


def test_the_jp_cap_rises_in_march_within_the_year():
    part = Part("non_asn", "pu", ("JP",), "apbd", roster(("DLHK", 20_000_000, 1)))
    months = pricing.price(BOOK, [part], Assumptions(2025, "5371", shares="all")).months()
    assert months[0] == 301_269  # 2 % + 1 % of the cap Rp 10,042,300
    assert months[2] == 316_422  # of Rp 10,547,400 from March
    assert len(set(months[2:])) == 1


def test_growth_wages_and_umk_assumptions():
    base = roster(("DLHK", 2_000_000, 10))
    part = Part("non_asn", "pu", ("JKK", "JKM"), "apbd", base, growth=(Growth(7, 5),))
    priced = pricing.price(BOOK, [part], Assumptions(2027, "5371", jkk_class=1, wage_percent=Decimal(10),
                                                     wage_from=4, umk=2_500_000, umk_from=10))  # fmt: skip
    per_person = {1: 10_800, 4: 11_880, 10: 13_500}  # 0.54 % of 2.0 M, 2.2 M, then the UMK 2.5 M
    assert priced.months()[0] == 10 * per_person[1]
    assert priced.months()[3] == 10 * per_person[4]
    assert priced.months()[6] == 15 * per_person[4]
    assert priced.months()[9] == 15 * per_person[10]
    assert priced.people(7) == {"non_asn": 15}


def test_village_paid_parts_are_shared_per_village():
    rows = roster(("Desa A", 2_000_000, 3), ("Desa B", 2_000_000, 2))
    part = Part("perangkat", "pu", ("JKK", "JKM"), "dana_desa", rows, village_paid=True)
    priced = pricing.price(BOOK, [part], Assumptions(2027, "5303", jkk_class=1))
    assert priced.by("village", drop_null=True) == {"Desa A": 3 * 10_800 * 12, "Desa B": 2 * 10_800 * 12}


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: pricing.programs_of("jkk,jkx"), "unknown_program"),
        (
            lambda: pricing.price(
                BOOK, [Part("g", "pu", ("JKM",), "apbd", roster(("A", 1, 1)))], Assumptions(2010)
            ),
            "rule_missing",
        ),  # fmt: skip
        (
            lambda: pricing.price(
                BOOK,
                [Part("g", "pu", ("JKM",), "apbd", roster(("A", 10, 2)), growth=(Growth(3, -2),))],
                Assumptions(2027),
            ),
            "empties",
        ),
        (
            lambda: pricing.price(
                BOOK,
                [Part("g", "pu", ("JKM",), "apbd", roster(("A", 10, 2)))],
                Assumptions(2027, wage_percent=Decimal(-100)),
            ),
            "wage",
        ),
        (
            lambda: pricing.price(
                BOOK,
                [Part("g", "pu", ("JKM",), "apbd", roster(("A", 10**11, 2)))],
                Assumptions(2027, wage_percent=Decimal(1000)),
            ),
            "wage",
        ),
        (
            lambda: pricing.price(
                BOOK, [Part("g", "pu", ("JKK",), "apbd", roster(("A", 10, 2)))], Assumptions(2027)
            ),
            "jkk_class_missing",
        ),
        (lambda: pricing.percent_of("lima"), "percent"),
    ],
)
def test_bad_input_is_refused_with_a_message(make, code):
    with pytest.raises(PricingError) as refused:
        make()
    assert refused.value.code == code
    assert refused.value.text("id") and refused.value.text("en")
