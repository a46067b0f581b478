"""Probable duplicates among people: probabilistic record linkage with Splink on DuckDB. Pure: no Django.

Input: a polars frame of people with ``id, name, nik, sex, birth_date, birth_place``. Output: pairs with
a match probability and, per field, which level of agreement the model saw ("evidence"), to show a
reviewer why two records were put side by side.

Model (Fellegi-Sunter, dedupe_only). m and u come from fixed priors written below rather than from
training: a kabupaten's roster is too small and too clean for EM to be stable, and fixed parameters make
the result a pure function of the input (no sampling, no seed). The priors are deliberately plain numbers
so a reviewer of this code can argue with them:
- name: normalised key equal / same sounds in any order / Jaro-Winkler >= 0.92 / first and last word
  sound alike (a middle name left out) / other;
- birth date: equal / day and month swapped / one character apart (typo) / other;
- NIK: equal / up to two digits apart (a wrong digit, two swapped digits) with the same sequence number /
  up to two digits apart / three / other. A difference in the last four digits is weak evidence: people
  born on the same day in the same kecamatan get consecutive sequence numbers, so neighbours look like
  typos;
- sex, birth place.
Blocking (which pairs are scored at all) keeps the work near-linear: NIK without its sequence, NIK
without its region, the sounds of first and last name, and birth date with day/month order ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import polars as pl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from payung.registry import names

PRIOR_MATCH = 1e-6  # probability that two random people of one kab/kota are the same person
DEFAULT_THRESHOLD = 0.5
INPUT_COLUMNS = ("id", "name", "nik", "sex", "birth_date", "birth_place")


@dataclass(frozen=True)
class Pair:
    left_id: int
    right_id: int
    probability: float
    evidence: dict[str, str] = field(default_factory=dict)  # field -> level code (see LEVELS)


def _level(code: str, sql: str, m: float, u: float) -> dict:
    return {"sql_condition": sql, "label_for_charts": code, "m_probability": m, "u_probability": u}


def _null(column: str) -> dict:
    return {
        "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
        "label_for_charts": "missing",
        "is_null_level": True,
    }


def _comparison(name: str, column: str, levels: list[dict]) -> dict:
    return {"output_column_name": name, "comparison_levels": [_null(column), *levels]}


_NAME = _comparison(
    "name",
    "name_key",
    [
        _level("same", "name_key_l = name_key_r", 0.71, 0.0005),
        _level("sounds_alike", "name_sounds_l = name_sounds_r", 0.15, 0.002),
        _level("very_similar", "jaro_winkler_similarity(name_key_l, name_key_r) >= 0.92", 0.07, 0.005),
        _level(
            "first_last_alike",
            "sound_first_l = sound_first_r AND sound_last_l = sound_last_r",
            0.05,
            0.003,
        ),
        _level("different", "ELSE", 0.02, 0.9895),
    ],
)
_BIRTH_DATE = _comparison(
    "birth_date",
    "birth_date",
    [
        _level("same", "birth_date_l = birth_date_r", 0.90, 0.00007),
        _level(
            "day_month_swapped",
            "day(birth_date_l) = month(birth_date_r) AND month(birth_date_l) = "
            "day(birth_date_r) AND year(birth_date_l) = year(birth_date_r)",
            0.04,
            0.00007,
        ),
        _level(
            "typo",
            "hamming(CAST(birth_date_l AS VARCHAR), CAST(birth_date_r AS VARCHAR)) <= 1",
            0.04,
            0.002,
        ),
        _level("different", "ELSE", 0.02, 0.99786),
    ],
)
# Hamming distance (differing positions) rather than edit distance: NIKs all have 16 digits, a wrong
# digit differs in 1 position and two swapped digits in 2, and Hamming costs a fraction of Damerau.
_NIK = _comparison(
    "nik",
    "nik16",
    [
        _level("same", "nik16_l = nik16_r", 0.55, 0.0001),
        _level(
            "typo", "hamming(nik16_l, nik16_r) <= 2 AND right(nik16_l, 4) = right(nik16_r, 4)", 0.15, 0.002
        ),
        _level("sequence_typo", "hamming(nik16_l, nik16_r) <= 2", 0.20, 0.02),
        _level("three_digits", "hamming(nik16_l, nik16_r) <= 3", 0.05, 0.02),
        _level("different", "ELSE", 0.05, 0.9579),
    ],
)
_SEX = _comparison(
    "sex",
    "sex",
    [
        _level("same", "sex_l = sex_r", 0.97, 0.5),
        _level("different", "ELSE", 0.03, 0.5),
    ],
)
_BIRTH_PLACE = _comparison(
    "birth_place",
    "place_key",
    [
        _level("same", "place_key_l = place_key_r", 0.85, 0.10),
        _level("similar", "jaro_winkler_similarity(place_key_l, place_key_r) >= 0.88", 0.08, 0.02),
        _level("different", "ELSE", 0.07, 0.88),
    ],
)
COMPARISONS = [_NAME, _BIRTH_DATE, _NIK, _SEX, _BIRTH_PLACE]
# Level code by match weight, per comparison: Splink reports each field's weight, and within a
# comparison every level has its own weight log2(m/u); the null level weighs 0.
LEVELS = {
    c["output_column_name"]: {
        round(math.log2(lvl["m_probability"] / lvl["u_probability"]), 6): lvl["label_for_charts"]
        for lvl in c["comparison_levels"][1:]
    }
    for c in COMPARISONS
}
BLOCKING = [
    block_on("nik_head"),  # same kecamatan and birth date: a typo in the sequence
    block_on("nik_tail"),  # same birth date and sequence: a typo in the region code
    block_on("sound_first", "sound_last"),  # names that sound the same
    block_on("dob_sorted", "sex"),  # same birth date, day and month in either order
]


def identity_keys() -> dict[str, pl.Expr]:
    """Keys derived from name, NIK and birth date that the model compares and blocks on (shared with
    reconcile.linkage, which links a roster to BPJS's list with the same keys)."""
    words = pl.col("name_key").str.split(" ")
    day, month = pl.col("birth_date").dt.day(), pl.col("birth_date").dt.month()
    nik = pl.col("nik").fill_null("")
    return {
        "name_sounds": words.list.eval(names.sound_expr(pl.element())).list.sort().list.join(" "),
        "nik_head": pl.when(nik.str.len_chars() == 16).then(nik.str.slice(0, 12)),
        "nik_tail": pl.when(nik.str.len_chars() == 16).then(nik.str.slice(6, 10)),
        "nik16": pl.when(nik.str.len_chars() == 16).then(nik),
        "dob_sorted": pl.format(
            "{}-{}-{}",
            pl.col("birth_date").dt.year(),
            pl.min_horizontal(day, month),
            pl.max_horizontal(day, month),
        ),
    }


def prepare(people: pl.DataFrame) -> pl.DataFrame:
    """The columns the model compares and blocks on, derived from the raw person columns."""
    frame = names.with_index_columns(people.select(INPUT_COLUMNS).with_columns(pl.col("id").cast(pl.Int64)))
    return frame.with_columns(
        **identity_keys(),
        place_key=pl.col("birth_place")
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"\b(kota|kabupaten|kab)\b|[^a-z]", "")
        .replace("", None),
        sex=pl.col("sex").replace("", None),
    ).drop("name")


def find_pairs(people: pl.DataFrame, threshold: float = DEFAULT_THRESHOLD, threads: int = 2) -> list[Pair]:
    """Probable duplicate pairs among ``people`` with match probability >= ``threshold``, best first."""
    if people.height < 2:
        return []
    con = duckdb.connect(":memory:", config={"threads": threads})
    con.execute("SET enable_progress_bar = false")  # a CLI or web request is no place for a progress bar
    try:
        db_api = DuckDBAPI(connection=con)
        table = db_api.register(prepare(people).to_arrow())
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="id",
            comparisons=COMPARISONS,
            blocking_rules_to_generate_predictions=BLOCKING,
            probability_two_random_records_match=PRIOR_MATCH,
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(table, settings, log_level="WARNING")
        result = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
        # A table, not a batch reader: a reader of no batches has no schema, and polars refuses it.
        frame = pl.from_arrow(result.as_duckdbpyrelation().to_arrow_table())
    finally:
        con.close()
    return _pairs(frame)


def _pairs(frame: pl.DataFrame) -> list[Pair]:
    pairs = []
    for row in frame.iter_rows(named=True):
        left, right = sorted((row["id_l"], row["id_r"]))
        evidence = {name: LEVELS[name].get(round(row[f"mw_{name}"], 6), "missing") for name in LEVELS}
        pairs.append(Pair(left, right, round(float(row["match_probability"]), 6), evidence))
    return sorted(pairs, key=lambda p: (-p.probability, p.left_id, p.right_id))
