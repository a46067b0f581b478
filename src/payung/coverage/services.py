"""Writing agreements (PKS). Views, API and CLI call these; each write is checked first and audited.

An agreement bounds coverage (decision 0010): its validity clips every membership period, its groups and
units say who is covered, its programs and JKK class what is billed. Two agreements of one region that
would cover the same person for the same program on the same day are refused: that is paying twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from payung.audit.locking import claim
from payung.audit.services import record, snapshot, stored_user
from payung.contributions.calculator import JKK_CLASSES, PROGRAMS
from payung.coverage.models import Agreement, FundingSource, MidMonthRule
from payung.regions.models import Region
from payung.registry.models import Group, Unit
from payung.registry.services import MAX_WAGE, ValidationFailed
from payung.rules.models import Program

TEXT_LIMITS = {"number": 100, "title": 200, "pemda_party": 200, "bpjs_branch": 200, "budget_account": 60}


@dataclass
class AgreementData:
    number: str
    pemda_party: str
    bpjs_branch: str
    signed_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    category: str = "pu"
    groups: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    jkk_class: int | None = None
    declared_income: int | None = None
    funding_source: str = FundingSource.APBD
    budget_account: str = ""  # kode rekening: free text, each Pemda writes it its own way
    late_fine: bool = False
    mid_month_rule: str = MidMonthRule.ANY_DAY
    unit_ids: list[int] = field(default_factory=list)  # none: every unit of the region
    title: str = ""
    notes: str = ""

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementData:
        """An agreement's current terms, to change some of them."""
        values = {f.name: getattr(agreement, f.name) for f in fields(cls) if f.name != "unit_ids"}
        return cls(**values, unit_ids=sorted(agreement.units.values_list("id", flat=True)))

    def cleaned(self) -> AgreementData:
        """Text trimmed, codes upper-cased, lists de-duplicated in their canonical order."""
        text = {name: (getattr(self, name) or "").strip() for name in (*TEXT_LIMITS, "notes")}
        programs = {p.strip().upper() for p in self.programs if p and p.strip()}
        order = {code: i for i, code in enumerate(PROGRAMS.get(self.category, ()))}
        chosen = set(self.groups)
        return replace(
            self,
            **text,
            groups=[g for g in Group.values if g in chosen] + sorted(chosen - set(Group.values)),
            programs=sorted(programs, key=lambda p: (order.get(p, len(order)), p)),
            unit_ids=sorted(set(self.unit_ids)),
        )


def _errors(region: Region, data: AgreementData, agreement_id: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in ("number", "pemda_party", "bpjs_branch"):
        if not getattr(data, name):
            add(name, _("Wajib diisi."))
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(data, name)) > limit:
            add(name, _("Terlalu panjang (maks. %(n)s karakter).") % {"n": limit})
    if (
        data.number
        and Agreement.objects.filter(region=region, number=data.number).exclude(pk=agreement_id).exists()
    ):
        add("number", _("Nomor PKS ini sudah dipakai di wilayah ini."))
    for name in ("signed_on", "valid_from", "valid_to"):
        if getattr(data, name) is None:
            add(name, _("Wajib diisi."))
    if data.valid_from and data.valid_to and data.valid_to <= data.valid_from:
        add("valid_to", _("Akhir masa berlaku harus sesudah awal masa berlaku."))
    if data.signed_on and data.valid_to and data.signed_on > data.valid_to:
        add("signed_on", _("Tanggal penandatanganan tidak boleh sesudah akhir masa berlaku."))
    _term_errors(data, add)
    if data.funding_source not in FundingSource.values:
        add("funding_source", _("Sumber dana tidak dikenal."))
    if data.mid_month_rule not in MidMonthRule.values:
        add("mid_month_rule", _("Aturan masuk/keluar di tengah bulan tidak dikenal."))
    if data.unit_ids and Unit.objects.filter(region=region, pk__in=data.unit_ids).count() != len(
        data.unit_ids
    ):
        add("unit_ids", _("Unit tidak ditemukan di wilayah ini."))
    if not errors:
        overlap = _overlapping(region, data, agreement_id)
        if overlap is not None:
            add(
                "valid_from",
                _(
                    "Masa berlaku tumpang tindih dengan PKS %(number)s untuk kelompok, unit dan program yang "
                    "sama: orang yang sama akan dibayar dua kali."
                )
                % {"number": overlap.number},
            )
    return errors


def _term_errors(data: AgreementData, add) -> None:
    """Category, programs, groups, JKK class and declared income."""
    if data.category not in PROGRAMS:
        add("category", _("Kategori harus PU (penerima upah) atau BPU (bukan penerima upah)."))
        return
    known = PROGRAMS[data.category]
    stored = set(Program.objects.filter(code__in=known).values_list("code", flat=True))
    if not data.programs:
        add("programs", _("Pilih paling sedikit satu program."))
    for program in data.programs:
        if program not in known or program not in stored:
            add(
                "programs",
                _("Program %(program)s tidak ada untuk kategori ini (yang ada: %(known)s).")
                % {"program": program, "known": ", ".join(p for p in known if p in stored)},
            )
    if not data.groups:
        add("groups", _("Pilih paling sedikit satu kelompok."))
    for group in data.groups:
        if group not in Group.values:
            add("groups", _("Kelompok %(group)s tidak dikenal.") % {"group": group})
    if data.category == "pu" and "JKK" in data.programs and data.jkk_class is None:
        add("jkk_class", _("JKK penerima upah membutuhkan kelompok risiko (1-5) yang ditetapkan BPJS."))
    elif data.jkk_class is not None and data.jkk_class not in JKK_CLASSES:
        add("jkk_class", _("Kelompok risiko JKK harus 1 sampai 5."))
    if data.category == "bpu":
        income = data.declared_income
        if income is None:
            add("declared_income", _("BPU membutuhkan penghasilan yang dilaporkan (Rp per bulan)."))
        elif isinstance(income, bool) or not 0 < income < MAX_WAGE:
            add("declared_income", _("Penghasilan harus lebih dari 0 dan kurang dari Rp 1 triliun."))


def _overlapping(region: Region, data: AgreementData, agreement_id: int | None) -> Agreement | None:
    """Another agreement of the region valid on some same day for a same group, unit and program."""
    others = (
        Agreement.objects.filter(region=region, valid_from__lte=data.valid_to, valid_to__gte=data.valid_from)
        .exclude(pk=agreement_id)
        .prefetch_related("units")
    )
    for other in others:
        units = {u.pk for u in other.units.all()}
        same_units = not units or not data.unit_ids or units & set(data.unit_ids)
        if set(other.groups) & set(data.groups) and set(other.programs) & set(data.programs) and same_units:
            return other
    return None


def _values(data: AgreementData) -> dict[str, object]:
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "unit_ids"}
    if data.category != "bpu":
        values["declared_income"] = None  # a wage earner's basis is the wage
    if "JKK" not in data.programs or data.category != "pu":
        values["jkk_class"] = None  # the class only prices PU's JKK
    return values


def _unit_ids(agreement: Agreement) -> list[int]:
    return sorted(agreement.units.values_list("id", flat=True))


@transaction.atomic
def create_agreement(user, region: Region, data: AgreementData, *, channel: str = "web") -> Agreement:
    data = data.cleaned()
    errors = _errors(region, data, None)
    if errors:
        raise ValidationFailed(errors)
    agreement = Agreement(region=region, created_by=stored_user(user), **_values(data))
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:  # the same number saved a moment ago by someone else
        raise ValidationFailed({"number": [_("Nomor PKS ini sudah dipakai di wilayah ini.")]}) from None
    agreement.units.set(data.unit_ids)
    record(
        user,
        "agreement.create",
        agreement,
        after={**snapshot(agreement), "unit_ids": data.unit_ids},
        channel=channel,
    )
    return agreement


@transaction.atomic
def update_agreement(
    user,
    agreement: Agreement,
    data: AgreementData,
    *,
    reason: str,
    version: int | None = None,
    channel: str = "web",
) -> Agreement:
    """Change the terms; memberships already derived are derived again under the new terms.
    ``version``: the one the editor read (None: whatever it is now); an older one raises Conflict."""
    data = data.cleaned()
    errors = _errors(agreement.region, data, agreement.pk)
    if not (reason or "").strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if errors:
        raise ValidationFailed(errors)
    before = {**snapshot(agreement), "unit_ids": _unit_ids(agreement)}
    for name, value in _values(data).items():
        setattr(agreement, name, value)
    after = {**snapshot(agreement), "unit_ids": data.unit_ids}
    changed = {k for k in after if after[k] != before[k]}
    if not changed:  # the agreement already says this: nothing to write, so nothing to lose
        return agreement
    claim(agreement, version)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise ValidationFailed({"number": [_("Nomor PKS ini sudah dipakai di wilayah ini.")]}) from None
    agreement.units.set(data.unit_ids)
    record(
        user,
        "agreement.update",
        agreement,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason.strip(),
        channel=channel,
    )
    if agreement.memberships.exists():
        from payung.coverage import enrolment

        enrolment.sync(agreement, user=user, channel=channel)
    return agreement
