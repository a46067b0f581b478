"""Benchmark: a 1,000,000-row CSV roster validated and committed, into SQLite and into PostgreSQL.

    .venv/bin/python bench/import_csv.py [--rows 1000000] [--file ROSTER.csv] [--db sqlite|postgres|both]
                                         [--sample 20000]

Each database runs in its own process so that its peak memory (ru_maxrss) is its own. PostgreSQL uses
$DATABASE_URL when it names a PostgreSQL server, else postgresql://postgres@127.0.0.1:5432/payung_bench_import
(created if missing); its registry tables are emptied first. SQLite uses a fresh file in a temporary folder.

Before the bulk import, the same rows' first ``--sample`` lines go through a row-by-row loop: the same parsers
and NIK rules per row, then Person/Engagement ``update_or_create`` (one transaction). Its time is extrapolated
linearly to the full row count for the ratio; the report says so. Targets: <= 30 s, <= 2 GiB, ratio >= 20x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from payung.demo.sheets import MONTHS_ID

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/payung_bench_import"
FIRST = [
    "Yohanes",
    "Maria",
    "Agustinus",
    "Fransiskus",
    "Yosef",
    "Petrus",
    "Paulus",
    "Antonius",
    "Dominggus",
    "Marthen",
    "Yakobus",
    "Simon",
    "Elisabeth",
    "Margaretha",
    "Theresia",
    "Veronika",
    "Yuliana",
    "Magdalena",
    "Kristina",
    "Agnes",
    "Anselmus",
    "Bernadus",
    "Kornelis",
    "Siti",
    "Muhammad",
    "Ahmad",
    "Nur",
    "Dewi",
    "Rina",
    "Ani",
    "Budi",
    "Hendrik",
    "Melkianus",
    "Welhelmina",
    "Oktovianus",
    "Serafina",
    "Aloysius",
    "Benediktus",
    "Gregorius",
    "Ignasius",
    "Leonardus",
    "Mikael",
    "Natalia",
    "Regina",
    "Sesilia",
]
LAST = [
    "Bria",
    "Manek",
    "Tefa",
    "Kase",
    "Nahak",
    "Seran",
    "Bere",
    "Taek",
    "Leu",
    "Fallo",
    "Nenometa",
    "Ndun",
    "Lay",
    "Pello",
    "Tanesib",
    "Benu",
    "Sanam",
    "Nope",
    "Amalo",
    "Ballo",
    "Dethan",
    "Foeh",
    "Haning",
    "Kana",
    "Lado",
    "Manafe",
    "Ndoen",
    "Pah",
    "Riwu",
    "Sabu",
    "Tode",
    "Tnunay",
    "Oematan",
    "Kolo",
    "Lopo",
    "Asa",
    "Abi",
    "Banunaek",
    "Sinaga",
    "Siregar",
    "Wijaya",
    "Saputra",
    "Kurniawan",
    "Lestari",
]
UNITS = [
    "Dinas Lingkungan Hidup dan Kebersihan",
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "BPKAD",
    "BKPSDM",
    "Dinas Perhubungan",
    "Satuan Polisi Pamong Praja",
    "Dinas Sosial",
    "RSUD S.K. Lerik",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Bappeda",
]


def generate(rows: int, seed: int = 7) -> pl.DataFrame:
    """A Kota Kupang non-ASN roster as operators write it: mixed date and wage formats, 0.6% bad rows."""
    i = pl.int_range(rows, dtype=pl.Int64)

    def pick(salt: int, size: int) -> pl.Expr:
        return (i.hash(seed * 1000 + salt) % size).cast(pl.Int64)

    born = (pl.lit(-9000) + pick(1, 20000)).cast(pl.Date)  # 1945..2024
    female = pick(2, 2) == 1
    day = born.dt.day() + pl.when(female).then(40).otherwise(0)
    nik = pl.concat_str(
        pl.lit("5371"), (pick(3, 6) + 1).cast(pl.Utf8).str.zfill(2), day.cast(pl.Utf8).str.zfill(2),
        born.dt.month().cast(pl.Utf8).str.zfill(2), (born.dt.year() % 100).cast(pl.Utf8).str.zfill(2),
        (i // 6 % 9999 + 1).cast(pl.Utf8).str.zfill(4),
    )  # fmt: skip
    fault = pick(9, 1000)  # 6 in 1000 rows are bad, in five ways
    month_name = pl.lit(pl.Series(MONTHS_ID)).gather(born.dt.month().cast(pl.Int64) - 1)
    birth_text = (
        pl.when(fault == 3).then(pl.lit("31/02/1985"))
        .when(pick(4, 10) < 6).then(born.dt.strftime("%d/%m/%Y"))
        .when(pick(4, 10) < 8).then(born.dt.strftime("%Y-%m-%d"))
        .otherwise(pl.concat_str(born.dt.day().cast(pl.Utf8), pl.lit(" "), month_name, pl.lit(" "),
                                 born.dt.year().cast(pl.Utf8)))
    )  # fmt: skip
    wage = pick(5, 30) * 100_000 + 1_500_000
    wage_text = (
        pl.when(fault == 4).then(pl.lit("dua juta"))
        .when(pick(6, 4) == 0).then(pl.concat_str(pl.lit("Rp "), wage.cast(pl.Utf8)))
        .otherwise(wage.cast(pl.Utf8))
    )  # fmt: skip
    name = pl.concat_str(
        pl.lit(pl.Series(FIRST)).gather(pick(7, len(FIRST))), pl.lit(" "),
        pl.lit(pl.Series(LAST)).gather(pick(8, len(LAST))),
    )  # fmt: skip
    return pl.select(
        pl.when(fault < 2).then(nik.str.slice(0, 15)).when(fault == 2).then(pl.lit("5.37101E+15"))
        .otherwise(nik).alias("NIK"),
        pl.when(fault == 5).then(pl.lit("")).otherwise(name).alias("Nama Lengkap"),
        pl.when(female).then(pl.lit("P")).otherwise(pl.lit("L")).alias("JK"),
        pl.lit("Kupang").alias("Tempat Lahir"),
        birth_text.alias("Tgl Lahir"),
        pl.concat_str(pl.lit("Jl. Timor Raya No. "), pick(10, 300).cast(pl.Utf8)).alias("Alamat"),
        pl.lit("Tenaga Kebersihan").alias("Jabatan"),
        wage_text.alias("Upah"),
        pl.lit(pl.Series(UNITS)).gather(pick(11, len(UNITS))).alias("Unit Kerja"),
        pl.concat_str(pl.lit("0812"), (pick(12, 90_000_000) + 10_000_000).cast(pl.Utf8)).alias("No HP"),
        pl.lit("01/01/2025").alias("TMT"),
        pl.lit("31 Des 2025").alias("Akhir Kontrak"),
    )  # fmt: skip


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def setup_django(database_url: str, var: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["PAYUNG_VAR"] = str(var)
    os.environ["PAYUNG_MAX_UPLOAD_BYTES"] = str(2**30)  # a million rows (~150 MiB) is over the web limit
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, skip_checks=True)


def empty_registry() -> None:
    from django.db import connection

    from payung.registry.models import Engagement, ImportBatch, Person, Unit

    models = (Engagement, Person, ImportBatch, Unit)
    if connection.vendor == "postgresql":
        # Not the ORM's delete(): it loads a previous run's million people (2 GiB) to cascade by hand, and
        # leaves dead rows that bloat the indexes this run inserts into.
        tables = ", ".join(model._meta.db_table for model in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        return
    for model in models:
        model.objects.all().delete()


def row_by_row(path: Path, sample: int) -> tuple[int, float]:
    """The same validation and writes, one row and one ORM save at a time, into Kab. TTU (kept apart)."""
    from django.db import transaction

    from payung.registry import names, nik, parsing
    from payung.registry.models import Engagement, Person, Unit

    rows = pl.read_csv(path, separator=";", infer_schema=False, n_rows=sample).rows(named=True)
    units: dict[str, Unit] = {}
    seen: set[str] = set()
    started = time.perf_counter()
    with transaction.atomic():
        for row in rows:
            born = parsing.parse_date(row["Tgl Lahir"] or "")
            sex = parsing.parse_sex(row["JK"] or "")
            try:
                wage = parsing.parse_wage(row["Upah"] or "")
            except parsing.WageError:
                continue
            info = nik.parse(row["NIK"], born, sex)
            if not info.valid or born is None or not row["Nama Lengkap"] or info.nik in seen:
                continue
            seen.add(info.nik)
            unit = units.get(row["Unit Kerja"])
            if unit is None:
                unit, _ = Unit.objects.get_or_create(
                    region_id="5303", code=roster_unit_code(row["Unit Kerja"]),
                    defaults={"name": row["Unit Kerja"], "kind": Unit.Kind.OPD},
                )  # fmt: skip
                units[row["Unit Kerja"]] = unit
            person, _ = Person.objects.update_or_create(
                region_id="5303", nik=info.nik,
                defaults={"name": row["Nama Lengkap"], "sex": sex, "birth_date": born,
                          "birth_place": row["Tempat Lahir"], "address": row["Alamat"], "phone": row["No HP"],
                          **{k: v for k, v in names.index_values(row["Nama Lengkap"]).items()
                             if hasattr(Person, k)}},
            )  # fmt: skip
            Engagement.objects.update_or_create(
                person=person, unit=unit, group="non_asn",
                defaults={"position": row["Jabatan"], "monthly_wage": wage,
                          "start_date": parsing.parse_date(row["TMT"]),
                          "end_date": parsing.parse_date(row["Akhir Kontrak"])},
            )  # fmt: skip
    return len(rows), time.perf_counter() - started


def roster_unit_code(name: str) -> str:
    from payung.registry.bulk import derived_code

    return derived_code(name)


def measure(database: str, path: Path, sample: int) -> dict:
    """One database, in this process: the row-by-row sample, then the whole file through the importer."""
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else postgres_url()
        setup_django(url, Path(folder))
        from payung.regions.models import Region
        from payung.registry import importer

        empty_registry()
        loop_rows, loop_seconds = row_by_row(path, sample)
        started = time.perf_counter()
        batch = importer.run(path, filename=path.name, region=Region.objects.get(code="5371"), channel="cli")
        seconds = time.perf_counter() - started
        result = importer.summary(batch)
        total = result["total"]
        return {
            "database": database,
            "rows": total,
            "seconds": round(seconds, 1),
            "rows_per_second": round(total / seconds),
            "peak_rss_mib": round(peak_mib()),
            "imported": result["imported"],
            "rejected": result["rejected"],
            "state": result["state"],
            "orm_sample_rows": loop_rows,
            "orm_sample_seconds": round(loop_seconds, 1),
            "orm_extrapolated_seconds": round(loop_seconds * total / loop_rows),
            "speedup": round(loop_seconds * total / loop_rows / seconds, 1),
        }


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith("postgres") else DEFAULT_PG
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    path = args.file
    if path is None:
        path = Path(tempfile.gettempdir()) / f"payung-roster-{args.rows}.csv"
        if not path.exists():
            started = time.perf_counter()
            generate(args.rows).write_csv(path, separator=";")
            size = path.stat().st_size / 2**20
            print(f"generated {path} ({size:.0f} MiB) in {time.perf_counter() - started:.1f} s")
    if args.db == "both":  # one process per database: ru_maxrss is a process's lifetime peak
        for database in ("sqlite", "postgres"):
            command = [
                sys.executable,
                __file__,
                "--file",
                str(path),
                "--db",
                database,
                "--sample",
                str(args.sample),
            ]
            subprocess.run(command, check=True)
        return
    print(json.dumps(measure(args.db, path, args.sample)))


if __name__ == "__main__":
    main()
