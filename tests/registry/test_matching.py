"""The one linkage model (registry.matching) as duplicate detection uses it: learned from the list, term
frequencies for names, the levels that know swapped names, and the hand-set bound."""

from __future__ import annotations

import copy
import datetime as dt
import random

import polars as pl
import pytest
from splink import DuckDBAPI, Linker, SettingsCreator

from payung.registry import linkage, matching

GIVEN = ["Agustinus", "Yohana", "Petrus", "Fransiska", "Kornelis", "Yuliana", "Markus", "Theresia", "Simon"]
FAMILY = ["Tefa", "Bria", "Taek", "Nahak", "Kolo", "Lake", "Ulu", "Manek", "Atok", "Bere", "Sako"]
SCHEMA = {"id": pl.Int64, "name": pl.String, "nik": pl.String, "sex": pl.String, "birth_date": pl.Date,
          "birth_place": pl.String}  # fmt: skip


def crowd(size: int, seed: int = 3) -> list[tuple]:
    """``size`` different people (ids from 100), NIKs from one kecamatan, birth dates over 45 years."""
    draw = random.Random(seed)
    people = []
    for n in range(size):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=draw.randrange(45 * 365))
        sex = draw.choice("LP")
        code = f"{born.day + (40 if sex == 'P' else 0):02d}{born.month:02d}{born.year % 100:02d}"
        name = f"{draw.choice(GIVEN)} {draw.choice(FAMILY)}"
        people.append((100 + n, name, f"530302{code}{draw.randrange(1, 9999):04d}", sex, born, "Kefamenanu"))
    return people


def pairs_of(rows: list[tuple]) -> dict[tuple[int, int], linkage.Pair]:
    found = linkage.find_pairs(pl.DataFrame(rows, schema=SCHEMA, orient="row"), threshold=0.0)
    return {(p.left_id, p.right_id): p for p in found}


def test_a_common_name_counts_for_less_than_a_rare_one():
    born = dt.date(1979, 3, 4)
    common = [(1000 + n, "Maria Seran", None, "P", born + dt.timedelta(days=97 * n), None) for n in range(40)]
    twice = [
        (1, "Maria Seran", None, "P", dt.date(1990, 5, 6), None),
        (2, "Maria Seran", None, "P", dt.date(1990, 5, 6), None),
        (3, "Kolnel Bukifan", None, "P", dt.date(1990, 5, 6), None),
        (4, "Kolnel Bukifan", None, "P", dt.date(1990, 5, 6), None),
    ]
    found = pairs_of(crowd(400) + common + twice)
    assert found[(3, 4)].probability > found[(1, 2)].probability
    assert found[(1, 2)].evidence["name"] == found[(3, 4)].evidence["name"] == "same"


def test_swapped_names_and_a_name_left_out_are_their_own_levels():
    rows = crowd(300) + [
        (1, "Yuliana Seran", "5303025506920011", "P", dt.date(1992, 6, 15), "Kefamenanu"),
        (2, "Seran Yuliana", "5303025506920011", "P", dt.date(1992, 6, 15), "Kefamenanu"),
        (3, "Dominikus Nahak Bere", "5303021002850021", "L", dt.date(1985, 2, 10), "Atambua"),
        (4, "Nahak Bere", "5303021002850021", "L", dt.date(1985, 2, 10), "Atambua"),
    ]
    found = pairs_of(rows)
    assert found[(1, 2)].evidence["name"] == "swapped"
    assert found[(3, 4)].evidence["name"] == "part_of"
    assert found[(1, 2)].probability >= linkage.DEFAULT_THRESHOLD


def test_a_wrong_birth_date_behind_the_nik_too_has_its_own_levels():
    # The birth code follows the wrong date; kecamatan and sequence still agree.
    rows = crowd(300) + [
        (1, "Aloysius Kolo", "5303020704810077", "L", dt.date(1981, 4, 7), "Soe"),
        (2, "Aloysius Kolo", "5303020407810077", "L", dt.date(1981, 7, 4), "Soe"),
        (3, "Benediktus Lake", "5303022109880012", "L", dt.date(1988, 9, 21), "Soe"),
        (4, "Benediktus Lake", "5303020312650012", "L", dt.date(1965, 12, 3), "Soe"),
        (5, "Benediktus Lake", "5303020101709876", "L", dt.date(1970, 1, 1), "Soe"),  # another man
    ]
    found = pairs_of(rows)
    assert found[(1, 2)].evidence["birth_date"] == "day_month_swapped"
    assert found[(1, 2)].probability >= linkage.DEFAULT_THRESHOLD
    assert found[(3, 4)].evidence["nik"] == "region_sequence_same"
    assert found[(3, 5)].evidence["nik"] == "different"
    assert found[(3, 4)].probability > 100 * found[(3, 5)].probability


def test_learning_changes_the_model_and_is_repeatable():
    rows = crowd(500)
    frame = linkage.prepare(pl.DataFrame(rows, schema=SCHEMA, orient="row"))

    def learned() -> dict:
        api = DuckDBAPI()
        settings = SettingsCreator(link_type="dedupe_only", unique_id_column_name="id",
                                   comparisons=linkage.COMPARISONS,
                                   blocking_rules_to_generate_predictions=matching.BLOCKING)  # fmt: skip
        return matching.train(Linker(api.register(frame.to_arrow()), settings, log_level="ERROR"), len(rows))

    first, again = learned(), learned()
    assert first["comparisons"] == again["comparisons"]
    hand = {
        lvl["label_for_charts"]: lvl["u_probability"] for lvl in matching.BIRTH_DATE["comparison_levels"][1:]
    }
    got = {
        lvl["label_for_charts"]: lvl["u_probability"]
        for lvl in first["comparisons"][1]["comparison_levels"][1:]
    }
    assert got != hand


def test_bounded_keeps_every_level_above_a_tenth_of_its_hand_value_and_sums_to_one():
    hand = {"probability_two_random_records_match": 1e-6, "comparisons": [copy.deepcopy(matching.NIK)]}
    trained = copy.deepcopy(hand)
    levels = trained["comparisons"][0]["comparison_levels"]
    levels[1]["u_probability"] = 0.0  # "same" never seen among random pairs
    levels[2]["m_probability"] = float("nan")  # EM gave nothing for "typo"
    trained["probability_two_random_records_match"] = 0.3  # EM's estimate within its blocked pairs
    model = matching.bounded(hand, trained)
    assert model["probability_two_random_records_match"] == 1e-6  # the caller's prior stays
    out = model["comparisons"][0]["comparison_levels"][1:]
    start = hand["comparisons"][0]["comparison_levels"][1:]
    for key in ("m_probability", "u_probability"):
        assert abs(sum(level[key] for level in out) - 1) < 1e-9
    fixed = [s.get("fix_u_probability", False) for s in start]
    total_u = sum(
        s["u_probability"] * (matching.BOUND if i == 0 else 1) for i, s in enumerate(start) if not fixed[i]
    )
    rest = 1 - sum(s["u_probability"] for s, fix in zip(start, fixed, strict=True) if fix)
    assert out[0]["u_probability"] == pytest.approx(
        matching.BOUND * start[0]["u_probability"] / total_u * rest
    )
    for level, before, fix in zip(out, start, fixed, strict=True):  # a level fixed by hand is never learned
        if fix:
            assert (level["m_probability"], level["u_probability"]) == (
                before["m_probability"],
                before["u_probability"],
            )


def test_bounded_restores_what_a_failed_round_left_out_and_takes_the_latest_values():
    hand = {"probability_two_random_records_match": 1e-6,
            "comparisons": [copy.deepcopy(matching.NAME), copy.deepcopy(matching.SEX)]}  # fmt: skip
    sampled = copy.deepcopy(hand)
    sampled["comparisons"][1]["comparison_levels"][1]["u_probability"] = 0.4
    failed = {"comparisons": [copy.deepcopy(hand["comparisons"][1])]}  # the name comparison is gone
    failed["comparisons"][0]["comparison_levels"][1]["u_probability"] = 0.45
    failed["comparisons"][0]["comparison_levels"].reverse()  # levels are matched by code, not position
    model = matching.bounded(hand, sampled, failed)
    assert [c["output_column_name"] for c in model["comparisons"]] == ["name", "sex"]
    name = [lvl["m_probability"] for lvl in model["comparisons"][0]["comparison_levels"][1:]]
    hand_m = [lvl["m_probability"] for lvl in matching.NAME["comparison_levels"][1:]]
    assert name == pytest.approx([m / sum(hand_m) for m in hand_m])
    sex = {
        lvl["label_for_charts"]: lvl["u_probability"]
        for lvl in model["comparisons"][1]["comparison_levels"][1:]
    }
    assert sex["same"] == 0.45 / (0.45 + 0.5)
