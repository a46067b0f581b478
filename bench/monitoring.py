"""Monitoring's reads at the issue's scale (issue 12): the province rollup and a kab/kota dashboard over
1,000,000 people and 12 months across 22 regions, and the named uncovered list of a 100,000-person region.

    DATABASE_URL=... .venv/bin/python bench/monitoring.py [--people 1000000] [--big 100000] [--months 12]

What it builds (Payung's own generator, written directly; the database must be migrated and empty of
monitoring rows): 22 kab/kota of NTT with monthly summaries of 12 months whose people add up to --people
(every unit row a region of that size would have), and for the largest region (--big people) the registry
people and the named list (Entry rows) of its current month, a priority group and an agreement. The reads
are the pages themselves through Django's test client (rendering included), warm (the median of 5 after
one run), as the province monitor and as the region's viewer; plus the query plans of the two hot queries.
The cold path (computing a month from the registry) is measured on the demo data instead: decision 0022.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from payung.accounts.models import Role, User  # noqa: E402
from payung.monitoring import compute  # noqa: E402
from payung.monitoring.models import Entry, Priority, Summary  # noqa: E402
from payung.monitoring.services import _write_entries  # noqa: E402
from payung.regions.models import Region  # noqa: E402
from payung.registry.models import Unit  # noqa: E402

BIG = "5302"  # Kab. Timor Tengah Selatan plays the 100,000-person region
GROUPS = ("rentan", "perangkat", "rt_rw", "non_asn", "teacher")
REASONS = ("no_agreement", "never", "ended", "lapsed", "unpaid")


def _figures(people: int, rng: random.Random) -> dict:
    covered = int(people * rng.uniform(0.4, 0.95))
    paid = int(covered * rng.uniform(0.7, 1.0))
    share = [rng.random() for _ in GROUPS]
    groups = {g: {"people": int(people * s / sum(share))} for g, s in zip(GROUPS, share, strict=True)}
    for g in groups.values():
        g["covered"] = int(g["people"] * covered / people)
        g["paid"] = int(g["people"] * paid / people)
    money = {
        "billed": covered * 16_800,
        "paid": paid * 16_800,
        "outstanding": (covered - paid) * 50_400,
        "year_billed": covered * 201_600,
        "year_paid": paid * 201_600,
        "committed": covered * 201_600,
        "claims_paid": 0,
        "claims_paid_year": 42_000_000,
        "claims_paid_count_year": 1,
        "outstanding_month": 0,
    }
    agreements = [
        {
            "number": "PKS/1",
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "programs": ["JKK", "JKM"],
            "groups": ["rentan"],
            "category": "bpu",
        }
    ]
    return {
        "people": people,
        "covered": covered,
        "uncovered": people - covered,
        "paid": paid,
        "unpaid": covered - paid,
        "reasons": {"no_agreement": people - covered, "unpaid": covered - paid},
        "programs": {"JKK": covered, "JKM": covered, "tk2": covered},
        "groups": groups,
        "money": money,
        "agreements": agreements,
    }


def _rows(people: int, units: list[tuple[int, str]], villages: list[str], rng: random.Random) -> list[dict]:
    """The breakdown rows a region of ``people`` has: one per unit, group, kecamatan and desa."""
    rows = []
    per_unit = max(people // max(len(units), 1), 1)
    for by, keys in (
        ("unit", units),
        ("group", [(g, "") for g in GROUPS]),
        ("village", [(v, "") for v in villages]),
        ("kecamatan", [(k, "") for k in sorted({v[:6] for v in villages})]),
    ):
        for key, name in keys:
            n = per_unit if by == "unit" else max(people // len(keys), 1)
            c = int(n * rng.uniform(0.3, 1))
            rows.append(
                {
                    "by": by,
                    "key": str(key),
                    "name": name,
                    "people": n,
                    "covered": c,
                    "uncovered": n - c,
                    "paid": c,
                    "unpaid": 0,
                    "reasons": {"no_agreement": n - c},
                    "programs": {},
                }
            )
    return rows


def build(total: int, big: int, months: int) -> str:
    rng = random.Random(12)
    regions = list(Region.objects.filter(level=Region.Level.REGENCY, code__startswith="53").order_by("code"))
    others = [r for r in regions if r.code != BIG]
    sizes = {r.code: (total - big) // len(others) for r in others} | {BIG: big}
    period = timezone.localdate().replace(day=1)
    started = time.perf_counter()
    big_region = Region.objects.get(code=BIG)
    units = [
        Unit(region=big_region, code=f"DESA-{i:04d}", name=f"Desa Uji {i:04d}", kind="village")
        for i in range(400)
    ]
    Unit.objects.bulk_create(units)
    units = list(Unit.objects.filter(region=big_region).values_list("id", "name"))
    people_ids = _people(big_region, big)
    for region in regions:
        villages = list(
            Region.objects.filter(level=4, code__startswith=region.code).values_list("code", flat=True)
        )
        region_units = (
            units if region.code == BIG else [(i, f"Unit {i}") for i in range(sizes[region.code] // 250 + 1)]
        )
        for back in range(months):
            month = compute.add_months(period, -back)
            people = int(sizes[region.code] * (1 - 0.01 * back))
            own = region.code == BIG  # the others report by signed file (no registry of theirs here)
            Summary.objects.create(
                region=region,
                period=month,
                computed_at=timezone.now(),
                as_of=timezone.localdate(),
                source="local" if own else "file",
                signed_at=None if own else timezone.now(),
                fingerprint=compute.fingerprint(region.code) if region.code == BIG else "",
                figures=_figures(people, rng),
                rows=_rows(people, region_units, villages, rng),
            )
    current = Summary.objects.get(region_id=BIG, period=period)
    entries = []
    for person_id, name in people_ids:
        unit_id = units[person_id % len(units)][0]
        covered = rng.random() < 0.6
        reason = "" if covered else rng.choice(REASONS[:4])
        entries.append(
            (
                person_id,
                unit_id,
                "rentan",
                "",
                covered,
                covered,
                reason,
                "JKK,JKM" if covered else "",
                name,
                "",
            )
        )
    _write_entries(current, entries)
    Priority.objects.create(
        region=big_region, unit_id=units[0][0], label="Prioritas uji", reason="uji", since=period
    )
    print(
        f"built {len(regions)} regions x {months} months, {big:,} people and named list in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return f"{period:%Y-%m}"


def _people(region: Region, count: int) -> list[tuple[int, str]]:
    """``count`` registry people of ``region`` in plain INSERTs (NIKs need only be unique here)."""
    table = connection.ops.quote_name("registry_person")
    columns = (
        "region_id",
        "nik",
        "name",
        "name_key",
        "sound_first",
        "sound_last",
        "sex",
        "birth_place",
        "birth_date",
        "address",
        "phone",
        "mother_maiden_name",
        "kpj",
        "status",
        "created_at",
        "updated_at",
        "version",
    )
    now = timezone.now()
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = [
        (
            region.code,
            f"5302{i:012d}",
            f"Orang Uji {i:06d}",
            f"orang uji {i:06d}",
            "",
            "",
            "L",
            "",
            dt.date(1980, 1, 1),
            "",
            "",
            "",
            "",
            "active",
            now,
            now,
            0,
        )
        for i in range(count)
    ]
    with connection.cursor() as cursor:
        for start in range(0, count, 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])
    from payung.registry.models import Person

    return list(Person.objects.filter(region=region).values_list("id", "name"))


def timed(client: Client, url: str, runs: int = 5) -> tuple[float, int]:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(answer.content)


def plans(month: str) -> None:
    summary = Summary.objects.get(region_id=BIG, period=f"{month}-01")
    # What the list page runs (monitoring.queries.page_of): the page's ids from the index, then those rows.
    ids = Entry.objects.filter(summary=summary, covered__in=[False]).order_by("name", "id").values_list("id")
    rollup = Summary.objects.defer("rows").filter(region_id__in=["5301", "5302"], period=f"{month}-01")
    for label, query in (
        ("named list, ids of page 800", ids[39_950:40_000]),
        ("the rollup's summaries", rollup),
    ):
        sql, params = query.query.sql_with_params()
        prefix = (
            "EXPLAIN QUERY PLAN "
            if connection.vendor == "sqlite"
            else "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) "
        )
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            print(f"\nplan, {label} ({connection.vendor}):")
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--reuse", action="store_true", help="time the data an earlier run built")
    args = parser.parse_args()
    if args.reuse:
        month = f"{timezone.localdate():%Y-%m}"
        province, viewer = (
            User.objects.get(username="bench.provinsi"),
            User.objects.get(username="bench.pemantau"),
        )
    else:
        if Summary.objects.exists():
            sys.exit("the database already holds monitoring summaries: use an empty, migrated one")
        month = build(args.people, args.big, args.months)
        province = User.objects.create_user("bench.provinsi", role=Role.PROVINCE, region_id="53")
        viewer = User.objects.create_user("bench.pemantau", role=Role.VIEWER, region_id=BIG)
    as_province, as_viewer = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    as_province.force_login(province)
    as_viewer.force_login(viewer)
    print(
        f"\n{connection.vendor}, {args.people:,} people, 22 regions, {args.months} months; warm, median of 5"
    )
    for label, client, url in (
        ("province rollup", as_province, f"/pemantauan/provinsi/?bulan={month}"),
        ("kab/kota dashboard", as_viewer, f"/pemantauan/{BIG}/dasbor/?bulan={month}"),
        ("kab/kota coverage page", as_viewer, f"/pemantauan/{BIG}/?bulan={month}"),
        (
            f"named uncovered list, page 1 of {args.big:,}",
            as_viewer,
            f"/pemantauan/{BIG}/daftar/?bulan={month}&status=uncovered",
        ),
        (
            "named uncovered list, page 800",
            as_viewer,
            f"/pemantauan/{BIG}/daftar/?bulan={month}&status=uncovered&page=800",
        ),
    ):
        ms, size = timed(client, url)
        print(f"  {label:45} {ms:7.0f} ms  {size / 1024:6.0f} KB")
    plans(month)


if __name__ == "__main__":
    main()
