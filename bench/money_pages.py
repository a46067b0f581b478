"""The money pages at demo scale: server time of the arrears page (/tunggakan/) for TTU, the province and the
national admin, and of a TTU person's ledger (issue 13 point 7; target under 0.3 s).

    DATABASE_URL=sqlite:///var/bench-money.sqlite3 .venv/bin/python bench/money_pages.py [--runs 5]

Prepares the demo (``payung demo-data`` and ``demo-coverage`` at full scale, and the demo users) unless the
database already holds it, then renders each page through Django's test client (the whole request: the
middleware, the queries and the template) --runs times and prints the median and the slowest, in
seconds. Prints its figures; not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

PAGES = (
    ("ttu.operator", "/tunggakan/"),
    ("ntt.provinsi", "/tunggakan/"),
    ("admin", "/tunggakan/"),
    ("ttu.operator", "ledger"),  # the TTU person with the most bill lines
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from payung.accounts.models import User
    from payung.contributions.models import Bill, BillLine

    call_command("migrate", verbosity=0)
    if not Bill.objects.filter(region_id="5303").exists():
        started = time.perf_counter()
        call_command("demo-data", verbosity=0)
        call_command("demo-coverage", verbosity=0)
        print(f"demo prepared in {time.perf_counter() - started:.0f} s")
    if not User.objects.filter(username="ttu.operator").exists():
        call_command("demo-users", verbosity=0)
    person = (
        BillLine.objects.filter(bill__region_id="5303", person__isnull=False)
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")
        .first()["person_id"]
    )
    lines = BillLine.objects.filter(bill__region_id="5303").count()
    print(f"{connection.vendor}: {Bill.objects.count()} bills, {lines:,} TTU bill lines")
    for username, path in PAGES:
        time_page(username, f"/orang/{person}/buku-besar/" if path == "ledger" else path, args.runs)


def time_page(username: str, url: str, runs: int) -> tuple[float, float]:
    """Render ``url`` as ``username`` ``runs`` times; prints and returns the median and the slowest."""
    from django.test import Client

    from payung.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    median = statistics.median(times)
    print(f"{username:14} {url:28} median {median:.3f} s, slowest {max(times):.3f} s", flush=True)
    return median, max(times)


if __name__ == "__main__":
    main()
