"""Demo data at benchmark scale: generation time and memory, faulty roster files, optional database load.

    .venv/bin/python bench/demo_data.py [--scale 47.1] [--csv-rows 1000000] [--xlsx-rows 100000] [--load]

--scale 47.1 gives about 1,000,000 people (scale 1 is 21,238). --load writes them into DATABASE_URL
(migrated first) through registry.bulk, as `payung demo-data` does. Prints its figures; not a test.
"""

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(
        f"{label}: {time.perf_counter() - started:.1f} s (peak RSS so far {peak_mib():,.0f} MiB)", flush=True
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=47.1)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--load", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")

    from payung.demo import people
    from payung.demo.roster import RosterRequest, build_roster

    demos = timed(
        f"generate scale {args.scale}",
        lambda: [people.generate(c, scale=args.scale) for c in people.PROFILES],
    )
    total = sum(d.people.height for d in demos)
    print(f"  people: {total:,} ({', '.join(f'{d.region_code} {d.people.height:,}' for d in demos)})")
    out = Path(tempfile.mkdtemp(prefix="payung-bench-"))
    for rows, name in ((args.csv_rows, "roster.csv"), (args.xlsx_rows, "roster.xlsx")):
        if rows:
            request = RosterRequest(rows=rows, seed=5, region=people.TTU, faults=True)
            truth = timed(
                f"faulty {name} with {rows:,} rows", lambda r=request, n=name: build_roster(out / n, r)
            )
            size = (out / name).stat().st_size / 2**20
            bad, dups = len(truth.rejected), len(truth.duplicates)
            print(f"  {out / name}: {size:,.1f} MiB, {bad:,} bad, {dups:,} duplicates")
    if args.load:
        import django
        from django.core.management import call_command

        django.setup()
        from payung.demo import load

        call_command("migrate", verbosity=0, skip_checks=True)
        for demo in demos:
            counts = timed(f"load {demo.region_code} ({demo.people.height:,})", lambda d=demo: load.load(d))
            print(f"  {counts}")


if __name__ == "__main__":
    main()
