"""The scale path on local Spark: the same labelled pair linked on DuckDB and on Spark (local[2]).

    /tmp/sparkenv/bin/python bench/reconcile_spark.py [--rows 2000] [--master local[2]]

Needs pyspark (the optional extra ``payung[spark]``, not in requirements.lock) and Java 17, so it runs in
a separate venv, never in CI. reconcile.synthetic writes a roster and a BPJS list with known truth; both
backends get the same typed lists (reconcile.lists) and run linkage.link, the model stage on DuckDB or on
Spark. Prints precision and recall of each at the default threshold, how many matches agree, and how
the model scores of the two backends compare pair by pair. Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from payung.reconcile import linkage, lists, spark, synthetic  # noqa: E402
from payung.reconcile.linkage import B, R  # noqa: E402

PERIOD = dt.date(2026, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="payung-spark-bench-"))
    scenario = synthetic.generate(args.rows, seed=args.seed)
    roster_path, bpjs_path = folder / "roster.xlsx", folder / "bpjs.xlsx"
    synthetic.write(scenario, roster_path, bpjs_path, PERIOD)
    roster, bpjs = lists.read(roster_path, "roster").frame, lists.read(bpjs_path, "bpjs").frame
    persons = (
        pl.DataFrame({R: range(1, scenario.roster.height + 1), "p_r": scenario.roster["person"]}),
        pl.DataFrame({B: range(1, scenario.bpjs.height + 1), "p_b": scenario.bpjs["person"]}),
    )
    truth = scenario.true_pairs().height
    print(
        f"labelled data: roster {roster.height:,} rows, BPJS {bpjs.height:,} rows, {truth:,} people on both"
    )

    def quality(matches: pl.DataFrame) -> str:
        pairs = matches.select(pl.col(R).cast(pl.Int64), pl.col(B).cast(pl.Int64))
        joined = pairs.join(persons[0].cast({R: pl.Int64}), on=R).join(persons[1].cast({B: pl.Int64}), on=B)
        right = int((joined["p_r"] == joined["p_b"]).sum())
        precision, recall = right / max(pairs.height, 1), right / truth
        return f"precision {precision:.4f}, recall {recall:.4f} ({pairs.height:,} pairs)"

    started = time.perf_counter()
    on_duckdb = linkage.link(roster, bpjs)
    print(f"  DuckDB:        {quality(on_duckdb.matches)}, {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    session = spark.session(args.master, partitions=args.partitions)
    print(
        f"  Spark {session.version} session ({args.master}): {time.perf_counter() - started:.1f} s to start"
    )
    started = time.perf_counter()
    on_spark = spark.link_on_spark(roster, bpjs, session)
    print(f"  Spark:         {quality(on_spark.matches)}, {time.perf_counter() - started:.1f} s")

    keys = [R, B]
    same = on_duckdb.matches.join(on_spark.matches, on=keys, how="inner").height
    only_duckdb = on_duckdb.matches.join(on_spark.matches, on=keys, how="anti").height
    only_spark = on_spark.matches.join(on_duckdb.matches, on=keys, how="anti").height
    print(f"  matches: {same:,} on both, {only_duckdb:,} only on DuckDB, {only_spark:,} only on Spark")
    dup = (on_duckdb.duplicates, on_spark.duplicates)
    common = dup[0].join(dup[1], on=["side", "line", "of_line"]).height
    print(f"  duplicates: DuckDB {dup[0].height:,}, Spark {dup[1].height:,}, {common:,} the same")

    model = [
        c.candidates.filter(pl.col("stage") == "model").select(*keys, "score") for c in (on_duckdb, on_spark)
    ]
    both = model[0].join(model[1], on=keys, how="full", coalesce=True, suffix="_spark")
    scored_both = both.drop_nulls()
    gap = (scored_both["score"] - scored_both["score_spark"]).abs()
    print(f"  model pairs (score >= 0.01): DuckDB {model[0].height:,}, Spark {model[1].height:,}, "
          f"{scored_both.height:,} on both, largest score difference {gap.max() or 0:.2e}")  # fmt: skip
    same_levels(roster, bpjs, persons, session)
    session.stop()


def same_levels(roster: pl.DataFrame, bpjs: pl.DataFrame, persons: tuple, session) -> None:
    """Every comparison level of the two SQL dialects on the same row pairs (the true pairs, full of
    typos, and as many random ones): the level each pair lands in must be the same on both backends."""
    left, right = linkage.model_input(roster), linkage.model_input(bpjs)
    true = persons[0].join(persons[1], left_on="p_r", right_on="p_b").select(R, B)
    random = pl.DataFrame(
        {R: left["id"].sample(true.height, seed=1), B: right["id"].sample(true.height, seed=2)}
    )
    pairs = pl.concat([true.cast(pl.Int64), random.cast(pl.Int64)])
    pairs = pairs.join(left.rename(lambda c: f"{c}_l"), left_on=R, right_on="id_l").join(
        right.rename(lambda c: f"{c}_r"), left_on=B, right_on="id_r"
    )

    def gammas(dialect: str) -> str:
        cases = []
        for comparison in linkage.comparisons(dialect):
            levels = comparison["comparison_levels"]
            whens = " ".join(f"WHEN {lvl['sql_condition']} THEN {i}" for i, lvl in enumerate(levels[:-1]))
            cases.append(f"CASE {whens} ELSE {len(levels) - 1} END AS {comparison['output_column_name']}")
        return f"SELECT {R}, {B}, {', '.join(cases)} FROM pairs ORDER BY {R}, {B}"

    on_duckdb = duckdb.sql(gammas("duckdb")).pl()  # reads the local frame `pairs`
    spark.to_spark(pairs, session).createOrReplaceTempView("pairs")
    rows = session.sql(gammas("spark")).collect()
    on_spark = pl.DataFrame([tuple(r) for r in rows], schema=on_duckdb.schema, orient="row")
    fields = [c for c in on_duckdb.columns if c not in (R, B)]
    differ = {f: int((on_duckdb[f] != on_spark[f]).sum()) for f in fields}
    print(f"  comparison levels on {pairs.height:,} row pairs ({true.height:,} true, the rest random), "
          "pairs in another level on Spark: " + ", ".join(f"{f} {n}" for f, n in differ.items()))  # fmt: skip
    differing = on_duckdb.join(on_spark, on=[R, B], suffix="_spark").filter(
        pl.any_horizontal(pl.col(f) != pl.col(f"{f}_spark") for f in fields)
    )
    shown = differing.join(pairs.select(R, B, "name_key_l", "name_key_r"), on=[R, B]).head(5)
    for row in shown.iter_rows(named=True):
        print(f"    {row}")


if __name__ == "__main__":
    main()
