"""The calculator against the contribution tables of the project's domain notes, and its properties."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.contributions import calculator
from payung.contributions.calculator import QuoteError, quote, share
from payung.rules import loader

ON = dt.date(2023, 5, 1)


BOOK = loader.shipped_book()


def pu(wage: int, programs: str, on: dt.date = ON, jkk_class: int | None = 1, region: str = ""):
    return quote(
        BOOK,
        category="pu",
        amount=wage,
        programs=programs.split(","),
        on=on,
        jkk_class=jkk_class,
        region=region,
    )


# ------------------------------------------------------------------ the domain notes' tables
@pytest.mark.parametrize(
    ("jkk_class", "percent"), [(1, "0.24"), (2, "0.54"), (3, "0.89"), (4, "1.27"), (5, "1.74")]
)
def test_jkk_rate_per_risk_class(jkk_class, percent):
    line = pu(10_000_000, "JKK", jkk_class=jkk_class).lines[0]
    assert (line.employer, line.worker) == (int(Decimal(percent) * 100_000), 0)


def test_kupang_agreement_jkk_024_and_jkm_030():
    result = pu(2_500_000, "jkk,jkm")
    assert [(line.program, line.employer) for line in result.lines] == [("JKK", 6_000), ("JKM", 7_500)]
    assert result.total == 13_500 and result.worker == 0


def test_jht_is_37_employer_and_2_worker():
    line = pu(4_000_000, "JHT").lines[0]
    assert (line.employer, line.worker, line.total) == (148_000, 80_000, 228_000)


JP_CAPS = [  # (from, cap): the domain notes' yearly JP wage caps
    ("2015-07-01", 7_000_000),
    ("2016-03-01", 7_335_300),
    ("2017-03-01", 7_703_500),
    ("2018-03-01", 8_094_000),
    ("2019-03-01", 8_512_400),
    ("2020-03-01", 8_939_700),
    ("2021-03-01", 8_754_600),
    ("2022-03-01", 9_077_600),
    ("2023-03-01", 9_559_600),
    ("2024-03-01", 10_042_300),
    ("2025-03-01", 10_547_400),
    ("2026-03-01", 11_086_300),
]


@pytest.mark.parametrize(("since", "cap"), JP_CAPS)
def test_jp_is_2_plus_1_percent_of_the_wage_up_to_that_years_cap(since, cap):
    since = dt.date.fromisoformat(since)
    above = pu(50_000_000, "JP", on=since).lines[0]
    assert (above.basis, above.employer, above.worker) == (
        cap,
        share(cap, Decimal(2)),
        share(cap, Decimal(1)),
    )
    below = pu(3_000_000, "JP", on=since).lines[0]
    assert (below.employer, below.worker) == (60_000, 30_000)


def test_the_day_before_a_new_cap_still_uses_the_old_one():
    assert pu(50_000_000, "JP", on=dt.date(2024, 2, 29)).lines[0].basis == 9_559_600


def test_bpu_minimum_package_is_16800_and_36800_with_jht():
    package = quote(BOOK, category="bpu", amount=1_000_000, programs=["JKK", "JKM"], on=dt.date(2025, 7, 1))
    assert [(line.program, line.worker) for line in package.lines] == [("JKK", 10_000), ("JKM", 6_800)]
    assert package.total == 16_800 and package.employer == 0
    with_jht = quote(BOOK, category="bpu", amount=1_000_000, programs=["JKK", "JKM", "JHT"], on=ON)
    assert with_jht.total == 36_800


def test_bpu_jkk_never_below_its_minimum():
    assert quote(BOOK, category="bpu", amount=300_000, programs=["JKK"], on=ON).lines[0].worker == 10_000


def test_jkn_is_4_plus_1_percent_between_floor_and_cap():
    capped = pu(20_000_000, "JKN").lines[0]
    assert (capped.basis, capped.employer, capped.worker) == (12_000_000, 480_000, 120_000)
    floored = pu(1_500_000, "JKN", region="5371").lines[0]  # NTT's 2023 minimum wage is the floor
    assert (floored.basis, floored.employer, floored.worker) == (2_123_994, 84_960, 21_240)
    assert pu(1_500_000, "JKN").lines[0].basis == 1_500_000  # no national floor


def test_jkp_is_shown_as_paid_by_government_and_never_billed():
    line = pu(5_000_000, "JKP").lines[0]
    assert (line.government, line.total) == (18_000, 0)


def test_jkm_death_benefit_adds_up_to_42_million():
    keys = ("benefit.jkm.lump_sum", "benefit.jkm.periodic", "benefit.jkm.funeral")
    assert sum(BOOK.at(key, dt.date(2023, 5, 1)).value for key in keys) == 42_000_000


def test_every_line_names_the_versions_and_sources_it_used():
    line = pu(20_000_000, "JP").lines[0]
    used = {v["key"]: v for v in line.as_dict()["rules"]}
    assert set(used) == {"pu.jp.employer", "pu.jp.worker", "pu.jp.wage_cap"}
    assert (
        used["pu.jp.wage_cap"]["effective_from"] == "2023-03-01"
        and "PP 45/2015" in used["pu.jp.employer"]["source"]
    )


# ------------------------------------------------------------------ bad input
BAD_INPUT = [
    ({"amount": 0}, "amount"),
    ({"amount": -5}, "amount"),
    ({"amount": 10**12}, "amount"),
    ({"amount": 2.5}, "amount"),
    ({"category": "x"}, "category"),
    ({"programs": []}, "no_programs"),
    ({"programs": ["JKX"]}, "program"),
    ({"jkk_class": None}, "jkk_class_missing"),
    ({"jkk_class": 6}, "jkk_class"),
    ({"on": dt.date(2014, 1, 1)}, "rule_missing"),
]


@pytest.mark.parametrize(("kwargs", "code"), BAD_INPUT)
def test_bad_input_is_refused_with_a_reason(kwargs, code):
    args = {
        "category": "pu",
        "amount": 2_500_000,
        "programs": ["JKK", "JP"],
        "on": ON,
        "jkk_class": 1,
    } | kwargs
    with pytest.raises(QuoteError) as refused:
        quote(BOOK, **args)
    assert refused.value.code == code and refused.value.text("id") and refused.value.text("en")


def test_a_date_before_the_program_says_when_it_started():
    with pytest.raises(QuoteError) as refused:
        pu(2_500_000, "JP", on=dt.date(2015, 6, 30))
    assert "01-07-2015" in refused.value.text("id") and "berlaku sejak" in refused.value.text("id")
    assert "in force from 1 Jul 2015" in refused.value.text("en")


def test_bpu_has_no_pension():
    with pytest.raises(QuoteError, match="program"):
        quote(BOOK, category="bpu", amount=1_000_000, programs=["JP"], on=ON)


# ------------------------------------------------------------------ properties
@given(st.integers(0, 10**12), st.decimals(min_value=0, max_value=100, places=4))
def test_share_is_the_half_up_rounding_of_the_exact_product(amount, percent):
    exact = (Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert share(amount, percent) == int(exact)


WAGES = st.integers(1, 10**12 - 1)
DATES = st.dates(dt.date(2021, 2, 2), dt.date(2027, 12, 31))  # every program exists (JKP since 2021)
PU_PROGRAMS = st.lists(st.sampled_from(["JKK", "JKM", "JHT", "JP", "JKN", "JKP"]), min_size=1, unique=True)


@given(WAGES, DATES, PU_PROGRAMS, st.integers(1, 5))
def test_a_quote_adds_up_and_never_charges_beyond_the_caps(wage, on, programs, jkk_class):
    result = pu(wage, ",".join(programs), on=on, jkk_class=jkk_class, region="5371")
    assert result.total == sum(line.employer + line.worker for line in result.lines)
    for line in result.lines:
        assert min(line.employer, line.worker, line.government) >= 0
        if line.program == "JP":
            assert line.basis <= BOOK.at("pu.jp.wage_cap", on).value


@given(WAGES, WAGES, DATES)
def test_more_wage_never_costs_less(low, high, on):
    low, high = sorted((low, high))
    assert pu(low, "JKK,JKM,JHT,JP,JKN", on=on).total <= pu(high, "JKK,JKM,JHT,JP,JKN", on=on).total


@settings(max_examples=50)
@given(st.lists(WAGES, min_size=1, max_size=50), DATES, st.sampled_from(["pu", "bpu"]))
def test_the_column_path_equals_the_single_quote(wages, on, category):
    """What a bill does to a million rows is what a quote does to one."""
    frame = pl.DataFrame({"wage": wages}, schema={"wage": pl.Int64})
    for program in calculator.PROGRAMS[category]:
        rule = calculator.formula(BOOK, category, program, on, jkk_class=3, region="5371")
        columns = frame.select(**rule.column(pl.col("wage")))
        for row, wage in zip(columns.iter_rows(named=True), wages, strict=True):
            line = rule.apply(wage)
            assert row == {
                "basis": line.basis,
                "employer": line.employer,
                "worker": line.worker,
                "government": line.government,
            }
