"""The one Fellegi-Sunter model of "same person?", learned from the lists in front of it. Pure: no Django.

Used by duplicate detection (registry.linkage, one list) and reconciliation (reconcile.linkage, a roster
and a BPJS list): the same comparisons, blocking and training; each caller adds only its link type and
prior. Why each level exists: docs/decisions/0014-learned-linkage.md.

Training, per run (``train``):
- u (how often a level happens between two different people) by random sampling of the run's own pairs,
  seeded, so the same lists give the same model;
- m (how often it happens between two records of one person) by expectation maximisation, in rounds on
  pairs that are nearly all one person (same name and birth date; same name and address; same NIK; same
  birth date and address), each trusted for comparisons its rule does not use (``TRAINING``);
- the name's "same" level is adjusted by term frequency: two records both named "Maria" are weaker
  evidence than two named "Kolnel".
The hand-set m and u below are the starting point, the fallback for lists too small to learn from, and a
bound: a learned value is never below a tenth of its hand-set value, so one odd sample cannot make a
level decisive by itself.
"""

from __future__ import annotations

import copy
import logging
import math
from typing import Any

import polars as pl
from splink import Linker, block_on

from payung.registry import names

SEED = 20261204  # the u sample's seed: fixed, so a run is a pure function of its lists
U_PAIRS = 2e6  # random pairs sampled for u
MIN_ROWS = 200  # fewer rows (on the smaller side) and the hand-set values are used as they are
BOUND = 0.1  # a learned m or u is at least this share of its hand-set value

logging.getLogger("splink").setLevel(logging.ERROR)  # training chatters at WARNING about sample sizes


def _level(code: str, sql: str, m: float, u: float, **extra: Any) -> dict:
    return {"sql_condition": sql, "label_for_charts": code, "m_probability": m, "u_probability": u, **extra}


def _null(column: str) -> dict:
    return {
        "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
        "label_for_charts": "missing",
        "is_null_level": True,
    }


def _comparison(name: str, column: str, levels: list[dict]) -> dict:
    return {"output_column_name": name, "comparison_levels": [_null(column), *levels]}


def _word_of(left: str, right: str) -> str:
    """SQL: every word of ``right`` is a run of words of ``left`` (a name left out on one side)."""
    return f"strpos(concat(' ', {left}, ' '), concat(' ', {right}, ' ')) > 0"


NAME = _comparison("name", "name_key", [
    _level("same", "name_key_l = name_key_r", 0.70, 0.0005,
           tf_adjustment_column="name_key", tf_adjustment_weight=1.0),
    _level("swapped", "name_sorted_l = name_sorted_r", 0.05, 0.00005),  # given name and surname swapped
    _level("sounds_alike", "name_sounds_l = name_sounds_r", 0.08, 0.002),
    _level("very_similar", "jaro_winkler_similarity(name_key_l, name_key_r) >= 0.92", 0.06, 0.005),
    _level("first_last_alike", "sound_first_l = sound_first_r AND sound_last_l = sound_last_r", 0.03, 0.003),
    _level("part_of", f"{_word_of('name_key_l', 'name_key_r')} OR {_word_of('name_key_r', 'name_key_l')}",
           0.03, 0.001),
    # one of given name and surname kept (sounds alike or one slip), the other replaced or left out;
    # weak by hand: in NTT a clan surname (Seran, Bria) and a baptismal name (Maria) are widely shared
    _level("part_alike", "sound_first_l = sound_first_r OR sound_last_l = sound_last_r OR "
           "jaro_winkler_similarity(name_first_l, name_first_r) >= 0.9 OR "
           "jaro_winkler_similarity(name_last_l, name_last_r) >= 0.9", 0.03, 0.05),
    _level("different", "ELSE", 0.03, 0.9785),
])  # fmt: skip
BIRTH_DATE = _comparison("birth_date", "birth_date", [
    _level("same", "birth_date_l = birth_date_r", 0.85, 0.00007),
    _level("day_month_swapped", "day(birth_date_l) = month(birth_date_r) AND month(birth_date_l) = "
           "day(birth_date_r) AND year(birth_date_l) = year(birth_date_r)", 0.03, 0.00007),
    _level("typo", "hamming(CAST(birth_date_l AS VARCHAR), CAST(birth_date_r AS VARCHAR)) <= 1", 0.04, 0.002),
    # a two-digit year read in the other century ('30/04/05' as 2005 for 1905, or back)
    _level("century", "day(birth_date_l) = day(birth_date_r) AND month(birth_date_l) = month(birth_date_r) "
           "AND abs(year(birth_date_l) - year(birth_date_r)) = 100", 0.005, 0.00003),
    _level("same_year", "year(birth_date_l) = year(birth_date_r)", 0.02, 0.012),
    _level("different", "ELSE", 0.055, 0.98586),
])  # fmt: skip
# The NIK by its parts: PPKKCC (kecamatan) DDMMYY (birth code) SSSS (sequence). Hamming distance counts
# differing positions: a wrong digit is 1, two swapped digits 2. People born on one day in one kecamatan
# get neighbouring sequence numbers, so a difference confined to the sequence is weak evidence. No level
# for "same birth code" alone: that is the birth date comparison's evidence, and counting it twice made
# two people born on one day look like one.
NIK = _comparison("nik", "nik16", [
    _level("same", "nik16_l = nik16_r", 0.55, 0.0001),
    _level("typo", "hamming(nik16_l, nik16_r) <= 2 AND right(nik16_l, 4) = right(nik16_r, 4)", 0.15, 0.002),
    _level("region_sequence_same", "left(nik16_l, 6) = left(nik16_r, 6) AND right(nik16_l, 4) = "
           "right(nik16_r, 4)", 0.10, 0.0001),  # the birth code differs: a wrong birth date behind both
    # kecamatan and birth code the same, the sequence one or two digits apart: what a sequence typo looks
    # like, and what two people born on one day in one kecamatan look like (neighbouring numbers). Its u
    # among random pairs counts the shared birthday the birth date comparison already counts; what the
    # level adds beyond that day is "same kecamatan", worth a little. Fixed by hand, never learned.
    _level("same_day_sequence", "left(nik16_l, 12) = left(nik16_r, 12) AND hamming(nik16_l, nik16_r) <= 2",
           0.05, 0.02, fix_m_probability=True, fix_u_probability=True),
    _level("sequence_typo", "hamming(nik16_l, nik16_r) <= 2", 0.10, 0.02),
    _level("different", "ELSE", 0.10, 0.9779),
])  # fmt: skip
SEX = _comparison("sex", "sex", [
    _level("same", "sex_l = sex_r", 0.97, 0.5),
    _level("different", "ELSE", 0.03, 0.5),
])  # fmt: skip
BIRTH_PLACE = _comparison("birth_place", "place_key", [
    _level("same", "place_key_l = place_key_r", 0.85, 0.10),
    _level("similar", "jaro_winkler_similarity(place_key_l, place_key_r) >= 0.88", 0.08, 0.02),
    _level("different", "ELSE", 0.07, 0.88),
])  # fmt: skip
# Where the person lives: the street line (house number, street or dusun, RT/RW, postcode) and the desa.
# Both are typed by hand on rosters and BPJS lists alike, so they carry the same slips as names; and
# people move, so a different address is weak evidence against, which the learned m says. Two records with
# a name and nothing else (no birth date, so no NIK) are told apart by these alone.
ADDRESS = _comparison("address", "address_key", [
    _level("same", "address_key_l = address_key_r", 0.55, 0.0005),
    # the same letters with spaces moved, or the same words in another order (a part in the wrong field)
    _level("reordered", "address_squash_l = address_squash_r OR address_sorted_l = address_sorted_r",
           0.10, 0.0002),
    # a slip in the letters, the numbers (house, RT/RW, postcode) all kept: neighbours share a street
    # and a dusun, rarely a house number and an RT as well
    _level("very_similar", "address_digits_l = address_digits_r AND "
           "jaro_winkler_similarity(address_key_l, address_key_r) >= 0.88", 0.15, 0.001),
    # the words kept, a number wrong (house, RT/RW or postcode)
    _level("number_typo", "address_letters_l = address_letters_r", 0.05, 0.001),
    # a slip in both; weak, since neighbours' addresses differ in little more than their numbers
    _level("similar", "jaro_winkler_similarity(address_key_l, address_key_r) >= 0.88", 0.05, 0.01),
    _level("different", "ELSE", 0.10, 0.9873),
])  # fmt: skip
VILLAGE = _comparison("village", "village_key", [
    _level("same", "village_key_l = village_key_r", 0.85, 0.02),
    _level("similar", "jaro_winkler_similarity(village_key_l, village_key_r) >= 0.88", 0.07, 0.01),
    _level("different", "ELSE", 0.08, 0.97),
])  # fmt: skip

# Which pairs are scored at all; each rule is an equality join, so the work stays near-linear.
BLOCKING = [
    block_on("nik_head"),  # same kecamatan and birth code: a typo in the sequence
    block_on("nik_tail"),  # same birth code and sequence: a typo in the kecamatan
    block_on("nik_ends"),  # same kecamatan and sequence: a wrong birth date behind the NIK too
    block_on("sound_first", "sound_last"),  # names that sound the same
    block_on("name_sounds"),  # the same sounds in any order: given name and surname swapped
    block_on("dob_sorted"),  # same birth date, day and month in either order
    block_on("sound_last", "village_key"),  # one desa and surname: the given name and birth date replaced
    block_on("address_squash"),  # one address, spaces aside: the name and birth date both changed
    block_on("address_digits", "village_key"),  # house number, RT/RW and postcode in one desa
]
# EM rounds: (training rule, the comparisons whose m it estimates), in order of preference. Each rule picks
# pairs that are nearly all one person even where clans share a surname, a desa and a birthday, and is
# trusted only for comparisons it says nothing about. A comparison takes the first round that estimates
# it; a round whose comparisons are all estimated already is not run. The last two are for lists without
# addresses (and, in reconciliation, without NIKs in common, which the exact stage took): the rules of the
# first version, whose pairs are less pure. Alone, on lists with a desa, EM learned from them that "same
# desa" marks one person (docs/decisions/0014).
TRAINING = [
    (block_on("name_key", "birth_date"), ("nik", "sex", "birth_place", "address", "village")),
    (block_on("name_key", "address_key"), ("birth_date",)),
    (block_on("nik16"), ("name",)),
    (block_on("birth_date", "address_key"), ("name",)),
    (block_on("name_key"), ("birth_date",)),
    (block_on("nik_ends"), ("name",)),
]


def address_key(column: str) -> pl.Expr:
    """An address as compared: lower case, words of letters and digits, common abbreviations dropped."""
    text = pl.col(column).str.to_lowercase().str.replace_all(r"[^a-z0-9]+", " ")
    text = text.str.replace_all(r"\b(jl|jln|jalan|no|nomor|nomer|gg|gang|kel|desa|dusun|rt|rw)\b", " ")
    return text.str.replace_all(r"\s+", " ").str.strip_chars().replace("", None)


def keys() -> dict[str, pl.Expr]:
    """Columns derived from name_key, NIK, birth date, address and village that the comparisons and
    blocking read (``address`` and ``village`` raw text, either may be all null)."""
    address = address_key("address")
    words = pl.col("name_key").str.split(" ")
    day, month = pl.col("birth_date").dt.day(), pl.col("birth_date").dt.month()
    nik = pl.col("nik").fill_null("")
    valid = nik.str.len_chars() == 16
    return {
        "name_sounds": words.list.eval(names.sound_expr(pl.element())).list.sort().list.join(" "),
        "name_sorted": words.list.sort().list.join(" "),
        "name_first": words.list.first(),
        "name_last": words.list.last(),
        "nik_head": pl.when(valid).then(nik.str.slice(0, 12)),
        "nik_tail": pl.when(valid).then(nik.str.slice(6, 10)),
        "nik_ends": pl.when(valid).then(nik.str.slice(0, 6) + nik.str.slice(12, 4)),
        "nik16": pl.when(valid).then(nik),
        "address_key": address,
        "address_squash": address.str.replace_all(" ", ""),
        "address_sorted": address.str.split(" ").list.sort().list.join(" "),
        "address_digits": address.str.replace_all(r"[^0-9]+", " ").str.strip_chars(),
        "address_letters": address.str.replace_all(r"[^a-z]+", " ").str.strip_chars(),
        "village_key": pl.col("village")
        .str.to_lowercase()
        .str.replace_all(r"\b(desa|ds|kelurahan|kel)\b|[^a-z0-9]", "")
        .replace("", None),
        "dob_sorted": pl.format(
            "{}-{}-{}",
            pl.col("birth_date").dt.year(),
            pl.min_horizontal(day, month),
            pl.max_horizontal(day, month),
        ),  # fmt: skip
    }


def level_codes(settings: dict) -> dict[str, dict[float, str]]:
    """Comparison -> match weight of a level -> level code, for a learned model's ``settings`` (Splink
    reports each field's weight per pair; within a comparison every level has its own, log2(m/u))."""
    return {
        comparison["output_column_name"]: {
            round(math.log2(lvl["m_probability"] / lvl["u_probability"]), 6): lvl["label_for_charts"]
            for lvl in comparison["comparison_levels"]
            if not lvl.get("is_null_level")
        }
        for comparison in settings["comparisons"]
    }


def evidence(row: dict, codes: dict[str, dict[float, str]]) -> dict[str, str]:
    """Per field, the level a scored pair fell in (``mw_<field>`` columns); the null level weighs 0."""
    return {name: levels.get(round(row[f"mw_{name}"], 6), "missing") for name, levels in codes.items()}


def train(linker: Linker, smaller_side: int) -> dict:
    """The settings of ``linker`` (a Linker built from hand-set values) learned from its own input,
    bounded by the hand-set values; the hand-set settings unchanged for a list under MIN_ROWS."""
    hand = linker.misc.save_model_to_json(out_path=None)
    if smaller_side < MIN_ROWS:
        return without_term_frequencies(hand)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
    sampled = linker.misc.save_model_to_json(out_path=None)
    learned: dict[tuple[str, str], float] = {}
    done: set[str] = set()
    for rule, comparisons in TRAINING:
        wanted = tuple(c for c in comparisons if c not in done)
        if not wanted:
            continue
        try:
            session = linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception:  # noqa: BLE001  no pairs, or a level EM drove to m = 0: that round is skipped
            continue  # (its comparisons are left to a later round, or keep the hand-set m)
        got = _estimated(session.core_model_settings.comparisons, wanted)
        learned.update(got)
        done.update(comparison for comparison, _ in got)
    return bounded(hand, sampled, m_only(learned))


def _estimated(estimated: list, wanted: tuple[str, ...]) -> dict[tuple[str, str], float]:
    """(comparison, level code) -> m, of the ``wanted`` comparisons among an EM round's ``estimated``;
    a comparison with no finite estimate is left out."""
    found = {}
    for comparison in estimated:
        levels = comparison._comparison_levels_excluding_null
        ms = {(comparison.output_column_name, lvl.label_for_charts): lvl.m_probability for lvl in levels}
        if comparison.output_column_name in wanted and all(
            isinstance(m, float | int) and math.isfinite(m) for m in ms.values()
        ):
            found.update(ms)
    return found


def m_only(learned: dict[tuple[str, str], float]) -> dict:
    """A model of m values only, from (comparison, level code) -> m."""
    comparisons: dict[str, list[dict]] = {}
    for (comparison, code), m in learned.items():
        comparisons.setdefault(comparison, []).append({"label_for_charts": code, "m_probability": float(m)})
    return {
        "comparisons": [{"output_column_name": c, "comparison_levels": v} for c, v in comparisons.items()]
    }


def without_term_frequencies(settings: dict) -> dict:
    """``settings`` without term-frequency adjustment: in a list of a dozen people every name is
    frequent, and the adjustment would make two records of one rare name count for nothing."""
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return settings


def bounded(hand: dict, *trained: dict) -> dict:
    """``hand`` with the values of the ``trained`` models (a later one's over an earlier one's), each m and
    u at least BOUND x its hand-set value, hand-set where the training gave nothing usable or left the level
    or its comparison out (a failed EM round can), then m and u each renormalised to sum to 1 over a
    comparison's levels. Levels are matched by their code, not position. The prior stays the caller's: EM
    re-estimates it within its blocked pairs, which says nothing about all pairs."""
    learned: dict[tuple[str, str], dict] = {}
    for model in trained:
        for c in model["comparisons"]:
            for level in c["comparison_levels"]:
                values = {k: v for k, v in level.items() if k in ("m_probability", "u_probability")}
                learned.setdefault((c["output_column_name"], level.get("label_for_charts")), {}).update(
                    values
                )
    model = copy.deepcopy(hand)
    for comparison in model["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        got = [learned.get((comparison["output_column_name"], lvl["label_for_charts"]), {}) for lvl in levels]
        for key in ("m_probability", "u_probability"):
            fixed = [lvl.get(f"fix_{key}", False) for lvl in levels]
            for g, lvl, fix in zip(got, levels, fixed, strict=True):
                value = g.get(key)
                usable = isinstance(value, float | int) and math.isfinite(value) and not fix
                lvl[key] = max(float(value), BOUND * lvl[key]) if usable else lvl[key]
            # a level fixed by hand keeps its value; the learned ones share the rest
            rest = 1 - sum(lvl[key] for lvl, fix in zip(levels, fixed, strict=True) if fix)
            total = sum(lvl[key] for lvl, fix in zip(levels, fixed, strict=True) if not fix)
            for lvl, fix in zip(levels, fixed, strict=True):
                lvl[key] = lvl[key] if fix else lvl[key] * rest / total
    return model
