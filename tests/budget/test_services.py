"""Scenarios, variants, adoption as a budget line, APBD-P versions, allocations and realisation."""

from __future__ import annotations

import datetime as dt

import pytest

from payung.budget import lines as budget_lines
from payung.budget import pricing, queries, realisation, services
from payung.budget.models import BudgetLine, Scenario
from payung.contributions import billing, payments
from payung.regions.models import Region
from payung.registry.services import ValidationFailed
from tests.contributions import world


@pytest.fixture
def kupang(db):
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027, 12, 31))
    for wage in (2_000_000, 2_000_000, 3_000_000):
        world.member(pks, wage, dt.date(2024, 6, 1))
    return Region.objects.get(code="5371"), pks


def scenario(region, **changes) -> Scenario:
    parts = services.from_registry(region, 2025, ("JKK", "JKM"))
    return services.create(None, region, services.ScenarioData(2025, "Kupang 2025", parts=parts, **changes))


def test_a_scenario_from_the_registry_and_its_variants(kupang):
    region, _ = kupang
    base = scenario(region)
    assert queries.price(base).total == 12 * (2 * 10_800 + 16_200)
    four = services.with_programs(None, base, 0, ("JKK", "JKM", "JHT", "JP"))
    assert four.based_on == base and "JKK+JKM+JHT+JP" in four.name
    assert queries.price(four).total > queries.price(base).total
    planned = services.PartData("Guru kontrak 26 sekolah", category="pu", programs=("JKK", "JKM"),
                                planned_people=245, planned_wage=1_500_000)  # fmt: skip
    teachers = services.with_planned(None, base, planned)
    assert queries.price(teachers).total - queries.price(base).total == 245 * 8_100 * 12
    rows = queries.compare([queries.price(base), queries.price(teachers)], "part")
    assert [r["amounts"][1] - r["amounts"][0] for r in rows if r["key"] == "Guru kontrak 26 sekolah"] == [
        245 * 8_100 * 12
    ]


def test_bad_input_stores_nothing(kupang):
    region, _ = kupang
    parts = services.from_registry(region, 2025, ("JKK", "JKM"))
    emptied = (
        services.PartData("x", "non_asn", None, "pu", ("JKM",), "apbd", growth=(pricing.Growth(2, -3),)),
    )
    wrong = [
        services.ScenarioData(2010, "old", parts=parts),
        services.ScenarioData(2025, "e", parts=emptied),
    ]  # out-of-range assumptions (a wage change of -100 %, ...): tests/budget/test_assumptions.py
    for data in wrong:
        with pytest.raises(pricing.PricingError):
            services.create(None, region, data)
    assert not Scenario.objects.exists()


def test_adopt_amend_and_allocated(kupang):
    region, pks = kupang
    base = scenario(region)
    line = budget_lines.adopt(
        None, base, "5.1.02.02.02.0007", "Iuran JKK JKM non-ASN", "apbd", dt.date(2024, 12, 1)
    )
    assert line.amount == queries.price(base).total and list(line.agreements.all()) == [pks]
    amended = budget_lines.amend(None, line, 500_000, dt.date(2025, 9, 1), "APBD-P")
    assert (amended.version, amended.stage, amended.series) == (2, "perubahan", line.series)
    assert BudgetLine.objects.get(pk=line.pk).amount == queries.price(base).total  # never edited
    assert queries.allocated(region, 2025) == 500_000 and queries.allocated("5371", 2030) is None
    assert [x.pk for x in queries.latest(BudgetLine.objects.all())] == [amended.pk]


def test_a_line_in_another_regions_account_is_refused(kupang):
    region, pks = kupang
    ttu = Region.objects.get(code="5303")
    data = budget_lines.LineData(
        "5.1.02", "x", "apbd", 1000, dt.date(2025, 1, 2), 2025, agreement_ids=(pks.pk,)
    )
    with pytest.raises(ValidationFailed):
        budget_lines.add_line(None, ttu, data)
    with pytest.raises(ValidationFailed):
        budget_lines.add_line(
            None, region, budget_lines.LineData("5303.5.1.02", "x", "apbd", 1000, dt.date(2025, 1, 2), 2025)
        )
    assert not BudgetLine.objects.exists()


def test_realisation_billed_paid_projected_and_run_out(kupang):
    region, pks = kupang
    base = scenario(region)
    line = budget_lines.adopt(None, base, "5.1.02.02.02.0007", "Iuran", "apbd", dt.date(2024, 12, 1))
    line = budget_lines.amend(None, line, 10 * 37_800, dt.date(2025, 3, 1))  # ten months of 37,800
    bills = [billing.generate(None, region, dt.date(2025, m, 1), agreement=pks)[0] for m in (1, 2, 3)]
    payments.record_payment(
        None, bills[0], payments.PaymentData(dt.date(2025, 2, 10), bills[0].total, "SP2D-1")
    )
    found = realisation.of_line(line, today=dt.date(2025, 4, 2))
    assert found["billed"] == 3 * 37_800 and found["paid"] == 37_800 and found["outstanding"] == 2 * 37_800
    assert found["projected"] == 9 * 37_800 and found["expected"] == 12 * 37_800
    assert found["runs_out"] == dt.date(2025, 11, 1)


def test_a_stored_scenario_keeps_the_people_it_was_made_with(kupang):
    from payung.registry.models import Person

    region, _ = kupang
    base = scenario(region)
    Person.objects.filter(region_id="5371").update(status="deceased")
    assert queries.price(base).people() == {"Non-ASN / PTT": 3}
    four = services.with_programs(None, base, 0, ("JKK", "JKM", "JHT", "JP"))
    assert queries.price(four).people() == {"Non-ASN / PTT": 3}
