"""The benefit calculator against every figure of the domain notes and decision 0019, before and after
PP 82/2019 (2 Dec 2019), and its properties over random cases. Pure: the shipped rules file, no database."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.claims import benefits
from payung.claims.benefits import BenefitError, Case, Disability, quote
from payung.rules import loader

BOOK = loader.shipped_book()
AFTER = dt.date(2024, 5, 1)  # under PP 82/2019
BEFORE = dt.date(2019, 5, 1)  # under PP 44/2015
CHANGE = dt.date(2019, 12, 2)  # PP 82/2019 promulgated (Bisnis.com quoting setkab.go.id, 23 Dec 2019)
LONG_AGO = dt.date(2010, 1, 1)  # a membership old enough for any minimum


def priced(program="JKM", event="death", on=AFTER, since=LONG_AGO, basis=2_500_000, **more):
    return quote(BOOK, Case(program, event, on, since, basis, **more))


def amounts(result) -> dict[str, int | None]:
    return {p.code: p.amount for p in result.parts}


# ------------------------------------------------------------------------------ JKM, death not from work
def test_jkm_after_pp_82_2019_is_42_million_in_three_parts():
    result = priced()
    assert amounts(result) == {"lump_sum": 20_000_000, "periodic": 12_000_000, "funeral": 10_000_000}
    assert result.parts[1].detail == {"months": 24, "monthly": 500_000}  # 24 x Rp 500,000
    assert result.total == 42_000_000


def test_jkm_before_pp_82_2019_is_24_million():
    result = priced(on=BEFORE)
    assert amounts(result) == {"lump_sum": 16_200_000, "periodic": 4_800_000, "funeral": 3_000_000}
    assert result.parts[1].detail == {"months": 24, "monthly": 200_000}  # 24 x Rp 200,000
    assert result.total == 24_000_000


@pytest.mark.parametrize(("on", "total"), [(CHANGE - dt.timedelta(days=1), 24_000_000), (CHANGE, 42_000_000)])
def test_a_claim_is_priced_with_the_rules_of_the_day_of_the_event(on, total):
    assert priced(on=on).total == total


def test_jkm_total_does_not_depend_on_the_wage():
    assert priced(basis=1).total == priced(basis=50_000_000).total == priced(basis=None).total


def test_seed_001_four_heirs_of_kupang_received_42_million_each():
    assert priced(on=dt.date(2023, 8, 1), category="pu").total == 42_000_000


# ------------------------------------------------------------------------------ children's scholarships
def test_scholarship_after_pp_82_2019_two_children_up_to_174_million():
    scholarship = priced(children=3).scholarship
    assert [(x.level, x.per_year, x.years) for x in scholarship.levels] == [
        ("tk_sd", 1_500_000, 8), ("smp", 2_000_000, 3), ("sma", 3_000_000, 3), ("college", 12_000_000, 5),
    ]  # fmt: skip
    assert (scholarship.children, scholarship.per_child, scholarship.most) == (2, 87_000_000, 174_000_000)


def test_jkm_scholarship_needs_three_years_of_contributions_after_the_change():
    three_years = dt.date(2021, 5, 1)
    assert priced(since=three_years, children=2).scholarship.children == 2  # the third anniversary
    short = priced(since=three_years + dt.timedelta(days=1), children=2).scholarship
    assert (short.children, short.reason, short.membership_years) == (0, "membership", 2)


def test_jkm_scholarship_before_the_change_is_12_million_for_one_child_after_five_years():
    scholarship = priced(on=BEFORE, since=dt.date(2014, 5, 1), children=3).scholarship
    assert (scholarship.children, scholarship.lump_sum, scholarship.most) == (1, 12_000_000, 12_000_000)
    four_years = priced(on=BEFORE, since=dt.date(2014, 5, 2), children=3).scholarship
    assert (four_years.children, four_years.min_years) == (0, 5)


def test_scholarships_are_not_cash_and_no_children_means_none():
    result = priced(children=2)
    assert result.total == 42_000_000 and result.as_dict()["scholarship_children"] == 2
    assert priced(children=0).scholarship.reason == "children"


# ------------------------------------------------------------------------------ JKK, work accident
def test_jkk_death_after_the_change_is_48_wages_plus_12_and_10_million():
    result = priced("JKK", basis=3_000_000)
    assert amounts(result) == {"death": 144_000_000, "periodic": 12_000_000, "funeral": 10_000_000,
                               "medical": None}  # fmt: skip
    assert result.total == 166_000_000


def test_jkk_death_before_the_change_pak_asep_2019():
    """Timboel Siregar's example (Kemnaker clipping, 4 Nov 2019): a guard earning Rp 4 million killed on
    duty in October 2019 got 48 x wage = Rp 192 million, Rp 4.8 million periodic, Rp 3 million funeral
    and a Rp 12 million scholarship."""
    result = priced("JKK", on=dt.date(2019, 10, 27), basis=4_000_000, children=1)
    assert amounts(result) == {"death": 192_000_000, "periodic": 4_800_000, "funeral": 3_000_000,
                               "medical": None}  # fmt: skip
    assert result.total == 199_800_000 and result.scholarship.most == 12_000_000


def test_jkk_death_is_never_less_than_the_jkm_lump_sum():
    result = priced("JKK", basis=100_000)  # 48 x Rp 100,000 = Rp 4.8 million < Rp 20 million
    assert result.parts[0].amount == 20_000_000 and result.parts[0].detail["wage_multiple"] == 4_800_000


def test_jkk_scholarship_needs_no_minimum_membership():
    assert priced("JKK", since=AFTER, children=2).scholarship.children == 2


def test_permanent_total_disability_is_56_wages_plus_the_periodic_benefit():
    result = priced("JKK", "disability", basis=2_000_000, disability=Disability(total=True), children=1)
    assert amounts(result)["disability"] == 112_000_000 and amounts(result)["periodic"] == 12_000_000
    assert result.scholarship.children == 1


def test_partial_disability_is_the_table_percent_of_80_wages():
    right_arm = BOOK.at("benefit.jkk.disability.arm_shoulder_right", AFTER).value
    result = priced("JKK", "disability", basis=2_000_000, disability=Disability(percent=right_arm))
    assert amounts(result)["disability"] == 64_000_000  # 40 % x 80 x Rp 2,000,000
    assert result.scholarship.children == 0 and "periodic" not in amounts(result)


def test_partial_loss_of_function_multiplies_the_two_percents_and_rounds_once():
    result = priced("JKK", "disability", basis=2_345_679,
                    disability=Disability(percent=Decimal("4.5"), function=Decimal("33")))  # fmt: skip
    # 4.5 % x 33 % x 80 x 2,345,679 = 2,786,666.652 -> 2,786,667
    assert amounts(result)["disability"] == 2_786_667


def test_temporary_inability_is_100_percent_for_12_months_then_50_after_the_change():
    result = priced("JKK", "accident", basis=3_000_000, stmb_months=15)
    assert amounts(result)["stmb"] == 12 * 3_000_000 + 3 * 1_500_000


def test_temporary_inability_before_the_change_drops_to_75_percent_after_six_months():
    result = priced("JKK", "accident", on=BEFORE, basis=3_000_000, stmb_months=13)
    assert amounts(result)["stmb"] == 6 * 3_000_000 + 6 * 2_250_000 + 1_500_000


@pytest.mark.parametrize(("mode", "cap"), [("land", 5_000_000), ("sea", 2_000_000), ("air", 10_000_000)])
def test_transport_is_reimbursed_up_to_its_cap(mode, cap):
    result = priced("JKK", "accident", transport=mode, transport_cost=7_500_000)
    assert amounts(result)["transport"] == min(7_500_000, cap)


def test_home_care_up_to_20_million_and_medical_care_in_kind():
    result = priced("JKK", "accident", home_care_cost=25_000_000)
    assert amounts(result)["home_care"] == 20_000_000 and amounts(result)["medical"] is None
    assert result.total == 20_000_000


def test_every_part_names_the_rule_versions_it_used():
    used = {v["key"]: v for v in priced(on=BEFORE).as_dict()["rules"]}
    assert used["benefit.jkm.lump_sum"]["effective_from"] == "2015-07-01"
    assert all(v["source"] and v["confidence"] in "RNCU" for v in used.values())


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"program": "JHT"}, "program"),
        ({"event": "accident"}, "event"),
        ({"work_related": True}, "jkm_work_related"),
        ({"category": "x"}, "category"),
        ({"program": "JKK", "basis": None}, "basis"),
        ({"basis": 0}, "basis"),
        ({"since": AFTER + dt.timedelta(days=1)}, "member_since"),
        ({"children": -1}, "children"),
        ({"program": "JKK", "event": "disability"}, "disability"),
        ({"program": "JKK", "event": "accident", "stmb_months": 121}, "stmb"),
        ({"program": "JKK", "event": "accident", "transport": "rail"}, "transport"),
        ({"on": dt.date(2015, 6, 30), "since": dt.date(2015, 1, 1)}, "rule_missing"),
    ],
)
def test_bad_input_gets_a_plain_message_in_both_languages(changes, code):
    with pytest.raises(BenefitError) as refused:
        priced(**changes)
    assert refused.value.code == code
    assert refused.value.text("id") != refused.value.text("en") and "%(" not in refused.value.text("en")


def test_the_calculator_needs_no_django():
    code = "import sys, payung.claims.benefits; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ------------------------------------------------------------------------------ properties
DAYS = st.dates(dt.date(2015, 7, 1), dt.date(2030, 12, 31))
WAGES = st.integers(1, benefits.MAX_AMOUNT - 1)


@given(on=DAYS, wage=WAGES, children=st.integers(0, benefits.MAX_CHILDREN), back=st.integers(0, 4000))
def test_jkm_is_the_sum_of_its_parts_and_the_children_never_exceed_the_limit(on, wage, children, back):
    result = priced(on=on, since=on - dt.timedelta(days=back), basis=wage, children=children)
    assert result.total == sum(p.amount for p in result.parts) == (42_000_000 if on >= CHANGE else 24_000_000)
    scholarship = result.scholarship
    assert 0 <= scholarship.children <= min(children, scholarship.max_children)
    assert scholarship.children == 0 or scholarship.membership_years >= scholarship.min_years


@given(on=DAYS, wage=WAGES, more=st.integers(1, 10**9))
def test_jkk_death_is_monotone_in_the_wage_and_at_least_the_jkm_lump_sum(on, wage, more):
    low, high = priced("JKK", on=on, basis=wage), priced("JKK", on=on, basis=min(wage + more, 10**12 - 1))
    assert low.total <= high.total
    assert low.parts[0].amount == max(48 * wage, priced(on=on).parts[0].amount)


@given(on=DAYS, wage=WAGES, months=st.integers(0, benefits.MAX_STMB_MONTHS))
def test_stmb_never_pays_more_than_the_wage_a_month_and_grows_with_the_months(on, wage, months):
    result = priced("JKK", "accident", on=on, basis=wage, stmb_months=months)
    paid = amounts(result).get("stmb", 0)
    assert paid <= months * wage
    if months < benefits.MAX_STMB_MONTHS:
        longer = priced("JKK", "accident", on=on, basis=wage, stmb_months=months + 1)
        assert amounts(longer)["stmb"] >= paid


PERCENTS = st.decimals(Decimal("0.01"), Decimal(100), places=2)


@given(on=DAYS, wage=WAGES, percent=PERCENTS, function=st.one_of(st.none(), PERCENTS))
def test_partial_disability_is_whole_rupiah_and_never_above_the_whole_base(on, wage, percent, function):
    result = priced("JKK", "disability", on=on, basis=wage,
                    disability=Disability(percent=percent, function=function))  # fmt: skip
    exact = Decimal(80 * wage) * percent / 100 * (function / 100 if function is not None else 1)
    paid = amounts(result)["disability"]
    assert isinstance(paid, int) and abs(paid - exact) <= Decimal("0.5") and paid <= 80 * wage
