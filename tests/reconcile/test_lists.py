"""Reading rosters and BPJS lists (reconcile.lists): header spellings, values, refusals. Pure, no database."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.reconcile import linkage, lists
from payung.reconcile.errors import ReconcileProblem

TODAY = dt.date(2026, 1, 15)


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("NO KPJ", "kpj"), ("KPJ", "kpj"), ("Nomor Peserta", "kpj"), ("NO. PESERTA", "kpj"),
        ("NAMA PESERTA", "name"), ("UPAH", "monthly_wage"), ("UPAH DILAPORKAN", "monthly_wage"),
        ("IURAN", "contribution"), ("Total Iuran", "contribution"), ("PROGRAM", "programs"),
        ("NIK", "nik"), ("Tgl. Lahir", "birth_date"),
    ],
)  # fmt: skip
def test_bpjs_header_spellings(header, column):
    assert lists.canonical_column(header) == column


def test_bpjs_list_identified_by_kpj_only_csv_and_xlsx(tmp_path):
    rows = [
        ["DAFTAR PESERTA BPJS KETENAGAKERJAAN"],
        [],
        ["NO", "NOMOR PESERTA", "NAMA PESERTA", "TGL LAHIR", "UPAH DILAPORKAN", "IURAN", "PROGRAM"],
        ["1", "21000000001", "MARIA GORETI", "30/04/85", "Rp 2.500.000", "13.500", "JKK-JKM"],
        ["2", "21000000002", "YOHANES BRIA", "04/30/1985", "2,500,000", "13500", "JKK, JKM, JHT"],
    ]
    for path in (write_csv(tmp_path / "b.csv", rows), write_xlsx(tmp_path / "b.xlsx", rows)):
        listing = lists.read(path, "bpjs", today=TODAY)
        frame = listing.frame
        assert listing.present == {"kpj", "name", "birth_date", "monthly_wage", "contribution", "programs"}
        assert frame["kpj"].to_list() == ["21000000001", "21000000002"]
        assert frame["birth_date"].to_list() == [dt.date(1985, 4, 30)] * 2
        assert frame["monthly_wage"].to_list() == [2_500_000] * 2
        assert frame["contribution"].to_list() == [13_500] * 2
        assert frame["programs"].to_list() == ["JKK,JKM", "JKK,JKM,JHT"]
        assert frame["line"].to_list() == [1, 2] and frame["sheet_line"].to_list() == [4, 5]


def test_roster_read_through_the_import_reader(tmp_path):
    rows = [
        ["NIK", "Nama", "Tanggal Lahir", "JK", "Gaji"],
        ["5371017004850001", "Dra. Maria Goreti", "30/04/1985", "P", "2500000"],
    ]
    listing = lists.read(write_csv(tmp_path / "r.csv", rows, ";"), "roster", today=TODAY)
    assert listing.frame["name_key"].to_list() == ["maria goreti"]
    assert listing.frame["nik"].to_list() == ["5371017004850001"]


def test_address_and_desa_are_read_on_both_sides_for_the_model(tmp_path):
    rows = [
        ["NIK", "Nama", "Tanggal Lahir", "Alamat", "Desa/Kelurahan"],
        [
            "5371017004850001",
            "Maria Goreti",
            "30/04/1985",
            "Jl. Soekarno No. 12, RT 003/RW 001",
            "Desa Oelolok",
        ],
        ["5371017004850002", "Yohanes Bria", "30/04/1985", "", ""],
    ]
    listing = lists.read(write_csv(tmp_path / "r.csv", rows, ";"), "roster", today=TODAY)
    assert {"address", "village"} <= listing.present
    assert listing.frame["village"].to_list() == ["Desa Oelolok", None]
    model = linkage.model_input(listing.frame)
    assert model["address_key"].to_list() == ["soekarno 12 003 001", None]
    assert model["address_squash"].to_list() == ["soekarno12003001", None]
    assert model["village_key"].to_list() == ["oelolok", None]
    # a list without the columns (or stored before they were read) gives the model nothing to compare
    bare = linkage.model_input(listing.frame.drop("address", "village"))
    assert bare["address_key"].null_count() == bare["village_key"].null_count() == 2


# ------------------------------------------------------------------------------------------- values
@given(st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)))
def test_birth_dates_in_every_form_read_the_same(born):
    forms = [f"{born:%d/%m/%Y}", f"{born:%Y-%m-%d}", f"{born:%Y%m%d}", f"{born:%d-%m-%Y}"]
    if born.year > TODAY.year - 100 + lists.MIN_AGE - 1 and born.year <= TODAY.year - lists.MIN_AGE:
        forms.append(f"{born:%d/%m/%y}")  # a two-digit year is read within the working ages
    if born.day > 12:
        forms.append(f"{born:%m/%d/%Y}")  # month first: readable only when the day cannot be a month
    for text in forms:
        assert lists.parse_birth_date(text, TODAY) == born, text


def test_two_digit_years_pick_the_century_of_a_worker():
    assert lists.parse_birth_date("30/04/85", TODAY) == dt.date(1985, 4, 30)
    assert lists.parse_birth_date("30/04/05", TODAY) == dt.date(2005, 4, 30)
    assert lists.parse_birth_date("30/04/15", TODAY) == dt.date(1915, 4, 30)  # 2015: a 10-year-old worker
    assert lists.parse_birth_date("31/02/85", TODAY) is None


PROGRAM_CODES = ("JKK", "JKM", "JHT", "JP", "JKP", "JKN")


@given(
    st.lists(st.sampled_from(PROGRAM_CODES), min_size=1, unique=True),
    st.sampled_from([", ", ",", "-", "+", " ", " / "]),
    st.booleans(),
)
def test_program_sets_in_any_order_and_spelling(programs, separator, lower):
    text = separator.join(p.lower() if lower else p for p in programs)
    assert lists.parse_programs(text) == ",".join(p for p in PROGRAM_CODES if p in programs)


def test_text_without_a_program_is_none():
    assert lists.parse_programs("tidak ada") is None


# ------------------------------------------------------------------------------------------ refusals
def problem(path: Path, side: str = "bpjs") -> ReconcileProblem:
    with pytest.raises(ReconcileProblem) as raised:
        lists.read(path, side)
    return raised.value


def test_empty_and_corrupt_files_are_refused_with_the_file_named(tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    assert problem(empty).text() == "Masalah pada berkas BPJS (kosong.csv): Berkas kosong."
    corrupt = tmp_path / "rusak.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "rusak atau bukan berkas Excel" in problem(corrupt, "roster").text()
    assert problem(corrupt, "roster").text("en").startswith("Problem in the roster file (rusak.xlsx)")
    headers_only = write_csv(tmp_path / "judul.csv", [["NIK", "Nama", "Tanggal Lahir"]])
    assert "tanpa baris data" in problem(headers_only).text()


def test_the_same_kpj_twice_in_the_bpjs_file_is_refused(tmp_path):
    rows = [["KPJ", "NAMA PESERTA"], ["21000000001", "A"], ["21000000002", "B"], ["21000000001", "C"],
            ["21000000003", "D"], ["21000000003", "E"]]  # fmt: skip
    text = problem(write_csv(tmp_path / "b.csv", rows)).text()
    assert "No KPJ 21000000001" in text and "baris 2, 4" in text and "1 No KPJ lain" in text
    # A roster may repeat a KPJ: that is a finding (a duplicate), not a broken file.
    assert lists.read(tmp_path / "b.csv", "roster").frame.height == 5


def test_no_identifier_no_name_and_no_common_identifier(tmp_path):
    no_id = write_csv(tmp_path / "a.csv", [["Nama", "Tanggal Lahir", "NIK Ibu"], ["A", "1/1/1990", "x"]])
    assert "Kolom NIK tidak ditemukan" in problem(no_id).text()
    no_name = write_csv(tmp_path / "b.csv", [["KPJ", "Upah"], ["21000000001", "100"]])
    assert problem(no_name).code == "no_name_column"
    assert problem(no_name).text().startswith("Berkas BPJS (b.csv) tidak punya kolom nama.")
    roster = lists.read(
        write_csv(tmp_path / "r.csv", [["NIK", "Nama", "Tgl Lahir"], ["5371017004850001", "A", "1/1/1990"]]),
        "roster",
    )
    bpjs = lists.read(write_csv(tmp_path / "k.csv", [["KPJ", "Nama Peserta"], ["21000000001", "A"]]), "bpjs")
    with pytest.raises(ReconcileProblem) as raised:
        lists.refuse_no_common_identifier(roster, bpjs)
    assert raised.value.text() == (
        "Kedua berkas tidak punya kolom pengenal yang sama: berkas daftar hanya punya NIK, berkas BPJS hanya "
        "punya KPJ. Tambahkan kolom NIK (atau No KPJ) di kedua berkas."
    )
