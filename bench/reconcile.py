"""Reconciliation on labelled data: quality (precision/recall, the curve, exact NIK alone) and time.

    .venv/bin/python bench/reconcile.py [--quality-rows 20000] [--rows 100000] [--format xlsx] [--million]

Quality: reconcile.synthetic writes a roster and a BPJS list with known truth; a predicted pair is right
when both rows are the same person. The curve re-runs the one-to-one step at each threshold on the same
scored pairs. Time: `payung reconcile` as a subprocess on ROWS x ROWS files (read both, link, write the
report and PAIRS.csv), with the child's peak RSS. --million adds 1,000,000 x 1,000,000 (CSV). Prints its
figures; not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")

import polars as pl  # noqa: E402

from payung.reconcile import linkage, lists, synthetic  # noqa: E402
from payung.reconcile.linkage import B, R  # noqa: E402

PERIOD = dt.date(2026, 1, 1)
THRESHOLDS = (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)


def quality(rows: int, folder: Path, seed: int = 7) -> None:
    scenario = synthetic.generate(rows, seed=seed)
    roster_path, bpjs_path = folder / "q-roster.xlsx", folder / "q-bpjs.xlsx"
    synthetic.write(scenario, roster_path, bpjs_path, PERIOD)
    roster, bpjs = lists.read(roster_path, "roster"), lists.read(bpjs_path, "bpjs")
    linked = linkage.link(roster.frame, bpjs.frame)
    persons = (
        pl.DataFrame({R: range(1, scenario.roster.height + 1), "p_r": scenario.roster["person"]}),
        pl.DataFrame({B: range(1, scenario.bpjs.height + 1), "p_b": scenario.bpjs["person"]}),
    )
    truth = scenario.true_pairs().height

    def score(pairs: pl.DataFrame) -> tuple[float, float, int]:
        typed = pairs.select(pl.col(R).cast(pl.Int64), pl.col(B).cast(pl.Int64))
        joined = typed.join(persons[0].cast({R: pl.Int64}), on=R).join(persons[1].cast({B: pl.Int64}), on=B)
        right = int((joined["p_r"] == joined["p_b"]).sum())
        return right / max(pairs.height, 1), right / truth, pairs.height

    print(f"labelled data: roster {scenario.roster.height:,} rows, BPJS {scenario.bpjs.height:,} rows, "
          f"{truth:,} people on both (seed {seed})")  # fmt: skip
    p, r, n = score(linked.matches)
    print(f"  default threshold {linkage.DEFAULT_THRESHOLD}: precision {p:.4f}, recall {r:.4f} ({n:,} pairs)")
    exact = linked.candidates.filter(pl.col("stage") != "model")
    model = linked.candidates.filter(pl.col("stage") == "model")
    by_exact = linkage.one_to_one(exact)
    print("  threshold  precision  recall   pairs")
    for threshold in THRESHOLDS:
        chosen = pl.concat([by_exact, linkage.one_to_one(model.filter(pl.col("score") >= threshold))])
        p, r, n = score(chosen)
        print(f"  {threshold:<9}  {p:.4f}     {r:.4f}   {n:,}")
    nik_only = roster.frame.select(pl.col("line").alias(R), "nik").drop_nulls()
    nik_only = nik_only.join(bpjs.frame.select(pl.col("line").alias(B), "nik").drop_nulls(), on="nik")
    nik_only = linkage.one_to_one(
        nik_only.select(R, B, pl.lit(1.0).alias("score"), pl.lit("nik").alias("stage"))
    )
    p, r, n = score(nik_only)
    print(f"  exact NIK alone: precision {p:.4f}, recall {r:.4f} ({n:,} pairs)")


def end_to_end(rows: int, folder: Path, suffix: str) -> None:
    scenario = synthetic.generate(rows, seed=3)
    roster_path, bpjs_path = folder / f"roster-{rows}.{suffix}", folder / f"bpjs-{rows}.{suffix}"
    started = time.perf_counter()
    synthetic.write(scenario, roster_path, bpjs_path, PERIOD)
    sizes = ", ".join(f"{p.stat().st_size / 2**20:,.1f} MiB" for p in (roster_path, bpjs_path))
    print(f"{rows:,} x {rows:,} ({suffix}; files written in {time.perf_counter() - started:.0f} s: {sizes})")
    payung = Path(sys.executable).with_name("payung")
    outputs = ["--out", str(folder / "report.xlsx"), "--pairs", str(folder / "pairs.csv")]
    command = [
        str(payung),
        "reconcile",
        str(roster_path),
        str(bpjs_path),
        *outputs,
        "--json",
        "--period",
        "2026-01",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    counts = json.loads(done.stdout)["counts"]
    print(f"  payung reconcile: {elapsed:.1f} s end to end, peak RSS {peak / 1024:,.0f} MiB")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality-rows", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--million", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="payung-reconcile-"))
    if args.quality_rows:
        quality(args.quality_rows, folder)
    if args.rows:
        end_to_end(args.rows, folder, args.format)
    if args.million:
        end_to_end(1_000_000, folder, "csv")


if __name__ == "__main__":
    main()
