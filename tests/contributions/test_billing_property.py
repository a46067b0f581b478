"""Property: the bill's set-based path gives every line exactly what a single quote gives, for random people,
wages, months and mid-month joins and leaves; and the next month's adjustments are exactly the difference
between the quotes after a late change and the quotes billed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.contributions import billing
from payung.contributions.calculator import PROGRAMS, quote
from payung.contributions.models import BillLine, LineKind
from payung.regions.models import Region
from payung.rules import queries as rule_queries
from tests.contributions import world

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
            assert error.code.startswith("nobody") and not want
        else:
            got = {
                (index_of[line.person_id], line.program): (line.basis, line.employer, line.worker)
                for line in BillLine.objects.filter(bill=bill)
            }
            assert got == want
            assert bill.total == sum(e + w for _, e, w in want.values())
            # Nothing changed: the next month's adjustment pass recomputes this one and corrects nothing.
            try:
                (after,) = billing.generate(None, region, billing.next_month(case["month"]))
            except billing.BillingError as error:
                assert error.code.startswith("nobody") and not error.params["pending"]
            else:
                assert not BillLine.objects.filter(bill=after, kind=LineKind.ADJUSTMENT).exists()
        transaction.set_rollback(True)


LATE = st.lists(st.tuples(st.integers(0, 20), WAGES, st.booleans()), min_size=1, max_size=4)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases(), late=LATE)
def test_adjustments_are_the_quotes_after_a_late_change_minus_the_billed(case, late):
    """A month is billed; then wages change late and periods end late (as a wage rise or a death reported
    after the bill would), and the next month is billed: its adjustment lines for the first month are,
    per person and program, the quote after the change minus the quote billed, and nothing else."""
    region = Region.objects.get(code="5371")
    month, after = case["month"], billing.next_month(case["month"])
    with transaction.atomic():
        pks = world.agreement(
            category=case["category"], programs=case["programs"], jkk_class=case["jkk_class"],
            mid_month_rule=case["rule"], valid_from=dt.date(2015, 7, 1), valid_to=dt.date(2030, 12, 31),
        )  # fmt: skip
        rows = []
        for index, periods in case["people"]:
            who = world.person()
            rows += [(index, at, world.member(pks, wage, start, end, who=who))
                     for at, (start, end, wage) in enumerate(periods)]  # fmt: skip
        book = rule_queries.book()
        try:
            billing.generate(None, region, month)
        except billing.BillingError:
            transaction.set_rollback(True)
            return
        changed = {index: list(periods) for index, periods in case["people"]}
        for pick, wage, ends in late:
            index, at, membership = rows[pick % len(rows)]
            start, end, _ = changed[index][at]
            end = month if ends and start <= month else end  # the period ends on the month's 1st
            membership.basis, membership.end = wage, end
            membership.save()
            changed[index][at] = (start, end, wage)
        before = expected({**case, "region": "5371"}, book)
        now = expected({**case, "region": "5371", "people": list(changed.items())}, book)
        want = {}
        for key in before.keys() | now.keys():
            basis, employer, worker = now.get(key, (0, 0, 0))
            old = before.get(key, (0, 0, 0))
            if (employer - old[1], worker - old[2]) != (0, 0):
                want[key] = (basis, employer - old[1], worker - old[2])
        index_of = {m.person_id: index for index, _, m in rows}
        try:
            (bill,) = billing.generate(None, region, after)
        except billing.BillingError as error:
            # Nobody covered that month: no bill (decision 0020); what it would have corrected waits.
            assert error.code.startswith("nobody")
            assert error.params["pending"] == sum(e + w for _, e, w in want.values())
        else:
            got = {
                (index_of[line.person_id], line.program): (line.basis, line.employer, line.worker)
                for line in BillLine.objects.filter(bill=bill, kind=LineKind.ADJUSTMENT, period=month)
            }
            assert got == want
            assert bill.adjustments == sum(e + w for _, e, w in want.values())
        transaction.set_rollback(True)
