"""Agreements: every bad input gets its message and changes nothing; good input is saved and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from payung.audit.models import AuditEvent
from payung.coverage.models import Agreement
from payung.coverage.services import create_agreement, update_agreement
from payung.regions.models import Region
from payung.registry.services import ValidationFailed
from tests.coverage.conftest import PKS, pks


def _refused(kupang, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as failed:
        kupang.agreement(**changes)
    assert not Agreement.objects.exists()
    return failed.value.errors


def test_seed_001_is_saved_with_its_terms_and_audited(kupang):
    agreement = kupang.agreement(programs=["jkm", "JKK", "JKK"], budget_account=" 5.1.02 ")
    assert agreement.programs == ["JKK", "JKM"] and agreement.groups == ["non_asn"]
    assert (agreement.jkk_class, agreement.declared_income, agreement.budget_account) == (1, None, "5.1.02")
    event = AuditEvent.objects.get(action="agreement.create")
    assert event.actor == kupang.finance and event.region_code == "5371"
    assert event.after["number"] == agreement.number


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_to": dt.date(2021, 4, 10)}, "valid_to"),
        ({"valid_to": dt.date(2020, 1, 1)}, "valid_to"),
        ({"valid_from": None}, "valid_from"),
        ({"number": "  "}, "number"),
        ({"programs": []}, "programs"),
        ({"programs": ["JKK", "JKM", "XYZ"]}, "programs"),
        ({"category": "bpu", "programs": ["JP"], "declared_income": 1_000_000}, "programs"),
        ({"groups": []}, "groups"),
        ({"groups": ["pns"]}, "groups"),
        ({"jkk_class": None}, "jkk_class"),
        ({"jkk_class": 6}, "jkk_class"),
        ({"category": "bpu", "jkk_class": None}, "declared_income"),
        ({"category": "bpu", "declared_income": 0}, "declared_income"),
        ({"category": "bpu", "declared_income": 10**12}, "declared_income"),
        ({"category": "xx"}, "category"),
        ({"funding_source": "bank"}, "funding_source"),
        ({"unit_ids": [987654]}, "unit_ids"),
        ({"budget_account": "9" * 61}, "budget_account"),
        ({"signed_on": dt.date(2025, 1, 1)}, "signed_on"),
    ],
)
def test_bad_terms_are_refused_with_a_message_on_their_field(kupang, changes, field):
    errors = _refused(kupang, **changes)
    assert field in errors and all(isinstance(m, str) and m for m in errors[field])


def test_jkk_class_is_not_needed_without_jkk_and_ignored_for_bpu(kupang):
    jkm_only = kupang.agreement(programs=["JKM"], jkk_class=None)
    assert jkm_only.jkk_class is None
    rentan = kupang.agreement(
        number="B-1", category="bpu", groups=["rentan"], programs=["JKK", "JKM"], jkk_class=3,
        declared_income=1_000_000,
    )  # fmt: skip
    assert (rentan.jkk_class, rentan.declared_income) == (None, 1_000_000)


def test_number_is_unique_per_region_only(kupang):
    kupang.agreement()
    assert "number" in _refused_again(kupang, groups=["teacher"])
    other = create_agreement(None, Region.objects.get(code="5303"), pks(), channel="cli")
    assert other.number == PKS["number"] and other.region_id == "5303"


def _refused_again(kupang, **changes):
    with pytest.raises(ValidationFailed) as failed:
        kupang.agreement(**changes)
    assert Agreement.objects.count() == 1
    return failed.value.errors


def test_overlapping_agreements_for_the_same_people_and_program_are_refused(kupang):
    kupang.agreement()
    errors = _refused_again(kupang, number="2", valid_from=dt.date(2024, 4, 9), valid_to=dt.date(2027, 4, 9))
    assert "dua kali" in errors["valid_from"][0]
    kupang.agreement(number="3", valid_from=dt.date(2024, 4, 10), valid_to=dt.date(2027, 4, 9))  # renewal
    kupang.agreement(number="4", programs=["JHT"])  # an addendum for another program
    kupang.agreement(number="5", groups=["teacher"])  # another group
    kupang.agreement(number="6", unit_ids=[kupang.dlhk.pk], groups=["rentan"])
    kupang.agreement(number="7", unit_ids=[kupang.dinkes.pk], groups=["rentan"])  # other unit
    assert Agreement.objects.count() == 6


def test_update_needs_a_reason_and_records_only_what_changed(kupang):
    agreement = kupang.agreement()
    with pytest.raises(ValidationFailed) as failed:
        update_agreement(kupang.finance, agreement, pks(notes="x"), reason=" ", channel="web")
    assert "reason" in failed.value.errors
    update_agreement(kupang.finance, agreement, pks(late_fine=True), reason="Adendum 1", channel="web")
    event = AuditEvent.objects.get(action="agreement.update")
    assert event.before == {"late_fine": False} and event.after == {"late_fine": True}
    assert event.reason == "Adendum 1"
    agreement.refresh_from_db()
    assert agreement.late_fine is True
