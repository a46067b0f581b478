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


def test_cover_ends_at_the_last_membership_or_the_agreement_whichever_is_first(kupang):
    from payung.coverage import enrolment

    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2020, 1, 1), end=D(2023, 12, 31))
    kupang.hire("Maria Taolin", kupang.dinkes, start=D(2020, 1, 1), end=D(2023, 11, 30))
    agreement = kupang.agreement()  # 10 Apr 2021 - 9 Apr 2024
    everything = Agreement.objects.all()
    assert queries.cover_ends(None, everything, D(2023, 10, 1)) == {}  # the last ends in 91 days: no members
    enrolment.sync(agreement)
    assert queries.cover_ends(None, everything, D(2023, 10, 1)) == {}  # 91 days before 31 Dec 2023
    found = queries.cover_ends(None, everything, D(2023, 10, 2))[agreement.pk]
    assert (found.last_day, found.days_left, found.by_agreement) == (D(2023, 12, 31), 90, False)
    assert found.level == 90
    assert queries.cover_ends(None, everything, D(2023, 12, 1))[agreement.pk].level == 30
    nobody = queries.cover_ends(None, everything, D(2024, 1, 1))[agreement.pk]
    assert (nobody.days_left, nobody.level) == (-1, 0)
    assert queries.cover_ends(None, everything, D(2024, 4, 10)) == {}  # the agreement has ended
    other = kupang.agreement(number="B", groups=["teacher"])  # no members: its own end counts
    alone = Agreement.objects.filter(pk=other.pk)
    assert queries.cover_ends(None, alone, D(2024, 1, 10))[other.pk].by_agreement
