"""Balances, late fines, arrears, allocation of payments over lines, BPU lapse and the person ledger."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.contributions import arrears, lapse, ledger
from payung.contributions.models import Bill, Payment
from payung.regions.models import Region
from payung.registry.models import Person
from payung.rules import queries as rule_queries
from tests.contributions import money

MAY = dt.date(2023, 5, 1)


def pay(bill: Bill, amount: int, paid_on: dt.date) -> Payment:
    return Payment.objects.create(bill=bill, amount=amount, paid_on=paid_on, reference="SP2D")


# ------------------------------------------------------------------------------------------ pure parts
@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 2000))
def test_months_late_counts_started_months(due, days):
    on = due + dt.timedelta(days=days)
    late = arrears.months_late(due, on)
    # the smallest n whose n-month anniversary of the due date is not before ``on``
    assert arrears.add_months(due, late) >= on
    assert late == 0 or arrears.add_months(due, late - 1) < on


def test_months_late_examples():
    due = dt.date(2023, 6, 15)
    assert [arrears.months_late(due, d) for d in (due, dt.date(2023, 6, 16), dt.date(2023, 7, 15))] == [
        0,
        1,
        1,
    ]
    assert arrears.months_late(due, dt.date(2023, 7, 16)) == 2
    assert arrears.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


@given(st.integers(1, 10**6), st.integers(0, 10**6), st.integers(-(10**6), 10**6))
def test_covered_never_exceeds_the_line_nor_the_money(total, ahead, paid):
    covered = arrears.covered(total, ahead + total, paid)
    assert 0 <= covered <= total
    assert covered == total if paid >= ahead + total else covered < total
    assert covered == max(0, min(total, paid - ahead))


def test_bill_status():
    due, paid_day = dt.date(2023, 6, 15), dt.date(2023, 6, 10)
    assert arrears.status(100, 100, due, dt.date(2023, 9, 1)) == "paid"
    assert arrears.status(100, 40, due, paid_day) == "partial"
    assert arrears.status(100, 0, due, paid_day) == "unpaid"
    assert arrears.status(100, 40, due, dt.date(2023, 6, 16)) == "overdue"


# ------------------------------------------------------------------------------------------ with bills
pytestmark = pytest.mark.django_db


@pytest.fixture
def kupang(db):
    return Region.objects.get(code="5371")


@pytest.fixture
def ttu(db):
    return Region.objects.get(code="5303")


def two_person_bill(agreement, period=MAY):
    region = agreement.region
    unit = money.unit(region, f"Dinas {agreement.number}")
    taken = Person.objects.count()  # a fresh pair of people (NIKs) per bill
    people = [
        money.person(region, name, taken + n) for n, name in enumerate(["Maria Bere", "Yohanes Bria"], 1)
    ]
    lines = [
        money.Line(p, unit, prog, amount) for p in people for prog, amount in (("JKK", 5_400), ("JKM", 6_750))
    ]
    return money.bill(agreement, period, lines)


def expected_fine(unpaid: int, percent: Decimal, months: int) -> int:
    return int((unpaid * percent * months / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_partial_payment_then_arrears(kupang):
    bill = two_person_bill(money.agreement(kupang))
    pay(bill, 10_000, dt.date(2023, 6, 10))
    pay(bill, 5_000, dt.date(2023, 8, 1))  # after the day asked about: not yet counted
    on = dt.date(2023, 7, 20)
    [row] = arrears.arrears(Bill.objects.all(), on)
    assert (row.bill, row.paid, row.outstanding) == (bill, 10_000, bill.total - 10_000)
    assert (row.days_late, row.months_late, row.status) == ((on - bill.due_date).days, 2, "overdue")
    assert row.fine == 0  # this agreement does not bind the Pemda to the fine
    assert arrears.outstanding(bill, on) == bill.total - 10_000
    assert arrears.outstanding(bill) == bill.total - 15_000
    [total] = arrears.region_totals([row])
    assert (total.region, total.bills, total.outstanding, total.overdue) == (
        kupang,
        1,
        row.outstanding,
        row.outstanding,
    )
    pay(bill, bill.total - 15_000, dt.date(2023, 8, 2))
    assert arrears.arrears(Bill.objects.all(), dt.date(2023, 8, 2)) == []


def test_not_yet_billed_months_and_not_yet_due_bills(kupang):
    bill = two_person_bill(money.agreement(kupang))
    assert arrears.arrears(Bill.objects.all(), dt.date(2023, 4, 30)) == []  # the month has not begun
    [row] = arrears.arrears(Bill.objects.all(), dt.date(2023, 6, 1))
    assert (row.days_late, row.fine, row.status, row.outstanding) == (0, 0, "unpaid", bill.total)


def test_fine_only_where_the_agreement_says(kupang):
    binding = two_person_bill(money.agreement(kupang, "PKS/DENDA", late_fine=True))
    free = two_person_bill(money.agreement(kupang, "PKS/TANPA-DENDA", late_fine=False))
    for bill in (binding, free):
        pay(bill, 7_001, dt.date(2023, 6, 1))
    on = dt.date(2023, 8, 16)  # due 15 Jun: two months and a day late = three started months
    percent = rule_queries.book().at("pu.late_fine", binding.due_date, "5371").value
    unpaid = binding.total - 7_001
    assert arrears.fine(binding, on) == expected_fine(unpaid, percent, 3) > 0
    assert arrears.fine(free, on) == 0
    assert arrears.fine(binding, binding.due_date) == 0  # on the due date itself nothing is late
    rows = {row.bill.agreement.number: row for row in arrears.arrears(Bill.objects.all(), on)}
    assert (rows["PKS/DENDA"].fine, rows["PKS/TANPA-DENDA"].fine) == (expected_fine(unpaid, percent, 3), 0)
    pay(binding, unpaid, dt.date(2023, 8, 1))
    assert arrears.fine(binding, on) == 0  # paid up: nothing left to fine


def test_allocation_follows_the_bills_order_not_insertion(kupang):
    agreement = money.agreement(kupang)
    dinkes, dlhk = money.unit(kupang, "Dinas Kesehatan"), money.unit(kupang, "Dinas Lingkungan Hidup")
    # Byte order puts "Dethan" before "de Rozari" (capitals first) whatever the database's locale.
    names = ["de Rozari", "Dethan", "Adu", "Bria"]
    people = {name: money.person(kupang, name, n) for n, name in enumerate(names, 1)}
    lines = [
        money.Line(people[name], unit, program, amount)
        for unit, group in ((dlhk, ["de Rozari", "Dethan"]), (dinkes, ["Bria", "Adu"]))
        for name in group
        for program, amount in (("JKM", 3_000), ("JKK", 2_000))
    ]
    random.Random(7).shuffle(lines)
    bill = money.bill(agreement, MAY, lines)
    expected_order = [
        ("Dinas Kesehatan", "Adu", "JKK"), ("Dinas Kesehatan", "Adu", "JKM"),
        ("Dinas Kesehatan", "Bria", "JKK"), ("Dinas Kesehatan", "Bria", "JKM"),
        ("Dinas Lingkungan Hidup", "Dethan", "JKK"), ("Dinas Lingkungan Hidup", "Dethan", "JKM"),
        ("Dinas Lingkungan Hidup", "de Rozari", "JKK"), ("Dinas Lingkungan Hidup", "de Rozari", "JKM"),
    ]  # fmt: skip
    ordered = list(bill.lines.order_by(*arrears.line_order()).values_list("unit_name", "name", "program"))
    assert ordered == expected_order
    pay(bill, 2_000 + 3_000 + 2_000 + 1_000, dt.date(2023, 6, 1))  # Adu in full, Bria's JKK, 1,000 of JKM
    covered = arrears.allocation(bill)
    by_key = {(line.name, line.program): covered[line.pk] for line in bill.lines.all()}
    assert by_key == {
        ("Adu", "JKK"): 2_000, ("Adu", "JKM"): 3_000, ("Bria", "JKK"): 2_000, ("Bria", "JKM"): 1_000,
        ("Dethan", "JKK"): 0, ("Dethan", "JKM"): 0, ("de Rozari", "JKK"): 0, ("de Rozari", "JKM"): 0,
    }  # fmt: skip
    assert sum(covered.values()) == arrears.paid(bill)


def bpu_month(agreement, period, people, unit):
    lines = [
        money.Line(p, unit, prog, amount)
        for p in people
        for prog, amount in (("JKK", 10_000), ("JKM", 6_800))
    ]
    return money.bill(agreement, period, lines, due_date=period.replace(day=15))


def test_lapse_after_n_unpaid_months_with_names(ttu):
    agreement = money.agreement(ttu, "PKS/BPU/2023", category="bpu", valid_to=dt.date(2025, 12, 31))
    needed = lapse.lapse_months(rule_queries.book(), agreement, dt.date(2023, 12, 1))
    assert needed and needed >= 2
    sector = money.unit(ttu, "Petani Desa Oelolok")
    # Allocation runs by name: paying everything but the last k people leaves exactly those unpaid.
    adu, bana, zakarias = (
        money.person(ttu, n, i, "530301") for i, n in enumerate(["Adu", "Bana", "Zakarias"], 1)
    )
    first = dt.date(2023, 1, 1)
    bills = [
        bpu_month(agreement, month, [adu, bana, zakarias], sector)
        for month in money.months(first, needed + 1)
    ]
    per_person = 16_800
    for index, bill in enumerate(bills):
        # Zakarias: never paid. Bana: unpaid every other month (never two in a row). Adu: always paid.
        unpaid_people = 1 if index % 2 else 2
        pay(bill, bill.total - unpaid_people * per_person, bill.period.replace(day=10))
    last_due = bills[needed - 1].due_date
    assert lapse.lapsed(agreement, last_due) == []  # the n-th month is due but not yet late
    [lapsed] = lapse.lapsed(agreement, last_due + dt.timedelta(days=1))
    assert (lapsed.person_id, lapsed.name, lapsed.nik, lapsed.unit_name) == (
        zakarias.pk, "Zakarias", zakarias.nik, "Petani Desa Oelolok",
    )  # fmt: skip
    assert (lapsed.since, lapsed.until, lapsed.months) == (first, bills[needed - 1].period, needed)
    everything_due = bills[-1].due_date + dt.timedelta(days=1)
    assert [p.months for p in lapse.lapsed(agreement, everything_due)] == [needed + 1]
    # Paying Zakarias's arrears of one month breaks his run into shorter ones.
    middle = bills[1]
    pay(middle, arrears.outstanding(middle), dt.date(2023, 12, 1))
    assert lapse.lapsed(agreement, dt.date(2023, 12, 2)) == []  # runs of 1 and n - 1 months are left


def test_no_lapse_for_a_pu_agreement(kupang):
    agreement = money.agreement(kupang)
    bills = [two_person_bill(agreement, month) for month in money.months(MAY, 6)]
    assert lapse.lapsed(agreement, bills[-1].due_date + dt.timedelta(days=30)) == []


def test_ledger_of_a_person(kupang):
    agreement = money.agreement(kupang)
    unit = money.unit(kupang, "Dinas Pendidikan")
    adu, bria = money.person(kupang, "Adu", 1), money.person(kupang, "Bria", 2)
    lines = [
        money.Line(p, unit, prog, amount)
        for p in (adu, bria)
        for prog, amount in (("JKK", 4_000), ("JKM", 6_000))
    ]
    may = money.bill(agreement, MAY, lines)
    june_lines = [*lines, money.Line(bria, unit, "JKK", 500, period=MAY)]  # a late wage rise for May
    june = money.bill(agreement, dt.date(2023, 6, 1), june_lines)
    pay(may, may.total, dt.date(2023, 6, 5))
    pay(june, 10_000 + 500 + 3_500, dt.date(2023, 7, 5))  # Adu, Bria's May adjustment, part of his JKK
    rows = ledger.ledger(bria)
    summary = [(r.month, r.bill_period, r.program, r.kind, r.amount, r.covered, r.status) for r in rows]
    assert summary == [
        (dt.date(2023, 6, 1), dt.date(2023, 6, 1), "JKM", "regular", 6_000, 0, "unpaid"),
        (dt.date(2023, 6, 1), dt.date(2023, 6, 1), "JKK", "regular", 4_000, 3_500, "partial"),
        (MAY, dt.date(2023, 6, 1), "JKK", "adjustment", 500, 500, "paid"),
        (MAY, MAY, "JKM", "regular", 6_000, 6_000, "paid"),
        (MAY, MAY, "JKK", "regular", 4_000, 4_000, "paid"),
    ]
    assert {r.agreement for r in rows} == {agreement.number}
    assert len(ledger.ledger(adu)) == 4 and all(r.status == "paid" for r in ledger.ledger(adu))


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.integers(-9_000, 9_000).filter(bool), min_size=1, max_size=8),
    paid_share=st.sampled_from([0, 0.3, 0.5, 1, 2]),
)
def test_ledger_without_whole_bill_sums_equals_the_allocation(amounts, paid_share):
    """Issue 13 point 7: the ledger no longer runs a sum over every line of a bill; for wholly paid,
    unpaid, partly paid bills and bills with refund lines it still says exactly what the allocation does."""
    from django.db import transaction

    kupang = Region.objects.get(code="5371")
    with transaction.atomic():
        agreement = money.agreement(kupang, "PKS/PROP")
        units = [money.unit(kupang, "Dinas Kesehatan"), money.unit(kupang, "Dinas Sosial")]
        people = [money.person(kupang, name, n) for n, name in enumerate(["Adu", "bria", "Bria", "Seran"], 1)]
        lines = [
            money.Line(people[i % 4], units[i % 2], ("JKK", "JKM")[i % 2], amount,
                       period=dt.date(2023, 4, 1) if amount < 0 else None)
            for i, amount in enumerate(amounts)
        ]  # fmt: skip
        bill = money.bill(agreement, MAY, lines)
        positive = sum(a for a in amounts if a > 0)
        if paid_share and positive:
            pay(bill, max(int(positive * paid_share), 1), dt.date(2023, 6, 1))
        allocated = arrears.allocation(bill)
        for person in people:
            for row in ledger.ledger(person):
                assert row.covered == allocated[row.line_id], (amounts, paid_share)
        transaction.set_rollback(True)
