"""The lapsed BPU people (contributions.lapse) against the allocation worked out line by line in Python:
bills paid in full, unpaid, partly paid and with refund lines; names changed between months."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.contributions import lapse
from payung.contributions.models import Bill, BillLine, Payment
from payung.regions.models import Region
from payung.registry.models import Person
from payung.rules import queries as rule_queries
from tests.contributions import money

FIRST = dt.date(2023, 1, 1)
NAMES = ["Adu", "bria", "Bria", "Élia", "Zakarias", "ñusa"]


def reference(agreement, on: dt.date) -> list[lapse.LapsedPerson]:
    """Decision 0010 as written: each due bill's payments (up to ``on``) cover its lines that name a person
    in the bill's byte-wise order; a line above zero not wholly covered leaves its month unpaid."""
    needed = lapse.lapse_months(rule_queries.book(), agreement, on)
    unpaid: dict[int, set[int]] = defaultdict(set)
    for bill in Bill.objects.filter(agreement=agreement, due_date__lt=on):
        paid = sum(p.amount for p in Payment.objects.filter(bill=bill, paid_on__lte=on))
        lines = BillLine.objects.filter(bill=bill, person__isnull=False)
        running = 0
        for line in sorted(
            lines, key=lambda x: (x.unit_name.encode(), x.name.encode(), x.program, x.period, x.pk)
        ):
            running += line.total
            if line.total > 0 and running > paid:
                unpaid[line.person_id].add(line.period.year * 12 + line.period.month)
    found = []
    for person_id, months in unpaid.items():
        best = None
        for run in _runs(sorted(months)):
            if len(run) >= needed and (best is None or (len(run), run[-1]) > (len(best), best[-1])):
                best = run
        if best:
            mine = BillLine.objects.filter(bill__agreement=agreement, person_id=person_id)
            last = max(mine, key=lambda x: (x.period, x.pk))
            found.append(
                lapse.LapsedPerson(
                    person_id,
                    last.name,
                    last.nik,
                    last.unit_name,
                    _month(best[0]),
                    _month(best[-1]),
                    len(best),
                )
            )
    return sorted(found, key=lambda p: (p.name.casefold(), p.nik))


def _bill_order(line: BillLine) -> tuple:
    return (line.unit_name.encode(), line.name.encode(), line.program, line.period, line.pk)


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _month(index: int) -> dt.date:
    return dt.date((index - 1) // 12, (index - 1) % 12 + 1, 1)


# one bill: per person, whether billed and an optional adjustment (a refund below zero) for an earlier month
person_month = st.tuples(st.booleans(), st.sampled_from([0, 0, -6_800, 3_000]), st.booleans())
bill_plan = st.tuples(
    st.lists(person_month, min_size=len(NAMES), max_size=len(NAMES)),
    st.sampled_from(["none", "none", "all", "part", "part", "late"]),
    st.floats(0.05, 0.95),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(bill_plan, min_size=3, max_size=6), days_after=st.integers(-20, 80))
def test_lapsed_equals_the_allocation_line_by_line(plans, days_after):
    ttu = Region.objects.get(code="5303")
    with transaction.atomic():
        agreement = money.agreement(ttu, "PKS/BPU/P", category="bpu", valid_to=dt.date(2025, 12, 31))
        units = [money.unit(ttu, "Petani Oelolok"), money.unit(ttu, "nelayan Wini")]
        people = [money.person(ttu, name, n, "530301") for n, name in enumerate(NAMES, 1)]
        bills = []
        months = money.months(FIRST, len(plans))
        for index, (month, (who, payment, share)) in enumerate(zip(months, plans, strict=True)):
            lines = []
            for n, (billed, adjustment, renamed) in enumerate(who):
                person = people[n]
                if renamed:  # billed under a new name from now on: the list shows the last one
                    Person.objects.filter(pk=person.pk).update(name=f"{person.name} {index}")
                    person.refresh_from_db()
                if billed:
                    unit = units[n % 2]
                    lines += [money.Line(person, unit, "JKK", 10_000), money.Line(person, unit, "JKM", 6_800)]
                if adjustment and index:
                    lines.append(money.Line(person, units[0], "JKM", adjustment, period=bills[-1].period))
            if not lines:
                lines = [money.Line(people[0], units[0], "JKK", 10_000)]
            bill = money.bill(agreement, month, lines, due_date=month.replace(day=15))
            bills.append(bill)
            positive = sum(line.total for line in lines if line.total > 0)
            amount = {"none": 0, "all": bill.total, "part": int(positive * share), "late": bill.total}[
                payment
            ]
            paid_on = month.replace(day=10) if payment != "late" else month.replace(day=20) + dt.timedelta(40)
            if amount > 0:
                Payment.objects.create(bill=bill, amount=amount, paid_on=paid_on, reference="SP2D")
        on = bills[-1].due_date + dt.timedelta(days=days_after)
        expected = reference(agreement, on)
        assert lapse.lapsed(agreement, on) == expected, (plans, on)
        assert lapse.lapsed_ids(agreement, on) == {p.person_id for p in expected}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_only_a_partly_paid_bill_goes_through_the_running_sum():
    """Bills with nothing paid have every line unpaid: only a partly paid bill's lines go through the
    allocation's running sum (it used to run over every open bill)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ttu = Region.objects.get(code="5303")
    agreement = money.agreement(ttu, "PKS/BPU/Q", category="bpu", valid_to=dt.date(2025, 12, 31))
    unit = money.unit(ttu, "Petani Oelolok")
    people = [money.person(ttu, name, n, "530301") for n, name in enumerate(NAMES, 1)]
    lines = [money.Line(p, unit, program, 8_400) for p in people for program in ("JKK", "JKM")]
    bills = [money.bill(agreement, m, lines, due_date=m.replace(day=15)) for m in money.months(FIRST, 4)]
    on = bills[-1].due_date + dt.timedelta(days=1)

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert len(lapse.lapsed(agreement, on)) == len(people)
        return [q["sql"] for q in captured.captured_queries]

    assert not [sql for sql in statements() if '"total") OVER' in sql]
    Payment.objects.create(bill=bills[1], amount=8_400, paid_on=FIRST, reference="SP2D")  # Adu's JKK line
    windowed = [sql for sql in statements() if '"total") OVER' in sql]
    assert len(windowed) == 1 and windowed[0].count('"total") OVER') == 1
