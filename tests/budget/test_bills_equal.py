"""Property: a year priced by the budget equals the sum of the twelve bills generated for the same people
and months (issue 11's figure), for small random rosters of wage earners and BPU members."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.budget import pricing, queries
from payung.contributions import billing
from payung.contributions.calculator import PROGRAMS
from payung.contributions.models import Bill
from payung.regions.models import Region
from tests.contributions import world

YEAR = 2025


@st.composite
def rosters(draw):
    category = draw(st.sampled_from(["pu", "bpu"]))
    programs = draw(st.lists(st.sampled_from([p for p in PROGRAMS[category] if p != "JKP"]), min_size=1,
                             unique=True))  # fmt: skip
    wages = draw(st.lists(st.integers(1, 10**10), min_size=1, max_size=5))
    return category, pricing.programs_of(programs), wages, draw(st.integers(1, 5))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rosters())
def test_a_priced_year_equals_its_twelve_bills(case):
    category, programs, wages, jkk_class = case
    region = Region.objects.get(code="5371")
    with transaction.atomic():
        group = "rentan" if category == "bpu" else "non_asn"
        pks = world.agreement(category=category, programs=list(programs), jkk_class=jkk_class, groups=[group],
                              valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2026, 12, 31))  # fmt: skip
        for wage in wages:
            world.member(pks, wage, dt.date(2024, 6, 1))
        for month in range(1, 13):
            billing.generate(None, region, dt.date(YEAR, month, 1), agreement=pks)
        billed = sum(b.total for b in Bill.objects.filter(agreement=pks))
        priced = queries.plan("5371", YEAR, programs, jkk_class=jkk_class, groups=[group], shares="all")
        assert priced.total == billed
        assert priced.months() == [b.total for b in Bill.objects.filter(agreement=pks).order_by("period")]
        transaction.set_rollback(True)
