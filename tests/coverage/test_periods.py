"""Period derivation (coverage.enrolment.periods) against a day-by-day oracle written the other way round."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.coverage.enrolment import ENGAGEMENTS, STATUSES, WAGES, periods

START = dt.date(2021, 1, 1)
DAYS = 120  # a small world, so every edge (same day, day before, day after) is hit often


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def oracle(engagements, wages, statuses, valid_from, valid_to, fallback):
    """Is each engagement covered on each day, at which basis; runs of equal days are periods."""
    out = []
    for e in engagements:
        runs: list[list] = []
        d = valid_from
        while d <= valid_to:
            basis = _basis_on(e, wages, d, fallback) if _covered_on(e, statuses, d) else None
            if (
                basis is not None
                and runs
                and runs[-1][1] == d - dt.timedelta(days=1)
                and runs[-1][2] == basis
            ):
                runs[-1][1] = d
            elif basis is not None:
                runs.append([d, d, basis])
            d += dt.timedelta(days=1)
        out += [(e["engagement_id"], s, t, b) for s, t, b in runs]
    return sorted(out)


def _covered_on(e, statuses, d) -> bool:
    if e["start_date"] and d < e["start_date"] or e["end_date"] and d > e["end_date"]:
        return False
    for s in statuses:
        if s["person_id"] != e["person_id"] or s["engagement_id"] not in (None, e["engagement_id"]):
            continue
        if s["status"] == "deceased" and d > s["effective_date"]:
            return False
        started = e["start_date"] is None or s["effective_date"] >= e["start_date"]
        if s["status"] == "ended" and started and d >= s["effective_date"]:
            return False
    return True


def _basis_on(e, wages, d, fallback):
    changes = [w for w in wages if w["engagement_id"] == e["engagement_id"] and w["effective_date"] <= d]
    if changes:
        return max(changes, key=lambda w: w["effective_date"])["monthly_wage"]
    return e["monthly_wage"] if e["monthly_wage"] is not None else fallback


dates = st.one_of(st.none(), st.integers(-10, DAYS + 10).map(day))
wage = st.sampled_from([2_000_000, 2_500_000, 3_000_000])


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 4))
    engagements = []
    for i in range(n):
        start, end = draw(dates), draw(dates)
        if start and end and end < start:
            start, end = end, start
        engagements.append(
            {
                "engagement_id": i + 1,
                "person_id": draw(st.integers(1, 2)),
                "unit_id": 7,
                "start_date": start,
                "end_date": end,
                "monthly_wage": draw(st.one_of(st.none(), wage)),
            }
        )
    wages = {}
    for _ in range(draw(st.integers(0, 5))):
        key = (draw(st.integers(1, n)), draw(st.integers(-10, DAYS + 10).map(day)))
        wages[key] = draw(wage)
    statuses = [
        {
            "person_id": draw(st.integers(1, 2)),
            "engagement_id": draw(st.one_of(st.none(), st.integers(1, n))),
            "status": draw(st.sampled_from(["ended", "deceased", "active"])),
            "effective_date": draw(st.integers(-10, DAYS + 10).map(day)),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    valid_from = day(draw(st.integers(0, DAYS // 2)))
    valid_to = valid_from + dt.timedelta(days=draw(st.integers(1, DAYS // 2)))
    fallback = draw(st.one_of(st.none(), st.just(1_000_000)))
    wage_rows = [{"engagement_id": e, "effective_date": d, "monthly_wage": w} for (e, d), w in wages.items()]
    return engagements, wage_rows, statuses, valid_from, valid_to, fallback


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_periods_are_the_covered_days_grouped_by_basis(world):
    engagements, wages, statuses, valid_from, valid_to, fallback = world
    got = periods(
        pl.DataFrame(engagements, schema=ENGAGEMENTS),
        pl.DataFrame(wages, schema=WAGES),
        pl.DataFrame(statuses, schema=STATUSES),
        valid_from=valid_from,
        valid_to=valid_to,
        fallback=fallback,
    )
    rows = sorted(got.select("engagement_id", "start", "end", "basis").rows())
    assert rows == oracle(engagements, wages, statuses, valid_from, valid_to, fallback)
    assert got["start"].min() is None or got["start"].min() >= valid_from
    assert got["end"].max() is None or got["end"].max() <= valid_to
