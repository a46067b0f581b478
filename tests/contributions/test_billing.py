"""Monthly bills: who is billed, for how much, under which rules; refusals; adjustments; immutability."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import transaction

from payung.audit.models import AuditEvent
from payung.contributions import billing, exports
from payung.contributions.billing import BillingError
from payung.contributions.calculator import quote
from payung.contributions.models import Bill, BillLine, LineKind
from payung.coverage.models import Membership
from payung.regions.models import Region
from payung.rules import queries as rule_queries
from tests.contributions import world

pytestmark = pytest.mark.django_db
MAY_2023 = dt.date(2023, 5, 1)


@pytest.fixture
def kupang():
    return Region.objects.get(code="5371")


def lines_of(bill: Bill, **filters) -> list[BillLine]:
    return list(BillLine.objects.filter(bill=bill, **filters).order_by("id"))


def snapshot() -> tuple:
    """Everything a refused or later generation must leave as it was."""
    bills = list(Bill.objects.order_by("id").values())
    lines = list(BillLine.objects.order_by("id").values())
    return bills, lines, AuditEvent.objects.filter(action="bill.generate").count()


def refused(code: str, *args, **kwargs) -> BillingError:
    before = snapshot()
    with pytest.raises(BillingError) as caught:
        billing.generate(None, *args, **kwargs)
    assert caught.value.code == code, caught.value.text()
    assert snapshot() == before
    for lang in ("id", "en"):
        assert caught.value.text(lang) and "%(" not in caught.value.text(lang)
    return caught.value


def test_a_bill_has_every_person_and_program_with_quote_amounts_and_the_rules_used(kupang):
    pks = world.agreement()
    wages = [2_000_000, 2_150_000, 3_333_333]
    for wage in wages:
        world.member(pks, wage, dt.date(2021, 4, 10))
    (bill,) = billing.generate(None, kupang, MAY_2023, channel="cli")
    book = rule_queries.book()
    expected = [quote(book, category="pu", amount=w, programs=["JKK", "JKM"], on=MAY_2023, jkk_class=1)
                for w in wages]  # fmt: skip
    assert bill.people == 3 and bill.line_count == 6
    assert bill.total == sum(q.total for q in expected) == bill.employer + bill.worker
    assert bill.due_date == dt.date(2023, 6, 15)
    by_wage = {(line.basis, line.program): line.employer for line in lines_of(bill)}
    for wage, q in zip(wages, expected, strict=True):
        for line in q.lines:
            assert by_wage[(wage, line.program)] == line.employer
    used = {(r["key"], r["effective_from"]) for r in bill.rules}
    assert {"pu.jkk.employer.class1", "pu.jkm.employer", "pu.due_day"} <= {key for key, _ in used}
    assert all(r["source"] and r["id"] for r in bill.rules)
    assert AuditEvent.objects.filter(action="bill.generate", object_id=str(bill.pk)).count() == 1


def test_kupang_agreement_april_2024_billed_may_2024_refused(kupang):
    pks = world.agreement(valid_from=dt.date(2021, 4, 10), valid_to=dt.date(2024, 4, 9))
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2024, 4, 9))
    (april,) = billing.generate(None, kupang, dt.date(2024, 4, 1))
    assert april.total == 4_800 + 6_000
    error = refused("no_agreement", kupang, dt.date(2024, 5, 1))
    assert "Mei 2024" in error.text("id") and "May 2024" in error.text("en")
    error = refused("outside", kupang, dt.date(2024, 5, 1), agreement=pks)
    assert "10-04-2021 s.d. 09-04-2024" in error.text("id")
    assert "10 Apr 2021 to 9 Apr 2024" in error.text("en")


def test_a_month_is_billed_once(kupang):
    pks = world.agreement()
    world.member(pks, 2_000_000, dt.date(2021, 4, 10))
    (bill,) = billing.generate(None, kupang, MAY_2023)
    error = refused("exists", kupang, MAY_2023)
    assert f"#{bill.pk}" in error.text("id")
    refused("exists", kupang, MAY_2023, agreement=pks)


def test_refusals_change_nothing(kupang):
    pks = world.agreement(valid_from=dt.date(2014, 1, 1), valid_to=dt.date(2030, 12, 31))
    refused("no_members", kupang, MAY_2023)
    world.member(pks, 2_000_000, dt.date(2014, 1, 1))
    next_but_one = billing.next_month(billing.next_month(dt.date.today().replace(day=1)))
    refused("future", kupang, next_but_one)
    error = refused("rule_missing", kupang, dt.date(2015, 3, 1))  # before PP 44/2015
    assert "pu.jkk.employer.class1" in error.text("en")
    with pytest.raises(BillingError):
        billing.parse_period("2023-13")


def test_bill_and_lines_are_immutable(kupang):
    pks = world.agreement()
    world.member(pks, 2_000_000, dt.date(2021, 4, 10))
    (bill,) = billing.generate(None, kupang, MAY_2023)
    bill.total = 0
    with pytest.raises(TypeError):
        bill.save()
    with pytest.raises(TypeError):
        lines_of(bill)[0].delete()


@pytest.mark.parametrize(("rule", "billed"), [("any_day", {"joins", "leaves", "stays"}),
                                              ("first_day", {"leaves", "stays"})])  # fmt: skip
def test_mid_month_rule_comes_from_the_agreement(kupang, rule, billed):
    pks = world.agreement(mid_month_rule=rule)
    world.member(pks, 2_000_000, dt.date(2023, 5, 20), name="joins")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2023, 5, 3), name="leaves")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="stays")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2023, 4, 30), name="left")
    world.member(pks, 2_000_000, dt.date(2023, 6, 1), name="later")
    (bill,) = billing.generate(None, kupang, MAY_2023)
    assert {line.name for line in lines_of(bill)} == billed
    assert bill.mid_month_rule == rule


def test_a_wage_change_within_the_month_counts_from_the_next_month(kupang):
    pks = world.agreement(programs=["JKK"])
    first = world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2023, 5, 14))
    world.member(pks, 3_000_000, dt.date(2023, 5, 15), who=first.person)
    (may,) = billing.generate(None, kupang, MAY_2023)
    (june,) = billing.generate(None, kupang, dt.date(2023, 6, 1))
    assert [line.basis for line in lines_of(may)] == [2_000_000]
    assert [line.basis for line in lines_of(june)] == [3_000_000]
    assert june.adjustments == 0


def test_retroactive_wage_rise_and_late_death_become_adjustments_on_the_next_bill(kupang):
    pks = world.agreement()
    riser = world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Naik Upah")
    dead = world.member(pks, 2_500_000, dt.date(2021, 4, 10), name="Meninggal")
    world.member(pks, 1_800_000, dt.date(2021, 4, 10), name="Tetap")
    (april,) = billing.generate(None, kupang, dt.date(2023, 4, 1))
    (may,) = billing.generate(None, kupang, MAY_2023)
    old = [list(BillLine.objects.filter(bill=b).values()) for b in (april, may)]
    old_totals = [(b.total, b.employer) for b in (april, may)]

    # Reported in June: a wage rise from 1 April, and a death on 20 April (re-derived periods).
    Membership.objects.filter(pk=riser.pk).update(basis=2_400_000)
    Membership.objects.filter(pk=dead.pk).update(end=dt.date(2023, 4, 20), end_reason="deceased")
    (june,) = billing.generate(None, kupang, dt.date(2023, 6, 1))

    adjustments = lines_of(june, kind=LineKind.ADJUSTMENT)
    got = {(line.name, line.program, line.period): line.total for line in adjustments}
    rise_jkk, rise_jkm = 960, 1_200  # 0.24 % and 0.30 % of Rp 400,000
    assert got == {
        ("Naik Upah", "JKK", dt.date(2023, 4, 1)): rise_jkk,
        ("Naik Upah", "JKM", dt.date(2023, 4, 1)): rise_jkm,
        ("Naik Upah", "JKK", dt.date(2023, 5, 1)): rise_jkk,
        ("Naik Upah", "JKM", dt.date(2023, 5, 1)): rise_jkm,
        ("Meninggal", "JKK", dt.date(2023, 5, 1)): -6_000,  # covered on 20 April: April stays
        ("Meninggal", "JKM", dt.date(2023, 5, 1)): -7_500,
    }
    assert june.adjustments == sum(got.values())
    assert june.people == 2  # the dead is no longer billed for June
    regular = sum(line.total for line in lines_of(june, kind=LineKind.REGULAR))
    assert june.total == regular + june.adjustments
    # The old bills did not move, and the July bill has nothing left to correct.
    assert [list(BillLine.objects.filter(bill=b).values()) for b in (april, may)] == old
    assert [(b.total, b.employer) for b in Bill.objects.filter(pk__in=[april.pk, may.pk])] == old_totals
    (july,) = billing.generate(None, kupang, dt.date(2023, 7, 1))
    assert july.adjustments == 0 and not lines_of(july, kind=LineKind.ADJUSTMENT)


def test_a_month_nobody_is_covered_in_is_refused_with_the_reason_and_its_corrections_wait(kupang):
    """Issue 13: contracts ending before the PKS made a bill of 0 people carrying only a death's correction
    (-Rp 11.070 in the demo), shown as paid and never to be generated again. Now the month is refused,
    says when the last membership ended and what corrections wait, and writes nothing."""
    pks = world.agreement(valid_to=dt.date(2024, 12, 31))
    dead = world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2023, 5, 31), name="Meninggal")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), dt.date(2023, 5, 31), name="Kontrak Habis")
    (may,) = billing.generate(None, kupang, MAY_2023)
    assert may.people == 2
    Membership.objects.filter(pk=dead.pk).update(end=dt.date(2023, 4, 20), end_reason="deceased")
    error = refused("nobody_since", kupang, dt.date(2023, 6, 1))
    assert "31-05-2023" in error.text("id") and "31 May 2023" in error.text("en")
    assert error.params["pending"] == -(4_800 + 6_000)
    assert "-Rp 10.800" in error.text("id") and "-Rp 10,800" in error.text("en")
    refused("nobody_since", kupang, dt.date(2023, 6, 1), agreement=pks)
    # The correction is not lost: once someone is covered again, it goes on that bill.
    world.member(pks, 2_000_000, dt.date(2023, 7, 1), name="Kontrak Baru")
    (july,) = billing.generate(None, kupang, dt.date(2023, 7, 1))
    assert (july.people, july.adjustments) == (1, -(4_800 + 6_000))


def test_a_month_before_the_first_membership_is_refused_saying_when_it_starts(kupang):
    pks = world.agreement()
    world.member(pks, 2_000_000, dt.date(2023, 7, 15))
    error = refused("nobody_yet", kupang, MAY_2023)
    assert "15-07-2023" in error.text("id") and "15 Jul 2023" in error.text("en")
    assert "pending" not in error.text("id") and "tidak hilang" not in error.text("id")


def test_a_bill_whose_corrections_exceed_its_month_is_a_credit_never_paid(kupang):
    from payung.contributions import arrears

    pks = world.agreement()
    gone = [world.member(pks, 5_000_000, dt.date(2021, 4, 10), name=f"Orang {i}") for i in range(3)]
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Tetap")
    billing.generate(None, kupang, dt.date(2023, 4, 1))
    billing.generate(None, kupang, MAY_2023)
    Membership.objects.filter(pk__in=[m.pk for m in gone]).update(end=dt.date(2023, 3, 31))
    (june,) = billing.generate(None, kupang, dt.date(2023, 6, 1))
    assert june.people == 1 and june.total < 0
    assert arrears.status(june.total, 0, june.due_date, dt.date(2023, 8, 1)) == "credit"
    assert arrears.outstanding(june) == 0
    assert arrears.arrears(Bill.objects.filter(pk=june.pk), dt.date(2023, 8, 1)) == []


def test_due_dates_pu_following_month_bpu_same_month():
    book = rule_queries.book()
    assert billing.due_date(book, "pu", dt.date(2023, 12, 1)) == dt.date(2024, 1, 15)
    assert billing.due_date(book, "bpu", dt.date(2023, 12, 1)) == dt.date(2023, 12, 15)


def test_exported_lines_are_in_the_bills_own_order(kupang):
    pks = world.agreement()
    other = world.unit(code="DINKES", name="Dinas Kesehatan")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Zakarias")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Agustinus")
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Yakobus", place=other)
    (bill,) = billing.generate(None, kupang, MAY_2023)
    order = list(exports.bill_lines(bill).select("unit_name", "name", "program").iter_rows())
    assert order == sorted(order) and len(order) == 6
    assert order[0] == ("Dinas Kesehatan", "Yakobus", "JKK")


@contextmanager
def version_dated(key: str, on: dt.date, region: str = ""):
    """A version of ``key`` from ``on`` (its current value), stored only for the block."""
    from payung.rules.models import RuleVersion

    with transaction.atomic():
        value = rule_queries.book().at(key, on, region).value
        yield RuleVersion.objects.create(
            parameter_id=key, region_code=region, effective_from=on, value=value, source="Uji"
        )
        transaction.set_rollback(True)


def test_a_rule_version_reaching_issued_bills_is_announced_and_adjusted_on_the_next_bill(kupang):
    """Seed 001's PKS (JKK class 1 + JKM) billed for May 2023; a JKM rate dated 1 May 2023 reaches that bill,
    other rules, classes and later dates do not; the bill stays, June carries the difference for May."""
    from payung.accounts.models import User
    from tests.rules.test_rules import run

    pks = world.agreement()
    world.member(pks, 2_000_000, dt.date(2021, 4, 10))
    (may,) = billing.generate(None, kupang, MAY_2023)
    with version_dated("pu.jkm.employer", MAY_2023) as version:
        assert billing.bills_reached(version) == (1, MAY_2023)
    with version_dated("pu.jkm.employer", MAY_2023, "5303") as version:
        assert billing.bills_reached(version) == (0, None)
    for key, on in [
        ("pu.jkm.employer", dt.date(2023, 5, 2)),
        ("pu.jkk.employer.class2", MAY_2023),
        ("pu.jp.wage_cap", MAY_2023),
        ("pu.due_day", MAY_2023),
        ("bpu.jkm.flat", MAY_2023),
    ]:
        with version_dated(key, on) as version:
            assert billing.bills_reached(version) == (0, None), key

    User.objects.create_superuser("root", password="x" * 12)
    said = run("rules", "add", "pu.jkm.employer", "--from", "2023-05-01", "--value", "0.4", "--source",
               "Uji", "--user", "root")  # fmt: skip
    assert "1 tagihan yang sudah dibuat (mulai Mei 2023)" in said
    with version_dated("pu.jkm.employer", dt.date(2023, 6, 1)) as version:
        assert billing.reached_note(version) is None
    assert Bill.objects.get(pk=may.pk).total == may.total  # never rewritten

    (june,) = billing.generate(None, kupang, dt.date(2023, 6, 1))
    (fix,) = lines_of(june, kind=LineKind.ADJUSTMENT)
    assert (fix.program, fix.period, fix.employer) == ("JKM", MAY_2023, 2_000)  # 0.40 % - 0.30 % of 2,000,000
    assert any(v["value"] == "0.4" for v in june.rules if v["key"] == "pu.jkm.employer")
