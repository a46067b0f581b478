"""Demo *slots*: one per job or list place at scale 1, with unit, group, position, pay, decree and dates.

Kota Kupang: its OPDs (the 2,300 non-ASN of seed 001, DLHK's 253 street sweepers among them), six kecamatan
offices and the guru komite of 26 schools. Kab. TTU: 14,880 pekerja rentan spread over its desa (seed 004),
the perangkat of each desa and the RT/RW heads of each desa and kelurahan. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import polars as pl

from payung.demo import tables as t
from payung.demo.draw import Draw
from payung.regions import catalog

REFERENCE_DATE = dt.date(2026, 7, 1)  # "today" for ages and contracts, so a seed means the same on any day
YEAR = REFERENCE_DATE.year
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


def kupang(rng: random.Random, villages: Sequence[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(_kupang_slots(rng, villages), schema=SLOT_COLUMNS, orient="row")


def ttu(rng: random.Random, villages: Sequence[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(_ttu_slots(rng, villages), schema=SLOT_COLUMNS, orient="row")


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
