"""Linking a roster to a BPJS list one-to-one: exact identifiers, then Splink on DuckDB. Pure: no Django.

Stages (docs/decisions/0011):
1. **Exact.** Pairs sharing a valid NIK or a KPJ. Both agreeing ranks above NIK alone, above KPJ alone
   (a KPJ typed into the wrong roster row is commoner than a NIK that is someone else's); the name breaks
   remaining ties. Score 1.
2. **Model.** The rows left on both sides go through registry.matching, the one Fellegi-Sunter model
   (name, birth date, NIK by its parts, sex), learned from these two lists (docs/decisions/0014). Score =
   Splink's match probability.
3. **One-to-one.** Within each stage, pairs are accepted greedily, best score first, ties by line numbers:
   implemented as rounds that accept every pair which is the best remaining one of both its rows. That is
   the same result as sorting all pairs and taking them one by one, but vectorised. Greedy is not the
   optimal assignment, and does not need to be: a row with two strong candidates is rare and shows up
   as a duplicate for review anyway.
4. **Duplicates.** A row left over whose candidate on the other side was taken is the same person as the
   row that took it: a duplicate inside its own list (registered twice at BPJS, listed twice on the
   roster). Candidates for this are the exact pairs and a second model run of unmatched rows against the
   matched rows of the other side; rows sharing a NIK within one list are duplicates too.

Every match carries its score, the stage that made it and per field evidence (``evidence``): what agrees
and how the rest differs, the same vocabulary as the registry's duplicate pairs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl
import sqlglot
from rapidfuzz.distance import JaroWinkler
from splink import DuckDBAPI, Linker, SettingsCreator

from payung.reconcile.lists import LINE
from payung.registry import matching

DEFAULT_THRESHOLD = 0.9
MODEL_COLUMNS = ("name_key", "sound_first", "sound_last", "nik", "sex", "birth_date", "address", "village")
OPTIONAL = ("address", "village")  # model columns a list may lack
R, B = "roster_line", "bpjs_line"
PAIR_SCHEMA = {R: pl.Int64, B: pl.Int64, "score": pl.Float64, "stage": pl.Utf8}


# No birth place on BPJS lists; address and village where both lists have them (else "missing": no weight)
COMPARISONS = [matching.NAME, matching.BIRTH_DATE, matching.NIK, matching.SEX, matching.ADDRESS,
               matching.VILLAGE]  # fmt: skip
# Splink reads a level's SQL in the backend's own dialect; two functions above are DuckDB's own.
HAMMING_WIDTH = 16  # the longest string compared by Hamming distance: a NIK (ISO dates have 10)


def comparisons(dialect: str = "duckdb") -> list[dict]:
    """The model's comparisons in the SQL of ``dialect``: "duckdb" (as written) or "spark", where
    ``jaro_winkler_similarity`` becomes Splink's Scala UDF ``jaro_winkler`` and ``hamming`` (Spark has
    none) a count of the positions that differ. Same levels, same m and u: one model on either backend."""
    if dialect == "duckdb":
        return COMPARISONS
    if dialect != "spark":
        raise ValueError(f"no SQL for dialect {dialect!r}")
    spark = copy.deepcopy(COMPARISONS)
    for comparison in spark:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                tree = sqlglot.parse_one(level["sql_condition"], read="duckdb").transform(_spark_function)
                level["sql_condition"] = tree.sql(dialect="spark")
    return spark


def _spark_function(node: sqlglot.exp.Expression) -> sqlglot.exp.Expression:
    exp = sqlglot.exp
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hamming":
        left, right = (side.sql("spark") for side in node.expressions)
        # The positions that differ. Past the end both sides are '': equal, so any length <= WIDTH works.
        # A lambda rather than 16 unrolled CASEs: those outgrow Java's 64 KB method limit in Spark's codegen.
        differing = f"i -> substr({left}, i, 1) <> substr({right}, i, 1)"
        return sqlglot.parse_one(f"size(filter(sequence(1, {HAMMING_WIDTH}), {differing}))", read="spark")
    return node


def settings(left: int, right: int, dialect: str = "duckdb") -> SettingsCreator:
    """The Splink settings for ``left`` x ``right`` rows, the same on every backend but for the SQL."""
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="id",
        comparisons=comparisons(dialect),
        blocking_rules_to_generate_predictions=matching.BLOCKING,
        probability_two_random_records_match=prior(left, right),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


# A model stage: (roster rows, BPJS rows) -> scored pairs (R, B, score, stage="model"), see model_pairs.
Scorer = Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]


@dataclass
class Linked:
    """``matches``: one-to-one pairs (R, B, score, stage, evidence). ``duplicates``: side, line, of_line
    (the row of the same list it repeats), score. ``candidates``: every scored pair (R, B, score, stage),
    for the benchmark's curve."""

    matches: pl.DataFrame
    duplicates: pl.DataFrame
    candidates: pl.DataFrame


def link(
    roster: pl.DataFrame,
    bpjs: pl.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    threads: int = 2,
    scorer: Scorer | None = None,
    refused: pl.DataFrame | None = None,
) -> Linked:
    """Link two typed lists (reconcile.lists frames). Deterministic: the same files give the same pairs.
    ``scorer`` runs the model stage elsewhere (reconcile.spark); by default Splink on DuckDB. ``refused``
    (R, B) are pairs a reviewer said are two people: never proposed again, nor taken as duplicates."""
    model = scorer or (lambda left, right: model_pairs(left, right, threads=threads))
    scorer = lambda left, right: _without(model(left, right), refused)  # noqa: E731
    exact = _without(exact_pairs(roster, bpjs), refused)
    matched = one_to_one(exact)
    rest_r = roster.filter(~pl.col(LINE).is_in(matched[R].implode()))
    rest_b = bpjs.filter(~pl.col(LINE).is_in(matched[B].implode()))
    scored = scorer(rest_r, rest_b)
    by_model = one_to_one(scored.filter(pl.col("score") >= threshold))
    matches = pl.concat([matched, by_model]).sort(R)
    extra = _duplicate_candidates(roster, bpjs, matches, threshold, scorer)
    duplicates = _duplicates(roster, bpjs, matches, pl.concat([exact, scored, extra]), threshold)
    evidence = with_evidence(matches, roster, bpjs)
    return Linked(evidence, duplicates, pl.concat([exact, scored]))


def _without(pairs: pl.DataFrame, refused: pl.DataFrame | None) -> pl.DataFrame:
    if refused is None or refused.is_empty():
        return pairs
    return pairs.join(refused.select(pl.col(R, B).cast(pl.Int64)), on=[R, B], how="anti")


# ----------------------------------------------------------------------------------------------- exact
def exact_pairs(roster: pl.DataFrame, bpjs: pl.DataFrame) -> pl.DataFrame:
    """Pairs sharing NIK or KPJ, ranked by the stage label order: nik+kpj, nik, kpj (see module doc)."""
    parts = []
    for key in ("nik", "kpj"):
        left = roster.select(pl.col(LINE).alias(R), key).drop_nulls(key)
        right = bpjs.select(pl.col(LINE).alias(B), key).drop_nulls(key)
        parts.append(left.join(right, on=key).select(R, B))
    pairs = pl.concat(parts).unique()
    if pairs.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    sides = roster.select(pl.col(LINE).alias(R), "nik", "kpj", "name_key")
    pairs = pairs.join(sides, on=R).join(
        bpjs.select(pl.col(LINE).alias(B), "nik", "kpj", "name_key"), on=B, suffix="_b"
    )
    nik, kpj = (
        (pl.col("nik") == pl.col("nik_b")).fill_null(False),
        (pl.col("kpj") == pl.col("kpj_b")).fill_null(False),
    )
    same_name = (pl.col("name_key") == pl.col("name_key_b")).fill_null(False)
    # A score just under 1 for the weaker kinds keeps "best first" one ordering for the greedy rounds.
    rank = pl.when(nik & kpj).then(0).when(nik).then(2).otherwise(4) + pl.when(same_name).then(0).otherwise(1)
    return pairs.select(
        R,
        B,
        (1.0 - rank.cast(pl.Float64) * 1e-9).alias("score"),
        pl.when(nik & kpj).then(pl.lit("nik+kpj")).when(nik).then(pl.lit("nik")).otherwise(pl.lit("kpj"))
        .alias("stage"),
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------- model
def model_input(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns the model compares and blocks on (registry.linkage.prepare, without birth place)."""
    # A BPJS list stored before address and village were read has neither: "missing" to the model.
    frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in OPTIONAL if c not in frame.columns)
    return (
        frame.select(pl.col(LINE).alias("id"), *MODEL_COLUMNS)
        .with_columns(**matching.keys(), name_key=pl.col("name_key").replace("", None))
        .drop("address", "village")
    )


def trained(tables: list, left: int, right: int, dialect: str = "duckdb") -> Linker:
    """A linker for the registered ``tables`` (roster, BPJS) with the model learned from them."""
    learned = matching.train(
        Linker(tables, settings(left, right, dialect), log_level="ERROR"), min(left, right)
    )
    return Linker(tables, learned, log_level="WARNING")


def prior(left: int, right: int) -> float:
    """Probability that two random rows are the same person: at most one partner per row of the larger
    side, so 1/larger. A function of the sizes only: no training, no sampling."""
    return min(0.5, 1.0 / max(left, right, 1))


def model_pairs(
    roster: pl.DataFrame, bpjs: pl.DataFrame, *, threads: int = 2, floor: float = 0.01
) -> pl.DataFrame:
    """Scored pairs (R, B, score, stage='model') with match probability >= ``floor``."""
    if roster.is_empty() or bpjs.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    con = duckdb.connect(":memory:", config={"threads": threads})
    con.execute("SET enable_progress_bar = false")
    try:
        api = DuckDBAPI(connection=con)
        left = api.register(model_input(roster).to_arrow(), dataset_display_name="a_roster")
        right = api.register(model_input(bpjs).to_arrow(), dataset_display_name="b_bpjs")
        linker = trained([left, right], roster.height, bpjs.height)
        result = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
        frame = result.as_duckdbpyrelation().pl()
    finally:
        con.close()
    return predicted_pairs(frame)


def predicted_pairs(frame: pl.DataFrame) -> pl.DataFrame:
    """Splink's predictions (source_dataset_l, id_l, id_r, match_probability) as (R, B, score, stage);
    the inputs are registered as "a_roster" and "b_bpjs" on every backend."""
    flipped = pl.col("source_dataset_l") != "a_roster"
    return frame.select(
        pl.when(flipped).then("id_r").otherwise("id_l").cast(pl.Int64).alias(R),
        pl.when(flipped).then("id_l").otherwise("id_r").cast(pl.Int64).alias(B),
        pl.col("match_probability").cast(pl.Float64).alias("score"),
        pl.lit("model").alias("stage"),
    )


# ------------------------------------------------------------------------------------------ one-to-one
def one_to_one(pairs: pl.DataFrame) -> pl.DataFrame:
    """Greedy assignment, best score first (ties: lower roster line, then lower BPJS line), in rounds."""
    rest = pairs.sort(["score", R, B], descending=[True, False, False])
    taken = []
    while not rest.is_empty():
        # Sorted best first: a row first for both its roster row and its BPJS row is the best of either.
        mutual = rest.filter(pl.col(R).is_first_distinct() & pl.col(B).is_first_distinct())
        taken.append(mutual)
        rest = rest.filter(~pl.col(R).is_in(mutual[R].implode()) & ~pl.col(B).is_in(mutual[B].implode()))
    return pl.concat(taken) if taken else pairs.clear()


# ------------------------------------------------------------------------------------------ duplicates
def _duplicate_candidates(
    roster: pl.DataFrame, bpjs: pl.DataFrame, matches: pl.DataFrame, threshold: float, scorer: Scorer
) -> pl.DataFrame:
    """Model pairs of rows left over against the matched rows of the other side."""
    free_r = roster.filter(~pl.col(LINE).is_in(matches[R].implode()))
    free_b = bpjs.filter(~pl.col(LINE).is_in(matches[B].implode()))
    held_r = roster.filter(pl.col(LINE).is_in(matches[R].implode()))
    held_b = bpjs.filter(pl.col(LINE).is_in(matches[B].implode()))
    found = [scorer(free_r, held_b), scorer(held_r, free_b)]
    return pl.concat(found).filter(pl.col("score") >= threshold)


DUPLICATE_SCHEMA = {"side": pl.Utf8, "line": pl.Int64, "of_line": pl.Int64, "score": pl.Float64}


def _duplicates(
    roster: pl.DataFrame,
    bpjs: pl.DataFrame,
    matches: pl.DataFrame,
    candidates: pl.DataFrame,
    threshold: float,
) -> pl.DataFrame:
    """Unmatched rows that are the same person as a row of their own list (see module doc)."""
    strong = candidates.filter(pl.col("score") >= threshold).sort(
        ["score", R, B], descending=[True, False, False]
    )
    partner = matches.select(R, B)
    free_r = ~pl.col(R).is_in(matches[R].implode())
    free_b = ~pl.col(B).is_in(matches[B].implode())
    # A free roster row whose BPJS candidate is matched: it repeats the roster row that BPJS row took.
    of_r = _repeats(strong.filter(free_r & ~free_b), partner, "roster", R, B)
    of_b = _repeats(strong.filter(free_b & ~free_r), partner, "bpjs", B, R)
    same_nik = [
        _same_nik(frame, side, matches[key])
        for frame, side, key in ((roster, "roster", R), (bpjs, "bpjs", B))
    ]
    found = pl.concat([of_r, of_b, *same_nik]).cast(DUPLICATE_SCHEMA)  # type: ignore[arg-type]
    return found.unique(["side", "line"], keep="first", maintain_order=True).sort("side", "line")


def _repeats(pairs: pl.DataFrame, partner: pl.DataFrame, side: str, own: str, other: str) -> pl.DataFrame:
    """Free ``own`` rows of ``pairs`` as repeats of the ``own`` row their matched ``other`` row took."""
    joined = pairs.join(partner, on=other, suffix="_m").filter(pl.col(own) != pl.col(f"{own}_m"))
    return joined.select(
        pl.lit(side).alias("side"), pl.col(own).alias("line"), pl.col(f"{own}_m").alias("of_line"), "score"
    )


def _same_nik(frame: pl.DataFrame, side: str, matched: pl.Series) -> pl.DataFrame:
    """Unmatched rows whose NIK an earlier (or matched) row of the same list has."""
    rows = frame.select(LINE, "nik").drop_nulls("nik")
    rows = rows.with_columns(pl.col(LINE).is_in(matched.implode()).alias("_held"))
    first = rows.sort(["_held", LINE], descending=[True, False]).group_by("nik", maintain_order=True).first()
    return (
        rows.filter(~pl.col("_held")).join(first.select("nik", pl.col(LINE).alias("of_line")), on="nik")
        .filter(pl.col(LINE) != pl.col("of_line"))
        .select(pl.lit(side).alias("side"), pl.col(LINE).alias("line"), "of_line", pl.lit(1.0).alias("score"))
    )  # fmt: skip


# -------------------------------------------------------------------------------------------- evidence
NAME_SIMILAR = 0.92  # as registry.matching's "very_similar" level


def _sorted_words(column: str) -> pl.Expr:
    return pl.col(column).str.split(" ").list.sort().list.join(" ")


def with_evidence(matches: pl.DataFrame, roster: pl.DataFrame, bpjs: pl.DataFrame) -> pl.DataFrame:
    """``matches`` plus one column per field saying how the two rows agree, and a summary ``evidence``."""
    cols = ["nik", "kpj", "name_key", "sound_first", "sound_last", "birth_date", "sex"]
    both = matches.join(roster.select(pl.col(LINE).alias(R), *cols), on=R, how="left").join(
        bpjs.select(pl.col(LINE).alias(B), *cols), on=B, how="left", suffix="_b"
    )
    jw = JaroWinkler.normalized_similarity  # in a loop: one C call per pair, and no numpy needed
    similarity = [
        jw(a, b) if a and b else 0.0 for a, b in zip(both["name_key"], both["name_key_b"], strict=True)
    ]
    both = both.with_columns(pl.Series("_jw", similarity, dtype=pl.Float64))
    c = pl.col

    def agree(name: str, *cases: tuple[pl.Expr, str]) -> pl.Expr:
        """missing / same / the first of ``cases`` that holds / different."""
        level = pl.when(c(name).is_null() | c(f"{name}_b").is_null()).then(pl.lit("missing"))
        level = level.when(c(name) == c(f"{name}_b")).then(pl.lit("same"))
        for condition, code in cases:
            level = level.when(condition).then(pl.lit(code))
        return level.otherwise(pl.lit("different"))

    nik_digits = [(c("nik").str.slice(i, 1) != c("nik_b").str.slice(i, 1)).cast(pl.Int32) for i in range(16)]
    born, born_b = c("birth_date").dt, c("birth_date_b").dt
    same_day_month = (born.day() == born_b.day()) & (born.month() == born_b.month())
    swapped = (born.day() == born_b.month()) & (born.month() == born_b.day()) & (born.year() == born_b.year())
    sounds = (c("sound_first") == c("sound_first_b")) & (c("sound_last") == c("sound_last_b"))
    levels = {
        "ev_nik": agree("nik", (pl.sum_horizontal(nik_digits) <= 2, "typo")),
        "ev_kpj": agree("kpj"),
        "ev_name": agree(
            "name_key",
            (_sorted_words("name_key") == _sorted_words("name_key_b"), "swapped"),
            (c("_jw") >= NAME_SIMILAR, "very_similar"),
            (sounds, "first_last_alike"),
        ),
        "ev_birth_date": agree(
            "birth_date",
            (swapped, "day_month_swapped"),
            (same_day_month & ((born.year() - born_b.year()).abs() == 100), "century"),
        ),
        "ev_sex": agree("sex"),
    }
    both = both.with_columns(**levels)
    summary = pl.concat_str([pl.concat_str(pl.lit(f"{k[3:]}="), c(k)) for k in levels], separator="; ").alias(
        "evidence"
    )
    return both.select(R, B, "score", "stage", *levels, summary)
