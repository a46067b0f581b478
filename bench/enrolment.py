"""Benchmark: deriving the membership periods of 1,000,000 engagements (coverage.enrolment.sync).

    .venv/bin/python bench/enrolment.py [--engagements 1000000] [--db sqlite|postgres|both]

Each database runs in its own process. PostgreSQL uses $DATABASE_URL when it names a PostgreSQL server, else
postgresql://postgres@127.0.0.1:5432/payung_bench_enrolment (created if missing); its registry, coverage
and bill tables are emptied first. SQLite uses a fresh file.

Setup (not timed): Kota Kupang gets ``--engagements`` people in 12 units with one non-ASN engagement each
(contract starts spread over 2015-2024, wages Rp 1.5-4.4 million), 1 % with a wage change in 2023,
1 % ended and 0.2 % deceased in 2022-2023, and one PU agreement (seed 001: 10 Apr 2021 - 9 Apr 2024).
Timed: the first sync (every period written), a second one (nothing changes: read and compare only) and
a third after 1 % more wage changes (only the difference written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bills import UNITS, _columns, empty_tables  # noqa: E402
from import_csv import peak_mib, postgres_url, setup_django  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/payung_bench_enrolment"


def populate(count: int):
    from django.db import connection, transaction

    from payung.coverage.models import Agreement
    from payung.registry.models import Engagement, Person, StatusChange, Unit, WageChange

    postgres = connection.vendor == "postgresql"
    numbers = (
        f"generate_series(1, {count}) AS s(n)"
        if postgres
        else f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count}) "
        "SELECT n FROM s) s"
    )
    nik = "'5371' || lpad(n::text, 12, '0')" if postgres else "'5371' || printf('%012d', n)"

    def day(text: str) -> str:
        return f"DATE '{text}'" if postgres else f"'{text}'"

    def plus_days(base: str, days: str) -> str:
        return (
            f"(DATE '{base}' + ({days})::int)" if postgres else f"date('{base}', '+' || ({days}) || ' days')"
        )

    now = "TIMESTAMPTZ '2025-01-01 00:00:00+00'" if postgres else "'2025-01-01 00:00:00'"
    person_columns, person_values = _columns(Person, {
        "region_id": "'5371'", "nik": nik, "name": "'Orang ' || n", "name_key": "'orang ' || n",
        "sex": "'L'", "birth_date": day("1990-01-01"), "status": "'active'", "created_at": now,
        "updated_at": now,
    })  # fmt: skip
    with transaction.atomic():
        Unit.objects.bulk_create(
            Unit(region_id="5371", code=f"OPD{u:02d}", name=f"Dinas Nomor {u:02d}", kind="opd")
            for u in range(UNITS)
        )
        first_unit = Unit.objects.filter(region_id="5371").order_by("id").values_list("id", flat=True)[0]
        engagement_columns, engagement_values = _columns(Engagement, {
            "person_id": "p.id", "unit_id": f"{first_unit} + p.id % {UNITS}", "group": "'non_asn'",
            "status": "'active'", "monthly_wage": "1500000 + (p.id * 7919) % 30 * 100000",
            "start_date": plus_days("2015-01-01", "(p.id * 104729) % 3650"),
            "end_date": day("2026-12-31"),
        })  # fmt: skip
        wage_columns, wage_values = _columns(WageChange, {
            "engagement_id": "e.id", "effective_date": plus_days("2023-01-01", "e.id % 300"),
            "monthly_wage": "e.monthly_wage + 250000", "reason": "'Kenaikan'", "recorded_at": now,
        })  # fmt: skip
        status_columns, status_values = _columns(StatusChange, {
            "person_id": "e.person_id", "engagement_id": "e.id",
            "status": "CASE WHEN e.id % 500 = 3 THEN 'deceased' ELSE 'ended' END",
            "effective_date": plus_days("2022-01-01", "e.id % 700"), "reason": "'Uji'", "recorded_at": now,
        })  # fmt: skip
        engagement = Engagement._meta.db_table
        with connection.cursor() as cursor:
            for table, columns, values, source in (
                (Person, person_columns, person_values, numbers),
                (Engagement, engagement_columns, engagement_values, f"{Person._meta.db_table} p"),
                (WageChange, wage_columns, wage_values, f"{engagement} e WHERE e.id % 100 = 7"),
                (StatusChange, status_columns, status_values,
                 f"{engagement} e WHERE e.id % 100 = 11 OR e.id % 500 = 3"),
            ):  # fmt: skip
                cursor.execute(
                    f"INSERT INTO {table._meta.db_table} ({columns}) SELECT {values} FROM {source}"
                )
            if postgres:
                cursor.execute("ANALYZE")
        return Agreement.objects.create(
            region_id="5371", number="PKS/BENCH/2021", pemda_party="Pemerintah Kota Kupang",
            bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang", signed_on=dt.date(2021, 4, 1),
            valid_from=dt.date(2021, 4, 10), valid_to=dt.date(2024, 4, 9), category="pu",
            groups=["non_asn"], programs=["JKK", "JKM"], jkk_class=1,
        )  # fmt: skip


def more_wage_changes() -> int:
    from django.db import connection

    from payung.registry.models import Engagement, WageChange

    now = "TIMESTAMPTZ '2025-01-01 00:00:00+00'" if connection.vendor == "postgresql" else "'2025-01-01'"
    effective = "DATE '2023-07-01'" if connection.vendor == "postgresql" else "'2023-07-01'"
    columns, values = _columns(WageChange, {
        "engagement_id": "e.id", "effective_date": effective, "monthly_wage": "e.monthly_wage + 500000",
        "reason": "'Kenaikan kedua'", "recorded_at": now,
    })  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WageChange._meta.db_table} ({columns}) SELECT {values} "
            f"FROM {Engagement._meta.db_table} e WHERE e.id % 100 = 13"
        )
        return cursor.rowcount


def measure(database: str, count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else postgres_url_for_enrolment()
        setup_django(url, Path(folder))
        from payung.coverage import enrolment

        empty_tables()
        started = time.perf_counter()
        agreement = populate(count)
        setup_seconds = time.perf_counter() - started
        runs = []
        for label in ("first", "again", "after_wage_changes"):
            if label == "after_wage_changes":
                more_wage_changes()
            started = time.perf_counter()
            counts = enrolment.sync(agreement, channel="cli")
            runs.append({"run": label, "seconds": round(time.perf_counter() - started, 1), **counts})
        return {
            "database": database,
            "engagements": count,
            "setup_seconds": round(setup_seconds, 1),
            "runs": runs,
            "peak_rss_mib": round(peak_mib()),
        }


def postgres_url_for_enrolment() -> str:
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = DEFAULT_PG
    return postgres_url()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.db == "both":
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--engagements", str(args.engagements), "--db", database]
            subprocess.run(command, check=True)
        return
    print(json.dumps(measure(args.db, args.engagements)))


if __name__ == "__main__":
    main()
