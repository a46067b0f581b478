"""Linkage quality on public data (FEBRL1-3, bench/febrl.py) and on Payung's own generator.

    .venv/bin/python bench/linkage_public.py [--sets febrl1 febrl2 febrl3] [--own 20000] [--import-roster]

For each set: reconciliation (roster -> BPJS list through the files and readers the product uses,
reconcile.linkage.link) and duplicate detection (every record of the set as one registry,
registry.linkage.find_pairs), each with precision, recall and F1 at the default threshold, the
precision/recall curve, and exact-NIK matching beside it. A pair is right when both records are the same
FEBRL person. --import-roster imports each set's roster into a scratch SQLite database through the
roster importer and counts the rejected rows by reason. Prints its figures; not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")

import febrl  # noqa: E402
import polars as pl  # noqa: E402

from payung.reconcile import linkage, lists, synthetic  # noqa: E402
from payung.reconcile.linkage import B, R  # noqa: E402
from payung.registry import linkage as duplicates  # noqa: E402

THRESHOLDS = (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 0.999)
PERIOD = dt.date(2026, 1, 1)


def _prf(right: int, found: int, truth: int) -> str:
    p, r = right / max(found, 1), right / max(truth, 1)
    f1 = 2 * p * r / max(p + r, 1e-12)
    return f"P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  ({right:,} right of {found:,} found, {truth:,} true)"


def _right(pairs: pl.DataFrame, left: pl.DataFrame, right: pl.DataFrame, keys: tuple[str, str]) -> int:
    joined = pairs.join(left, on=keys[0]).join(right, on=keys[1], suffix="_o")
    return int((joined["entity"] == joined["entity_o"]).sum())


def reconcile_quality(roster: pl.DataFrame, bpjs: pl.DataFrame, label: str, folder: Path) -> None:
    """``roster`` and ``bpjs`` in lists.read's typed form plus ``entity`` (the truth), by line."""
    # One-to-one: a person listed twice on one side can be matched once, so the most there is to find.
    counts = roster.group_by("entity").len().join(bpjs.group_by("entity").len(), on="entity")
    truth = int(counts.select(pl.min_horizontal("len", "len_right")).sum().item())
    started = time.perf_counter()
    linked = linkage.link(roster.drop("entity"), bpjs.drop("entity"))
    seconds = time.perf_counter() - started
    who = (roster.select(pl.col("line").alias(R), "entity"), bpjs.select(pl.col("line").alias(B), "entity"))

    def score(pairs: pl.DataFrame) -> str:
        return _prf(_right(pairs, *who, (R, B)), pairs.height, truth)

    print(f"{label} reconciliation: roster {roster.height:,} x BPJS {bpjs.height:,}, {seconds:.1f} s")
    print(f"  default {linkage.DEFAULT_THRESHOLD}: {score(linked.matches)}")
    exact = linkage.one_to_one(linked.candidates.filter(pl.col("stage") != "model"))
    model = linked.candidates.filter(pl.col("stage") == "model")
    for threshold in THRESHOLDS:
        chosen = pl.concat([exact, linkage.one_to_one(model.filter(pl.col("score") >= threshold))])
        print(f"  {threshold:<6} {score(chosen)}")
    nik = (
        roster.select(pl.col("line").alias(R), "nik")
        .drop_nulls()
        .join(bpjs.select(pl.col("line").alias(B), "nik").drop_nulls(), on="nik")
    )
    nik = linkage.one_to_one(nik.select(R, B, pl.lit(1.0).alias("score"), pl.lit("nik").alias("stage")))
    print(f"  exact NIK alone: {score(nik)}")


def febrl_reconcile(name: str, folder: Path) -> None:
    pair = febrl.reconcile_pair(name)
    febrl.write_roster(pair.roster, folder / f"{name}-roster.csv")
    febrl.write_bpjs(pair.bpjs, folder / f"{name}-bpjs.csv")
    roster = lists.read(folder / f"{name}-roster.csv", "roster").frame
    bpjs = lists.read(folder / f"{name}-bpjs.csv", "bpjs").frame
    # Readers keep every row in file order, so line n is the n-th record written.
    roster = roster.with_columns(entity=pair.roster["entity"].gather(roster["line"] - 1))
    bpjs = bpjs.with_columns(entity=pair.bpjs["entity"].gather(bpjs["line"] - 1))
    reconcile_quality(roster, bpjs, name, folder)


def dedupe_quality(people: pl.DataFrame, label: str) -> None:
    """``people``: id, name, nik, sex, birth_date, entity."""
    sizes = people.group_by("entity").len()
    truth = int((sizes["len"] * (sizes["len"] - 1) // 2).sum())
    frame = people.with_columns(birth_place=pl.lit(None, pl.Utf8))
    started = time.perf_counter()
    found = duplicates.find_pairs(frame, threshold=min(THRESHOLDS))
    seconds = time.perf_counter() - started
    pairs = pl.DataFrame(
        [(p.left_id, p.right_id, p.probability) for p in found],
        schema={"l": pl.Int64, "r": pl.Int64, "p": pl.Float64},
        orient="row",
    )
    who = people.select(pl.col("id").alias("l"), "entity"), people.select(pl.col("id").alias("r"), "entity")
    print(f"{label} duplicates: {people.height:,} records, {truth:,} true pairs, {seconds:.1f} s")

    def score(chosen: pl.DataFrame) -> str:
        return _prf(_right(chosen, *who, ("l", "r")), chosen.height, truth)

    default = duplicates.DEFAULT_THRESHOLD
    print(f"  default {default}: {score(pairs.filter(pl.col('p') >= default))}")
    for threshold in THRESHOLDS:
        print(f"  {threshold:<6} {score(pairs.filter(pl.col('p') >= threshold))}")
    nik = people.drop_nulls("nik").select("id", "nik")
    nik = nik.join(nik, on="nik", suffix="_o").filter(pl.col("id") < pl.col("id_o"))
    print(f"  exact NIK alone: {score(nik.select(pl.col('id').alias('l'), pl.col('id_o').alias('r')))}")


def own_reconcile(rows: int, folder: Path) -> None:
    scenario = synthetic.generate(rows, seed=7)
    synthetic.write(scenario, folder / "own-roster.xlsx", folder / "own-bpjs.xlsx", PERIOD)
    roster = lists.read(folder / "own-roster.xlsx", "roster").frame
    bpjs = lists.read(folder / "own-bpjs.xlsx", "bpjs").frame
    roster = roster.with_columns(entity=scenario.roster["person"].gather(roster["line"] - 1))
    bpjs = bpjs.with_columns(entity=scenario.bpjs["person"].gather(bpjs["line"] - 1))
    reconcile_quality(roster, bpjs, f"own generator (synthetic seed 7, {rows:,})", folder)


def import_roster(name: str, folder: Path) -> None:
    """The set's roster through the roster importer (preview: checks, writes no person) into a scratch
    SQLite database: rejected rows and warnings by reason."""
    import django
    from django.core.management import call_command

    django.setup()
    from payung.regions.models import Region
    from payung.registry import importer
    from payung.registry.models import Unit

    call_command("migrate", verbosity=0)
    region = Region.objects.get(code=febrl.TTU)
    unit, _ = Unit.objects.get_or_create(
        region=region, code="UJI", defaults={"name": "Dinas Uji", "kind": "opd"}
    )
    pair = febrl.reconcile_pair(name)
    path = folder / f"{name}-import.csv"
    febrl.write_roster(pair.roster, path)
    batch = importer.preview(path, filename=path.name, region=region, unit=unit)
    issues = Counter((i.severity, i.code) for i in batch.issues.all())
    print(
        f"{name} roster import: {batch.total_rows:,} rows, {batch.rejected:,} rejected, "
        f"{batch.warnings:,} warnings; {dict(issues)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(febrl.SETS))
    parser.add_argument("--own", type=int, default=20_000, help="rows of the own-generator run (0: none)")
    parser.add_argument("--import-roster", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'scratch.sqlite3'}"  # the importer's scratch
        os.environ["PAYUNG_VAR"] = str(folder)
        for name in args.sets:
            febrl_reconcile(name, folder)
            people = febrl.people(name).with_row_index("id", 1).with_columns(pl.col("id").cast(pl.Int64))
            dedupe_quality(people, name)
            if args.import_roster:
                import_roster(name, folder)
        if args.own:
            own_reconcile(args.own, folder)


if __name__ == "__main__":
    main()
