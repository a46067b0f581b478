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

from payung.demo import tables as t
from payung.demo.draw import Draw
from payung.regions import catalog

REFERENCE_DATE = dt.date(2026, 7, 1)
YEAR = REFERENCE_DATE.year
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
SLOT_COLUMNS: dict[str, pl.DataType] = {
    "unit_code": pl.Utf8(),
    "unit_name": pl.Utf8(),
    "unit_kind": pl.Utf8(),
    "village_code": pl.Utf8(),
    "group": pl.Utf8(),
    "position": pl.Utf8(),
    "wage_lo": pl.Int64(),
    "wage_hi": pl.Int64(),
    "female": pl.Float64(),
    "age_lo": pl.Int64(),
    "age_hi": pl.Int64(),
    "title": pl.Utf8(),
    "decree_number": pl.Utf8(),
    "decree_date": pl.Date(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "occupation": pl.Utf8(),
    "poverty_status": pl.Utf8(),
}
# Share of people already holding a BPJS TK card (KPJ), by group: teachers are not yet registered (seed 001).
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
) -> Demo:
    """Units and people of ``region_code`` (one of PROFILES); ``villages`` default to the catalogue's."""
    if region_code not in PROFILES:
        raise ValueError(f"no demo profile for region {region_code}; choose from {', '.join(PROFILES)}")
    if scale < 0:
        raise ValueError("scale cannot be negative")
    villages = sorted(villages) if villages is not None else catalog_villages(region_code)
    if not villages:
        raise ValueError(f"region {region_code} has no desa/kelurahan")
    rng = random.Random(f"{seed}:{region_code}:slots")
    build = _kupang_slots if region_code == KUPANG else _ttu_slots
    slots = pl.DataFrame(build(rng, villages), schema=SLOT_COLUMNS, orient="row")
    units = _units(slots)
    chosen = _scale(slots, scale, rng)
    people = _people(chosen, region_code, villages, Draw(f"{seed}:{region_code}:people"))
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


# ---------------------------------------------------------------------------------------------- slots
def _row(unit: tuple[str, str, str, str | None], group: str, position: str, **extra: object) -> dict:
    code, name, kind, village = unit
    row = dict.fromkeys(SLOT_COLUMNS)
    row.update(
        unit_code=code,
        unit_name=name,
        unit_kind=kind,
        village_code=village,
        group=group,
        position=position,
        female=0.45,
        age_lo=21,
        age_hi=55,
    )
    row.update(extra)
    return row


def _post_rows(
    unit: tuple,
    post: t.Post,
    rng: random.Random,
    decree: tuple[str, dt.date, dt.date, dt.date],
    group: str = "non_asn",
) -> list[dict]:
    number, decreed, start, end = decree
    rows = []
    for _ in range(post.count):
        title = rng.choice(post.titles) if post.titles and rng.random() < post.titled else None
        rows.append(
            _row(
                unit,
                group,
                post.position,
                wage_lo=post.wage[0],
                wage_hi=post.wage[1],
                female=post.female,
                age_lo=post.ages[0],
                age_hi=post.ages[1],
                title=title,
                decree_number=number,
                decree_date=decreed,
                start_date=start,
                end_date=end,
            )
        )
    return rows


def _yearly_decree(index: int, unit_code: str) -> tuple[str, dt.date, dt.date, dt.date]:
    """A mayor's appointment decree for the year's contracts, signed in December of the year before."""
    return (
        f"188.45/KEP/{index:03d}/{unit_code}/{YEAR - 1}",
        dt.date(YEAR - 1, 12, 10 + index % 15),
        dt.date(YEAR, 1, 1),
        dt.date(YEAR, 12, 31),
    )


def _school_code(name: str) -> str:
    for long, short in (("SD Negeri ", "SDN "), ("SD Inpres ", "SDI "), ("SMP Negeri ", "SMPN ")):
        name = name.replace(long, short)
    return name.upper().replace(" ", "-")


def _kupang_slots(rng: random.Random, villages: Sequence[tuple[str, str]]) -> list[dict]:
    rows: list[dict] = []
    for index, (code, name, posts) in enumerate(t.KUPANG_OPDS, start=1):
        for post in posts:
            rows += _post_rows((code, name, "opd", None), post, rng, _yearly_decree(index, code))
    districts = catalog.areas_above_village()
    for index, district in enumerate(sorted({c[:6] for c, _ in villages}), start=len(t.KUPANG_OPDS) + 1):
        name = districts[district].name
        unit = (f"KEC-{name.upper().replace(' ', '-')}", f"Kantor Camat {name}", "opd", None)
        for post in t.KECAMATAN_OFFICE_POSTS:
            rows += _post_rows(unit, post, rng, _yearly_decree(index, unit[0]))
    for index, school in enumerate(t.KUPANG_SCHOOLS):
        rows += _teacher_rows(index, school, rng)
    return rows


def _teacher_rows(index: int, school: str, rng: random.Random) -> list[dict]:
    """Guru komite: appointed by the head of school for the school year that starts in July."""
    code = _school_code(school)
    decree = (
        f"421.2/{index + 1:03d}/{code}/{YEAR - 1}",
        dt.date(YEAR - 1, 7, 1 + index % 10),
        dt.date(YEAR - 1, 7, 13),
        dt.date(YEAR, 6, 30),
    )
    is_sd = school.startswith("SD ")
    rows = []
    for _ in range(6 + (index * 5) % 8):
        position = rng.choices(t.SD_POSTS, (6, 1, 1))[0] if is_sd else rng.choice(t.SMP_POSTS)
        post = t.Post(position, 1, t.TEACHER_WAGE, 0.7, t.TEACHER_TITLES, 0.55, (22, 50))
        rows += _post_rows((code, school, "school", None), post, rng, decree, group="teacher")
    return rows


def _ttu_slots(rng: random.Random, villages: Sequence[tuple[str, str]]) -> list[dict]:
    units = [_village_unit(code, name) for code, name in villages]
    # Town kelurahan hold fewer farmers than rural desa; the rest of the spread is chance.
    weights = [(0.5 if _is_kelurahan(u[0]) else 1.0) * (0.5 + rng.random()) for u in units]
    counts = Draw(rng.getrandbits(64)).counts(t.TTU_RENTAN, weights)
    rows: list[dict] = []
    for index, (unit, count) in enumerate(zip(units, counts, strict=True), start=1):
        rows += _rentan_rows(index, unit, count, rng)
    for index, unit in enumerate(units, start=1):
        if not _is_kelurahan(unit[0]):
            rows += _perangkat_rows(index, unit, rng)
    for index, unit in enumerate(units, start=1):
        rows += _rt_rw_rows(index, unit, rng)
    return rows


def _village_unit(code: str, name: str) -> tuple[str, str, str, str]:
    return (code, f"{'Kelurahan' if _is_kelurahan(code) else 'Desa'} {name}", "village", code)


def _is_kelurahan(village_code: str) -> bool:
    """Kemendagri numbers kelurahan 1xxx and desa 2xxx within a kecamatan."""
    return village_code[6] == "1"


COASTAL_TTU = {"530307", "530309", "530323"}  # Biboki Anleu, Insana Utara, Biboki Moenleu reach the sea


def _rentan_rows(index: int, unit: tuple, count: int, rng: random.Random) -> list[dict]:
    jobs = [(j, w) for j, w in t.OCCUPATIONS if j != "nelayan" or unit[0][:6] in COASTAL_TTU]
    decree = (
        f"400.9/{index:03d}/KEP/HK/{YEAR}",
        dt.date(YEAR, 1, 15),
        dt.date(YEAR, 2, 1),
        dt.date(YEAR, 12, 31),
    )
    rows = []
    for _ in range(count):
        occupation = rng.choices([j for j, _ in jobs], [w for _, w in jobs])[0]
        poverty = rng.choices([p for p, _ in t.POVERTY], [w for _, w in t.POVERTY])[0]
        rows.append(
            _row(
                unit,
                "rentan",
                "",
                female=0.4,
                age_lo=18,
                age_hi=64,
                occupation=occupation,
                poverty_status=poverty,
                decree_number=decree[0],
                decree_date=decree[1],
                start_date=decree[2],
                end_date=decree[3],
            )
        )
    return rows


def _perangkat_rows(index: int, unit: tuple, rng: random.Random) -> list[dict]:
    head_start = dt.date(YEAR - 5, 1 + index % 12, 1 + index % 28)
    rows = [
        _row(
            unit,
            "perangkat",
            "Kepala Desa",
            wage_lo=t.PERANGKAT_POSTS[0][1],
            wage_hi=t.PERANGKAT_POSTS[0][1],
            female=0.1,
            age_lo=32,
            age_hi=60,
            decree_number=f"141/{index:03d}/KEP/HK/{head_start.year}",
            decree_date=head_start - dt.timedelta(days=14),
            start_date=head_start,
            end_date=head_start.replace(year=head_start.year + 8) - dt.timedelta(days=1),
        )
    ]
    posts = list(t.PERANGKAT_POSTS[1:]) + [
        (f"Kepala Dusun {t.ROMAN[i]}", 2_022_200) for i in range(t.DUSUN_HEADS)
    ]
    for number, (position, pay) in enumerate(posts, start=1):
        start = dt.date(rng.randint(YEAR - 14, YEAR - 1), rng.randint(1, 12), 1)
        rows.append(
            _row(
                unit,
                "perangkat",
                position,
                wage_lo=pay,
                wage_hi=pay,
                female=0.35,
                age_lo=25,
                age_hi=59,
                decree_number=f"141/{number:02d}/DS-{unit[0][6:]}/{start.year}",
                decree_date=start - dt.timedelta(days=7),
                start_date=start,
            )
        )
    return rows


def _rt_rw_rows(index: int, unit: tuple, rng: random.Random) -> list[dict]:
    start = dt.date(rng.randint(YEAR - 3, YEAR - 1), 1, 2)
    extra = dict(
        wage_lo=t.RT_RW_INCENTIVE[0],
        wage_hi=t.RT_RW_INCENTIVE[1],
        female=0.15,
        age_lo=30,
        age_hi=68,
        decree_number=f"141/{index:03d}/RT-RW/{start.year}",
        decree_date=start - dt.timedelta(days=1),
        start_date=start,
        end_date=start.replace(year=start.year + 3) - dt.timedelta(days=1),
    )
    rows, rt = [], 0
    for rw in range(1, 2 + rng.randint(1, 3)):
        rows.append(_row(unit, "rt_rw", f"Ketua RW {rw:03d}", **extra))
        for _ in range(rng.randint(2, 3)):
            rt += 1
            rows.append(_row(unit, "rt_rw", f"Ketua RT {rt:03d}/RW {rw:03d}", **extra))
    return rows


# --------------------------------------------------------------------------------------------- people
@cache
def _faker_pools(seed: int) -> dict[str, tuple[str, ...]]:
    """Indonesian names from Faker's id_ID locale (the migrants' names in NTT towns), drawn once per seed."""
    fake = Faker("id_ID")
    fake.seed_instance(seed)

    def pool(method, size: int) -> tuple[str, ...]:
        return tuple(sorted({method() for _ in range(size)}))

    return {
        "L": pool(fake.first_name_male, 600),
        "P": pool(fake.first_name_female, 400),
        "last_L": pool(fake.last_name_male, 300),
        "last_P": pool(fake.last_name_female, 300),
    }


def _people(
    slots: pl.DataFrame, region: str, villages: Sequence[tuple[str, str]], draw: Draw
) -> pl.DataFrame:
    n = slots.height
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
        name=_names(frame, STYLES[region], draw, titled=True),
        mother_maiden_name=_mother_names(frame, STYLES[region], draw),
        birth_place=_birth_places(frame, region, villages, draw),
        address=_addresses(frame, STYLES[region], villages, draw),
        phone=_phones(n, draw),
        kpj=_kpjs(frame, region, draw),
        monthly_wage=_wages(),
    )
    return frame.select([pl.col(c).cast(d) for c, d in COLUMNS.items()])


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
    if niks.str.len_chars().max() != 16:
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
    n, pools = frame.height, _faker_pools(DEFAULT_SEED)
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
