"""Benchmark: `payung contributions quote` as a cold process (a new Python each time), as a script calls it.

    .venv/bin/python bench/quote_cli.py [--runs 20] [--database-url URL]

Prints the median and best wall time of the quote, next to a bare `python -c pass` and `payung help`
(Django's own start-up) on the same machine, so the quote's own share is visible. The database must be
migrated (the rules live in it); default: a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
QUOTE = [
    "contributions",
    "quote",
    "--category",
    "pu",
    "--wage",
    "2500000",
    "--programs",
    "jkk,jkm,jht,jp",
    "--jkk-class",
    "1",
    "--on",
    "2023-05-01",
    "--json",
]


def timed(command: list[str], env: dict, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="payung-bench-") as folder:
        url = args.database_url or f"sqlite:///{folder}/quote.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "PAYUNG_VAR": folder}
        payung = str(VENV_BIN / "payung")
        subprocess.run([payung, "migrate", "--noinput", "-v0"], env=env, check=True)
        results = {
            "python -c pass": timed([sys.executable, "-c", "pass"], env, args.runs),
            "payung help": timed([payung, "help"], env, args.runs),
            "payung contributions quote": timed([payung, *QUOTE], env, args.runs),
        }
    report = {
        name: {"median_s": round(statistics.median(t), 3), "best_s": round(min(t), 3)}
        for name, t in results.items()
    }
    print(json.dumps({"runs": args.runs, **report}, indent=2))


if __name__ == "__main__":
    main()
