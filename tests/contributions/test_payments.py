"""Recording payments: partial allowed, never more than what is still due, every refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.contributions import arrears
from payung.contributions.models import Payment
from payung.contributions.payments import PaymentData, record_payment
from payung.regions.models import Region
from payung.registry.services import ValidationFailed
from tests.contributions import money

pytestmark = pytest.mark.django_db

MAY = dt.date(2023, 5, 1)


@pytest.fixture
def kupang(db):
    return Region.objects.get(code="5371")


@pytest.fixture
def clerk(kupang):
    return User.objects.create_user("kupang.keuangan", role=Role.FINANCE, region=kupang)


@pytest.fixture
def bill(kupang):
    agreement = money.agreement(kupang)
    dlhk = money.unit(kupang, "Dinas Lingkungan Hidup dan Kebersihan")
    people = [money.person(kupang, name, n) for n, name in enumerate(["Maria Bere", "Yohanes Bria"], 1)]
    lines = [
        money.Line(p, dlhk, program, amount)
        for p in people
        for program, amount in (("JKK", 5_400), ("JKM", 6_750))
    ]
    return money.bill(agreement, MAY, lines)


def pay(clerk, bill, amount, paid_on=dt.date(2023, 6, 10), reference="SP2D-0012/2023"):
    return record_payment(clerk, bill, PaymentData(paid_on, amount, reference), channel="web")


def refused(clerk, bill, amount, **kwargs) -> dict[str, list[str]]:
    payments, events = Payment.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as failed:
        pay(clerk, bill, amount, **kwargs)
    assert (Payment.objects.count(), AuditEvent.objects.count()) == (payments, events), "nothing written"
    return failed.value.errors


def test_a_partial_payment_is_recorded_and_audited(clerk, bill):
    payment = pay(clerk, bill, 10_000)
    assert (payment.amount, payment.reference, payment.recorded_by) == (10_000, "SP2D-0012/2023", clerk)
    assert arrears.outstanding(bill) == bill.total - 10_000
    event = AuditEvent.objects.get(action="payment.create")
    assert (event.actor, event.region_code, event.object_id) == (clerk, "5371", str(payment.pk))
    assert event.after["amount"] == 10_000 and event.after["bill_id"] == bill.pk


def test_overpayment_is_refused_with_what_is_still_due(clerk, bill):
    assert bill.total == 24_300
    errors = refused(clerk, bill, 24_301)
    assert errors == {"amount": ["Pembayaran melebihi sisa tagihan Rp 24.300."]}
    pay(clerk, bill, 20_000)
    assert refused(clerk, bill, 4_301)["amount"] == ["Pembayaran melebihi sisa tagihan Rp 4.300."]
    pay(clerk, bill, 4_300)
    assert arrears.outstanding(bill) == 0
    assert refused(clerk, bill, 1)["amount"] == ["Tagihan ini sudah lunas."]


@pytest.mark.parametrize("amount", [0, -5_000, None, True, 1.5, "1000"])
def test_an_amount_must_be_positive_whole_rupiah(clerk, bill, amount):
    assert list(refused(clerk, bill, amount)) == ["amount"]


def test_dates_and_reference(clerk, bill):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert refused(clerk, bill, 1_000, paid_on=tomorrow)["paid_on"] == [
        "Tanggal bayar tidak boleh di masa depan."
    ]
    before = refused(clerk, bill, 1_000, paid_on=dt.date(2023, 4, 30))["paid_on"]
    assert before == ["Tanggal bayar tidak boleh sebelum bulan tagihan (Mei 2023)."]
    assert list(refused(clerk, bill, 1_000, paid_on=None)) == ["paid_on"]
    assert list(refused(clerk, bill, 1_000, reference="   ")) == ["reference"]
    assert list(refused(clerk, bill, 1_000, reference="x" * 101)) == ["reference"]
    assert pay(clerk, bill, 1_000, paid_on=MAY).paid_on == MAY  # the bill's first day is allowed


def test_every_error_at_once(clerk, bill):
    errors = refused(clerk, bill, 0, paid_on=None, reference="")
    assert set(errors) == {"amount", "paid_on", "reference"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.integers(min_value=-1_000, max_value=30_000), min_size=1, max_size=8))
def test_paid_never_exceeds_the_bill(clerk, bill, attempts):
    Payment.objects.filter(bill=bill).delete()  # hypothesis reuses the fixture's bill between examples
    for amount in attempts:
        due = arrears.outstanding(bill)
        try:
            pay(clerk, bill, amount)
            accepted = True
        except ValidationFailed:
            accepted = False
        assert accepted == (0 < amount <= due)
        assert arrears.outstanding(bill) == (due - amount if accepted else due)
    assert arrears.paid(bill) <= bill.total
