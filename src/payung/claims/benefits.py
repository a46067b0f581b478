"""What a death or a work accident is worth, from the rules in force on the day of the event. Pure: no
Django, no database; the claim file, the quote command, the API and the demo all call ``quote``.

JKM (death not from work) pays a lump sum, the periodic benefit paid at once and the funeral costs; JKK
(work accident) pays a multiple of the reported wage on death or disability, the same fixed parts on
death, wage replacement while the worker cannot work (STMB), transport and home care up to a cap, and
medical care in kind. Children's scholarships are counted apart: they are paid per school year, not as
cash at the claim. Figures and their sources: rules/data/rules.toml (``benefit.*``); decision 0019.

Rounding: a percentage of a wage is rounded to whole rupiah, half up, once per amount paid (a month of
STMB, a disability sum), with the contribution calculator's ``share``: no regulation names a rounding,
and BPJS pays whole rupiah.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from payung.claims.words import MESSAGES, label
from payung.contributions.calculator import QuoteError, share
from payung.registry.nik import age as membership_years  # whole years: complete on the anniversary
from payung.rules.book import RuleBook, RuleMissing, Version

PROGRAMS = ("JKM", "JKK")
EVENTS = {"JKM": ("death",), "JKK": ("death", "disability", "accident")}
CATEGORIES = ("pu", "bpu")
TRANSPORT = ("land", "sea", "air")
LEVELS = ("tk_sd", "smp", "sma", "college")
MAX_AMOUNT = 10**12  # Rp 1 trillion a month is a typo, not a wage
MAX_CHILDREN = 30
MAX_STMB_MONTHS = 120
CASH = ("cash", "reimbursement")  # kinds that add up to ``total``; "in_kind" (medical care) does not


class BenefitError(QuoteError):
    """Bad input for a benefit quote: a code, its parameters, the message in Indonesian or English."""

    MESSAGES = MESSAGES


# ------------------------------------------------------------------------------------------ input
@dataclass(frozen=True)
class Disability:
    """Permanent total disability, or a partial one: ``percent`` of the disability table (the sum of the
    parts lost); ``function`` the percent of that part's function lost (None: the part itself is lost)."""

    total: bool = False
    percent: Decimal = Decimal(0)
    function: Decimal | None = None


@dataclass(frozen=True)
class Case:
    """One event to price. ``basis``: the monthly wage (PU) or declared income (BPU) last reported."""

    program: str
    event: str
    on: dt.date
    member_since: dt.date
    basis: int | None = None
    category: str = "pu"
    work_related: bool = False
    children: int = 0
    disability: Disability | None = None
    stmb_months: int = 0
    transport: str = ""
    transport_cost: int = 0
    home_care_cost: int = 0


# ------------------------------------------------------------------------------------------ output
@dataclass(frozen=True)
class Part:
    code: str
    amount: int | None  # None: in kind (medical care is paid to the hospital)
    kind: str = "cash"  # cash | reimbursement | in_kind
    detail: dict[str, Any] = field(default_factory=dict)  # the numbers behind it, e.g. months, monthly

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "code": self.code,
            "label": label(self.code, lang),
            "amount": self.amount,
            "kind": self.kind,
            **({"detail": self.detail} if self.detail else {}),
        }


@dataclass(frozen=True)
class Level:
    level: str
    per_year: int
    years: int

    @property
    def most(self) -> int:
        return self.per_year * self.years


@dataclass(frozen=True)
class Scholarship:
    """Children's scholarships of a case: how many children qualify and what each may receive in all.
    Before PP 82/2019 one lump sum per participant; since, yearly amounts per school level."""

    children: int = 0
    lump_sum: int = 0
    levels: tuple[Level, ...] = ()
    max_children: int = 0
    min_years: int | None = None
    membership_years: int = 0
    reason: str = ""  # why no child qualifies: "event", "membership", "children"; "" when some do

    @property
    def per_child(self) -> int:
        """The most one qualifying child receives over all its years (after PP 82/2019)."""
        return sum(level.most for level in self.levels)

    @property
    def most(self) -> int:
        """The most all qualifying children receive together."""
        if not self.children:
            return 0
        return self.lump_sum if self.lump_sum else self.per_child * self.children

    def as_dict(self) -> dict[str, Any]:
        return {
            "children": self.children,
            "max_children": self.max_children,
            "min_years": self.min_years,
            "membership_years": self.membership_years,
            "lump_sum": self.lump_sum,
            "per_child": self.per_child,
            "most": self.most,
            "levels": [{"level": x.level, "per_year": x.per_year, "years": x.years} for x in self.levels],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Quote:
    case: Case
    parts: tuple[Part, ...]
    scholarship: Scholarship
    versions: tuple[Version, ...] = ()

    @property
    def total(self) -> int:
        """Cash to the heirs or the worker; scholarships and medical care excluded."""
        return sum(p.amount for p in self.parts if p.kind in CASH and p.amount is not None)

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        case = self.case
        return {
            "program": case.program,
            "event": case.event,
            "on": case.on.isoformat(),
            "member_since": case.member_since.isoformat(),
            "category": case.category,
            "basis": case.basis,
            "work_related": case.work_related or case.program == "JKK",
            "children": case.children,
            "parts": [p.as_dict(lang) for p in self.parts],
            "total": self.total,
            "scholarship_children": self.scholarship.children,
            "scholarship": self.scholarship.as_dict(),
            "rules": [v.as_dict() for v in self.versions],
            "rounding": "ROUND_HALF_UP to whole rupiah, once per amount paid (docs/decisions/0019)",
        }


# ------------------------------------------------------------------------------------------ rules
class _Rules:
    """The rules in force on the event's day, remembering every version read (for the claim's record)."""

    def __init__(self, book: RuleBook, on: dt.date):
        self.book, self.on, self.used = book, on, {}

    def value(self, key: str) -> Decimal:
        try:
            version = self.book.at(key, self.on)
        except RuleMissing as missing:
            first = missing.first and missing.first.isoformat()
            raise BenefitError("rule_missing", key=key, on=self.on.isoformat(), first=first) from None
        self.used.setdefault((version.key, version.effective_from), version)
        return version.value

    def rupiah(self, key: str) -> int:
        return int(self.value(key))

    def optional(self, key: str) -> int | None:
        return self.rupiah(key) if self.book.optional(key, self.on) is not None else None


# ------------------------------------------------------------------------------------------ quote
def quote(book: RuleBook, case: Case) -> Quote:
    """Every benefit of ``case``, priced with the rules in force on ``case.on``."""
    _check(case)
    rules = _Rules(book, case.on)
    if case.program == "JKM":
        parts = _jkm_death(rules)
    else:
        parts = [*_jkk_event(rules, case), *_jkk_costs(rules, case)]
    scholarship = _scholarship(rules, case)
    versions = tuple(sorted(rules.used.values(), key=lambda v: (v.key, v.effective_from)))
    return Quote(case, tuple(parts), scholarship, versions)


def _jkm_death(rules: _Rules) -> list[Part]:
    months = rules.rupiah("benefit.jkm.periodic_months")
    periodic = rules.rupiah("benefit.jkm.periodic")
    return [
        Part("lump_sum", rules.rupiah("benefit.jkm.lump_sum")),
        Part("periodic", periodic, detail={"months": months, "monthly": periodic // months}),
        Part("funeral", rules.rupiah("benefit.jkm.funeral")),
    ]


def _jkk_event(rules: _Rules, case: Case) -> list[Part]:
    """What the accident's outcome pays: death or disability (the wage multiples and fixed parts)."""
    base = rules.rupiah("benefit.jkk.base_months") * case.basis
    if case.event == "death":
        multiple = share(base, rules.value("benefit.jkk.death_percent"))
        floor = rules.rupiah("benefit.jkm.lump_sum")  # never less than JKM's lump sum (decision 0019)
        return [
            Part("death", max(multiple, floor), detail={"wage_multiple": multiple, "minimum": floor}),
            Part("periodic", rules.rupiah("benefit.jkk.periodic")),
            Part("funeral", rules.rupiah("benefit.jkk.funeral")),
        ]
    if case.event == "disability":
        disability = case.disability
        if disability.total:
            percent = rules.value("benefit.jkk.total_disability_percent")
            return [
                Part("disability", share(base, percent), detail={"percent": _text(percent), "total": True}),
                Part("periodic", rules.rupiah("benefit.jkk.periodic")),
            ]
        percent = disability.percent
        if disability.function is not None:
            percent = percent * disability.function / 100  # exact decimals: one rounding below
        detail = {"percent": _text(disability.percent), "function": _text(disability.function)}
        return [Part("disability", share(base, percent), detail=detail)]
    return []


def _jkk_costs(rules: _Rules, case: Case) -> list[Part]:
    """Wage replacement, transport and home care (any JKK event), and medical care in kind."""
    parts = []
    if case.stmb_months:
        amount, schedule = _stmb(rules, case.basis, case.stmb_months)
        parts.append(Part("stmb", amount, detail={"months": case.stmb_months, "schedule": schedule}))
    if case.transport:
        cap = rules.rupiah(f"benefit.jkk.transport.{case.transport}")
        detail = {"mode": case.transport, "cost": case.transport_cost, "cap": cap}
        parts.append(Part("transport", min(case.transport_cost, cap), "reimbursement", detail))
    if case.home_care_cost:
        cap = rules.rupiah("benefit.jkk.home_care")
        detail = {"cost": case.home_care_cost, "cap": cap}
        parts.append(Part("home_care", min(case.home_care_cost, cap), "reimbursement", detail))
    parts.append(Part("medical", None, "in_kind"))
    return parts


def _stmb(rules: _Rules, basis: int, months: int) -> tuple[int, list[dict[str, Any]]]:
    """STMB for ``months``: the first months at one percent, the next at another, the rest at a third;
    each month rounded on its own (a month's payment is whole rupiah)."""
    first = rules.rupiah("benefit.jkk.stmb.first_months")
    second = rules.rupiah("benefit.jkk.stmb.second_months")
    spans = [
        (min(months, first), rules.value("benefit.jkk.stmb.first_percent")),
        (min(max(months - first, 0), second), rules.value("benefit.jkk.stmb.second_percent")),
        (max(months - first - second, 0), rules.value("benefit.jkk.stmb.after_percent")),
    ]
    schedule = [{"months": n, "percent": _text(p), "monthly": share(basis, p)} for n, p in spans if n]
    return sum(row["months"] * row["monthly"] for row in schedule), schedule


def _scholarship(rules: _Rules, case: Case) -> Scholarship:
    years = membership_years(case.member_since, case.on)
    qualifies = case.event == "death" or (case.disability is not None and case.disability.total)
    if not qualifies:
        return Scholarship(membership_years=years, reason="event")
    limit = rules.rupiah("benefit.scholarship.children")
    lump = rules.rupiah("benefit.scholarship.lump_sum")
    levels = (
        ()
        if lump
        else tuple(
            Level(
                level,
                rules.rupiah(f"benefit.scholarship.{level}.per_year"),
                rules.rupiah(f"benefit.scholarship.{level}.years"),
            )
            for level in LEVELS
        )
    )
    # JKM asks for a minimum contribution period; JKK (a work accident) for none.
    minimum = rules.rupiah("benefit.jkm.scholarship_min_years") if case.program == "JKM" else None
    found = Scholarship(0, lump, levels, limit, minimum, years)
    if minimum is not None and years < minimum:
        return _replace(found, reason="membership")
    if not case.children:
        return _replace(found, reason="children")
    return _replace(found, children=min(case.children, limit))


def _replace(scholarship: Scholarship, **changes: Any) -> Scholarship:
    return Scholarship(**{**scholarship.__dict__, **changes})


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# ------------------------------------------------------------------------------------------ checks
def _check(case: Case) -> None:
    if case.program not in PROGRAMS:
        raise BenefitError("program")
    if case.event not in EVENTS[case.program]:
        raise BenefitError(
            "event", program=case.program, event=case.event, known=", ".join(EVENTS[case.program])
        )
    if case.program == "JKM" and case.work_related:
        raise BenefitError("jkm_work_related")
    if case.category not in CATEGORIES:
        raise BenefitError("category")
    needs_basis = case.basis is not None or case.program == "JKK"
    if needs_basis and (not _whole(case.basis) or not 0 < case.basis < MAX_AMOUNT):
        raise BenefitError("basis")
    if case.member_since > case.on:
        raise BenefitError("member_since", member_since=case.member_since.isoformat(), on=case.on.isoformat())
    if not _whole(case.children) or not 0 <= case.children <= MAX_CHILDREN:
        raise BenefitError("children")
    _check_jkk(case)


def _check_jkk(case: Case) -> None:
    if case.event == "disability":
        disability = case.disability
        if disability is None or not (disability.total or 0 < disability.percent <= 100):
            raise BenefitError("disability")
        if disability.function is not None and not 0 < disability.function <= 100:
            raise BenefitError("function")
    if not _whole(case.stmb_months) or not 0 <= case.stmb_months <= MAX_STMB_MONTHS:
        raise BenefitError("stmb")
    if case.transport and case.transport not in TRANSPORT:
        raise BenefitError("transport")
    for cost in (case.transport_cost, case.home_care_cost):
        if not _whole(cost) or not 0 <= cost < MAX_AMOUNT:
            raise BenefitError("cost")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
