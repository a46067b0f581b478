"""The province's arrears at 1,000,000 people: server time of /tunggakan/ as ntt.provinsi and of two
ledgers (issue 13: "≤ 300 ms at demo size, bench the province arrears at 1 M people").

    .venv/bin/python bench/arrears_million.py [--db sqlite|postgres] [--runs 3] [--reuse]

Setup (not timed; bench/bills.populate, INSERT ... SELECT): NTT gets 1,000,000 people with one
membership each: Kota Kupang 800,000 under a PU agreement, Kab. TTU 200,000 under a BPU one (JKK + JKM).
``billing.generate`` bills January to April 2025 for both (8,000,000 lines). Kota Kupang paid January and
February in full and March half; TTU paid January in full and February half, so three consecutive months
are open and the lapsed-people list has to read lines. Timed: the whole request through Django's test
client (bench/money_pages.time_page), median of ``--runs``, for /tunggakan/ and for the ledgers of the last
person of each region (the partly paid bill's "lines ahead" sum is the longest for them).

SQLite: var/bench-arrears1m.sqlite3. PostgreSQL: $DATABASE_URL when it names one, else
postgresql://postgres@127.0.0.1:5432/arrears1m. ``--reuse`` keeps what an earlier run built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bills import empty_tables, populate  # noqa: E402
from import_csv import postgres_url, setup_django  # noqa: E402
from money_pages import time_page  # noqa: E402

VAR = Path(__file__).resolve().parent.parent / "var"
PG = "postgresql://postgres@127.0.0.1:5432/arrears1m"
MONTHS = [dt.date(2025, month, 1) for month in (1, 2, 3, 4)]
# region, category, share of the people, months paid in full, then the month paid half
REGIONS = (("5371", "pu", 0.8, 2), ("5303", "bpu", 0.2, 1))


def build(total: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from payung.contributions import arrears, billing
    from payung.contributions.models import Bill, Payment
    from payung.regions.models import Region

    empty_tables()
    for region, category, share, _ in REGIONS:
        people = round(total * share)
        started = time.perf_counter()
        populate(people, ["JKK", "JKM"], region=region, category=category)
        print(f"{region}: {people:,} memberships in {time.perf_counter() - started:.0f} s", flush=True)
    for month in MONTHS:
        for region, *_ in REGIONS:
            started = time.perf_counter()
            billing.generate(None, Region.objects.get(code=region), month, channel="cli")
            print(f"{region} {month:%Y-%m} billed in {time.perf_counter() - started:.0f} s", flush=True)
    for region, _, _, full in REGIONS:
        bills = list(Bill.objects.filter(region_id=region).order_by("period"))
        Payment.objects.bulk_create(
            Payment(
                bill=bill,
                paid_on=bill.due_date - dt.timedelta(days=3),
                amount=bill.total if i < full else arrears.outstanding(bill) // 2,
                reference=f"SP2D/{bill.period:%Y%m}/{region}",
            )
            for i, bill in enumerate(bills[: full + 1])
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    call_command("demo-users", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--people", type=int, default=1_000_000, help="a smaller run to try it")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    if args.db == "postgres":
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = PG
        url = postgres_url()
    else:
        url = f"sqlite:///{VAR / 'bench-arrears1m.sqlite3'}"
    setup_django(url, VAR)
    from django.db import connection

    from payung.contributions.models import Bill, BillLine
    from payung.registry.models import Person

    if not (args.reuse and Bill.objects.filter(period=MONTHS[-1]).count() == len(REGIONS)):
        started = time.perf_counter()
        build(args.people)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{connection.vendor}: {Person.objects.count():,} people, {BillLine.objects.count():,} bill lines")
    time_page("ntt.provinsi", "/tunggakan/", args.runs)
    for region, *_ in REGIONS:
        person = Person.objects.filter(region_id=region).order_by("-pk").values_list("pk", flat=True)[0]
        time_page("ntt.provinsi", f"/orang/{person}/buku-besar/", args.runs)


if __name__ == "__main__":
    main()
