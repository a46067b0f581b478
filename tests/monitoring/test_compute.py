"""Coverage computed for a region and a month: who is protected, who is paid for, and why the rest are not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from payung.contributions.models import Payment
from payung.coverage.models import Membership
from payung.monitoring import compute, queries, services
from payung.regions.models import Region
from payung.registry.models import Engagement, Unit
from tests.contributions import money

pytestmark = pytest.mark.django_db
MONTH = dt.date(2024, 3, 1)


def _engage(person, unit, group="non_asn", **fields):
    return Engagement.objects.create(
        person=person, unit=unit, group=group, start_date=dt.date(2020, 1, 1), **fields
    )


def _member(agreement, person, engagement, start=dt.date(2021, 4, 10), end=None):
    return Membership.objects.create(
        agreement=agreement,
        region=agreement.region,
        person=person,
        engagement=engagement,
        unit=engagement.unit,
        start=start,
        end=end,
        basis=2_000_000,
    )


@pytest.fixture
def kupang():
    """Five people of Kota Kupang in March 2024: paid, enrolled but unpaid, ended, never enrolled (their
    group is under the PKS) and a contract teacher whom no agreement covers."""
    region = Region.objects.get(code="5371")
    dlhk = money.unit(region, "Dinas Lingkungan Hidup dan Kebersihan", "DLHK")
    school = Unit.objects.create(region=region, code="SDN1", name="SD Negeri 1 Kupang", kind="school")
    agreement = money.agreement(region)
    people = {
        name: money.person(region, name, seq)
        for seq, name in enumerate(("Ana Paid", "Beni Unpaid", "Cici Ended", "Dedi Never", "Eka Teacher"), 1)
    }
    engagements = {
        n: _engage(p, school if n == "Eka Teacher" else dlhk, "teacher" if n == "Eka Teacher" else "non_asn")
        for n, p in people.items()
    }
    _member(agreement, people["Ana Paid"], engagements["Ana Paid"])
    _member(agreement, people["Beni Unpaid"], engagements["Beni Unpaid"])
    _member(agreement, people["Cici Ended"], engagements["Cici Ended"], end=dt.date(2024, 1, 31))
    bill = money.bill(
        agreement,
        MONTH,
        [
            money.Line(people["Ana Paid"], dlhk, "JKK", 4_800),
            money.Line(people["Beni Unpaid"], dlhk, "JKK", 4_800),
        ],
    )
    Payment.objects.create(bill=bill, paid_on=dt.date(2024, 4, 2), amount=4_800, reference="SP2D-1")
    return region, people, dlhk, school


def test_each_person_is_counted_with_the_first_reason_that_applies(kupang):
    region, people, dlhk, school = kupang
    result = compute.compute(region.code, MONTH, dt.date(2024, 4, 30))
    reasons = {name: reason for _, _, _, _, _, _, reason, _, name, _ in result.entries}
    assert reasons == {
        "Ana Paid": "",
        "Beni Unpaid": "unpaid",
        "Cici Ended": "ended",
        "Dedi Never": "never",
        "Eka Teacher": "no_agreement",
    }
    f = result.figures
    assert (f["people"], f["covered"], f["uncovered"], f["paid"], f["unpaid"]) == (5, 2, 3, 1, 1)
    assert f["programs"] == {"JKK": 2, "JKM": 2, "tk2": 2}
    assert f["groups"]["teacher"] == {"people": 1, "covered": 0, "paid": 0}
    assert f["money"]["billed"] == 9_600 and f["money"]["paid"] == 4_800


def test_payments_after_the_day_counted_do_not_count(kupang):
    region, *_ = kupang
    result = compute.compute(region.code, MONTH, dt.date(2024, 3, 31))  # paid on 2 April
    assert result.figures["paid"] == 0 and result.figures["money"]["paid"] == 0


def sweepers_first(region, dlhk) -> None:
    """DLHK's street sweepers recorded as the region's priority group (seed 003)."""
    services.add_priority(
        None, region, unit=dlhk, label="Penyapu jalan DLHK", reason="Bekerja di jalan",
        since=dt.date(2024, 1, 1), channel="cli",
    )  # fmt: skip


def test_the_named_list_behind_a_number_and_the_priority_group(kupang):
    region, people, dlhk, school = kupang
    sweepers_first(region, dlhk)
    summary = services.refresh(region.code, MONTH, today=dt.date(2024, 4, 30))
    uncovered = queries.entries_of(summary, status="uncovered")
    assert sorted(uncovered.values_list("name", flat=True)) == ["Cici Ended", "Dedi Never", "Eka Teacher"]
    assert list(
        queries.entries_of(summary, status="uncovered", unit=school.pk).values_list("reason", flat=True)
    ) == ["no_agreement"]
    (priority,) = queries.priorities(summary)
    assert priority.tally == {"people": 4, "covered": 2, "uncovered": 2, "paid": 1}
    by_unit = {r["name"]: r["uncovered"] for r in queries.named_rows(summary, "unit")}
    assert by_unit == {"Dinas Lingkungan Hidup dan Kebersihan": 2, "SD Negeri 1 Kupang": 1}


def test_a_summary_is_recomputed_only_when_its_data_changed(kupang):
    region, people, dlhk, _ = kupang
    first = services.refresh(region.code, MONTH, today=dt.date(2024, 4, 30))
    again = services.refresh(region.code, MONTH, today=dt.date(2024, 4, 30))
    assert again.computed_at == first.computed_at
    _member(money.agreement(region, "PKS/002"), people["Dedi Never"], people["Dedi Never"].engagements.get())
    assert services.refresh(region.code, MONTH, today=dt.date(2024, 4, 30)).figures["covered"] == 2  # checked
    cache.clear()  # CHECK_EVERY later
    changed = services.refresh(region.code, MONTH, today=dt.date(2024, 4, 30))
    assert changed.computed_at > first.computed_at and changed.figures["covered"] == 3
    assert changed.entries.count() == 5
