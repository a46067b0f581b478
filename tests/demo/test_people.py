"""The demo generator: deterministic, valid NIKs of the right region, the head-counts of the seeds."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.demo import people
from payung.regions import catalog
from payung.registry import nik

SMALL = 0.02


@pytest.fixture(scope="module")
def full() -> dict[str, people.Demo]:
    return {code: people.generate(code) for code in people.PROFILES}


def test_same_seed_same_people_other_seed_other_people():
    first = people.generate(people.KUPANG, scale=SMALL, seed=11).people
    again = people.generate(people.KUPANG, scale=SMALL, seed=11).people
    other = people.generate(people.KUPANG, scale=SMALL, seed=12).people
    assert first.equals(again)
    assert not set(first["nik"]) & set(other["nik"])


def test_frames_have_the_canonical_roster_columns(full):
    for demo in full.values():
        assert demo.people.schema == pl.Schema(people.COLUMNS)


def _check_niks(frame: pl.DataFrame, region: str) -> None:
    districts = {c for c, a in catalog.areas_above_village().items() if a.level == catalog.DISTRICT}
    villages = {code for code, _ in people.catalog_villages(region)}
    assert frame["nik"].n_unique() == frame.height
    for code, born, sex, village in frame.select("nik", "birth_date", "sex", "village_code").iter_rows():
        info = nik.parse(code, born, sex, today=people.REFERENCE_DATE)
        assert info.valid, (code, info.reasons)
        assert code[:6] in districts and code.startswith(region)
        assert village in villages and village[:6] == code[:6]


@pytest.mark.parametrize("region", people.PROFILES)
def test_niks_are_valid_unique_and_agree_with_birth_date_sex_and_home(region):
    _check_niks(people.generate(region, scale=0.05).people, region)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10**9), scale=st.floats(0.001, 0.01))
def test_any_seed_gives_valid_people(seed, scale):
    for region in people.PROFILES:
        _check_niks(people.generate(region, scale=scale, seed=seed).people, region)


def test_counts_per_group_at_scale_one(full):
    kupang = full[people.KUPANG].people.group_by("group").len()
    ttu = full[people.TTU].people.group_by("group").len()
    counts = dict(kupang.iter_rows()) | dict(ttu.iter_rows())
    assert counts["non_asn"] == 2300
    assert counts["rentan"] == 14_880
    assert counts["teacher"] > 0 and counts["perangkat"] == 160 * 11 and counts["rt_rw"] > 193 * 3


def test_small_scale_counts_are_rounded_shares_of_scale_one(full):
    for region, demo in full.items():
        whole = dict(demo.people.group_by("group").len().iter_rows())
        small = dict(people.generate(region, scale=0.01).people.group_by("group").len().iter_rows())
        assert small == {group: round(count * 0.01) for group, count in whole.items() if round(count * 0.01)}


def test_scale_above_one_repeats_the_groups_with_new_people():
    twice = people.generate(people.KUPANG, scale=2).people
    assert twice.filter(pl.col("group") == "non_asn").height == 4600
    assert twice["nik"].n_unique() == twice.height


def test_dlhk_has_exactly_253_street_sweepers(full):
    dlhk = full[people.KUPANG].people.filter(pl.col("unit_code") == "DLHK")
    assert dlhk.filter(pl.col("position") == "Petugas Kebersihan/Penyapu Jalan").height == 253
    assert dlhk["unit_name"].unique().to_list() == ["Dinas Lingkungan Hidup dan Kebersihan"]


def test_units_have_their_kind(full):
    kupang, ttu = full[people.KUPANG].units, full[people.TTU].units
    assert kupang.filter(pl.col("kind") == "school").height == 26
    assert {"DLHK", "DINKES", "DIKBUD", "PUPR", "SATPOLPP", "BPKAD", "BKPSDM", "NAKERTRANS", "SETDA"} <= set(
        kupang.filter(pl.col("kind") == "opd")["code"]
    )
    assert (
        ttu.height
        == len(people.catalog_villages(people.TTU))
        == ttu.filter(pl.col("kind") == "village").height
    )
    assert (ttu["code"] == ttu["village_code"]).all()
    teachers = full[people.KUPANG].people.filter(pl.col("group") == "teacher")
    assert set(teachers["unit_code"]) == set(kupang.filter(pl.col("kind") == "school")["code"])


def test_wages_are_whole_thousands_of_rupiah_where_paid(full):
    paid = full[people.KUPANG].people.filter(pl.col("group") == "non_asn")["monthly_wage"]
    assert paid.null_count() == 0 and (paid % 1000 == 0).all()
    assert paid.min() >= 1_500_000 and paid.max() <= 3_500_000
    rentan = full[people.TTU].people.filter(pl.col("group") == "rentan")
    assert rentan["monthly_wage"].null_count() == rentan.height
    assert set(rentan["occupation"]) <= {
        "petani",
        "peternak",
        "nelayan",
        "pedagang kecil",
        "tukang ojek",
        "buruh harian",
    }
    assert set(rentan["poverty_status"]) == {"miskin ekstrem", "desil 1", "desil 2"}


def test_names_look_like_ntt(full):
    names = pl.concat([d.people["name"] for d in full.values()])
    assert names.str.contains(r"\b(Bria|Taolin|Nenometa|Seran|Riwu|Ndun)\b").sum() > 500
    assert names.str.starts_with("Muh. ").sum() > 0 and names.str.starts_with("Muhammad ").sum() > 0
    teachers = full[people.KUPANG].people.filter(pl.col("group") == "teacher")["name"]
    assert teachers.str.ends_with(", S.Pd.").sum() > 20


def test_contracts_and_decrees_are_dated_in_order(full):
    for demo in full.values():
        frame = demo.people
        assert frame["decree_number"].null_count() == 0
        yearly = pl.col("group") == "non_asn"  # this year's contract decree; the start is the first TMT
        assert (frame.filter(~yearly)["decree_date"] <= frame.filter(~yearly)["start_date"]).all()
        assert (frame.filter(yearly)["start_date"] <= frame.filter(yearly)["decree_date"]).all()
        ended = frame.filter(pl.col("end_date").is_not_null())
        assert (ended["start_date"] < ended["end_date"]).all()


def test_non_asn_were_first_appointed_years_ago_mostly_before_2021(full):
    staff = full[people.KUPANG].people.filter(pl.col("group") == "non_asn")
    first = staff["start_date"]
    assert first.min() >= dt.date(2008, 1, 1) and first.max() <= dt.date(
        people.REFERENCE_DATE.year - 1, 12, 31
    )
    assert 0.6 < (first.dt.year() < 2021).mean() < 0.9
    assert (staff["start_date"] >= staff["birth_date"].dt.offset_by("19y")).all()
    assert set(staff["end_date"]) == {dt.date(people.REFERENCE_DATE.year, 12, 31)}  # this year's contract
    # Seed 001's agreement (10 Apr 2021 - 9 Apr 2024) covers most of them in May 2023.
    assert (first <= dt.date(2023, 5, 1)).mean() > 0.75


def test_scale_zero_gives_units_and_no_people():
    demo = people.generate(people.TTU, scale=0)
    assert demo.people.height == 0 and demo.units.height == 193
    assert demo.people.schema == pl.Schema(people.COLUMNS)


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        people.generate("5304")
