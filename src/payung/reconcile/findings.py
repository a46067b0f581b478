"""What the linked lists say, row by row, with the rupiah at stake each month. Pure: no Django.

Findings (``FINDINGS``), one per row of either file:
- ``matched``: the same person on both lists and nothing differs;
- ``differences``: the same person, but name, birth date, NIK, KPJ, sex, wage, programs or the amount
  billed differ (``DIFFERENCES``, listed per row);
- ``roster_only``: on the roster, not at BPJS: unprotected;
- ``bpjs_only``: at BPJS, not on the roster: paid for, possibly gone;
- ``duplicate_roster`` / ``duplicate_bpjs``: the same person again in the same list.

Money per month, integer rupiah. ``computed`` is what Payung's calculator (the shipped rules, the
period's versions) gives for the roster's wage (BPJS's when the roster has none) and the programs and JKK
class of the options; ``billed`` is the BPJS file's IURAN, or, for a participant list without amounts,
the calculator on BPJS's reported wage and programs (``billed_estimated``). The impact:
matched 0; differences billed - computed (positive: paid too much); roster_only computed (what protecting
them costs); bpjs_only and duplicate_bpjs billed (paid for nobody on the roster, or paid twice);
duplicate_roster 0 (nothing is billed for a line of the roster).

The impacts are of different kinds and are never added into one figure (``IMPACT_PARTS``, decision 0018):
money paid too much or for nobody, to be claimed back (a positive impact); money BPJS bills too little (a
negative impact, a correction that will cost); and the cost of covering those nobody insured (roster_only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from payung.contributions import calculator
from payung.reconcile.errors import ReconcileProblem
from payung.reconcile.linkage import B, Linked, R
from payung.reconcile.lists import LINE, SHEET_LINE, Listing
from payung.rules import loader
from payung.rules.book import RuleBook

FINDINGS = ("matched", "differences", "roster_only", "bpjs_only", "duplicate_roster", "duplicate_bpjs")
LABELS: dict[str, tuple[str, str]] = {
    "matched": ("Cocok", "Matched"),
    "differences": ("Cocok, ada perbedaan", "Matched with differences"),
    "roster_only": ("Hanya di daftar (belum terlindungi)", "Roster only (unprotected)"),
    "bpjs_only": ("Hanya di BPJS (dibayar, mungkin sudah keluar)", "BPJS only (paid for, possibly gone)"),
    "duplicate_roster": ("Ganda di daftar", "Duplicate in the roster"),
    "duplicate_bpjs": ("Ganda di BPJS (dibayar dua kali)", "Duplicate at BPJS (paid twice)"),
}
DIFFERENCES: dict[str, tuple[str, str]] = {
    "name": ("nama", "name"),
    "birth_date": ("tanggal lahir", "birth date"),
    "nik": ("NIK", "NIK"),
    "kpj": ("No KPJ", "KPJ"),
    "sex": ("jenis kelamin", "sex"),
    "wage": ("upah", "wage"),
    "programs": ("program", "programs"),
    "amount": ("iuran ditagih vs dihitung", "amount billed vs computed"),
}
# The named parts of the money at stake, each a sum of amounts >= 0 (``impact_part`` assigns a finding).
IMPACT_PARTS: dict[str, tuple[str, str]] = {
    "overpaid": ("Kelebihan bayar (dapat ditagih kembali)", "Overpaid (to recover)"),
    "underbilled": ("Kurang ditagih BPJS", "Under-billed by BPJS"),
    "cover_cost": ("Biaya melindungi yang belum terdaftar", "Cost of covering the unregistered"),
}
COVER_KINDS = ("roster_only",)  # findings whose impact is what protecting them costs


def impact_part(kind: str, impact: int) -> str | None:
    """Which part of IMPACT_PARTS a finding's impact belongs to (its amount there is ``abs(impact)``)."""
    if not impact:
        return None
    if kind in COVER_KINDS:
        return "cover_cost"
    return "overpaid" if impact > 0 else "underbilled"


ORDER = calculator.PROGRAMS["pu"]
SHOWN = ("nik", "kpj", "name", "birth_date", "sex", "monthly_wage", "contribution", "programs", "unit_name")


@dataclass(frozen=True)
class Options:
    programs: tuple[str, ...] = ("JKK", "JKM")
    jkk_class: int | None = 1
    category: str = "pu"
    period: dt.date = field(default_factory=lambda: dt.date.today().replace(day=1))
    region: str = ""


shipped_book = loader.shipped_book


def contribution(book: RuleBook, options: Options, wage: pl.Expr, programs: tuple[str, ...]) -> pl.Expr:
    """The monthly total (employer + worker) of ``programs`` on ``wage`` (a polars integer expression)."""
    total = pl.lit(0, pl.Int64)
    try:
        for program in programs:
            formula = calculator.formula(
                book, options.category, program, options.period, options.jkk_class, options.region
            )
            parts = formula.column(wage)
            total = total + parts["employer"] + parts["worker"]
    except calculator.QuoteError as error:
        raise ReconcileProblem("rules", detail=error) from error
    return pl.when(wage > 0).then(total)


def _by_programs(
    book: RuleBook, options: Options, wage: pl.Expr, column: pl.Expr, sets: list[str]
) -> pl.Expr:
    """The contribution of each row's own program set (one formula per distinct set in the file)."""
    expr = contribution(book, options, wage, options.programs)
    for programs in sets:
        known = tuple(p for p in programs.split(",") if p in calculator.PROGRAMS[options.category])
        expr = pl.when(column == programs).then(contribution(book, options, wage, known)).otherwise(expr)
    return expr


@dataclass
class Findings:
    rows: pl.DataFrame  # one per finding row: finding, lines, score, differences, r_*/b_* values, money
    billed_estimated: bool  # the BPJS file had no IURAN column

    def summary(self) -> pl.DataFrame:
        """Per finding: count and rupiah per month (billed, computed, impact), every finding listed."""
        totals = self.rows.group_by("finding").agg(
            pl.len().alias("count"),
            pl.col("billed").sum().alias("billed"),
            pl.col("computed").sum().alias("computed"),
            pl.col("impact").sum().alias("impact"),
        )
        order = pl.DataFrame({"finding": FINDINGS})
        return order.join(totals, on="finding", how="left").with_columns(
            pl.col("count").fill_null(0).cast(pl.Int64),
            *(pl.col(c).fill_null(0).cast(pl.Int64) for c in ("billed", "computed", "impact")),
        )

    def impact_parts(self) -> dict[str, int]:
        """The money at stake in its named parts (IMPACT_PARTS), each a sum of amounts >= 0."""
        totals = dict.fromkeys(IMPACT_PARTS, 0)
        for kind, impact in self.rows.select("finding", "impact").iter_rows():
            if part := impact_part(kind, impact or 0):
                totals[part] += abs(impact)
        return totals

    def counts(self) -> dict[str, int]:
        return dict(self.summary().select("finding", "count").iter_rows())


def classify(
    roster: Listing, bpjs: Listing, linked: Linked, options: Options, book: RuleBook | None = None
) -> Findings:
    """Every row of both files under exactly one finding (duplicates first, then matches, then the rest)."""
    book = book or shipped_book()
    r = _side(roster.frame, "r")
    b = _side(bpjs.frame, "b")
    dup = linked.duplicates
    dup_r = dup.filter(pl.col("side") == "roster").select(
        pl.col("line").alias(R), pl.col("of_line").alias("_of"), "score"
    )
    dup_b = dup.filter(pl.col("side") == "bpjs").select(
        pl.col("line").alias(B), pl.col("of_line").alias("_of"), "score"
    )
    m = linked.matches
    rows = pl.concat(
        [
            m.select(R, B, "score", "stage", "evidence", *(c for c in m.columns if c.startswith("ev_"))),
            dup_r.select(
                R, pl.lit(None, pl.Int64).alias(B), "score", pl.lit("duplicate").alias("stage"), "_of"
            ),
            dup_b.select(
                pl.lit(None, pl.Int64).alias(R), B, "score", pl.lit("duplicate").alias("stage"), "_of"
            ),
        ],
        how="diagonal_relaxed",
    )
    seen_r = rows[R].drop_nulls().implode()
    seen_b = rows[B].drop_nulls().implode()
    only_r = r.filter(~pl.col(R).is_in(seen_r)).select(R)
    only_b = b.filter(~pl.col(B).is_in(seen_b)).select(B)
    rows = pl.concat([rows, only_r, only_b], how="diagonal_relaxed")
    rows = rows.join(r, on=R, how="left").join(b, on=B, how="left")
    rows = _money(rows, bpjs, options, book)
    rows = _differences(rows, bpjs, options)
    kind = (
        pl.when(pl.col("stage") == "duplicate")
        .then(
            pl.when(pl.col(R).is_not_null())
            .then(pl.lit("duplicate_roster"))
            .otherwise(pl.lit("duplicate_bpjs"))
        )
        .when(pl.col(R).is_not_null() & pl.col(B).is_not_null())
        .then(pl.when(pl.col("differences") == "").then(pl.lit("matched")).otherwise(pl.lit("differences")))
        .when(pl.col(R).is_not_null())
        .then(pl.lit("roster_only"))
        .otherwise(pl.lit("bpjs_only"))
    )
    rows = rows.with_columns(kind.alias("finding"))
    impact = (
        pl.when(pl.col("finding") == "differences")
        .then(pl.col("billed") - pl.col("computed"))
        .when(pl.col("finding") == "roster_only")
        .then(pl.col("computed"))
        .when(pl.col("finding").is_in(["bpjs_only", "duplicate_bpjs"]))
        .then(pl.col("billed"))
        .otherwise(pl.lit(0, pl.Int64))
    )
    rows = rows.with_columns(impact.alias("impact"))
    order = pl.col("finding").replace_strict({f: i for i, f in enumerate(FINDINGS)}, return_dtype=pl.Int8)
    rows = rows.sort(order, pl.col(R), pl.col(B), nulls_last=True)
    return Findings(rows, "contribution" not in bpjs.present)


def _side(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    key = R if prefix == "r" else B
    return frame.select(
        pl.col(LINE).alias(key),
        pl.col(SHEET_LINE).alias(f"{prefix}_sheet_line"),
        *(pl.col(c).alias(f"{prefix}_{c}") for c in SHOWN),
        *(pl.col(f"raw_{c}").alias(f"{prefix}_raw_{c}") for c in ("nik", "birth_date", "monthly_wage")),
        pl.col("name_key").alias(f"{prefix}_name_key"),
    )


def _money(rows: pl.DataFrame, bpjs: Listing, options: Options, book: RuleBook) -> pl.DataFrame:
    wage = pl.coalesce("r_monthly_wage", "b_monthly_wage")
    computed = contribution(book, options, wage, options.programs)
    if "contribution" in bpjs.present:
        billed = pl.col("b_contribution")
    else:
        sets = rows["b_programs"].drop_nulls().unique().sort().to_list()
        estimate = _by_programs(
            book, options, pl.coalesce("b_monthly_wage", "r_monthly_wage"), pl.col("b_programs"), sets
        )
        billed = pl.when(pl.col(B).is_not_null()).then(estimate)
    return rows.with_columns(
        pl.when(pl.col(R).is_not_null()).then(computed).alias("computed"),
        billed.cast(pl.Int64).alias("billed"),
    )


def _differences(rows: pl.DataFrame, bpjs: Listing, options: Options) -> pl.DataFrame:
    """'differences': the codes of DIFFERENCES that apply, comma-separated ('' when none)."""
    c = pl.col
    differs = {
        "name": c("ev_name").is_in(["very_similar", "first_last_alike", "different"]),
        "birth_date": c("ev_birth_date").is_in(["day_month_swapped", "century", "different"]),
        "nik": c("ev_nik").is_in(["typo", "different"]),
        "kpj": c("ev_kpj") == "different",
        "sex": c("ev_sex") == "different",
        "wage": c("r_monthly_wage") != c("b_monthly_wage"),
        "programs": c("b_programs") != pl.lit(",".join(p for p in ORDER if p in options.programs)),
        "amount": (c("billed") != c("computed")) if "contribution" in bpjs.present else pl.lit(False),
    }
    matched = c(R).is_not_null() & c(B).is_not_null() & (c("stage") != "duplicate")
    codes = [
        pl.when(matched & condition.fill_null(False)).then(pl.lit(code))
        for code, condition in differs.items()
    ]
    return rows.with_columns(
        pl.concat_str(codes, separator=",", ignore_nulls=True).fill_null("").alias("differences")
    )
