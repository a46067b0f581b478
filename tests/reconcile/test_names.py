"""Issue 4's list of Indonesian name conventions, checked against registry.names (reused as it is)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.registry.names import normalize


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Drs. Yohanes Bria", "yohanes bria"),
        ("Dra. Maria Seran", "maria seran"),
        ("Ir. Yohanes Bria", "yohanes bria"),
        ("Yosef Tefa, S.Pd.", "yosef tefa"),
        ("Yosef Tefa, S.E.", "yosef tefa"),
        ("YOSEF TEFA,SE", "yosef tefa"),
        ("Anton Nahak, S.H.", "anton nahak"),
        ("Anton Nahak SH, MH", "anton nahak"),
        ("Agus Salim, M.Si.", "agus salim"),
        ("Hj. Siti Aminah", "siti aminah"),
        ("Hj.Siti Aminah", "siti aminah"),
        ("H. Abdul Rahman", "abdul rahman"),
        ("Muh. Ikbal", "muhammad ikbal"),
        ("Moh. Ikbal", "muhammad ikbal"),
        ("Mhd. Ikbal", "muhammad ikbal"),
        ("M. Ikbal", "muhammad ikbal"),
        ("MUHAMAD IKBAL", "muhammad ikbal"),
        ("Drs. H. Muh. Ikbal, S.Pd., M.Si.", "muhammad ikbal"),
        ("Bernadus", "bernadus"),  # a single name stays
        ("Maria Maria Goreti", "maria goreti"),  # a repeated word goes
        ("Maria-Goreti  Seran.", "maria goreti seran"),
    ],
)
def test_issue_four_conventions(written, key):
    assert normalize(written) == key


WORDS = st.sampled_from(
    ["Maria", "Yohanes", "Bria", "Seran", "Tefa", "Nahak", "Siti", "Aminah", "Agus", "Kolo"]
)
PREFIXES = st.sampled_from(["", "Drs. ", "Dra. ", "Ir. ", "Hj. ", "H. ", "Dr. "])
SUFFIXES = st.sampled_from(["", ", S.Pd.", ", S.E.", ", S.H.", ", M.Si.", ", S.E., M.Si.", " S.H"])


@given(st.lists(WORDS, min_size=1, max_size=4), PREFIXES, SUFFIXES, st.booleans())
def test_titles_case_and_spacing_do_not_change_the_key(words, prefix, suffix, upper):
    plain = " ".join(words)
    written = f"{prefix}{'  '.join(words)}{suffix}"
    assert normalize(written.upper() if upper else written) == normalize(plain)


@given(st.lists(WORDS, min_size=1, max_size=4))
def test_normalising_twice_changes_nothing(words):
    key = normalize(" ".join(words))
    assert normalize(key) == key
