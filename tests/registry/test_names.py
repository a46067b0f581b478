"""Name normalisation: titles, abbreviations and spelling variants as operators really type them."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.registry import names

CASES = [
    ("Drs. H. Muh. Ikbal, S.Pd., M.Si.", "muhammad ikbal"),
    ("Muhammad Iqbal", "muhammad iqbal"),
    ("MOH. IQBAL", "muhammad iqbal"),
    ("Mhd Iqbal", "muhammad iqbal"),
    ("M. Yusuf S.E.", "muhammad yusuf"),
    ("H M Yusuf", "muhammad yusuf"),
    ("Muh.Ikbal", "muhammad ikbal"),
    ("Mochamad Ali", "muhammad ali"),
    ("Abd. Rahman", "abdul rahman"),
    ("Hj. Siti Nurhaliza, A.Md.Keb", "siti nurhaliza"),
    ("St. Aminah", "siti aminah"),
    ("Ir. Joko Widodo", "joko widodo"),
    ("dr. Maria,M.Kes", "maria"),
    ("Maria Goreti Bria, S.Kep., Ns.", "maria goreti bria"),
    ("Ns. Agustina Tefa, S.Kep", "agustina tefa"),
    ("Fransiskus Xaverius Seran S. Pd", "fransiskus xaverius seran"),
    ("Yohanes Bria SE", "yohanes bria"),
    ("Yoséf Ndolu, S.Tr.Keb.", "yosef ndolu"),
    ("Dra. Theresia D'Souza", "theresia dsouza"),
    ("Pdt. Daniel Nenobais, S.Th.", "daniel nenobais"),
    ("YOHANES   BERYA", "yohanes berya"),
    ("Maria Maria", "maria"),
    ("Sukarno", "sukarno"),
    ("  sukarno ", "sukarno"),
    ("Abdul Rahman H.", "abdul rahman h"),  # a trailing H. is an initial, not Haji
    ("Yohanes M. Bria", "yohanes m bria"),  # M. in the middle is an initial, not Muhammad
    ("Bria, Yohanes", "bria yohanes"),  # after a comma, a name is kept
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize(raw, expected):
    assert names.normalize(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yohanis", "Yohanes"),
        ("Bria", "Berya"),
        ("Ikbal", "Iqbal"),
        ("Johanes", "Yohanes"),
        ("Djoko", "Joko"),
        ("Stefanus", "Stevanus"),
        ("Ahmad", "Ahmat"),
        ("Muhammad", "Muhamad"),
        ("Kristina", "Christina"),
        ("Syarif", "Sarif"),
    ],
)
def test_spelling_variants_share_a_sound(a, b):
    assert names.sound(names.normalize(a)) == names.sound(names.normalize(b))


@pytest.mark.parametrize(
    ("a", "b"), [("Maria", "Martha"), ("Yohanes", "Yosef"), ("Edi", "Budi"), ("Agus", "Anton")]
)
def test_different_names_sound_different(a, b):
    assert names.sound(names.normalize(a)) != names.sound(names.normalize(b))


def test_index_values_keys_first_and_last_word():
    assert names.index_values("Drs. Yohanis Bria Seran, M.Si.") == {
        "name_key": "yohanis bria seran",
        "sound_first": "jns",
        "sound_last": "srn",
    }


def test_single_name_has_one_sound_in_both_columns():
    values = names.index_values("Sukarno")
    assert values["sound_first"] == values["sound_last"] == "skrn"


PIECES = [
    "Drs.",
    "Dra.",
    "Dr.",
    "Ir.",
    "H.",
    "Hj.",
    "Ns.",
    "Muh.",
    "Moh.",
    "Mhd",
    "M.",
    "M",
    "Abd.",
    "St.",
    "S.Pd.",
    "S.Pd.I",
    "S.E.",
    "S.H.",
    "S.Kom.",
    "S. Pd",
    "A.Md.Keb",
    "M.Si.",
    "M.M.",
    ",",
    ", ",
    "'",
    "-",
    "Maria",
    "maria",
    "Yohanes",
    "Yohanis",
    "Bria",
    "Berya",
    "Iqbal",
    "Ikbal",
    "Muhammad",
    "José",
    "Øyvind",
    "Siti",
    "Aminah",
    "Djoko",
    "Qori",
    "Zainal",
    "Chairil",
    "Nurhayaty",
    "x",
    "st",
    "",
    " ",
    "  ",
    ".",
    "\t",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(st.characters(max_codepoint=0x17F), max_size=8)),
        max_size=12,
    ).map(" ".join)
)
def test_polars_path_equals_scalar_path(name):
    frame = pl.DataFrame({"name": [name]}, schema={"name": pl.String})
    bulk = frame.select(**names.index_exprs(pl.col("name"))).row(0, named=True)
    assert bulk == names.index_values(name)
    assert names.with_index_columns(frame).drop("name").row(0, named=True) == bulk


def test_polars_path_handles_nulls_and_many_rows():
    raw = [name for name, _ in CASES] + [None]
    frame = names.with_index_columns(pl.DataFrame({"name": raw}, schema={"name": pl.String}))
    assert frame["name_key"].to_list() == [names.normalize(n or "") for n in raw]
