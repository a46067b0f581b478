"""Property: the bill's bulk path (polars columns, and the whole database round trip) gives every line
exactly what a single quote gives, for random people, wages, months and mid-month joins and leaves."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.contributions import billing
from payung.contributions.calculator import PROGRAMS, quote
from payung.contributions.models import BillLine, LineKind
from payung.coverage.models import Agreement
from payung.regions.models import Region
from payung.rules import queries as rule_queries
from tests.contributions import world
from tests.contributions.test_calculator import BOOK

WAGES = st.integers(1, 10**12 - 1)
MONTHS = st.builds(dt.date, st.integers(2016, 2026), st.integers(1, 10), st.just(1))
OFFSETS = st.integers(-45, 45)  # days from the billed month's 1st: joins and leaves around it


@st.composite
def cases(draw):
    category = draw(st.sampled_from(["pu", "bpu"]))
    programs = draw(st.lists(st.sampled_from(PROGRAMS[category]), min_size=1, unique=True))
    programs = [p for p in programs if p != "JKP"] or ["JKK"]
    month = draw(MONTHS)
    people = []
    for index in range(draw(st.integers(1, 6))):
        periods = []
        for _ in range(draw(st.integers(1, 3))):  # a wage change or a transfer splits a period
            start = month + dt.timedelta(days=draw(OFFSETS))
            ends = draw(st.one_of(st.none(), st.integers(0, 60)))
            periods.append((start, None if ends is None else start + dt.timedelta(days=ends), draw(WAGES)))
        people.append((index + 1, periods))
    return {
        "category": category,
        "programs": programs,
        "month": month,
        "jkk_class": draw(st.integers(1, 5)),
        "rule": draw(st.sampled_from(["any_day", "first_day"])),
        "region": draw(st.sampled_from(["5371", ""])),
        "people": people,
    }


def expected(case, book) -> dict:
    """The rule written out plainly: who is billed, from which period, and each program's quote."""
    first, last = case["month"], billing.month_end(case["month"])
    result = {}
    for person, periods in case["people"]:
        numbered = [(i, *p) for i, p in enumerate(periods)]

        def on_first(p):
            return p[1] <= first and (p[2] is None or p[2] >= first)

        def overlaps(p):
            return p[1] <= last and (p[2] is None or p[2] >= first)

        covered = [p for p in numbered if (on_first(p) if case["rule"] == "first_day" else overlaps(p))]
        if not covered:
            continue
        chosen = sorted(covered, key=lambda p: (not on_first(p), p[1], -p[3], p[0]))[0]
        q = quote(book, category=case["category"], amount=chosen[3], programs=case["programs"],
                  on=first, jkk_class=case["jkk_class"], region=case["region"])  # fmt: skip
        for line in q.lines:
            result[(person, line.program)] = (line.basis, line.employer, line.worker)
    return result


def frame(case) -> pl.DataFrame:
    rows = [
        (person * 10 + i, person, f"{person:016d}", f"Orang {person}", 1, "Unit", start, end, wage)
        for person, periods in case["people"]
        for i, (start, end, wage) in enumerate(periods)
    ]
    return pl.DataFrame(rows, schema=billing.MEMBER_SCHEMA, orient="row")


def formulas(case, book, region: str):
    pks = Agreement(category=case["category"], programs=case["programs"], jkk_class=case["jkk_class"],
                    region_id=region, number="PKS")  # fmt: skip
    return billing.month_formulas(book, pks, case["month"])


@settings(max_examples=400, deadline=None)
@given(case=cases())
def test_month_lines_equal_single_quotes(case):
    lines = billing.month_lines(
        frame(case), case["month"], case["rule"], formulas(case, BOOK, case["region"])
    )
    got = {(r["person_id"], r["program"]): (r["basis"], r["employer"], r["worker"])
           for r in lines.iter_rows(named=True)}  # fmt: skip
    assert got == expected(case, BOOK)
    assert lines.height == len(got)  # one line per person and program
    assert (lines["total"] == lines["employer"] + lines["worker"]).all()


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_generated_bill_equals_single_quotes(case):
    """The same through the database: the month chosen and its lines written in SQL (INSERT ... SELECT)."""
    region = Region.objects.get(code="5371")
    with transaction.atomic():
        pks = world.agreement(
            category=case["category"],
            programs=case["programs"],
            jkk_class=case["jkk_class"],
            mid_month_rule=case["rule"],
            valid_from=dt.date(2015, 7, 1),
            valid_to=dt.date(2030, 12, 31),
        )
        index_of = {}
        for index, periods in case["people"]:
            who = world.person()
            index_of[who.pk] = index
            for start, end, wage in periods:
                world.member(pks, wage, start, end, who=who)
        want = expected({**case, "region": "5371"}, rule_queries.book())
        try:
            (bill,) = billing.generate(None, region, case["month"])
        except billing.BillingError as error:
            assert error.code == "nobody" and not want
        else:
            got = {
                (index_of[line.person_id], line.program): (line.basis, line.employer, line.worker)
                for line in BillLine.objects.filter(bill=bill)
            }
            assert got == want
            assert bill.total == sum(e + w for _, e, w in want.values())
            # The next month's adjustment pass recomputes this one in polars: the SQL that wrote it and the
            # polars path agree, so nothing is corrected.
            try:
                (after,) = billing.generate(None, region, billing.next_month(case["month"]))
            except billing.BillingError as error:
                assert error.code == "nobody"
            else:
                assert not BillLine.objects.filter(bill=after, kind=LineKind.ADJUSTMENT).exists()
        transaction.set_rollback(True)
