"""Adding a rule version (next year's JP cap, a region's minimum wage): validated and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from payung.audit.services import record, snapshot, stored_user
from payung.regions.models import Region
from payung.registry.services import NotAllowed, ValidationFailed
from payung.rules.models import Confidence, Measure, Parameter, RuleVersion

EARLIEST = dt.date(2014, 1, 1)  # BPJS began operating in 2014 (UU 24/2011): nothing to version before


@dataclass
class VersionData:
    key: str
    effective_from: dt.date
    value: str | Decimal
    source: str
    confidence: str = Confidence.REGULATION
    note: str = ""
    region_code: str = ""


def add_version(user, data: VersionData, *, channel: str = "web") -> RuleVersion:
    """Store a new version; the existing ones never change (bills cite them)."""
    parameter = Parameter.objects.filter(key=data.key).first()
    value, errors = _check(user, data, parameter)
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            version = RuleVersion.objects.create(
                parameter=parameter,
                region_code=data.region_code,
                effective_from=data.effective_from,
                value=value,
                source=data.source.strip(),
                confidence=data.confidence,
                note=data.note.strip(),
                recorded_by=stored_user(user),
            )
            record(
                user,
                "rule.add",
                version,
                region_code=data.region_code,
                after=snapshot(version),
                channel=channel,
            )
    except IntegrityError:
        raise ValidationFailed({"effective_from": [_same_day()]}) from None
    return version


def _same_day() -> str:
    return _("Sudah ada versi aturan ini yang berlaku mulai tanggal itu; versi lama tidak pernah diubah.")


def _check(user, data: VersionData, parameter: Parameter | None) -> tuple[Decimal | None, dict]:
    errors: dict[str, list[str]] = {}
    if data.region_code and not Region.objects.filter(code=data.region_code).exists():
        return None, {"region_code": [_("Wilayah %(code)s tidak dikenal.") % {"code": data.region_code}]}
    if user is not None and not user.can_set_rules(data.region_code):
        # Before the other checks: whoever may not add the version learns nothing more about it.
        raise NotAllowed({"region_code": [_("Anda tidak berhak menambah versi aturan untuk cakupan ini.")]})
    if parameter is None:
        return None, {"key": [_("Aturan %(key)s tidak dikenal.") % {"key": data.key}]}
    value = _decimal(data.value)
    problem = _value_problem(value, parameter.measure)
    if problem:
        errors["value"] = [problem]
    if data.effective_from < EARLIEST:
        errors["effective_from"] = [_("Tanggal berlaku tidak boleh sebelum 1 Januari 2014.")]
    elif RuleVersion.objects.filter(
        parameter=parameter, region_code=data.region_code, effective_from=data.effective_from
    ).exists():
        errors["effective_from"] = [_same_day()]
    if not data.source.strip():
        errors["source"] = [_("Sebutkan sumbernya: peraturan dan pasal, atau surat BPJS.")]
    if data.confidence not in Confidence.values:
        errors["confidence"] = [_("Tingkat keyakinan harus R, N, C atau U.")]
    return value, errors


def _decimal(text: str | Decimal) -> Decimal | None:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _value_problem(value: Decimal | None, measure: str) -> str | None:
    if value is None or value < 0:
        return _("Nilai harus angka 0 atau lebih.")
    if measure == Measure.PERCENT and (value > 100 or value.as_tuple().exponent < -4):
        return _("Persen harus antara 0 dan 100, paling banyak 4 angka di belakang koma.")
    if measure != Measure.PERCENT and value != value.to_integral():
        return _("Nilai dalam rupiah atau bilangan harus bilangan bulat.")
    if value >= 10**12:
        return _("Nilai terlalu besar.")
    return None
