"""Linkage (reconcile.linkage): one-to-one, duplicates, evidence, and quality on labelled data."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from payung.reconcile import linkage, lists, synthetic
from payung.reconcile.linkage import B, R

PAIRS = st.lists(
    st.tuples(st.integers(1, 8), st.integers(1, 8), st.sampled_from([0.5, 0.9, 0.95, 0.99, 1.0])),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
)


def frame(pairs) -> pl.DataFrame:
    return pl.DataFrame([(r, b, s, "model") for r, b, s in pairs], schema=linkage.PAIR_SCHEMA, orient="row")


def sequential_greedy(pairs) -> set[tuple[int, int]]:
    """The textbook greedy: sort best first (ties by lines), take a pair when both rows are free."""
    used_r, used_b, taken = set(), set(), set()
    for r, b, _ in sorted(pairs, key=lambda t: (-t[2], t[0], t[1])):
        if r not in used_r and b not in used_b:
            used_r.add(r), used_b.add(b), taken.add((r, b))
    return taken


@given(PAIRS)
def test_one_to_one_is_the_greedy_assignment(pairs):
    chosen = linkage.one_to_one(frame(pairs))
    assert chosen[R].n_unique() == chosen.height and chosen[B].n_unique() == chosen.height
    assert set(chosen.select(R, B).iter_rows()) == sequential_greedy(pairs)


def listing(rows: list[dict]) -> pl.DataFrame:
    base = {"nik": None, "kpj": None, "name": None, "birth_date": None, "sex": None}
    frame = pl.DataFrame([base | row for row in rows], schema={
        "nik": pl.Utf8, "kpj": pl.Utf8, "name": pl.Utf8, "birth_date": pl.Date, "sex": pl.Utf8})  # fmt: skip
    frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("line"))
    from payung.registry import names

    return names.with_index_columns(frame)


def test_exact_then_model_then_duplicates_with_evidence():
    born, ikbal_born, swapped = dt.date(1985, 4, 30), dt.date(1990, 5, 12), dt.date(1990, 12, 5)
    maria = {"nik": "5371017004850001", "kpj": "21000000001", "birth_date": born, "sex": "P"}
    roster = listing([
        maria | {"name": "Maria Goreti, S.Pd."},
        {"nik": "5371011205900003", "name": "Muh. Ikbal", "birth_date": ikbal_born, "sex": "L"},
        {"nik": "5371011205900004", "name": "Anton Nahak", "birth_date": dt.date(1991, 5, 12), "sex": "L"},
    ])  # fmt: skip
    bpjs = listing([
        {"nik": "5371011205900013", "kpj": "21000000003", "name": "MUHAMMAD IQBAL", "birth_date": swapped},
        maria | {"name": "MARIA GORETI"},
        {"nik": "5371011205900013", "kpj": "21000000004", "name": "MUHAMAD IKBAL", "birth_date": swapped},
    ])  # fmt: skip
    linked = linkage.link(roster, bpjs)
    matches = {(row[R], row[B]): row for row in linked.matches.iter_rows(named=True)}
    assert set(matches) == {(1, 2), (2, 3)}
    assert matches[(1, 2)]["stage"] == "nik+kpj" and matches[(1, 2)]["score"] == 1.0
    ikbal = matches[(2, 3)]
    assert ikbal["stage"] == "model" and ikbal["score"] >= linkage.DEFAULT_THRESHOLD
    assert (ikbal["ev_nik"], ikbal["ev_name"], ikbal["ev_birth_date"]) == (
        "typo",
        "same",
        "day_month_swapped",
    )
    # BPJS line 1 is the same Ikbal registered a second time (another KPJ): a duplicate of BPJS line 3.
    assert linked.duplicates.rows() == [("bpjs", 1, 3, linked.duplicates["score"][0])]


def test_labelled_data_meets_the_targets_and_beats_exact_nik(tmp_path):
    scenario = synthetic.generate(3000, seed=11)
    synthetic.write(scenario, tmp_path / "r.xlsx", tmp_path / "b.csv", dt.date(2026, 1, 1))
    roster, bpjs = lists.read(tmp_path / "r.xlsx", "roster"), lists.read(tmp_path / "b.csv", "bpjs")
    linked = linkage.link(roster.frame, bpjs.frame)
    person_r = dict(enumerate(scenario.roster["person"], start=1))
    person_b = dict(enumerate(scenario.bpjs["person"], start=1))
    right = sum(person_r[r] == person_b[b] for r, b in linked.matches.select(R, B).iter_rows())
    truth = scenario.true_pairs().height
    assert right / linked.matches.height >= 0.995 and right / truth >= 0.98
    exact_nik = roster.frame.join(bpjs.frame, on="nik").height
    assert exact_nik / truth < right / truth
