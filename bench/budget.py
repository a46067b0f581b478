"""Benchmark: a year priced for 1,000,000 people (12 months, 4 programs), on SQLite and on PostgreSQL.

    .venv/bin/python bench/budget.py [--members 1000000] [--db sqlite|postgres|both]
                                     [--programs JKK,JKM,JHT,JP]

Setup (not timed): the registry of bench/bills.py (Kota Kupang, ``--members`` people in 12 units, one active
engagement each, wages Rp 1.5 to 4.4 million). Timed: ``budget.queries.plan`` for 2025 with JKK class 1
and every part of the contribution (``shares="all"``): one GROUP BY over the engagements, then each month's
formula through the bills' calculator on the counted rows; and a stored scenario (``services.create``: the
same count, its rows stored, priced). Target (issue 11): <= 10 s per database. That the year equals the
twelve bills of the same people is property-tested on small random rosters (tests/budget).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bills import empty_tables, populate, postgres_url_for_bills  # noqa: E402
from import_csv import peak_mib, setup_django  # noqa: E402

YEAR = 2025


def measure(database: str, members: int, programs: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        url = f"sqlite:///{folder}/bench.sqlite3" if database == "sqlite" else postgres_url_for_bills()
        setup_django(url, Path(folder))
        from payung.budget import queries, services
        from payung.budget.models import Scenario
        from payung.regions.models import Region

        Scenario.objects.all().delete()
        empty_tables()
        started = time.perf_counter()
        populate(members, ["JKK", "JKM"])
        setup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        priced = queries.plan("5371", YEAR, tuple(programs), jkk_class=1, shares="all")
        plan_seconds = time.perf_counter() - started
        region = Region.objects.get(code="5371")
        started = time.perf_counter()
        parts = services.from_registry(region, YEAR, tuple(programs))
        data = services.ScenarioData(YEAR, "Bench", jkk_class=1, shares="all", parts=parts)
        scenario = services.create(None, region, data, channel="cli")
        stored_total = queries.price(scenario).total
        scenario_seconds = time.perf_counter() - started
        return {
            "database": database,
            "people": sum(priced.people(1).values()),
            "programs": programs,
            "setup_seconds": round(setup_seconds, 1),
            "plan_seconds": round(plan_seconds, 2),
            "scenario_seconds": round(scenario_seconds, 2),
            "total": priced.total,
            "stored_total_equal": stored_total == priced.total,
            "months": priced.months(),
            "priced_rows": priced.lines.height,
            "peak_rss_mib": round(peak_mib()),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--programs", default="JKK,JKM,JHT,JP")
    args = parser.parse_args()
    if args.db == "both":  # one process per database: ru_maxrss is a process's lifetime peak
        for database in ("sqlite", "postgres"):
            command = [sys.executable, __file__, "--members", str(args.members), "--db", database,
                       "--programs", args.programs]  # fmt: skip
            subprocess.run(command, check=True)
        return
    programs = [p.strip().upper() for p in args.programs.split(",") if p.strip()]
    print(json.dumps(measure(args.db, args.members, programs)))


if __name__ == "__main__":
    main()
