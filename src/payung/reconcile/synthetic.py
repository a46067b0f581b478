"""Labelled roster/BPJS pairs with realistic Indonesian faults and known truth. Pure: no Django.

People come from the demo generator (demo.people: NTT names with titles, NIKs, KPJs); the roster is
written the way operators write it (demo.sheets: mixed date and wage forms, title rows). The BPJS side is
how a participant list or bill looks: upper-case names without titles, two-digit years, its own header
spellings, a KPJ on every row, and these faults, each drawn independently per row (``RATES``):
NIK one digit wrong, two neighbouring digits swapped, or missing; name misspelt, Muhammad abbreviated
(or written out), a middle name left out; birth date with day and month swapped or one digit wrong; an
old wage; another program set; an amount billed that is off. The roster loses KPJs (operators leave them
blank) and mistypes a few. Some people are only on the roster (never registered), some only at BPJS
(left, still billed), some twice at BPJS (a second KPJ) or twice on the roster.

Truth: every row carries ``person``; two rows are the same person exactly when their ``person`` is equal.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from payung.demo import people, sheets
from payung.demo.draw import Draw
from payung.files import xlsx
from payung.reconcile import findings

RATES: dict[str, float] = {
    "unregistered": 0.05,  # roster only
    "ghost": 0.03,  # BPJS only (as a share of the roster)
    "bpjs_twice": 0.005,
    "roster_twice": 0.003,
    "roster_kpj_blank": 0.3,
    "roster_kpj_typo": 0.01,
    "nik_typo": 0.04,
    "nik_swap": 0.01,
    "nik_missing": 0.03,
    "name_typo": 0.05,
    "name_muhammad": 0.5,  # of the names starting with Muhammad/Muh.
    "name_middle_dropped": 0.02,
    "birth_swapped": 0.02,
    "birth_typo": 0.01,
    "two_digit_year": 0.3,
    "old_wage": 0.05,
    "other_programs": 0.02,
    "billed_off": 0.01,
}
BPJS_HEADERS = {
    "kpj": "NO KPJ", "nik": "NIK", "name": "NAMA PESERTA", "birth_date": "TGL LAHIR", "sex": "JENIS KELAMIN",
    "monthly_wage": "UPAH DILAPORKAN", "contribution": "IURAN", "programs": "PROGRAM",
}  # fmt: skip
ROSTER_HEADERS = ["NIK", "Nama", "JK", "Tempat Lahir", "Tgl Lahir", "No KPJ", "Unit Kerja", "Jabatan", "Gaji"]
ROSTER_COLUMNS = [
    "nik",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "kpj",
    "unit_name",
    "position",
    "monthly_wage",
]


@dataclass
class Scenario:
    roster: pl.DataFrame  # person + roster columns as written (values, not cells)
    bpjs: pl.DataFrame  # person + BPJS columns
    seed: int
    rates: dict[str, float] = field(default_factory=lambda: dict(RATES))

    def true_pairs(self) -> pl.DataFrame:
        """(roster_line, bpjs_line) of every person on both lists: first row of each side per person."""
        r = self.roster.with_row_index("roster_line", 1).group_by("person").agg(pl.col("roster_line").min())
        b = self.bpjs.with_row_index("bpjs_line", 1).group_by("person").agg(pl.col("bpjs_line").min())
        return r.join(b, on="person").select(
            pl.col("roster_line").cast(pl.Int64), pl.col("bpjs_line").cast(pl.Int64)
        )


def generate(
    rows: int, seed: int = 1, region: str = people.KUPANG, rates: dict[str, float] | None = None
) -> Scenario:
    """A roster of ``rows`` people (plus repeats) and the BPJS list for them, with faults as ``rates``."""
    rates = RATES | (rates or {})
    draw, rng = Draw(f"reconcile:{seed}"), random.Random(f"reconcile:{seed}")
    ghosts = round(rows * rates["ghost"])
    pool = _people(rows + ghosts, seed, region)
    pool = pool.with_columns(
        person=pl.int_range(pl.len(), dtype=pl.Int64),
        kpj=pl.coalesce("kpj", _new_kpjs(pool.height, 0)),  # everyone at BPJS has a KPJ
        _registered=pl.lit(~draw.bernoulli(pool.height, rates["unregistered"])),
    )
    staff, gone = pool.head(rows), pool.tail(ghosts)
    roster = _roster(staff.with_columns(kpj=pl.when("_registered").then("kpj")), draw, rng, rates)
    bpjs_people = pl.concat([staff.filter("_registered"), gone])
    twice = bpjs_people.filter(draw.bernoulli(bpjs_people.height, rates["bpjs_twice"]))
    twice = twice.with_columns(kpj=_new_kpjs(twice.height, pool.height))
    bpjs = _bpjs(pl.concat([bpjs_people, twice]), draw, rng, rates)
    bpjs = _shuffled(bpjs, rng)
    return Scenario(roster, bpjs, seed, rates)


def _people(count: int, seed: int, region: str) -> pl.DataFrame:
    scale = 1.0
    while True:
        frame = people.generate(region, scale=scale, seed=seed).people
        if frame.height >= count:
            return frame.head(count).with_columns(pl.col("monthly_wage").fill_null(1_000_000))
        scale *= 1.2 * count / max(frame.height, 1)


def _new_kpjs(n: int, start: int) -> pl.Series:
    """Distinct KPJs (numbers ``start`` .. ``start + n``, scrambled) from a range the demo's never use."""
    scrambled = ((pl.int_range(n, dtype=pl.Int64) + start) * 7_368_787 + 12_345) % 10_000_000_000
    return pl.select(pl.concat_str(pl.lit("9"), scrambled.cast(pl.Utf8).str.zfill(10)).alias("kpj"))["kpj"]


def _roster(staff: pl.DataFrame, draw: Draw, rng: random.Random, rates: dict[str, float]) -> pl.DataFrame:
    n = staff.height
    kpj = pl.col("kpj")
    blank, typo = draw.bernoulli(n, rates["roster_kpj_blank"]), draw.bernoulli(n, rates["roster_kpj_typo"])
    roster = staff.with_columns(
        pl.when(pl.lit(blank))
        .then(None)
        .when(pl.lit(typo))
        .then(_digit_typo(kpj, draw, n))
        .otherwise(kpj)
        .alias("kpj")
    )
    twice = roster.filter(draw.bernoulli(n, rates["roster_twice"]))
    return _shuffled(pl.concat([roster, twice]), rng).select("person", *ROSTER_COLUMNS)


def _digit_typo(text: pl.Expr, draw: Draw, n: int) -> pl.Expr:
    """One digit (position drawn) replaced by the next digit, mod 10."""
    place = pl.lit(draw.uniform(n)) * text.str.len_chars()
    place = place.floor().cast(pl.Int64)
    digit = (text.str.slice(place, 1).cast(pl.Int64, strict=False).fill_null(0) + 1) % 10
    return pl.concat_str(text.str.slice(0, place), digit.cast(pl.Utf8), text.str.slice(place + 1))


def _bpjs(frame: pl.DataFrame, draw: Draw, rng: random.Random, rates: dict[str, float]) -> pl.DataFrame:
    n = frame.height
    nik = pl.col("nik")
    place = (pl.lit(draw.uniform(n)) * 15).floor().cast(pl.Int64)
    swapped_nik = pl.concat_str(nik.str.slice(0, place), nik.str.slice(place + 1, 1), nik.str.slice(place, 1),
                                nik.str.slice(place + 2))  # fmt: skip
    nik_fault = draw.choice(
        n, ("none", "typo", "swap", "missing"), _weights(rates, "nik_typo", "nik_swap", "nik_missing")
    )
    born = pl.col("birth_date")
    birth_fault = draw.choice(n, ("none", "swapped", "typo"), _weights(rates, "birth_swapped", "birth_typo"))
    swappable = (born.dt.day() <= 12) & (born.dt.day() != born.dt.month())
    shift = pl.lit(draw.integers(n, 1, 9)) * pl.when(pl.lit(draw.bernoulli(n, 0.5))).then(1).otherwise(-1)
    out = frame.with_columns(
        nik=pl.when(pl.lit(nik_fault) == "typo").then(_digit_typo(nik, draw, n))
        .when(pl.lit(nik_fault) == "swap").then(swapped_nik)
        .when(pl.lit(nik_fault) == "missing").then(None).otherwise(nik),
        birth_date=pl.when((pl.lit(birth_fault) == "swapped") & swappable)
        .then(pl.date(born.dt.year(), born.dt.day(), born.dt.month()))
        .when(pl.lit(birth_fault) == "typo").then(born.dt.offset_by(pl.format("{}d", shift)))
        .otherwise(born),
        monthly_wage=pl.when(pl.lit(draw.bernoulli(n, rates["old_wage"])))
        .then((pl.col("monthly_wage") * 0.9 / 25_000).round().cast(pl.Int64) * 25_000)
        .otherwise(pl.col("monthly_wage")),
        programs=pl.when(pl.lit(draw.bernoulli(n, rates["other_programs"])))
        .then(pl.lit(draw.choice(n, ("JKK", "JKK,JKM,JHT"))))
        .otherwise(pl.lit("JKK,JKM")),
        _two_digit=pl.lit(draw.bernoulli(n, rates["two_digit_year"])),
        _billed_off=pl.lit(draw.bernoulli(n, rates["billed_off"])),
    )  # fmt: skip
    names = [_bpjs_name(name, rng, rates) for name in out["name"].to_list()]
    out = out.with_columns(name=pl.Series(names, dtype=pl.Utf8))
    return out.select(
        "person", *(c for c in BPJS_HEADERS if c != "contribution"), "_two_digit", "_billed_off"
    )


def _weights(rates: dict[str, float], *keys: str) -> list[float]:
    faults = [rates[k] for k in keys]
    return [1 - sum(faults), *faults]


_LEADING_TITLES = ("Drs. ", "Dra. ", "Dr. ", "Ir. ", "H. ", "Hj. ")


def _bpjs_name(name: str, rng: random.Random, rates: dict[str, float]) -> str:
    """Upper case, titles dropped (BPJS's own spelling), then the drawn faults."""
    base = name.partition(", ")[0]
    for title in _LEADING_TITLES:
        base = base.removeprefix(title)
    words = base.split(" ")
    if words[0] in ("Muhammad", "Muh.") and rng.random() < rates["name_muhammad"]:
        words[0] = {"Muhammad": rng.choice(("Muh.", "M.", "Moh.")), "Muh.": "Muhammad"}[words[0]]
    if len(words) >= 3 and rng.random() < rates["name_middle_dropped"]:
        del words[rng.randrange(1, len(words) - 1)]
    if rng.random() < rates["name_typo"]:
        words = _typo(words, rng)
    return " ".join(words).upper()


def _typo(words: list[str], rng: random.Random) -> list[str]:
    """Swap two neighbouring letters, or drop or double one, in a word of four letters or more."""
    choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not choices:
        return words
    i = rng.choice(choices)
    word, k = words[i], rng.randrange(1, len(words[i]) - 1)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap":
        word = word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    elif how == "drop":
        word = word[:k] + word[k + 1 :]
    else:
        word = word[:k] + word[k] + word[k:]
    return [*words[:i], word, *words[i + 1 :]]


def _shuffled(frame: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    order = list(range(frame.height))
    rng.shuffle(order)
    return frame.with_columns(_at=pl.Series(order)).sort("_at").drop("_at")


# ----------------------------------------------------------------------------------------------- files
def write(scenario: Scenario, roster_path: str | Path, bpjs_path: str | Path, period: dt.date) -> None:
    """The roster as operators write it (demo.sheets) and the BPJS list as exported (.xlsx or .csv)."""
    write_roster(scenario.roster, Path(roster_path), scenario.seed)
    write_bpjs(scenario.bpjs, Path(bpjs_path), period)


def write_roster(roster: pl.DataFrame, path: Path, seed: int) -> None:
    excel = path.suffix.lower() == ".xlsx"
    rows = roster.with_columns(_fault=pl.lit(None, pl.Utf8), _param=pl.lit(None, pl.Utf8))
    cells = sheets.render(rows, ROSTER_COLUMNS, Draw(f"reconcile-cells:{seed}"), excel)
    headers = dict(zip(ROSTER_COLUMNS, ROSTER_HEADERS, strict=True))
    if excel:
        sheets.write_xlsx(path, cells, headers, "Daftar Tenaga Non-ASN")
    else:
        sheets.write_csv(path, cells, headers, "utf-8", ";")


def bpjs_cells(bpjs: pl.DataFrame, period: dt.date) -> pl.DataFrame:
    """Text cells of the BPJS list: the IURAN is the calculator's for the row's wage and programs."""
    options = findings.Options(period=period)
    book = findings.shipped_book()
    wage = pl.col("monthly_wage")
    billed = pl.lit(None, pl.Int64)
    for programs in ("JKK", "JKM", "JKK,JKM", "JKK,JKM,JHT"):
        amount = findings.contribution(book, options, wage, tuple(programs.split(",")))
        billed = pl.when(pl.col("programs") == programs).then(amount).otherwise(billed)
    billed = pl.when(pl.col("_billed_off")).then(billed + 5_000).otherwise(billed)
    born = pl.col("birth_date")
    return bpjs.select(
        "kpj",
        pl.col("nik").fill_null(""),
        "name",
        pl.when(pl.col("_two_digit")).then(born.dt.strftime("%d/%m/%y")).otherwise(born.dt.strftime("%d/%m/%Y"))
        .alias("birth_date"),
        "sex",
        pl.col("monthly_wage").cast(pl.Utf8),
        billed.cast(pl.Utf8).alias("contribution"),
        pl.col("programs").str.replace_all(",", ", "),
    )  # fmt: skip


def write_bpjs(bpjs: pl.DataFrame, path: Path, period: dt.date) -> None:
    cells = bpjs_cells(bpjs, period)
    headers = [BPJS_HEADERS[c] for c in cells.columns]
    if path.suffix.lower() == ".csv":
        cells.rename(dict(zip(cells.columns, headers, strict=True))).write_csv(path)
        return
    book = xlsx.workbook(path, constant_memory=True)
    book.set_properties({"created": dt.datetime(2026, 1, 2, 8, 0), "author": "Payung demo"})
    sheet = book.add_worksheet("Peserta")
    sheet.write_string(0, 0, f"DAFTAR PESERTA BPJS KETENAGAKERJAAN PERIODE {period:%m-%Y}")
    sheet.write_row(2, 0, headers)
    text = book.add_format({"num_format": "@"})
    for r, row in enumerate(cells.iter_rows(), start=3):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value, text)
    book.close()


# ------------------------------------------------------------------------------------ from the registry
def from_registry(
    staff: pl.DataFrame, *, seed: int = 1, ghosts: int = 0, region: str = people.KUPANG,
    rates: dict[str, float] | None = None,
) -> pl.DataFrame:  # fmt: skip
    """The BPJS list for registry people (columns person, nik, kpj, name, birth_date, sex, monthly_wage):
    ``rates['unregistered']`` of them left out, ``ghosts`` generated people of ``region`` added (billed, on
    no roster), a few twice, and the faults of ``_bpjs``. ``person`` is the registry id (negative for
    ghosts)."""
    rates = RATES | (rates or {})
    draw, rng = Draw(f"reconcile-registry:{seed}"), random.Random(f"reconcile-registry:{seed}")
    staff = staff.with_columns(
        pl.col("person").cast(pl.Int64),
        pl.col("kpj").replace("", None),
        pl.col("monthly_wage").fill_null(1_000_000).cast(pl.Int64),
    )
    staff = staff.with_columns(kpj=pl.coalesce("kpj", _new_kpjs(staff.height, 50_000_000)))
    kept = staff.filter(~draw.bernoulli(staff.height, rates["unregistered"]))
    gone = _people(ghosts, seed + 1000, region).with_columns(
        person=-pl.int_range(1, pl.len() + 1, dtype=pl.Int64), kpj=_new_kpjs(ghosts, 60_000_000)
    )
    listed = pl.concat([kept, gone.select(kept.columns)], how="vertical_relaxed")
    twice = listed.filter(draw.bernoulli(listed.height, rates["bpjs_twice"]))
    twice = twice.with_columns(kpj=_new_kpjs(twice.height, 70_000_000))
    return _shuffled(_bpjs(pl.concat([listed, twice]), draw, rng, rates), rng)
