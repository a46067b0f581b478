"""Enrolment against the database: who is covered from when to when at which basis, idempotence, and the
dated changes (wage, transfer, death, end of contract) that move the periods."""

from __future__ import annotations

import datetime as dt

import pytest

from payung.audit.models import AuditEvent
from payung.coverage import enrolment
from payung.coverage.models import Membership
from payung.registry import services
from payung.registry.models import WageChange
from payung.registry.services import ValidationFailed

D = dt.date


def _periods(agreement, person=None) -> list[tuple]:
    rows = Membership.objects.filter(agreement=agreement).order_by("person_id", "start")
    if person is not None:
        rows = rows.filter(person=person)
    return list(rows.values_list("start", "end", "basis", "end_reason"))


def test_contract_dates_are_clipped_to_the_agreement(kupang):
    early = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), end=D(2026, 12, 31))
    late = kupang.hire("Maria Taolin", kupang.dinkes, start=D(2022, 7, 15), end=D(2023, 6, 30))
    open_ended = kupang.hire("Agus Seran", kupang.dlhk)
    teacher = kupang.hire("Theresia Kase", kupang.dlhk, start=D(2020, 1, 1), group="teacher")
    agreement = kupang.agreement()
    counts = enrolment.sync(agreement, user=kupang.finance, channel="cli")
    assert counts == {
        "engagements": 3, "people": 3, "periods": 3, "added": 3, "removed": 0, "without_wage": 0,
    }  # fmt: skip
    assert _periods(agreement, early) == [(D(2021, 4, 10), D(2024, 4, 9), 2_500_000, "agreement_end")]
    assert _periods(agreement, late) == [(D(2022, 7, 15), D(2023, 6, 30), 2_500_000, "contract_end")]
    assert _periods(agreement, open_ended) == [(D(2021, 4, 10), D(2024, 4, 9), 2_500_000, "agreement_end")]
    assert _periods(agreement, teacher) == []
    assert AuditEvent.objects.get(action="agreement.enrol").after == counts


def test_sync_again_changes_nothing_and_keeps_the_rows(kupang):
    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    kupang.hire("Maria Taolin", kupang.dinkes, start=D(2022, 7, 15))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    ids = list(Membership.objects.order_by("id").values_list("id", flat=True))
    again = enrolment.sync(agreement)
    assert (again["added"], again["removed"], again["periods"]) == (0, 0, 2)
    assert list(Membership.objects.order_by("id").values_list("id", flat=True)) == ids


def test_units_named_by_the_agreement_limit_it(kupang):
    kupang.hire("Yohanes Bria", kupang.dlhk)
    other = kupang.hire("Maria Taolin", kupang.dinkes)
    agreement = kupang.agreement(unit_ids=[kupang.dinkes.pk])
    assert enrolment.sync(agreement)["people"] == 1
    assert set(Membership.objects.values_list("person_id", flat=True)) == {other.pk}


def test_death_is_covered_that_day_and_an_ended_status_until_the_day_before(kupang):
    dead = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    gone = kupang.hire("Maria Taolin", kupang.dlhk, start=D(2015, 3, 1))
    services.change_status(None, dead, "deceased", D(2023, 5, 17), reason="Meninggal dunia")
    services.change_status(
        None, gone, "ended", D(2023, 5, 17), reason="Mengundurkan diri", engagement=kupang.engagement(gone)
    )
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    assert _periods(agreement, dead) == [(D(2021, 4, 10), D(2023, 5, 17), 2_500_000, "deceased")]
    assert _periods(agreement, gone) == [(D(2021, 4, 10), D(2023, 5, 16), 2_500_000, "ended")]


def test_ended_before_a_new_contract_start_belongs_to_the_earlier_stint(kupang):
    back = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2022, 1, 3))
    services.change_status(None, back, "ended", D(2021, 6, 1), reason="Kontrak lama selesai")
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    assert _periods(agreement, back) == [(D(2022, 1, 3), D(2024, 4, 9), 2_500_000, "agreement_end")]


def test_a_pu_engagement_without_a_wage_is_counted_not_covered(kupang):
    kupang.hire("Yohanes Bria", kupang.dlhk, wage=None)
    agreement = kupang.agreement()
    counts = enrolment.sync(agreement)
    assert (counts["periods"], counts["without_wage"]) == (0, 1)


def test_bpu_basis_is_the_wage_else_the_declared_income(kupang):
    farmer = kupang.hire("Yohanes Bria", kupang.dlhk, wage=None, group="rentan")
    trader = kupang.hire("Maria Taolin", kupang.dlhk, wage=1_500_000, group="rentan")
    agreement = kupang.agreement(
        category="bpu", groups=["rentan"], programs=["JKK", "JKM"], jkk_class=None, declared_income=1_000_000
    )
    enrolment.sync(agreement)
    assert [p[2] for p in _periods(agreement, farmer)] == [1_000_000]
    assert [p[2] for p in _periods(agreement, trader)] == [1_500_000]


def test_a_wage_change_splits_the_period_and_keeps_the_earlier_basis(kupang):
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), wage=2_000_000)
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    engagement = kupang.engagement(person)
    enrolment.change_wage(kupang.finance, engagement, 2_250_000, D(2023, 1, 1), reason="Kenaikan UMK")
    assert _periods(agreement, person) == [
        (D(2021, 4, 10), D(2022, 12, 31), 2_000_000, "wage_change"),
        (D(2023, 1, 1), D(2024, 4, 9), 2_250_000, "agreement_end"),
    ]
    engagement.refresh_from_db()
    assert engagement.monthly_wage == 2_250_000  # the wage in force today
    opening = WageChange.objects.filter(engagement=engagement).order_by("effective_date").first()
    assert (opening.effective_date, opening.monthly_wage) == (D(2015, 3, 1), 2_000_000)
    assert AuditEvent.objects.filter(action="engagement.wage", actor=kupang.finance).count() == 1
    assert enrolment.sync(agreement)["added"] == 0  # the change already re-derived its periods


@pytest.mark.parametrize(
    ("wage", "effective", "field"),
    [
        (0, D(2023, 1, 1), "monthly_wage"),
        (-5, D(2023, 1, 1), "monthly_wage"),
        (10**12, D(2023, 1, 1), "monthly_wage"),
        (2_000_000, D(2014, 1, 1), "effective_date"),
        (2_000_000, D(2099, 1, 1), "effective_date"),
    ],
)
def test_bad_wage_changes_change_nothing(kupang, wage, effective, field):
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    with pytest.raises(ValidationFailed) as failed:
        enrolment.change_wage(kupang.finance, kupang.engagement(person), wage, effective, reason="uji")
    assert field in failed.value.errors
    assert not WageChange.objects.exists() and kupang.engagement(person).monthly_wage == 2_500_000


def test_transfer_closes_one_period_and_opens_the_next_in_the_new_unit(kupang):
    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), end=D(2026, 12, 31))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    old = kupang.engagement(person)
    new = enrolment.transfer(kupang.finance, old, kupang.dinkes, D(2022, 9, 1), reason="Mutasi")
    old.refresh_from_db()
    assert (old.end_date, new.start_date, new.end_date) == (D(2022, 8, 31), D(2022, 9, 1), D(2026, 12, 31))
    rows = list(
        Membership.objects.filter(person=person).order_by("start").values_list("unit_id", "start", "end")
    )
    assert rows == [
        (kupang.dlhk.pk, D(2021, 4, 10), D(2022, 8, 31)),
        (kupang.dinkes.pk, D(2022, 9, 1), D(2024, 4, 9)),
    ]
    with pytest.raises(ValidationFailed) as failed:
        enrolment.transfer(kupang.finance, new, kupang.dlhk, D(2023, 1, 1), reason="Kembali")
    assert "unit_id" in failed.value.errors  # the old engagement is there: moving back is not silent


def test_changing_the_agreement_rederives_its_periods(kupang):
    from payung.coverage.services import update_agreement
    from tests.coverage.conftest import pks

    person = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    update_agreement(
        kupang.finance, agreement, pks(valid_to=D(2023, 12, 31)), reason="Adendum", channel="web"
    )
    assert _periods(agreement, person) == [(D(2021, 4, 10), D(2023, 12, 31), 2_500_000, "agreement_end")]


def test_a_death_reported_after_billing_moves_the_period_and_becomes_an_adjustment(kupang):
    from payung.contributions import billing
    from payung.contributions.models import BillLine, LineKind

    dead = kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    kupang.hire("Maria Taolin", kupang.dlhk, start=D(2015, 3, 1))
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    billing.generate(None, agreement.region, D(2023, 5, 1))
    services.change_status(None, dead, "deceased", D(2023, 4, 20), reason="Dilaporkan terlambat")
    assert _periods(agreement, dead) == [(D(2021, 4, 10), D(2023, 4, 20), 2_500_000, "deceased")]
    (june,) = billing.generate(None, agreement.region, D(2023, 6, 1))
    corrections = BillLine.objects.filter(bill=june, kind=LineKind.ADJUSTMENT)
    assert sorted(corrections.values_list("name", "period", "total")) == [
        ("Yohanes Bria", D(2023, 5, 1), -7_500),
        ("Yohanes Bria", D(2023, 5, 1), -6_000),
    ]
    assert june.people == 1
