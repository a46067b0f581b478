"""Probable duplicates among people: probabilistic record linkage with Splink on DuckDB. Pure: no Django.

Input: a polars frame of people with ``id, name, nik, sex, birth_date, birth_place`` and, when known,
``address`` and ``village`` (the desa's name). Output: pairs with
a match probability and, per field, which level of agreement the model saw ("evidence"), to show a
reviewer why two records were put side by side.

Model: registry.matching, the one model (dedupe_only here), learned from the region's own people; its
levels are the evidence codes. The prior (probability that two random people are one) is estimated from
the pairs sharing a NIK, or a name and birth date, of the same list (``prior``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl
from splink import DuckDBAPI, Linker, SettingsCreator

from payung.registry import matching, names

EXACT_SHARE = 0.5  # assumed: half of the true duplicates share a NIK, or a name and birth date
PRIOR_FLOOR = 1e-7  # the smallest prior: a list whose every NIK and name-and-birth-date is unique
PRIOR_HAND = 1e-6  # the prior of a list too small to count on (matching.MIN_ROWS): one in a million
DEFAULT_THRESHOLD = 0.5
INPUT_COLUMNS = ("id", "name", "nik", "sex", "birth_date", "birth_place", "address", "village")
OPTIONAL_COLUMNS = ("address", "village")  # null when the caller has none


@dataclass(frozen=True)
class Pair:
    left_id: int
    right_id: int
    probability: float
    evidence: dict[str, str] = field(default_factory=dict)  # field -> level code (registry.matching)


COMPARISONS = [matching.NAME, matching.BIRTH_DATE, matching.NIK, matching.SEX, matching.BIRTH_PLACE,
               matching.ADDRESS, matching.VILLAGE]  # fmt: skip


def prepare(people: pl.DataFrame) -> pl.DataFrame:
    """The columns the model compares and blocks on, derived from the raw person columns."""
    missing = [pl.lit(None, pl.Utf8).alias(c) for c in OPTIONAL_COLUMNS if c not in people.columns]
    people = people.with_columns(missing)
    frame = names.with_index_columns(people.select(INPUT_COLUMNS).with_columns(pl.col("id").cast(pl.Int64)))
    return frame.with_columns(
        **matching.keys(),
        place_key=pl.col("birth_place")
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"\b(kota|kabupaten|kab)\b|[^a-z]", "")
        .replace("", None),
        sex=pl.col("sex").replace("", None),
    ).drop("name", "address", "village")


def prior(frame: pl.DataFrame) -> float:
    """Probability that two random people of the list are one: the pairs sharing a valid NIK or a name and
    birth date, over EXACT_SHARE (the share of true duplicates that do), over all pairs; PRIOR_HAND for a
    list too small for one shared name to be a rate."""
    if frame.height < matching.MIN_ROWS:
        return PRIOR_HAND

    def pairs_by(*columns: str) -> int:
        sizes = frame.drop_nulls(list(columns)).group_by(columns).len()["len"]
        return int((sizes * (sizes - 1) // 2).sum())

    every = frame.height * (frame.height - 1) / 2
    found = pairs_by("nik16") + pairs_by("name_key", "birth_date")
    return min(0.5, max(PRIOR_FLOOR, found / EXACT_SHARE / max(every, 1)))


def find_pairs(people: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD, threads: int = 2) -> list[Pair]:
    """Probable duplicate pairs among ``people`` with match probability >= ``threshold``, best first."""
    if people.height < 2:
        return []
    con = duckdb.connect(":memory:", config={"threads": threads})
    con.execute("SET enable_progress_bar = false")  # a CLI or web request is no place for a progress bar
    try:
        db_api = DuckDBAPI(connection=con)
        frame = prepare(people)
        table = db_api.register(frame.to_arrow())
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="id",
            comparisons=COMPARISONS,
            blocking_rules_to_generate_predictions=matching.BLOCKING,
            probability_two_random_records_match=prior(frame),
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=True,
        )
        learned = matching.train(Linker(table, settings, log_level="ERROR"), people.height)
        linker = Linker(table, learned, log_level="WARNING")
        result = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
        # A table, not a batch reader: a reader of no batches has no schema, and polars refuses it.
        found = pl.from_arrow(result.as_duckdbpyrelation().to_arrow_table())
    finally:
        con.close()
    return _pairs(found, matching.level_codes(learned))


def _pairs(frame: pl.DataFrame, codes: dict[str, dict[float, str]]) -> list[Pair]:
    pairs = []
    for row in frame.iter_rows(named=True):
        left, right = sorted((row["id_l"], row["id_r"]))
        evidence = matching.evidence(row, codes)
        pairs.append(Pair(left, right, round(float(row["match_probability"]), 6), evidence))
    return sorted(pairs, key=lambda p: (-p.probability, p.left_id, p.right_id))
