"""What a year of protection costs, month by month, through the one calculator the bills use. Pure: no Django.

A budget is priced in *parts*: people priced alike (one group, its category, its programs, one funding
source). A part's roster is already counted by unit and wage (``ROSTER`` columns: one row per unit, village
and wage with the number of people), so a million people are a few thousand rows, and each month's amount
of each program is one polars expression over them: ``calculator.formula`` gives the formula in force on
the 1st of that month (as a bill takes it, decision 0010) and ``Formula.column`` applies it, rounding per
person exactly as a bill line does (``calculator.share``, decision 0009). Nothing here is a second formula:
a rule change mid-year, the JP cap's March rise or a new UMK floor reach the budget through the rules.

What a part costs the purse (``shares``): BPU contributions are the Pemda's whole (it pays the package for
pekerja rentan); for wage earners the employer's part, and the worker's part too with ``shares="all"`` (the
Pemda pays it instead of deducting it from the wage). A bill always holds both parts, so a budget priced
with ``shares="all"`` equals the sum of the bills of the same people and months (tests/budget).

Assumptions: a wage change of a percentage from a month (rounded half up, like every rupiah here), a new
UMK from a month (wage earners below it are raised to it), and planned growth: a number of people more
(or fewer) from a month, at the part's typical wage (``Part.growth_basis``, default the median).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from payung.contributions import calculator
from payung.contributions.calculator import MAX_AMOUNT, PROGRAMS, QuoteError
from payung.rules.book import RuleBook, Version

BUDGET_PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKN")
SHARES = ("employer", "all")
MONTHS = tuple(range(1, 13))
ROSTER = {"unit_id": pl.Int64, "unit": pl.Utf8, "village": pl.Utf8, "basis": pl.Int64, "people": pl.Int64}
LINE = {
    "month": pl.Int64,
    "program": pl.Utf8,
    "part": pl.Utf8,
    "source": pl.Utf8,
    "unit_id": pl.Int64,
    "unit": pl.Utf8,
    "village": pl.Utf8,
    "people": pl.Int64,
    "amount": pl.Int64,
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
PLANNED = "planned"  # the unit key of planned people (not yet registered) in JSON

MESSAGES = {
    **calculator.MESSAGES,
    "year": ("Tahun anggaran harus antara %(first)s dan %(last)s.",
             "The fiscal year must be between %(first)s and %(last)s."),
    "unknown_program": ("Program %(program)s tidak dikenal (yang ada: %(known)s).",
                        "Unknown program %(program)s (known: %(known)s)."),
    "shares": ("Bagian iuran harus employer (pekerja dipotong upah) atau all (Pemda membayar semuanya).",
               "The shares must be employer (the worker's part deducted from wages) or all (the Pemda pays "
               "everything)."),
    "empties": ("Pertumbuhan %(people)s orang pada %(part)s mulai bulan %(month)s mengosongkan daftarnya "
                "(tinggal %(left)s orang).",
                "A growth of %(people)s people in %(part)s from month %(month)s empties its roster "
                "(%(left)s people left)."),
    "group": ("Kelompok %(group)s tidak dikenal (yang ada: %(known)s).",
              "Unknown group %(group)s (known: %(known)s)."),
    "month": ("Bulan harus 1 sampai 12.", "The month must be 1 to 12."),
    "wage": ("Asumsi upah membuat upah %(part)s menjadi %(low)s sampai %(high)s sebulan: harus di atas 0 dan "
             "di bawah Rp 1 triliun.",
             "The wage assumption puts %(part)s's wages at %(low)s to %(high)s a month: they must be above 0 "
             "and below Rp 1 trillion."),
    "percent": ("Perubahan upah harus berupa persen, mis. 5 atau -2,5.",
                "The wage change must be a percentage, e.g. 5 or -2.5."),
    "basis": ("%(count)s orang pada %(part)s tidak punya upah/penghasilan yang sah: lengkapi upahnya dulu.",
              "%(count)s people in %(part)s have no valid wage/income: complete their wages first."),
    "nobody": ("Tidak ada orang yang dianggarkan: pilih kelompok yang punya anggota atau rencanakan "
               "jumlahnya.",
               "Nobody is budgeted: choose a group with members or plan a head count."),
}  # fmt: skip


class PricingError(QuoteError):
    """Bad input for a budget: a code, its parameters and the message in Indonesian or English; the
    calculator's own refusals (a year before the rules, a missing JKK class) keep their codes."""

    MESSAGES = MESSAGES


@dataclass(frozen=True)
class Growth:
    month: int  # from this month of the year on
    people: int  # more (or, negative, fewer) people than the roster


@dataclass(frozen=True)
class Part:
    name: str  # how the totals call it: a group code, or a planned group's label
    category: str  # pu | bpu
    programs: tuple[str, ...]
    source: str  # funding source (coverage.models.FundingSource)
    roster: pl.DataFrame  # ROSTER columns
    growth: tuple[Growth, ...] = ()
    growth_basis: int | None = None  # the wage of planned people; default the roster's median
    village_paid: bool = False  # each village pays its own people's share (Dana Desa, ADD, APBDes)


@dataclass(frozen=True)
class Assumptions:
    year: int
    region: str = ""
    jkk_class: int | None = None
    shares: str = "employer"
    wage_percent: Decimal | None = None
    wage_from: int = 1
    umk: int | None = None
    umk_from: int = 1


@dataclass
class Priced:
    lines: pl.DataFrame  # LINE columns, one row per month x program x part x unit (x village)
    year: int
    skipped: dict[str, list[str]] = field(default_factory=dict)  # part -> programs its category lacks
    versions: list[Version] = field(default_factory=list)

    @property
    def total(self) -> int:
        return int(self.lines["amount"].sum() or 0)

    def months(self) -> list[int]:
        found = self.by("month")
        return [found.get(m, 0) for m in MONTHS]

    def by(self, *columns: str, drop_null: bool = False) -> dict:
        """Amounts summed by ``columns``: {value: amount} for one column, {(v1, v2): amount} for more
        (a unit None: planned people not yet registered; a village None: not paid by a village)."""
        frame = self.lines.filter(pl.col(columns[0]).is_not_null()) if drop_null else self.lines
        grouped = (
            frame.group_by(list(columns)).agg(pl.col("amount").sum()).sort(list(columns), nulls_last=True)
        )
        keys = grouped.select(columns).rows()
        return {
            (k[0] if len(columns) == 1 else k): int(a) for k, a in zip(keys, grouped["amount"], strict=True)
        }

    def people(self, month: int = 1) -> dict[str, int]:
        """People per part in ``month`` (the head count after growth)."""
        frame = self.lines.filter(pl.col("month") == month)
        first = frame.group_by("part").agg(pl.col("program").min()).rows()
        counted = {}
        for part, program in first:
            rows = frame.filter((pl.col("part") == part) & (pl.col("program") == program))
            counted[part] = int(rows["people"].sum())
        return counted

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "total": self.total,
            "months": self.months(),
            "programs": self.by("program"),
            "sources": self.by("source"),
            "units": {unit or PLANNED: amount for unit, amount in self.by("unit").items()},
            "villages": self.by("village", drop_null=True),
            "parts": self.by("part"),
            "people": self.people(1),
            "skipped": self.skipped,
            "rules": [v.as_dict() for v in sorted(self.versions, key=lambda v: (v.key, v.effective_from))],
            "rounding": "ROUND_HALF_UP to whole rupiah, per person, program and payer (docs/decisions/0009)",
        }


def programs_of(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """'jkk,jkm' -> ('JKK', 'JKM') in the usual order; PricingError for an unknown one."""
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = [p.strip().upper() for p in items if p.strip()]
    if not wanted:
        raise PricingError("no_programs")
    for program in wanted:
        if program not in BUDGET_PROGRAMS:
            raise PricingError("unknown_program", program=program, known=", ".join(BUDGET_PROGRAMS))
    return tuple(sorted(set(wanted), key=BUDGET_PROGRAMS.index))


def percent_of(text: object) -> Decimal | None:
    """'5', '-2,5', '' -> Decimal('5'), Decimal('-2.5'), None."""
    if text is None or str(text).strip() == "":
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise PricingError("percent") from None
    if not value.is_finite():
        raise PricingError("percent")
    return value


def price(book: RuleBook, parts: list[Part], assumptions: Assumptions) -> Priced:
    """Every month of ``assumptions.year``: each part's people x each program's contribution in force."""
    _check(assumptions)
    if not any(p.roster.height or p.growth for p in parts):
        raise PricingError("nobody")
    frames, skipped, versions = [], {}, {}
    for part in parts:
        programs = [p for p in part.programs if p in PROGRAMS[part.category]]
        if len(programs) < len(part.programs):
            skipped[part.name] = [p for p in part.programs if p not in programs]
        roster = _checked_roster(part)
        for month in MONTHS:
            people = _month_roster(part, roster, month)
            if people.height == 0:
                continue
            basis = _wage(part, people, month, assumptions)
            on = dt.date(assumptions.year, month, 1)
            for program in programs:
                found = _formula(book, part.category, program, on, assumptions)
                versions.update({(v.key, v.region_code, v.effective_from): v for v in found.versions})
                frames.append(_priced(part, people, basis, found, month, assumptions.shares))
    lines = pl.concat(frames) if frames else pl.DataFrame(schema=LINE)
    return Priced(lines, assumptions.year, skipped, list(versions.values()))


def _formula(book: RuleBook, category: str, program: str, on: dt.date, assumptions: Assumptions):
    try:
        return calculator.formula(book, category, program, on, assumptions.jkk_class, assumptions.region)
    except PricingError:
        raise
    except QuoteError as refused:  # a year before the rules, a missing JKK class: the calculator's words
        raise PricingError(refused.code, **refused.params) from None


def _check(assumptions: Assumptions) -> None:
    if not FIRST_YEAR <= assumptions.year <= LAST_YEAR:
        raise PricingError("year", first=FIRST_YEAR, last=LAST_YEAR)
    if assumptions.shares not in SHARES:
        raise PricingError("shares")
    if not (assumptions.wage_from in MONTHS and assumptions.umk_from in MONTHS):
        raise PricingError("month")
    if assumptions.umk is not None and not 0 < assumptions.umk < MAX_AMOUNT:
        raise PricingError("wage", part="UMK", low=assumptions.umk, high=assumptions.umk)


def _checked_roster(part: Part) -> pl.DataFrame:
    roster = part.roster.select([pl.col(c).cast(t) for c, t in ROSTER.items()])
    bad = roster.filter(pl.col("basis").is_null() | (pl.col("basis") <= 0) | (pl.col("basis") >= MAX_AMOUNT))
    if bad.height:
        raise PricingError("basis", count=int(bad["people"].sum()), part=part.name)
    for growth in part.growth:
        if growth.month not in MONTHS:
            raise PricingError("month")
    return roster


def _month_roster(part: Part, roster: pl.DataFrame, month: int) -> pl.DataFrame:
    """The part's people in ``month``: the roster plus (or minus) the growth planned until then."""
    change = sum(g.people for g in part.growth if g.month <= month)
    if not change:
        return roster
    have = int(roster["people"].sum() or 0)
    if have + change <= 0:
        first = min(g.month for g in part.growth if g.month <= month)
        raise PricingError("empties", people=change, part=part.name, month=first, left=have + change)
    basis = part.growth_basis or median_wage(roster)
    planned = pl.DataFrame(
        {"unit_id": [None], "unit": [None], "village": [None], "basis": [basis], "people": [change]},
        schema=ROSTER,
    )
    return pl.concat([roster, planned])


def median_wage(roster: pl.DataFrame) -> int:
    """The wage of the middle person (the lower one of two): rows are wages with their head counts, so the
    median of the rows alone would weigh a wage held by one person like one held by a thousand."""
    ordered = roster.filter(pl.col("people") > 0).sort("basis")
    if ordered.height == 0:  # growth of a part without people or a planned wage: nothing to price it at
        raise PricingError("nobody")
    cumulative = ordered["people"].cum_sum()
    middle = (int(cumulative[-1]) + 1) // 2
    return int(ordered.filter(cumulative >= middle)["basis"][0])


def _wage(part: Part, people: pl.DataFrame, month: int, assumptions: Assumptions) -> pl.Expr:
    """The basis in ``month`` after the wage assumptions, as an expression (checked to stay sane)."""
    basis = pl.col("basis")
    if assumptions.wage_percent is not None and month >= assumptions.wage_from:
        basis = calculator.share(basis, Decimal(100) + assumptions.wage_percent)
    if assumptions.umk is not None and month >= assumptions.umk_from and part.category == "pu":
        basis = pl.max_horizontal(basis, pl.lit(assumptions.umk, pl.Int64))
    if assumptions.wage_percent is not None:
        low, high = people.select(basis.min().alias("low"), basis.max().alias("high")).row(0)
        if low is not None and not (low > 0 and high < MAX_AMOUNT):
            raise PricingError("wage", part=part.name, low=low, high=high)
    return basis


def _priced(part: Part, people: pl.DataFrame, basis: pl.Expr, found, month: int, shares: str) -> pl.DataFrame:
    """One month x program of a part: its amount per unit (and village)."""
    column = found.column(basis)
    cost = (
        column["employer"] + column["worker"]
        if part.category == "bpu" or shares == "all"
        else column["employer"]
    )
    village = pl.col("village") if part.village_paid else pl.lit(None, pl.Utf8)
    frame = people.with_columns((cost * pl.col("people")).alias("amount"), village.alias("village"))
    grouped = frame.group_by(["unit_id", "unit", "village"]).agg(
        pl.col("people").sum(), pl.col("amount").sum()
    )
    return grouped.select(
        pl.lit(month, pl.Int64).alias("month"),
        pl.lit(found.program).alias("program"),
        pl.lit(part.name).alias("part"),
        pl.lit(part.source).alias("source"),
        pl.col("unit_id"),
        pl.col("unit"),
        pl.col("village"),
        pl.col("people").cast(pl.Int64),
        pl.col("amount").cast(pl.Int64),
    )
