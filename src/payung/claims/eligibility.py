"""Was the person protected on the day of the event? From what Payung already knows: the membership
periods (coverage), the bills and what their payments cover (contributions), the rules (lapse, arrears).

The verdict is one of three (decision 0019):
- ``protected``: a membership in the program on the event's day, and every contribution due so far
  billed and paid (or not yet due: within its grace);
- ``at_risk``: the membership was there, but months due are unpaid or were never billed. BPJS pays the
  claim only once the arrears are settled, and a Pemda more than ``claims.pu.arrears_months`` months in
  arrears must pay the benefit itself first: this is the Pemda's fault, and the finding says so;
- ``not_protected``: no membership in the program that day, or a BPU membership that had lapsed
  (``bpu.lapse_months`` consecutive unpaid months before the event).

Payments count as recorded today (a bill settled after the death still clears the claim), except for
the BPU lapse, which is judged on the payments made by the day of the event. Months before the
agreement's first bill in Payung are not checked: Payung cannot know how they were paid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from payung import formats
from payung.contributions import billing, ledger
from payung.contributions.models import Bill
from payung.contributions.payments import rupiah
from payung.coverage.models import Membership
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook

VERDICTS = ("protected", "at_risk", "not_protected")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str = "ok"  # ok | info | warning | error
    pemda_fault: bool = False
    months: tuple[dt.date, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "pemda_fault": self.pemda_fault,
            "months": [m.isoformat() for m in self.months],
            "params": self.params,
        }


@dataclass(frozen=True)
class Eligibility:
    program: str
    on: dt.date
    findings: tuple[Finding, ...]
    membership: Membership | None = None

    @property
    def verdict(self) -> str:
        if any(f.severity == "error" for f in self.findings):
            return "not_protected"
        return "at_risk" if any(f.pemda_fault for f in self.findings) else "protected"

    @property
    def pemda_fault(self) -> bool:
        return any(f.pemda_fault for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "on": self.on.isoformat(),
            "verdict": self.verdict,
            "pemda_fault": self.pemda_fault,
            "findings": [f.as_dict() for f in self.findings],
        }


def periods(person, program: str) -> list[Membership]:
    """The person's membership periods under agreements that cover ``program``, oldest first."""
    rows = Membership.objects.filter(person=person).select_related("agreement").order_by("start", "id")
    return [m for m in rows if program in m.agreement.programs]


def in_force(found: list[Membership], on: dt.date) -> Membership | None:
    return next((m for m in found if m.start <= on and (m.end is None or on <= m.end)), None)


def check(person, program: str, on: dt.date, *, today: dt.date | None = None) -> Eligibility:
    today = today or timezone.localdate()
    found = periods(person, program)
    if not found:
        other = Membership.objects.filter(person=person).exists()
        code = "program_not_covered" if other else "never"
        return Eligibility(program, on, (Finding(code, "error", params={"program": program}),))
    membership = in_force(found, on)
    if membership is None:
        return Eligibility(program, on, (_outside(found, program, on),))
    agreement = membership.agreement
    enrolled = Finding(
        "enrolled",
        params={
            "program": program,
            "agreement": agreement.number,
            "start": membership.start.isoformat(),
            "basis": membership.basis,
        },
    )
    months = _months(person, program, found, on, today)
    return Eligibility(program, on, (enrolled, *months), membership)


def _outside(found: list[Membership], program: str, on: dt.date) -> Finding:
    ended = [m for m in found if m.end is not None and m.end < on]
    params = {"program": program, "on": on.isoformat()}
    if ended:
        last = ended[-1]
        return Finding(
            "ended", "error", params={**params, "end": last.end.isoformat(), "reason": last.end_reason}
        )
    return Finding("not_yet", "error", params={**params, "start": found[0].start.isoformat()})


# ------------------------------------------------------------------------------------------ months
@dataclass
class _Month:
    month: dt.date
    due: dt.date
    billed: bool  # a line for the person, or at least a bill of the agreement for the month
    on_bill: bool
    amount: int = 0
    covered_now: int = 0
    covered_then: int = 0  # by the payments made by the day of the event

    def unpaid(self, now: bool = True) -> bool:
        return not self.on_bill or (self.covered_now if now else self.covered_then) < self.amount


def _months(person, program: str, found: list[Membership], on: dt.date, today: dt.date) -> list[Finding]:
    agreements = {m.agreement_id: m.agreement for m in found}
    bills = Bill.objects.filter(agreement_id__in=agreements).only("agreement_id", "period", "due_date")
    first = min((b.period for b in bills), default=None)
    if first is None:
        return [Finding("no_bills", "warning", params={"agreement": found[-1].agreement.number})]
    months = _month_rows(person, program, found, bills, first, on, today)
    findings = (
        [Finding("before_payung", "info", params={"month": first.isoformat()})]
        if found[0].start < first
        else []
    )
    return findings + _judged(months, found[-1].agreement.category, on, today)


def _month_rows(person, program, found, bills, first, on, today) -> list[_Month]:
    book = rule_queries.book()
    due_of = {(b.agreement_id, b.period): b.due_date for b in bills}
    now, then = _ledger(person, program, None), _ledger(person, program, on)
    rows = []
    month = max(first, found[0].start.replace(day=1))
    while month <= on.replace(day=1):
        covering = [
            m for m in found if m.start <= billing.month_end(month) and (m.end is None or m.end >= month)
        ]
        if covering:
            agreement = covering[0].agreement
            due = due_of.get((agreement.pk, month)) or billing.due_date(
                book, agreement.category, month, agreement.region_id
            )
            amount, covered_now = now.get(month, (0, 0))
            rows.append(
                _Month(
                    month,
                    due,
                    (agreement.pk, month) in due_of,
                    month in now,
                    amount,
                    covered_now,
                    then.get(month, (0, 0))[1],
                )
            )
        month = billing.next_month(month)
    return rows


def _ledger(person, program: str, on: dt.date | None) -> dict[dt.date, tuple[int, int]]:
    """month -> (amount billed, amount covered by payments made by ``on``) for the person's lines: their
    contribution ledger (contributions.ledger: decision 0010's allocation, the running sum skipped where
    the bill's totals settle it, contributions.settled), summed per month. One allocation for the ledger
    page and the claim: a refund line counts only for the lines after it, even on a bill paid in full."""
    found: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in ledger.ledger(person, on, program=program):
        found[row.month][0] += row.amount
        found[row.month][1] += row.covered
    return {month: (amount, paid) for month, (amount, paid) in found.items()}


def _judged(months: list[_Month], category: str, on: dt.date, today: dt.date) -> list[Finding]:
    book = rule_queries.book()
    paid = [m for m in months if not m.unpaid()]
    due_unpaid = [m for m in months if m.unpaid() and m.due < today]
    not_due = [m for m in months if m.unpaid() and m.due >= today]
    findings = []
    if paid:
        findings.append(Finding("paid", params={"count": len(paid), "last": paid[-1].month.isoformat()}))
    lapse = _lapsed(months, category, on, book)
    if lapse:
        findings.append(lapse)
    missing = [m for m in due_unpaid if not m.on_bill]
    if missing:
        findings.append(Finding("not_billed", "warning", True, tuple(m.month for m in missing)))
    owed = [m for m in due_unpaid if m.on_bill]
    if owed:
        run = _longest_run(due_unpaid)
        limit = _count(book, "claims.pu.arrears_months", on)
        long = category == "pu" and limit is not None and len(run) > limit
        amount = sum(m.amount - m.covered_now for m in owed)
        findings.append(
            Finding(
                "unpaid_long" if long else "unpaid",
                "warning",
                True,
                tuple(m.month for m in owed),
                {"amount": amount, "count": len(run)},
            )
        )
    if not_due:
        findings.append(
            Finding(
                "not_due", "info", False, tuple(m.month for m in not_due), {"due": not_due[0].due.isoformat()}
            )
        )
    return findings


def _lapsed(months: list[_Month], category: str, on: dt.date, book: RuleBook) -> Finding | None:
    """A BPU membership lapses after ``bpu.lapse_months`` consecutive due months unpaid (by the event)."""
    if category != "bpu":
        return None
    needed = _count(book, "bpu.lapse_months", on)
    due = [m for m in months if m.due < on]
    run = []
    for month in reversed(due):  # the unpaid run that reaches the event
        if not month.unpaid(now=False):
            break
        run.insert(0, month)
    if needed is None or len(run) < needed:
        return None
    return Finding(
        "lapsed", "error", True, tuple(m.month for m in run), {"count": len(run), "on": on.isoformat()}
    )


def _longest_run(months: list[_Month]) -> list[_Month]:
    best: list[_Month] = []
    run: list[_Month] = []
    for month in months:
        run = [*run, month] if run and billing.next_month(run[-1].month) == month.month else [month]
        best = run if len(run) > len(best) else best
    return best


def _count(book: RuleBook, key: str, on: dt.date) -> int | None:
    version = book.optional(key, on)
    return int(version.value) if version is not None else None


# ------------------------------------------------------------------------------------------ words
def _end_reason(code: str) -> str:
    return {
        "deceased": _("meninggal dunia"),
        "ended": _("berhenti bekerja"),
        "contract_end": _("kontrak berakhir"),
        "agreement_end": _("PKS berakhir"),
        "wage_change": _("perubahan upah"),
    }.get(code, code)


def text(finding: dict[str, Any]) -> str:
    """A stored finding (Finding.as_dict) in words, in the active language."""
    lang = translation.get_language() or "id"
    params = dict(finding.get("params", {}))
    months = ", ".join(
        formats.format_month(dt.date.fromisoformat(m), lang) for m in finding.get("months", [])
    )
    for key in ("start", "end", "on", "due"):
        if key in params:
            params[key] = _day(params[key])
    if "month" in params:
        params["month"] = formats.format_month(dt.date.fromisoformat(params["month"]), lang)
    if "last" in params:
        params["last"] = formats.format_month(dt.date.fromisoformat(params["last"]), lang)
    for key in ("amount", "basis"):
        if key in params:
            params[key] = rupiah(params[key])
    if "reason" in params:
        params["reason"] = _end_reason(params["reason"])
    return _messages()[finding["code"]] % {**params, "months": months}


def _day(iso: str) -> str:
    from django.utils.formats import date_format

    return date_format(dt.date.fromisoformat(iso), "j M Y")


def _messages() -> dict[str, str]:
    return {
        "enrolled": _("Terdaftar dalam %(program)s melalui PKS %(agreement)s sejak %(start)s, dasar iuran "
                      "%(basis)s."),
        "paid": _("Iuran %(count)s bulan sampai %(last)s sudah dibayar."),
        "before_payung": _("Bulan sebelum tagihan pertama di Payung (%(month)s) tidak diperiksa."),
        "no_bills": _("PKS %(agreement)s belum punya tagihan di Payung: pembayaran iurannya tidak dapat "
                      "diperiksa."),
        "not_due": _("Iuran %(months)s belum jatuh tempo (jatuh tempo %(due)s): bayarlah tepat waktu."),
        "unpaid": _("Iuran %(months)s belum dibayar Pemda (%(amount)s). BPJS membayar klaim sesudah "
                    "tunggakan dilunasi: ini kelalaian Pemda, bukan keluarga."),
        "unpaid_long": _("Pemda menunggak iuran %(count)s bulan berturut-turut (%(months)s; %(amount)s). "
                         "Pemda wajib membayar manfaat kepada ahli waris lebih dulu; BPJS menggantinya "
                         "sesudah tunggakan dilunasi."),
        "not_billed": _("Iuran %(months)s belum ditagihkan untuk orang ini padahal jatuh temponya sudah "
                        "lewat: kelalaian Pemda. Buat tagihannya (koreksi masuk tagihan berikutnya) dan "
                        "bayar."),
        "lapsed": _("Kepesertaan BPU terhenti sebelum %(on)s: iuran %(count)s bulan berturut-turut tidak "
                    "dibayar (%(months)s). Iuran ini tanggungan Pemda: Pemda berutang manfaatnya kepada "
                    "keluarga."),
        "ended": _("Tidak terlindungi %(program)s pada %(on)s: kepesertaannya berakhir %(end)s "
                   "(%(reason)s)."),
        "not_yet": _("Tidak terlindungi %(program)s pada %(on)s: kepesertaannya baru mulai %(start)s."),
        "program_not_covered": _("PKS tempat orang ini terdaftar tidak menjamin %(program)s."),
        "never": _("Orang ini tidak pernah terdaftar dalam %(program)s di PKS mana pun."),
    }  # fmt: skip
