"""Deterministic demo people as polars frames in the canonical roster columns. Pure: no Django.

A region profile first lists *slots* (one per job or list place at scale 1: unit, group, position, pay,
decree and contract dates), then scales them (``scale`` < 1 samples each group, > 1 repeats it) and finally
draws each person's own attributes column by column: sex, name, birth date, NIK, address, phone, KPJ.
Nothing loops over people in Python, so a million people take seconds.

The same seed gives the same people on any day: ages and contracts count from ``REFERENCE_DATE``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl
from faker import Faker

from payung.demo import slots as slot_tables
from payung.demo import tables as t
from payung.demo.draw import Draw
from payung.demo.slots import REFERENCE_DATE
from payung.regions import catalog

DEFAULT_SEED = 2026
KUPANG, TTU = "5371", "5303"
PROFILES = (KUPANG, TTU)

COLUMNS: dict[str, pl.DataType] = {
    "nik": pl.Utf8(),
    "name": pl.Utf8(),
    "sex": pl.Utf8(),
    "birth_place": pl.Utf8(),
    "birth_date": pl.Date(),
    "address": pl.Utf8(),
    "village_code": pl.Utf8(),
    "phone": pl.Utf8(),
    "mother_maiden_name": pl.Utf8(),
    "kpj": pl.Utf8(),
    "unit_code": pl.Utf8(),
    "unit_name": pl.Utf8(),
    "group": pl.Utf8(),
    "position": pl.Utf8(),
    "monthly_wage": pl.Int64(),
    "decree_number": pl.Utf8(),
    "decree_date": pl.Date(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "occupation": pl.Utf8(),
    "poverty_status": pl.Utf8(),
}
UNIT_COLUMNS: dict[str, pl.DataType] = {
    "code": pl.Utf8(),
    "name": pl.Utf8(),
    "kind": pl.Utf8(),
    "village_code": pl.Utf8(),
}
KPJ_SHARE = {"non_asn": 0.85, "teacher": 0.0, "rentan": 0.9, "perangkat": 0.7, "rt_rw": 0.3}
WAGE_STEP = 25_000


@dataclass(frozen=True)
class Demo:
    """One region's demo data: its units (code, name, kind, village_code) and its people."""

    region_code: str
    units: pl.DataFrame
    people: pl.DataFrame


@dataclass(frozen=True)
class NameStyle:
    """How a region's names are mixed: shares of NTT given names and family names, and of Muslim names."""

    ntt_given: float
    timor_surname: float
    other_ntt_surname: float
    muslim: float
    streets: tuple[str, ...]


STYLES = {
    KUPANG: NameStyle(0.65, 0.35, 0.40, 0.05, t.STREETS_KUPANG),
    TTU: NameStyle(0.85, 0.85, 0.10, 0.01, t.STREETS_TTU),
}


def catalog_villages(region_code: str) -> list[tuple[str, str]]:
    """(code, name) of every desa/kelurahan of a kab/kota, from the same packaged table as Region."""
    return [(a.code, a.name) for a in _all_villages() if a.code.startswith(region_code)]


@cache
def _all_villages() -> tuple[catalog.Area, ...]:
    return tuple(a for a in catalog.iter_areas() if a.level == catalog.VILLAGE)


def generate(
    region_code: str,
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    villages: Sequence[tuple[str, str]] | None = None,
    profile: str | None = None,
) -> Demo:
    """Units and people of ``region_code`` (one of PROFILES, or any kab/kota drawn like ``profile``, one
    of them: the province's other districts); ``villages`` default to the catalogue's."""
    profile = profile or region_code
    if profile not in PROFILES:
        raise ValueError(f"no demo profile for region {region_code}; choose from {', '.join(PROFILES)}")
    if scale < 0:
        raise ValueError("scale cannot be negative")
    villages = sorted(villages) if villages is not None else catalog_villages(region_code)
    if not villages:
        raise ValueError(f"region {region_code} has no desa/kelurahan")
    rng = random.Random(f"{seed}:{region_code}:slots")
    slots = (slot_tables.kupang if profile == KUPANG else slot_tables.ttu)(rng, villages)
    units = _units(slots)
    chosen = _scale(slots, scale, rng)
    people = _people(chosen, region_code, villages, Draw(f"{seed}:{region_code}:people"), profile)
    return Demo(region_code, units, people)


def _units(slots: pl.DataFrame) -> pl.DataFrame:
    return (
        slots.select(code="unit_code", name="unit_name", kind="unit_kind", village_code="village_code")
        .unique("code", keep="first", maintain_order=True)
        .with_columns(pl.when(pl.col("kind") == "village").then("village_code").alias("village_code"))
    )


def _scale(slots: pl.DataFrame, scale: float, rng: random.Random) -> pl.DataFrame:
    """round(count × scale) people per group: whole copies of the group's slots plus a sample of the rest."""
    indexed = slots.with_row_index("slot")
    picks: list[int] = []
    for group in slots["group"].unique(maintain_order=True).to_list():
        rows = indexed.filter(pl.col("group") == group)["slot"].to_list()
        whole, rest = divmod(round(len(rows) * scale), len(rows))
        picks += rows * whole
        picks += sorted(rng.sample(rows, rest))
    return slots[picks]


# --------------------------------------------------------------------------------------------- people
@cache
def _faker_pools() -> dict[str, tuple[str, ...]]:
    """Indonesian names from Faker's id_ID locale (the migrants' names in NTT towns): a fixed vocabulary,
    drawn with a fixed seed, that every demo seed picks from."""
    fake = Faker("id_ID")
    fake.seed_instance(DEFAULT_SEED)

    def pool(method, size: int) -> tuple[str, ...]:
        return tuple(sorted({method() for _ in range(size)}))

    return {
        "L": pool(fake.first_name_male, 600),
        "P": pool(fake.first_name_female, 400),
        "last_L": pool(fake.last_name_male, 300),
        "last_P": pool(fake.last_name_female, 300),
    }


def _people(
    slots: pl.DataFrame, region: str, villages: Sequence[tuple[str, str]], draw: Draw, profile: str = ""
) -> pl.DataFrame:
    n = slots.height
    profile = profile or region
    frame = slots.with_columns(
        sex=pl.when(draw.uniform(n) < pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")),
        village_code=pl.coalesce("village_code", draw.choice(n, [c for c, _ in villages])),
        age_days=(
            (pl.col("age_lo") + draw.uniform(n) * (pl.col("age_hi") - pl.col("age_lo"))) * 365.2425
        ).cast(pl.Int64),
        wage_pick=draw.uniform(n),
    ).with_columns(birth_date=pl.lit(REFERENCE_DATE) - pl.duration(days="age_days"))
    frame = frame.with_columns(
        nik=_niks(frame, draw),
        name=_names(frame, STYLES[profile], draw, titled=True),
        mother_maiden_name=_mother_names(frame, STYLES[profile], draw),
        birth_place=_birth_places(frame, profile, villages, draw),
        address=_addresses(frame, STYLES[profile], villages, draw),
        phone=_phones(n, draw),
        kpj=_kpjs(frame, region, draw),
        monthly_wage=_wages(),
    )
    frame = frame.with_columns(start_date=_first_appointments(frame, draw))  # drawn last: the rest stays
    return frame.select([pl.col(c).cast(d) for c, d in COLUMNS.items()])


FIRST_TMT_YEAR = 2008
RECENT_TMT_YEAR = 2021  # four in five non-ASN were first appointed before this year
RECENT_TMT_SHARE = 0.2
MIN_TMT_AGE = 19


def _first_appointments(frame: pl.DataFrame, draw: Draw) -> pl.Series:
    """A non-ASN's start date is the first appointment (TMT), years before this year's contract (its
    decree and end date stay the current contract's): from 2008 on, mostly before 2021, never before the
    person turned 19 nor after this year's decree. Other groups keep their slot's start date."""
    n = frame.height

    def day_in(first: dt.date, last: dt.date) -> pl.Expr:
        return pl.lit(first) + pl.duration(days=(draw.uniform(n) * ((last - first).days + 1)).floor())

    last = dt.date(REFERENCE_DATE.year - 1, 12, 31)  # capped below by the decree (December)
    old = day_in(dt.date(FIRST_TMT_YEAR, 1, 1), dt.date(RECENT_TMT_YEAR - 1, 12, 31))
    recent = day_in(dt.date(RECENT_TMT_YEAR, 1, 1), last)
    picked = pl.when(pl.lit(draw.uniform(n) < RECENT_TMT_SHARE)).then(recent).otherwise(old)
    adult = pl.col("birth_date").dt.offset_by(f"{MIN_TMT_AGE}y")
    tmt = pl.min_horizontal(pl.max_horizontal(picked, adult), pl.col("decree_date"))
    return frame.select(
        pl.when(pl.col("group") == "non_asn").then(tmt).otherwise(pl.col("start_date")).alias("start_date")
    )["start_date"]


def _niks(frame: pl.DataFrame, draw: Draw) -> pl.Series:
    """Kecamatan of the home desa + DDMMYY (women's day + 40) + a sequence unique within that prefix."""
    n = frame.height
    key = pl.concat_str(
        pl.col("village_code").str.slice(0, 6),
        (pl.col("birth_date").dt.day() + pl.when(pl.col("sex") == "P").then(40).otherwise(0))
        .cast(pl.Utf8)
        .str.zfill(2),
        pl.col("birth_date").dt.strftime("%m%y"),
    )
    keyed = frame.select(key=key, base=draw.integers(n, 1, 3000))
    sequence = pl.col("base").first().over("key") + pl.int_range(pl.len()).over("key")
    niks = keyed.select(pl.concat_str("key", sequence.cast(pl.Utf8).str.zfill(4)).alias("nik"))["nik"]
    if niks.len() and niks.str.len_chars().max() != 16:
        raise RuntimeError("NIK sequence overflow: too many people share a kecamatan and birth date")
    return niks


def _given(frame: pl.DataFrame, style: NameStyle, draw: Draw, pools: dict) -> pl.Expr:
    n = frame.height
    ntt = (
        pl.when(pl.col("sex") == "P").then(draw.choice(n, t.NTT_FEMALE)).otherwise(draw.choice(n, t.NTT_MALE))
    )
    faker = (
        pl.when(pl.col("sex") == "P").then(draw.choice(n, pools["P"])).otherwise(draw.choice(n, pools["L"]))
    )
    return pl.when(draw.uniform(n) < style.ntt_given).then(ntt).otherwise(faker)


def _faker_surname(n: int, draw: Draw, pools: dict) -> pl.Expr:
    """Faker's id_ID family names differ by sex (Rahmawati, Rahmawan)."""
    return (
        pl.when(pl.col("sex") == "P")
        .then(draw.choice(n, pools["last_P"]))
        .otherwise(draw.choice(n, pools["last_L"]))
    )


def _surname(n: int, style: NameStyle, draw: Draw, pools: dict) -> pl.Expr:
    pick = draw.uniform(n)
    return (
        pl.when(pick < style.timor_surname)
        .then(draw.choice(n, t.TIMOR_SURNAMES))
        .when(pick < style.timor_surname + style.other_ntt_surname)
        .then(draw.choice(n, t.OTHER_NTT_SURNAMES))
        .otherwise(_faker_surname(n, draw, pools))
    )


def _names(frame: pl.DataFrame, style: NameStyle, draw: Draw, *, titled: bool) -> pl.Series:
    """'Yohanes Bria', 'Maria Yosefina Taolin', 'Muh. Arifin Saputra', 'Theresia Kase, S.Pd.'."""
    n, pools = frame.height, _faker_pools()
    given, surname = _given(frame, style, draw, pools), _surname(n, style, draw, pools)
    second = pl.when(draw.uniform(n) < 0.2).then(
        pl.when(pl.col("sex") == "P").then(draw.choice(n, t.NTT_FEMALE)).otherwise(draw.choice(n, t.NTT_MALE))
    )
    muslim = draw.uniform(n) < style.muslim
    muslim_prefix = (
        pl.when(pl.col("sex") == "P")
        .then(pl.lit("Siti"))
        .otherwise(draw.choice(n, ("Muhammad", "Muh.", "Muhammad")))
    )
    faker_given = (
        pl.when(pl.col("sex") == "P").then(draw.choice(n, pools["P"])).otherwise(draw.choice(n, pools["L"]))
    )
    plain = pl.concat_str(given, second, surname, separator=" ", ignore_nulls=True)
    islamic = pl.concat_str(muslim_prefix, faker_given, _faker_surname(n, draw, pools), separator=" ")
    name = pl.when(pl.lit(muslim)).then(islamic).otherwise(plain)
    if titled:
        name = (
            pl.when(pl.col("title").is_not_null())
            .then(pl.concat_str(name, pl.lit(", "), "title"))
            .otherwise(name)
        )
    return frame.select(name=name)["name"]


def _mother_names(frame: pl.DataFrame, style: NameStyle, draw: Draw) -> pl.Series:
    mothers = pl.select(sex=pl.repeat("P", frame.height), title=pl.repeat(None, frame.height, dtype=pl.Utf8))
    return _names(mothers, style, draw, titled=False)


def _village_names(villages: Sequence[tuple[str, str]]) -> pl.Expr:
    return pl.col("village_code").replace_strict(dict(villages), default=None)


def _birth_places(
    frame: pl.DataFrame, region: str, villages: Sequence[tuple[str, str]], draw: Draw
) -> pl.Series:
    n = frame.height
    if region == KUPANG:
        places, weights = zip(*t.BIRTH_PLACES_KUPANG, strict=True)
        return draw.choice(n, places, weights).alias("birth_place")
    places, weights = zip(*t.BIRTH_PLACES_TTU, strict=True)
    elsewhere = draw.choice(n, places, weights)
    # Two in five of TTU's people were born in the desa they still live in.
    home = draw.uniform(n) < 0.4
    return frame.select(pl.when(pl.lit(home)).then(_village_names(villages)).otherwise(elsewhere).alias("p"))[
        "p"
    ]


def _addresses(
    frame: pl.DataFrame, style: NameStyle, villages: Sequence[tuple[str, str]], draw: Draw
) -> pl.Series:
    n = frame.height
    rt_rw = pl.format(
        "RT {}/RW {}",
        draw.integers(n, 1, 24).cast(pl.Utf8).str.zfill(3),
        draw.integers(n, 1, 8).cast(pl.Utf8).str.zfill(3),
    )
    street = pl.format("Jl. {} No. {}", draw.choice(n, style.streets), draw.integers(n, 1, 120))
    hamlet = pl.format("Dusun {}", draw.choice(n, t.ROMAN[:4]))
    town = pl.col("village_code").str.slice(6, 1) == "1"
    return frame.select(
        pl.when(town)
        .then(pl.format("{}, {}, Kel. {}", street, rt_rw, _village_names(villages)))
        .otherwise(pl.format("{}, {}, Desa {}", hamlet, rt_rw, _village_names(villages)))
        .alias("a")
    )["a"]


def _phones(n: int, draw: Draw) -> pl.Series:
    number = pl.concat_str(
        pl.lit(draw.choice(n, t.MOBILE_PREFIXES)),
        pl.lit(draw.integers(n, 0, 99_999_999).cast(pl.Utf8).str.zfill(8)),
    )
    has = draw.uniform(n) < 0.9
    return pl.select(pl.when(pl.lit(has)).then(number).alias("phone"))["phone"]


def _kpjs(frame: pl.DataFrame, region: str, draw: Draw) -> pl.Series:
    """11 digits; a fixed bijection of the row number keeps them unique within a region's frame."""
    has = draw.uniform(frame.height) < pl.col("group").replace_strict(KPJ_SHARE, return_dtype=pl.Float64)
    scrambled = (pl.int_range(pl.len(), dtype=pl.Int64) * 982_451_653 + 123_456_789) % 1_000_000_000
    number = pl.concat_str(pl.lit("2" + region[-1]), scrambled.cast(pl.Utf8).str.zfill(9))
    return frame.select(pl.when(has).then(number).alias("kpj"))["kpj"]


def _wages() -> pl.Expr:
    """Integer rupiah in WAGE_STEP steps between the slot's bounds (null where the group has no wage)."""
    steps = (pl.col("wage_hi") - pl.col("wage_lo")) // WAGE_STEP + 1
    return pl.col("wage_lo") + (pl.col("wage_pick") * steps).floor().cast(pl.Int64) * WAGE_STEP
