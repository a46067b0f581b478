"""Benchmark: one month's bill for 1,000,000 active memberships, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bills.py [--members 1000000] [--db sqlite|postgres|both] [--sample 5000]
                                    [--programs JKK,JKM]

Each database runs in its own process (ru_maxrss is a process's lifetime peak). PostgreSQL uses
$DATABASE_URL when it names a PostgreSQL server, else postgresql://postgres@127.0.0.1:5432/payung_bench_bills
(created if missing); its registry, coverage and bill tables are emptied first. SQLite uses a fresh file.

Setup (not timed): Kota Kupang gets ``--members`` people in 12 units, one engagement each and one membership
each under a PU agreement (JKK class 1 + JKM by default, seed 001); 1 % join in the middle of the billed
month and 1 % leave in it, wages vary from Rp 1.5 to 4.4 million. Timed: ``billing.generate`` for May 2025
(read, compute, write every line, totals, audit), then June 2025, whose adjustment pass recomputes May.

The per-person ORM loop does what a straightforward implementation would: for each of ``--sample``
memberships (select_related person and unit) one ``calculator.quote`` and one ``BillLine.save()`` per
program, in one transaction. Its time is extrapolated linearly to all memberships for the ratio; the
report says so. Targets: <= 20 s per database, ratio >= 50x.
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
from import_csv import peak_mib, postgres_url, setup_django  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/payung_bench_bills"
MAY, JUNE = dt.date(2025, 5, 1), dt.date(2025, 6, 1)
UNITS = 12


def empty_tables() -> None:
    from django.db import connection

    from payung.audit.models import AuditEvent
    from payung.contributions.models import Bill, BillLine, Payment
    from payung.coverage.models import Agreement, Membership
    from payung.registry.models import Engagement, ImportBatch, Person, Unit

    models = (
        Payment,
        BillLine,
        Bill,
        Membership,
        Agreement,
        Engagement,
        Person,
        ImportBatch,
        Unit,
        AuditEvent,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)} CASCADE")
            return
        for model in models:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def _columns(model, given: dict[str, str]) -> tuple[str, str]:
    """Every concrete column of ``model`` except the id: the given SQL expression, else the field's
    integer default, NULL or ''."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or (field.column not in given and field.db_default is not NOT_PROVIDED):
            continue  # the database's own default (e.g. the optimistic lock's version 0)
        names.append(connection.ops.quote_name(field.column))
        default = field.default if field.has_default() else None
        if isinstance(default, int) and not isinstance(default, bool):
            fallback = str(default)  # e.g. Person.version: '' is no integer on PostgreSQL
        else:
            fallback = "NULL" if field.null else "''"
        values.append(given.get(field.column, fallback))
    return ", ".join(names), ", ".join(values)


AGREEMENT = {
    "pu": {"group": "non_asn", "jkk_class": 1},
    "bpu": {"group": "rentan", "declared_income": 1_000_000},
}


def populate(members: int, programs: list[str], region: str = "5371", category: str = "pu", first: int = 1):
    """People, units, engagements and memberships of ``region`` under one agreement of ``category``,
    written with INSERT ... SELECT (not timed). NIKs are the region's code and ``first`` .. onwards."""
    from django.db import connection, transaction

    from payung.coverage.models import Agreement, Membership
    from payung.registry.models import Engagement, Person, Unit

    postgres = connection.vendor == "postgresql"
    numbers = (
        f"generate_series({first}, {first + members - 1}) AS s(n)"
        if postgres
        else f"(WITH RECURSIVE s(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM s "
        f"WHERE n < {first + members - 1}) "
        "SELECT n FROM s) s"
    )
    nik = f"'{region}' || lpad(n::text, 12, '0')" if postgres else f"'{region}' || printf('%012d', n)"

    def day(text: str) -> str:
        return f"DATE '{text}'" if postgres else f"'{text}'"

    now = "TIMESTAMPTZ '2025-01-01 00:00:00+00'" if postgres else "'2025-01-01 00:00:00'"
    person_columns, person_values = _columns(Person, {
        "region_id": f"'{region}'", "nik": nik, "name": "'Orang ' || n", "name_key": "'orang ' || n",
        "sex": "'L'", "birth_date": day("1990-01-01"), "status": "'active'", "created_at": now,
        "updated_at": now,
    })  # fmt: skip
    with transaction.atomic():
        Unit.objects.bulk_create(
            Unit(region_id=region, code=f"OPD{u:02d}", name=f"Dinas Nomor {u:02d}", kind="opd")
            for u in range(UNITS)
        )
        units = list(Unit.objects.filter(region_id=region).order_by("id").values_list("id", flat=True))
        assert units == list(range(units[0], units[0] + UNITS))  # consecutive: unit = first + id % 12
        terms = dict(AGREEMENT[category])
        group = terms.pop("group")
        pks = Agreement.objects.create(
            region_id=region, number=f"PKS/BENCH/{region}/2025", pemda_party=f"Pemerintah {region}",
            bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang", signed_on=dt.date(2024, 12, 20),
            valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2027, 12, 31), category=category,
            groups=[group], programs=programs, **terms,
        )  # fmt: skip
        engagement_columns, engagement_values = _columns(Engagement, {
            "person_id": "p.id", "unit_id": f"{units[0]} + p.id % {UNITS}", "group": f"'{group}'",
            "status": "'active'", "monthly_wage": "1500000 + (p.id * 7919) % 30 * 100000",
            "start_date": day("2025-01-01"),
        })  # fmt: skip
        membership_columns, membership_values = _columns(Membership, {
            "agreement_id": str(pks.pk), "region_id": f"'{region}'", "person_id": "e.person_id",
            "engagement_id": "e.id", "unit_id": "e.unit_id", "basis": "e.monthly_wage",
            "start": f"CASE WHEN e.id % 100 = 0 THEN {day('2025-05-17')} ELSE {day('2025-01-01')} END",
            "end": f"CASE WHEN e.id % 100 = 1 THEN {day('2025-05-09')} END",
        })  # fmt: skip
        with connection.cursor() as cursor:
            for table, columns, values, source in (
                (Person, person_columns, person_values, numbers),
                (
                    Engagement,
                    engagement_columns,
                    engagement_values,
                    f"{Person._meta.db_table} p WHERE p.region_id = '{region}'",
                ),
                (
                    Membership,
                    membership_columns,
                    membership_values,
                    f"{Engagement._meta.db_table} e WHERE e.unit_id BETWEEN {units[0]} AND {units[-1]}",
                ),
            ):
                cursor.execute(
                    f"INSERT INTO {table._meta.db_table} ({columns}) SELECT {values} FROM {source}"
                )
            if postgres:
                cursor.execute("ANALYZE")
    return pks


def orm_loop(pks, sample: int) -> tuple[int, float, int]:
    """The per-person way, for ``sample`` memberships: one quote and one save per line."""
    from django.db import transaction

    from payung.contributions.calculator import quote
    from payung.contributions.models import Bill, BillLine
    from payung.rules import queries

    started = time.perf_counter()
    lines = 0
    with transaction.atomic():
        book = queries.book()
        bill = Bill.objects.create(
            region_id="5371", agreement=pks, period=dt.date(2025, 3, 1), due_date=dt.date(2025, 4, 15),
            mid_month_rule=pks.mid_month_rule,
        )  # fmt: skip
        memberships = pks.memberships.select_related("person", "unit").order_by("id")[:sample]
        for membership in memberships:
            q = quote(book, category="pu", amount=membership.basis, programs=pks.programs, on=bill.period,
                      jkk_class=pks.jkk_class, region="5371")  # fmt: skip
            for line in q.lines:
                BillLine(
                    bill=bill, person=membership.person, nik=membership.person.nik,
                    name=membership.person.name,
                    unit=membership.unit, unit_name=membership.unit.name, program=line.program,
                    period=bill.period, basis=line.basis, employer=line.employer, worker=line.worker,
                    total=line.total,
                ).save()  # fmt: skip
                lines += 1
        transaction.set_rollback(True)  # the sample bill is not part of what is measured next
    return sample, time.perf_counter() - started, lines


def measure(database: str, members: int, sample: int, programs: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else postgres_url_for_bills()
        setup_django(url, Path(folder))
        from payung.contributions import billing
        from payung.regions.models import Region

        empty_tables()
        started = time.perf_counter()
        pks = populate(members, programs)
        setup_seconds = time.perf_counter() - started
        loop_people, loop_seconds, loop_lines = orm_loop(pks, sample)
        region = Region.objects.get(code="5371")
        started = time.perf_counter()
        (may,) = billing.generate(None, region, MAY, channel="cli")
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        (june,) = billing.generate(None, region, JUNE, channel="cli")
        june_seconds = time.perf_counter() - started
        extrapolated = loop_seconds * members / loop_people
        return {
            "database": database,
            "memberships": members,
            "programs": programs,
            "setup_seconds": round(setup_seconds, 1),
            "bill_seconds": round(seconds, 1),
            "bill_people": may.people,
            "bill_lines": may.line_count,
            "lines_per_second": round(may.line_count / seconds),
            "bill_total": may.total,
            "next_month_seconds": round(june_seconds, 1),
            "next_month_adjustment_lines": june.line_count - june.people * len(programs),
            "peak_rss_mib": round(peak_mib()),
            "orm_sample_people": loop_people,
            "orm_sample_lines": loop_lines,
            "orm_sample_seconds": round(loop_seconds, 1),
            "orm_extrapolated_seconds": round(extrapolated),
            "speedup": round(extrapolated / seconds, 1),
        }


def postgres_url_for_bills() -> str:
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = DEFAULT_PG
    return postgres_url()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--programs", default="JKK,JKM")
    args = parser.parse_args()
    if args.db == "both":  # one process per database: ru_maxrss is a process's lifetime peak
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--members", str(args.members), "--db", database,
                       "--sample", str(args.sample), "--programs", args.programs]  # fmt: skip
            subprocess.run(command, check=True)
        return
    programs = [p.strip().upper() for p in args.programs.split(",") if p.strip()]
    print(json.dumps(measure(args.db, args.members, args.sample, programs)))


if __name__ == "__main__":
    main()
