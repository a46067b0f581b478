"""Claims through their services: the death through the registry's status path, eligibility from the bills
and payments, heirs, documents, BPJS's answer, scholarships; and bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from payung.audit.locking import Conflict
from payung.audit.models import AuditEvent
from payung.claims import checklist, family, services
from payung.claims.family import HeirData
from payung.claims.models import Claim, ClaimState, Event, Heir, Scholarship
from payung.claims.services import Details, EventData
from payung.contributions import billing
from payung.contributions.models import BillLine
from payung.coverage.models import Membership
from payung.registry.models import Person, StatusChange
from payung.registry.nik import compose
from payung.registry.services import ValidationFailed, change_status
from tests.claims import world

pytestmark = pytest.mark.django_db
DEATH = dt.date(2025, 4, 20)


@pytest.fixture
def town():
    found = world.kupang()
    for bill in found.bills():
        world.pay(bill)
    return found


def death(person: Person, on: dt.date = DEATH, **details) -> Claim:
    data = EventData(
        "death",
        on,
        place="RSUD Kupang",
        cause="Sakit",
        reporter="Istri",
        details=Details(member_since=dt.date(2021, 4, 10), **details),
    )
    return services.record_event(None, person, data, version=person.version, channel="cli")


def everything() -> dict:
    """What a refused write must leave as it was."""
    return {
        "events": Event.objects.count(),
        "claims": Claim.objects.count(),
        "heirs": Heir.objects.count(),
        "status": StatusChange.objects.count(),
        "audit": AuditEvent.objects.count(),
        "people": list(Person.objects.values_list("pk", "status", "version")),
        "periods": list(Membership.objects.values_list("pk", "end")),
    }


# ------------------------------------------------------------------------------ the event and its claim
def test_a_death_of_a_paid_up_member_is_jkm_42_million_and_protected(town):
    yohanes = town.people["Yohanes"]
    claim = death(yohanes, children=2)
    assert (claim.program, claim.state, claim.computed_total) == ("JKM", ClaimState.DRAFT, 42_000_000)
    assert claim.quote["scholarship_children"] == 2 and claim.verdict == "protected"
    codes = [f["code"] for f in claim.eligibility["findings"]]
    assert codes == ["enrolled", "before_payung", "paid"]
    yohanes.refresh_from_db()
    assert yohanes.status == "deceased"  # the registry's own status path, one StatusChange
    recorded = StatusChange.objects.get(person=yohanes)
    assert recorded.effective_date == DEATH and claim.event.status_change == recorded
    periods = Membership.objects.filter(person=yohanes).values_list("end", "end_reason")
    assert list(periods) == [(DEATH, "deceased")]
    assert AuditEvent.objects.filter(action="claim.create", object_id=str(claim.pk)).exists()


def test_a_bill_already_issued_for_later_months_is_corrected_on_the_next_bill(town):
    death(town.people["Yohanes"])  # died in April; May and June were billed in full already
    billing.generate(None, town.region, dt.date(2025, 7, 1), agreement=town.agreement, channel="cli")
    fixes = BillLine.objects.filter(person=town.people["Yohanes"], kind="adjustment")
    assert sorted({line.period for line in fixes}) == [dt.date(2025, 5, 1), dt.date(2025, 6, 1)]
    assert all(line.total < 0 for line in fixes)


def test_unpaid_months_put_the_claim_at_risk_and_say_it_is_the_pemdas_fault():
    town = world.kupang()
    for bill in town.bills()[:2]:  # January and February paid; March (due 15 April) not
        world.pay(bill)
    claim = death(town.people["Maria"])
    assert claim.verdict == "at_risk"
    unpaid = next(f for f in claim.eligibility["findings"] if f["code"] == "unpaid")
    assert unpaid["pemda_fault"] and unpaid["months"] == ["2025-03-01", "2025-04-01"]
    assert claim.eligibility["pemda_fault"] is True


def test_more_than_three_months_of_arrears_means_the_pemda_pays_first():
    town = world.kupang()
    claim = death(town.people["Petrus"], on=dt.date(2025, 6, 30))  # nothing ever paid
    finding = next(f for f in claim.eligibility["findings"] if f["code"] == "unpaid_long")
    assert finding["params"]["count"] == 6 and finding["pemda_fault"]


def test_a_lapsed_bpu_membership_is_not_protected_and_names_the_months():
    town = world.ttu()
    for bill in town.bills()[:2]:  # Jan, Feb paid; Mar, Apr, May unpaid and due by the death in late May
        world.pay(bill)
    data = EventData("accident", dt.date(2025, 5, 28), place="Kebun", details=Details(stmb_months=2))
    claim = services.record_event(None, town.people["Kornelis"], data, channel="cli")
    assert (claim.program, claim.category, claim.verdict) == ("JKK", "bpu", "not_protected")
    lapsed = next(f for f in claim.eligibility["findings"] if f["code"] == "lapsed")
    assert lapsed["months"] == ["2025-03-01", "2025-04-01", "2025-05-01"] and lapsed["pemda_fault"]
    assert claim.computed_total == 2 * 1_000_000  # STMB on the declared income


def test_a_death_recorded_on_the_status_form_first_is_taken_over_not_recorded_twice(town):
    maria = town.people["Maria"]
    change_status(None, maria, "deceased", DEATH, reason="Meninggal", channel="cli")
    maria.refresh_from_db()
    claim = death(maria)
    assert StatusChange.objects.filter(person=maria).count() == 1
    assert claim.event.status_change.person == maria


@pytest.mark.parametrize(
    ("on", "field"),
    [(dt.date(1985, 3, 13), "occurred_on"), (dt.date(2099, 1, 1), "occurred_on")],
    ids=["before-birth", "future"],
)
def test_an_event_before_birth_or_in_the_future_is_refused_with_nothing_changed(town, on, field):
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        death(town.people["Yohanes"], on=on)
    assert field in refused.value.errors and everything() == before


def test_a_death_recorded_twice_is_refused(town):
    death(town.people["Yohanes"])
    before = everything()
    with pytest.raises(ValidationFailed, match="tidak dicatat dua kali"):
        death(Person.objects.get(pk=town.people["Yohanes"].pk), on=DEATH + dt.timedelta(days=1))
    assert everything() == before


def test_a_death_on_another_day_than_the_registry_holds_is_refused(town):
    petrus = town.people["Petrus"]
    change_status(None, petrus, "deceased", DEATH, reason="Meninggal", channel="cli")
    before = everything()
    with pytest.raises(ValidationFailed, match="sudah tercatat meninggal"):
        death(Person.objects.get(pk=petrus.pk), on=DEATH - dt.timedelta(days=3))
    assert everything() == before


def test_a_claim_for_someone_never_enrolled_is_refused(town):
    stranger = world.add_person(town.region, town.unit, "Simon Lake", 9, group="teacher")
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        death(stranger)
    assert "tidak pernah terdaftar dalam JKM" in refused.value.errors["person"][0]
    assert everything() == before


def test_a_stale_person_version_refuses_the_death(town):
    yohanes = town.people["Yohanes"]
    stale = yohanes.version
    change_status(None, yohanes, "active", dt.date(2025, 1, 1), reason="Koreksi", channel="cli")
    with pytest.raises(Conflict):
        services.record_event(None, yohanes, EventData("death", DEATH), version=stale, channel="cli")
    assert not Event.objects.exists()


# ------------------------------------------------------------------------------ heirs
def heir(claim, relation, name, born, sex="P", seq=11, **more) -> Heir:
    nik = compose("537101", born, sex, seq)
    data = HeirData(relation, nik, name, **more)
    return family.add_heir(None, claim, data, version=claim.version, channel="cli")


def test_heirs_are_checked_ordered_linked_and_share_the_cash(town):
    claim = death(town.people["Yohanes"], children=3)
    spouse = heir(claim, "spouse", "Yuliana Bria", dt.date(1987, 2, 2))
    child = heir(claim, "child", "Agnes Bria", dt.date(2012, 6, 1), seq=12)
    heir(claim, "parent", "Markus Bria", dt.date(1955, 1, 1), sex="L", seq=13)
    assert (spouse.sex, spouse.birth_date) == ("P", dt.date(1987, 2, 2))  # read from the NIK
    claim.refresh_from_db()
    assert family.shares(claim) == {spouse.pk: 21_000_000, child.pk: 21_000_000}  # the parent is not entitled
    assert claim.quote["scholarship_children"] == 1  # the recorded children now count, not the reported 3
    assert {"marriage_book", "school_certificate"} <= set(checklist.needed_documents(claim))


def test_an_heir_in_the_registry_is_linked(town):
    claim = death(town.people["Yohanes"])
    maria = town.people["Maria"]
    found = family.add_heir(None, claim, HeirData("sibling", maria.nik, maria.name), version=claim.version)
    assert found.person == maria


@pytest.mark.parametrize(
    ("nik", "message"),
    [("1234", "16 digit"), (None, "orang yang meninggal itu sendiri")],
    ids=["bad-nik", "the-deceased"],
)
def test_a_bad_heir_is_refused_with_nothing_changed(town, nik, message):
    yohanes = town.people["Yohanes"]
    claim = death(yohanes)
    before = everything()
    with pytest.raises(ValidationFailed, match=message):
        family.add_heir(None, claim, HeirData("child", nik or yohanes.nik, "X"), version=claim.version)
    assert everything() == before


# ------------------------------------------------------------------------------ documents and BPJS
def test_the_file_goes_from_draft_to_complete_to_submitted_to_paid_with_the_difference(town):
    claim = death(town.people["Yohanes"])
    heir(claim, "spouse", "Yuliana Bria", dt.date(1987, 2, 2))
    claim.refresh_from_db()
    needed = checklist.needed_documents(claim)
    checklist.set_documents(None, claim, {c: "" for c in needed[:-1]}, version=claim.version)
    assert claim.state == ClaimState.DRAFT
    with pytest.raises(ValidationFailed, match="sesudah semua dokumen lengkap"):
        services.submit(None, claim, dt.date(2025, 5, 2), version=claim.version)
    checklist.set_documents(None, claim, {c: "" for c in needed}, version=claim.version)
    assert claim.state == ClaimState.COMPLETE
    services.submit(None, claim, dt.date(2025, 5, 2), reference="KLM-1", version=claim.version)
    services.decide(None, claim, "paid", dt.date(2025, 5, 8), amount=40_000_000, version=claim.version)
    claim.refresh_from_db()
    assert (claim.state, claim.paid_amount, claim.difference) == ("paid", 40_000_000, -2_000_000)
    assert "kurang" in services.difference_text(claim)


def test_a_refusal_needs_its_reason_and_a_stale_version_writes_nothing(town):
    claim = death(town.people["Yohanes"])
    every = {c: "" for c in checklist.needed_documents(claim)}
    checklist.set_documents(None, claim, every, version=claim.version)
    services.submit(None, claim, dt.date(2025, 5, 2), version=claim.version)
    with pytest.raises(ValidationFailed, match="alasan"):
        services.decide(None, claim, "refused", dt.date(2025, 5, 9), version=claim.version)
    with pytest.raises(Conflict):
        services.decide(None, claim, "refused", dt.date(2025, 5, 9), reason="x", version=claim.version - 1)
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


# ------------------------------------------------------------------------------ scholarships
def test_scholarships_per_child_per_school_year_until_they_end(town):
    claim = death(town.people["Yohanes"], children=2)
    elder = heir(claim, "child", "Agnes Bria", dt.date(2003, 5, 1), seq=12)  # 23 in July 2026
    younger = heir(claim, "child", "Lukas Bria", dt.date(2015, 1, 5), sex="L", seq=13)
    claim.refresh_from_db()
    first = family.add_scholarship(None, claim, elder, 2025, "college", version=claim.version)
    assert first.amount == 12_000_000
    with pytest.raises(ValidationFailed, match="berumur 23 tahun"):
        family.add_scholarship(None, claim, elder, 2026, "college", version=claim.version)
    for year in (2024, 2025, 2026):
        family.add_scholarship(None, claim, younger, year, "smp", version=claim.version)
    with pytest.raises(ValidationFailed, match="paling lama 3 tahun"):
        family.add_scholarship(None, claim, younger, 2027, "smp", version=claim.version)
    left = family.remaining(claim, younger)
    assert [x["left"] for x in left["levels"]] == [8, 0, 3, 5] and left["ends_on"] == dt.date(2038, 1, 5)
    family.pay_scholarship(None, claim, first, dt.date(2025, 8, 1), 12_000_000, version=claim.version)
    assert Scholarship.objects.get(pk=first.pk).state == "paid"


def test_a_third_child_gets_no_scholarship(town):
    claim = death(town.people["Yohanes"], children=3)
    kids = [heir(claim, "child", f"Anak {n}", dt.date(2010 + n, 1, 1), seq=20 + n) for n in range(3)]
    claim.refresh_from_db()
    with pytest.raises(ValidationFailed, match="paling banyak untuk 2 anak"):
        family.add_scholarship(None, claim, kids[2], 2025, "smp", version=claim.version)


@pytest.mark.parametrize("paid", [(1.0, 0.5, 0.0, 1.0, 0.3, 0.0), (0.0,) * 6, (1.0,) * 6])
def test_the_eligibility_ledger_allocates_payments_exactly_as_the_ledger_does(paid):
    """eligibility skips the running sum for bills paid in full or not at all; what each person's lines
    get covered must still equal contributions.arrears.ledger, month by month, now and as of a day."""
    from payung.claims.eligibility import _ledger
    from payung.contributions import ledger

    town = world.kupang()
    for bill, share in zip(town.bills(), paid, strict=True):
        if share:
            world.pay(bill, amount=max(int(bill.total * share), 1))
    for person in town.people.values():
        for on in (None, dt.date(2025, 4, 1)):
            expected: dict = {}
            for row in ledger.ledger(person, on):
                if row.program == "JKM":
                    amount, covered = expected.get(row.month, (0, 0))
                    expected[row.month] = (amount + row.amount, covered + row.covered)
            assert _ledger(person, "JKM", on) == expected


def test_a_refund_further_down_a_bill_paid_in_full_does_not_cover_the_lines_above_it():
    """A bill paid to its (net) total with a refund line after the deceased's line: the payments cover the
    lines in the bill's order (decision 0010), so the deceased's month is only partly paid, as their ledger
    says; eligibility must not read "paid in full" off the bill's totals."""
    from payung.contributions import ledger
    from payung.contributions.models import Payment
    from tests.contributions import money

    town = world.kupang()
    for bill in town.bills():
        world.pay(bill)
    july = dt.date(2025, 7, 1)
    maria, petrus, yohanes = (town.people[n] for n in ("Maria", "Petrus", "Yohanes"))
    bill = money.bill(
        town.agreement,
        july,
        [
            money.Line(maria, town.unit, "JKM", 10_000),
            money.Line(petrus, town.unit, "JKM", -6_000, period=dt.date(2025, 3, 1)),  # a refund
            money.Line(yohanes, town.unit, "JKM", 4_000),
        ],
    )
    Payment.objects.create(bill=bill, paid_on=dt.date(2025, 8, 10), amount=8_000, reference="SP2D/7")
    (row,) = [r for r in ledger.ledger(maria) if r.month == july and r.program == "JKM"]
    assert (row.amount, row.covered, row.status) == (10_000, 8_000, "partial")
    claim = death(maria, on=dt.date(2025, 7, 20))
    assert claim.verdict == "at_risk"
    unpaid = next(f for f in claim.eligibility["findings"] if f["code"] == "unpaid")
    assert unpaid["months"] == ["2025-07-01"] and unpaid["params"]["amount"] == 2_000
