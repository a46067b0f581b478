"""Every write of a claim: the event that opens it, its details, documents, the answer of BPJS. Views, API
and CLI call these; each runs in one transaction, is checked first (ValidationFailed: nothing written) and
audited. Heirs and scholarships are written in claims.family.

A death goes through the registry's one status path (registry.services.change_status): the person's
engagements end, the membership periods are derived again (covered on the day of death), and a bill
already issued for later months is corrected on the next bill like any late change (decision 0010).

A claim carries a version (decision 0013): every write takes the next one, and a write from a page opened
before someone else's change is refused with Conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from payung.audit.locking import claim as take_version
from payung.audit.services import difference, record, snapshot, stored_user
from payung.claims import eligibility, pricing
from payung.claims.checklist import OPEN
from payung.claims.models import Claim, ClaimState, Event, EventKind
from payung.contributions.payments import rupiah
from payung.registry import services as registry
from payung.registry.models import Status, StatusChange
from payung.registry.services import MAX_WAGE, ValidationFailed

TEXT_LIMITS = {"place": 200, "reporter": 200, "bpjs_reference": 100}


def program_of(kind: str, work_related: bool) -> str:
    """A death not from work is JKM's; a work accident, or a death from one, is JKK's."""
    return "JKK" if kind == EventKind.ACCIDENT or work_related else "JKM"


@dataclass
class Details:
    """What prices a claim beyond the event itself: editable until the claim goes to BPJS."""

    member_since: dt.date | None = None  # None: the first membership in the program Payung knows
    children: int = 0
    doctor_statement_on: dt.date | None = None
    disability: str = ""  # "" | partial | total
    disability_percent: Decimal | None = None
    function_percent: Decimal | None = None
    stmb_months: int = 0
    transport: str = ""
    transport_cost: int = 0
    home_care_cost: int = 0

    @classmethod
    def taken(cls, data: dict) -> Details:
        """The details among ``data``'s keys (a form's or an API body's), the rest left at their defaults."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if data.get(f.name) is not None})

    @classmethod
    def of(cls, claim: Claim) -> Details:
        values = {f.name: getattr(claim, f.name) for f in fields(cls) if f.name != "doctor_statement_on"}
        return cls(**values, doctor_statement_on=claim.event.doctor_statement_on)


@dataclass
class EventData:
    kind: str
    occurred_on: dt.date | None
    work_related: bool = False
    occurred_time: dt.time | None = None
    place: str = ""
    cause: str = ""
    reporter: str = ""
    details: Details | None = None


# ------------------------------------------------------------------------------------------ checks
def _day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def _event_errors(person, data: EventData, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in EventKind.values:
        errors["kind"] = [_("Jenis peristiwa harus meninggal dunia atau kecelakaan kerja.")]
    on = data.occurred_on
    if on is None:
        errors["occurred_on"] = [_("Tanggal peristiwa wajib diisi.")]
    elif on > today:
        errors["occurred_on"] = [_("Tanggal peristiwa tidak boleh di masa depan.")]
    elif on < person.birth_date:
        errors["occurred_on"] = [
            _("Tanggal peristiwa tidak boleh sebelum tanggal lahir orang ini (%(born)s).")
            % {"born": _day(person.birth_date)}
        ]
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(data, name, "") or "") > limit:
            errors[name] = [_("Terlalu panjang (maks. %(n)s karakter).") % {"n": limit}]
    return errors


def _details_errors(person, details: Details, on: dt.date | None, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if details.member_since and details.member_since < person.birth_date:
        errors["member_since"] = [_("Tanggal mulai menjadi peserta tidak boleh sebelum tanggal lahir.")]
    elif details.member_since and on and details.member_since > on:
        errors["member_since"] = [_("Tanggal mulai menjadi peserta tidak boleh sesudah tanggal peristiwa.")]
    statement = details.doctor_statement_on
    if statement and on and statement < on:
        errors["doctor_statement_on"] = [_("Surat keterangan dokter tidak boleh sebelum tanggal peristiwa.")]
    elif statement and statement > today:
        errors["doctor_statement_on"] = [_("Tanggal surat keterangan dokter tidak boleh di masa depan.")]
    if details.disability not in ("", "partial", "total"):
        errors["disability"] = [_("Cacat harus kosong, sebagian atau total.")]
    elif details.disability == "partial" and not details.disability_percent:
        errors["disability_percent"] = [_("Cacat sebagian membutuhkan persennya menurut tabel cacat.")]
    return errors


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _apply(claim: Claim, details: Details) -> None:
    for f in fields(Details):
        if f.name != "doctor_statement_on":
            setattr(claim, f.name, getattr(details, f.name))
    claim.event.doctor_statement_on = details.doctor_statement_on
    if claim.member_since is None:
        first = eligibility.periods(claim.person, claim.program)
        claim.member_since = first[0].start if first else claim.event.occurred_on


# ------------------------------------------------------------------------------------------ the event
def _death_recorded(person, data: EventData) -> StatusChange | None:
    """A death the registry already holds (from the status form): reused when it is the same day;
    a second Event for the person, or another day, is 'recorded twice'."""
    if Event.objects.filter(person=person, kind=EventKind.DEATH).exists():
        raise ValidationFailed({"kind": [_("Kematian orang ini sudah dicatat; tidak dicatat dua kali.")]})
    earlier = StatusChange.objects.filter(person=person, engagement=None, status=Status.DECEASED).first()
    if earlier and earlier.effective_date != data.occurred_on:
        raise ValidationFailed(
            {
                "occurred_on": [
                    _("Orang ini sudah tercatat meninggal pada %(day)s; kematian tidak dicatat dua kali.")
                    % {"day": _day(earlier.effective_date)}
                ]
            }
        )
    return earlier


@transaction.atomic
def record_event(user, person, data: EventData, *, version: int | None = None, channel: str = "web") -> Claim:
    """Record the event and open its claim (draft). ``version``: the person's as the form showed it (a
    death changes the person). Refused, with nothing written, for a date before birth or in the future, a
    second death, or a person never enrolled in the program."""
    today = timezone.localdate()
    details = data.details or Details()
    work_related = data.work_related or data.kind == EventKind.ACCIDENT
    errors = {
        **_event_errors(person, data, today),
        **_details_errors(person, details, data.occurred_on, today),
    }
    _check(errors)
    program = program_of(data.kind, work_related)
    if not eligibility.periods(person, program):
        raise ValidationFailed(
            {
                "person": [
                    _(
                        "%(name)s tidak pernah terdaftar dalam %(program)s di PKS mana pun: tidak ada "
                        "klaim yang dapat diajukan. Catat statusnya lewat halaman orang itu."
                    )
                    % {"name": person.name, "program": program}
                ]
            }
        )
    earlier = _death_recorded(person, data) if data.kind == EventKind.DEATH else None
    event = Event(
        region_id=person.region_id,
        person=person,
        kind=data.kind,
        work_related=work_related,
        occurred_on=data.occurred_on,
        occurred_time=data.occurred_time,
        place=data.place.strip(),
        cause=data.cause.strip(),
        reporter=data.reporter.strip(),
        recorded_by=stored_user(user),
    )
    claim = Claim(
        region_id=person.region_id, event=event, person=person, program=program, created_by=event.recorded_by
    )
    _apply(claim, details)
    pricing.membership_terms(claim)
    pricing.priced(claim, errors)
    _check(errors)
    if data.kind == EventKind.DEATH:
        event.status_change = earlier or registry.change_status(
            user,
            person,
            Status.DECEASED,
            data.occurred_on,
            version=version,
            channel=channel,
            reason=_("Meninggal dunia (klaim %(program)s)") % {"program": program},
        )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # the same death recorded a moment ago by someone else
        raise ValidationFailed(
            {"kind": [_("Kematian orang ini sudah dicatat; tidak dicatat dua kali.")]}
        ) from None
    claim.event = event
    pricing.membership_terms(claim)  # a death just recorded re-derived the periods: read them as they are now
    pricing.reprice(claim)
    pricing.recheck(claim)
    claim.save()
    record(
        user,
        "claim.create",
        claim,
        after={**snapshot(event), "program": program, "computed_total": claim.computed_total},
        channel=channel,
    )
    return claim


@transaction.atomic
def update_details(
    user, claim: Claim, details: Details, *, version: int | None, reason: str = "", channel: str = "web"
) -> Claim:
    """Change what prices the claim (membership start, children, the accident's outcome) before it goes
    to BPJS; the benefit is computed again."""
    editable(claim)
    today = timezone.localdate()
    errors = _details_errors(claim.person, details, claim.event.occurred_on, today)
    _check(errors)
    before = _details_snapshot(claim)
    _apply(claim, details)
    pricing.priced(claim, errors)
    _check(errors)
    old, new = difference(before, _details_snapshot(claim))
    if not new:
        return claim
    take_version(claim, version)
    claim.event.save(update_fields=["doctor_statement_on"])
    claim.save()
    record(user, "claim.update", claim, before=old, after=new, reason=reason, channel=channel)
    return claim


def _details_snapshot(claim: Claim) -> dict:
    names = [f.name for f in fields(Details) if f.name != "doctor_statement_on"]
    return {**snapshot(claim, names), **snapshot(claim.event, ["doctor_statement_on"])}


def editable(claim: Claim) -> None:
    if claim.state not in OPEN:
        raise ValidationFailed({"state": [_("Klaim sudah diajukan ke BPJS: rinciannya tidak diubah lagi.")]})


# ------------------------------------------------------------------------------------------ BPJS
@transaction.atomic
def submit(
    user,
    claim: Claim,
    submitted_on: dt.date | None,
    *,
    reference: str = "",
    version: int | None,
    channel: str = "web",
) -> Claim:
    """The file goes to BPJS: only once every needed document is in hand."""
    errors: dict[str, list[str]] = {}
    if claim.state != ClaimState.COMPLETE:
        errors["state"] = [_("Klaim baru dapat diajukan sesudah semua dokumen lengkap.")]
    errors.update(_decision_day_errors(claim, submitted_on, "submitted_on"))
    if len(reference.strip()) > TEXT_LIMITS["bpjs_reference"]:
        errors["bpjs_reference"] = [_("Terlalu panjang (maks. %(n)s karakter).") % {"n": 100}]
    _check(errors)
    take_version(claim, version)
    claim.state, claim.submitted_on, claim.bpjs_reference = (
        ClaimState.SUBMITTED,
        submitted_on,
        reference.strip(),
    )
    claim.save(update_fields=["state", "submitted_on", "bpjs_reference"])
    record(
        user,
        "claim.submit",
        claim,
        after={"submitted_on": submitted_on.isoformat(), "bpjs_reference": claim.bpjs_reference},
        channel=channel,
    )
    return claim


def _decision_day_errors(claim: Claim, day: dt.date | None, name: str, after: dt.date | None = None):
    if day is None:
        return {name: [_("Tanggal wajib diisi.")]}
    if day > timezone.localdate():
        return {name: [_("Tanggal tidak boleh di masa depan.")]}
    earliest = after or claim.event.occurred_on
    if day < earliest:
        return {name: [_("Tanggal tidak boleh sebelum %(day)s.") % {"day": _day(earliest)}]}
    return {}


@transaction.atomic
def decide(
    user,
    claim: Claim,
    outcome: str,
    decided_on: dt.date | None,
    *,
    amount: int | None = None,
    reason: str = "",
    version: int | None,
    channel: str = "web",
) -> Claim:
    """BPJS's answer: ``paid`` with the amount it actually paid, or ``refused`` with its reason. The
    difference from Payung's figure is kept (Claim.difference) and flagged on every screen."""
    errors: dict[str, list[str]] = {}
    if claim.state != ClaimState.SUBMITTED:
        errors["state"] = [_("Hanya klaim yang sudah diajukan ke BPJS yang dapat dibayar atau ditolak.")]
    errors.update(_decision_day_errors(claim, decided_on, "decided_on", claim.submitted_on))
    if outcome == ClaimState.PAID:
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < MAX_WAGE:
            errors["paid_amount"] = [_("Jumlah yang dibayar BPJS harus bilangan bulat rupiah lebih dari 0.")]
    elif outcome == ClaimState.REFUSED:
        if not reason.strip():
            errors["refusal_reason"] = [_("Tuliskan alasan penolakan BPJS.")]
    else:
        errors["outcome"] = [_("Keputusan BPJS harus dibayar atau ditolak.")]
    _check(errors)
    take_version(claim, version)
    claim.state, claim.decided_on = outcome, decided_on
    claim.paid_amount = amount if outcome == ClaimState.PAID else None
    claim.refusal_reason = reason.strip() if outcome == ClaimState.REFUSED else ""
    claim.save(update_fields=["state", "decided_on", "paid_amount", "refusal_reason"])
    after = {
        "state": outcome,
        "decided_on": decided_on.isoformat(),
        "paid_amount": claim.paid_amount,
        "difference": claim.difference,
    }
    record(user, "claim.decide", claim, after=after, reason=claim.refusal_reason, channel=channel)
    return claim


def difference_text(claim: Claim) -> str:
    """'BPJS paid Rp 2.000.000 less than Payung computed' style sentence; '' when equal or unpaid."""
    diff = claim.difference
    if not diff:
        return ""
    words = _("lebih") if diff > 0 else _("kurang")
    return _("BPJS membayar %(amount)s %(words)s dari hitungan Payung (%(computed)s).") % {
        "amount": rupiah(abs(diff)),
        "words": words,
        "computed": rupiah(claim.computed_total),
    }


def record_view(user, claim: Claim, *, channel: str = "web") -> None:
    """A claim file holds health and family data: every read is on the trail (UU 27/2022)."""
    record(user, "claim.view", claim, channel=channel)
