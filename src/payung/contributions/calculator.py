"""Contributions of one person for one month, from the rules in force: the one calculator every path uses.

Pure (no Django, no database): the quote command, the API, the calculator page and the monthly bill all
go through ``formula``. The bill renders the same ``Formula`` as SQL over a table of people
(contributions.billing.formula_sql, through ``share``) and the reconciliation applies it to a polars column
(``Formula.column``); property tests keep each equal to single quotes.

Rounding (the only place it happens): each payer's share of each program is rounded to whole rupiah,
half up (ROUND_HALF_UP), per person and per month, before anything is added up. No regulation prescribes
a rounding; the rupiah has no smaller coin in use, BPJS notices show whole rupiah, and half-up is what an
operator's spreadsheet ROUND(x; 0) does, so totals match theirs. Decision: docs/decisions/0009.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from payung import formats
from payung.rules.book import RuleBook, RuleMissing, Version

CATEGORIES = ("pu", "bpu")
PROGRAMS = {"pu": ("JKK", "JKM", "JHT", "JP", "JKP", "JKN"), "bpu": ("JKK", "JKM", "JHT", "JKN")}
BPU_FLAT = ("JKM", "JKN")  # BPU programs with a flat monthly amount (JKN: class III paid for by the Pemda)
PAYERS = ("employer", "worker", "government")
JKK_CLASSES = range(1, 6)
MAX_AMOUNT = 10**12  # Rp 1 trillion a month is a typo, not a wage

MESSAGES = {
    "amount": ("Upah/penghasilan harus bilangan bulat rupiah lebih dari 0 dan kurang dari Rp 1 triliun.",
               "The wage/income must be whole rupiah above 0 and below Rp 1 trillion."),
    "category": ("Kategori harus pu (penerima upah) atau bpu (bukan penerima upah).",
                 "The category must be pu (wage earner) or bpu (non-wage earner)."),
    "no_programs": ("Pilih paling sedikit satu program.", "Choose at least one program."),
    "program": ("Program %(program)s tidak ada untuk kategori %(category)s (yang ada: %(known)s).",
                "Program %(program)s does not exist for category %(category)s (known: %(known)s)."),
    "jkk_class_missing": ("JKK penerima upah membutuhkan kelompok risiko (1-5).",
                          "JKK for wage earners needs a risk class (1-5)."),
    "jkk_class": ("Kelompok risiko JKK harus 1 sampai 5.", "The JKK risk class must be 1 to 5."),
    "rule_missing": ("Belum ada aturan %(key)s pada %(on)s%(since)s.", "No rule %(key)s on %(on)s%(since)s."),
    "since": (" (berlaku sejak %(first)s)", " (in force from %(first)s)"),
}  # fmt: skip


class QuoteError(ValueError):
    """Bad input for a quote: a code, its parameters, and the message in Indonesian or English (from the
    class's ``MESSAGES``: code -> (Indonesian, English), with ``rule_missing`` and ``since``)."""

    MESSAGES = MESSAGES

    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        params = {key: formats.shown(value, lang) for key, value in self.params.items()}
        if self.code == "rule_missing":
            first = params.pop("first", None)
            params["since"] = self._message("since", lang) % {"first": first} if first else ""
        return self._message(self.code, lang) % params

    def _message(self, code: str, lang: str) -> str:
        indonesian, english = self.MESSAGES[code]
        return english if lang.startswith("en") else indonesian


# ------------------------------------------------------------------------------------------ rounding
def share(amount, percent: Decimal):
    """``percent`` % of ``amount`` in whole rupiah, half up. ``amount`` is an int or a polars integer
    expression: the same arithmetic serves one quote and a million bill lines."""
    ratio = Fraction(percent) / 100
    if ratio == 0:
        return amount * 0
    return (amount * (2 * ratio.numerator) + ratio.denominator) // (2 * ratio.denominator)


# ------------------------------------------------------------------------------------------ formulas
@dataclass(frozen=True)
class Term:
    """One payer's part: percent of the basis, plus a flat amount, at least ``minimum``."""

    percent: Decimal = Decimal(0)
    flat: int = 0
    minimum: int = 0

    def amount(self, basis):
        value = share(basis, self.percent) + self.flat
        if not self.minimum:
            return value
        if isinstance(value, int):
            return max(value, self.minimum)
        import polars as pl  # only the bulk path pays for polars

        return pl.max_horizontal(value, pl.lit(self.minimum, pl.Int64))


@dataclass(frozen=True)
class Formula:
    """How one program's contribution follows from the wage (or declared income) on one date."""

    program: str
    terms: dict[str, Term]
    floor: int | None = None
    cap: int | None = None
    versions: tuple[Version, ...] = ()

    def basis(self, amount: int) -> int:
        if self.floor is not None:
            amount = max(amount, self.floor)
        return min(amount, self.cap) if self.cap is not None else amount

    def apply(self, amount: int) -> Line:
        basis = self.basis(amount)
        parts = {payer: self.terms[payer].amount(basis) if payer in self.terms else 0 for payer in PAYERS}
        return Line(self.program, basis, **parts, versions=self.versions)

    def column(self, amount) -> dict[str, Any]:
        """The same as ``apply`` on a polars integer expression: basis and each payer's expression."""
        import polars as pl

        basis = amount.clip(self.floor, self.cap) if (self.floor, self.cap) != (None, None) else amount
        zero = pl.lit(0, pl.Int64)
        parts = {payer: self.terms[payer].amount(basis) if payer in self.terms else zero for payer in PAYERS}
        return {"basis": basis, **parts}


@dataclass(frozen=True)
class Line:
    program: str
    basis: int
    employer: int
    worker: int
    government: int  # paid by the central government (JKP): shown, never billed
    versions: tuple[Version, ...] = field(default=(), compare=False)

    @property
    def total(self) -> int:
        return self.employer + self.worker

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "basis": self.basis,
            "employer": self.employer,
            "worker": self.worker,
            "government": self.government,
            "total": self.total,
            "rules": [v.as_dict() for v in self.versions],
        }


def formula(
    book: RuleBook, category: str, program: str, on: dt.date, jkk_class: int | None = None, region: str = ""
) -> Formula:
    """The formula of ``program`` for ``category`` in force on ``on`` (QuoteError when it cannot exist)."""
    _check_program(category, program, jkk_class)
    key = f"{category}.{program.lower()}"
    used: list[Version] = []

    def value(name: str, required: bool = True) -> Decimal | None:
        try:
            version = book.at(f"{key}.{name}", on, region)
        except RuleMissing as missing:
            if not required:  # a cap, floor or minimum that does not apply (yet) on that date
                return None
            raise QuoteError("rule_missing", key=missing.key, on=on, first=missing.first) from None
        used.append(version)
        return version.value

    def rupiah(name: str) -> int | None:
        found = value(name, required=False)
        return None if found is None else int(found)

    terms, floor, cap = _terms(category, program, jkk_class, value, rupiah)
    return Formula(program, terms, floor, cap, tuple(used))


def _terms(category: str, program: str, jkk_class: int | None, value, rupiah):
    """Which parameters make up each program's formula (their keys are '<category>.<program>.<name>')."""
    if category == "bpu":
        if program in BPU_FLAT:
            return {"worker": Term(flat=int(value("flat")))}, None, None
        if program == "JKK":
            return {"worker": Term(value("rate"), minimum=rupiah("minimum") or 0)}, None, None
        return {"worker": Term(value("rate"))}, None, None
    if program == "JKK":
        return {"employer": Term(value(f"employer.class{jkk_class}"))}, None, None
    if program == "JKP":
        return {"government": Term(value("government"))}, None, None
    if program == "JKM":
        return {"employer": Term(value("employer"))}, None, None
    terms = {"employer": Term(value("employer")), "worker": Term(value("worker"))}
    return terms, rupiah("wage_floor"), rupiah("wage_cap")


def _check_program(category: str, program: str, jkk_class: int | None) -> None:
    if category not in CATEGORIES:
        raise QuoteError("category")
    if program not in PROGRAMS[category]:
        raise QuoteError("program", program=program, category=category, known=", ".join(PROGRAMS[category]))
    if category == "pu" and program == "JKK":
        if jkk_class is None:
            raise QuoteError("jkk_class_missing")
        if jkk_class not in JKK_CLASSES:
            raise QuoteError("jkk_class")


# ------------------------------------------------------------------------------------------ quotes
@dataclass(frozen=True)
class Quote:
    category: str
    amount: int
    on: dt.date
    jkk_class: int | None
    lines: tuple[Line, ...]

    @property
    def employer(self) -> int:
        return sum(line.employer for line in self.lines)

    @property
    def worker(self) -> int:
        return sum(line.worker for line in self.lines)

    @property
    def total(self) -> int:
        return self.employer + self.worker

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "amount": self.amount,
            "on": self.on.isoformat(),
            "jkk_class": self.jkk_class,
            "programs": [line.as_dict() for line in self.lines],
            "employer": self.employer,
            "worker": self.worker,
            "total": self.total,
            "rounding": "ROUND_HALF_UP to whole rupiah, per program and payer (docs/decisions/0009)",
        }


def quote(
    book: RuleBook,
    *,
    category: str,
    amount: int,
    programs: list[str] | tuple[str, ...],
    on: dt.date,
    jkk_class: int | None = None,
    region: str = "",
) -> Quote:
    """One person's monthly contributions for ``programs``, with the rule versions each one used."""
    if category not in CATEGORIES:
        raise QuoteError("category")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < MAX_AMOUNT:
        raise QuoteError("amount")
    wanted = [p.strip().upper() for p in programs if p.strip()]
    if not wanted:
        raise QuoteError("no_programs")
    for program in wanted:
        _check_program(category, program, jkk_class)
    ordered = sorted(set(wanted), key=PROGRAMS[category].index)
    lines = tuple(formula(book, category, p, on, jkk_class, region).apply(amount) for p in ordered)
    return Quote(category, amount, on, jkk_class, lines)
