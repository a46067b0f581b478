"""Which agreements are valid in a month, and the 90/30-day expiry warnings."""

from __future__ import annotations

import datetime as dt

from payung.coverage import queries
from payung.coverage.models import Agreement

D = dt.date


def test_an_agreement_counts_for_a_month_it_is_valid_on_any_day_of(kupang):
    agreement = kupang.agreement()  # 10 Apr 2021 - 9 Apr 2024
    inside = [D(2021, 4, 1), D(2023, 5, 1), D(2024, 4, 1)]
    outside = [D(2021, 3, 1), D(2024, 5, 1)]
    assert all(list(queries.valid_in("5371", month)) == [agreement] for month in inside)
    assert not any(queries.valid_in("5371", month).exists() for month in outside)
    assert not queries.valid_in("5303", D(2023, 5, 1)).exists()


def test_expiring_lists_the_last_90_days_with_the_days_left(kupang):
    agreement = kupang.agreement()
    everything = Agreement.objects.all()
    assert queries.expiring(everything, D(2024, 1, 9)) == []  # 91 days left
    assert queries.expiring(everything, D(2024, 1, 10)) == [(agreement, 90)]
    assert queries.expiring(everything, D(2024, 4, 9)) == [(agreement, 0)]
    assert queries.expiring(everything, D(2024, 4, 10)) == []  # ended
    assert [queries.warning_level(d) for d in (120, 91, 90, 31, 30, 0, -1, None)] == [
        None, None, 90, 90, 30, 30, None, None,
    ]  # fmt: skip
