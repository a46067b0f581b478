"""The demo agreements, bills and payments: realistic money on top of the demo registry."""

import datetime as dt

import pytest

from payung.contributions import arrears
from payung.contributions.models import Bill, Payment
from payung.demo import coverage, load, people

pytestmark = pytest.mark.django_db


def test_demo_coverage_bills_ttus_pekerja_rentan_and_leaves_recent_months_unpaid():
    load.load(load.generate("5303", scale=1.0, seed=people.DEFAULT_SEED))
    today = dt.date(2026, 11, 23)
    counts = coverage.load(today, ["5303"])["5303"]
    assert (counts["people"], counts["bills"], counts["payments"]) == (14_880, 6, 4)
    bills = list(Bill.objects.order_by("period"))
    assert [b.period for b in bills][0] == dt.date(2026, 6, 1) and all(
        b.total == 14_880 * 16_800 for b in bills
    )
    assert [arrears.outstanding(b) for b in bills][:3] == [0, 0, 0] and arrears.outstanding(
        bills[-1]
    ) == bills[-1].total
    assert 0 < arrears.outstanding(bills[3]) < bills[3].total
    again = coverage.load(today, ["5303"])["5303"]
    assert (again["bills"], again["payments"], Payment.objects.count()) == (0, 0, 4)
