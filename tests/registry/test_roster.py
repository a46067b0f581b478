"""Roster reading and validation (registry.roster): pure, no database."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from payung.registry import headers, parsing, reading, roster, workbooks
from payung.registry import nik as niks

TODAY = dt.date(2026, 1, 15)
# A valid NIK of Kota Kupang (537101 = Alak): a woman born 30 April 1985 (day 30 + 40 = 70), sequence 0001.
NIK_F = "5371017004850001"
NIK_M = "5371013004850002"  # a man born the same day
HEADER = ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Gaji", "Unit Kerja"]
GOOD = [
    [NIK_F, "Maria Goreti", "30/04/1985", "P", "Rp 2.500.000", "Dinas Kesehatan"],
    [NIK_M, "Yohanes Bria", "1985-04-30", "L", "2500000", "Dinas Kesehatan"],
]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def check(path: Path, **options) -> roster.Checked:
    return roster.validate(reading.read(path), today=TODAY, **options)


def codes(checked: roster.Checked, line: int) -> list[str]:
    return checked.issues.filter(pl.col(roster.LINE) == line).get_column("code").to_list()


def problem(path: Path, **options) -> roster.FileProblem:
    with pytest.raises(roster.FileProblem) as caught:
        reading.read(path, **options)
    return caught.value


# ------------------------------------------------------------------------------------------- headers
@pytest.mark.parametrize(
    ("column", "alias"), [(c, a) for c, aliases in headers.ALIASES.items() for a in aliases]
)
def test_every_alias_names_its_column(column, alias):
    assert headers.canonical_column(alias) == column
    assert headers.canonical_column(f"  {alias.upper()} ") == column


@pytest.mark.parametrize(
    "headers",
    [
        ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"],
        ["No. KTP", "Nama Lengkap", "Tgl Lahir", "JK"],
        ["No KTP", "NAMA", "Tgl. Lahir", "L/P"],
        ["Nomor Induk Kependudukan", "nama", "TGL LAHIR", "Jenis kelamin"],
        ["nik*", "Nama (sesuai KTP)", "Tgl.Lahir (dd/mm/yyyy)", "L / P"],
    ],
)
def test_operator_header_spellings_are_read(tmp_path, headers):
    path = write_csv(tmp_path / "r.csv", [headers, [NIK_F, "Maria", "30/04/1985", "P"]])
    checked = check(path, default_unit="U1")
    assert checked.issues.is_empty()
    assert checked.rows.get_column("nik").to_list() == [NIK_F]
    assert checked.rows.get_column("birth_date").to_list() == [dt.date(1985, 4, 30)]


def test_the_other_canonical_columns_are_read(tmp_path):
    headers = ["NIK", "Nama", "Tgl Lahir", "Tempat Lahir", "Alamat", "Jabatan", "Upah", "OPD", "No KPJ",
               "No HP", "Nama Ibu Kandung", "No SK", "Tgl SK", "TMT", "Akhir Kontrak", "Pekerjaan", "Desil",
               "Kode Desa", "Telepon"]  # fmt: skip
    row = [NIK_F, "Maria", "30/04/1985", "Kupang", "Jl. Timor Raya", "Penyapu", "2500000", "DLHK",
           "12345678901", "081234", "Ana", "800/12/2024", "2 Januari 2024", "01-01-2024", "31 Des 2024",
           "Petani", "Desil 1", "53.71.01.1001", "x"]  # fmt: skip
    checked = check(write_csv(tmp_path / "r.csv", [headers, row]))
    assert checked.issues.is_empty(), checked.issues
    got = checked.rows.row(0, named=True)
    assert (
        got["birth_place"] == "Kupang" and got["address"] == "Jl. Timor Raya" and got["position"] == "Penyapu"
    )
    assert got["monthly_wage"] == 2_500_000 and got["unit_name"] == "DLHK" and got["kpj"] == "12345678901"
    assert (
        got["phone"] == "081234"
        and got["mother_maiden_name"] == "Ana"
        and got["decree_number"] == "800/12/2024"
    )
    assert got["decree_date"] == dt.date(2024, 1, 2) and got["start_date"] == dt.date(2024, 1, 1)
    assert got["end_date"] == dt.date(2024, 12, 31) and got["occupation"] == "Petani"
    assert got["poverty_status"] == "Desil 1" and got["village_code"] == "5371011001"
    assert got["sex"] == "P" and got["group"] == "non_asn"  # sex from the NIK when there is no JK column


def test_header_row_is_found_below_title_rows_and_lines_are_excel_lines(tmp_path):
    blank = [""] * 6
    rows = [
        ["DAFTAR NON ASN"],
        ["DINAS KESEHATAN"],
        [],
        HEADER,
        GOOD[0],
        blank,
        [NIK_M, "", "30/04/1985", "L", "1", "X"],
    ]
    checked = check(write_xlsx(tmp_path / "r.xlsx", rows))
    assert checked.sheet.header_line == 4
    assert checked.total == 2  # the blank line 6 is not a row
    assert codes(checked, 7) == ["required"]
    assert checked.issues.row(0, named=True)["column"] == "Nama"


# ---------------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/04/1985", dt.date(1985, 4, 30)),
        ("30-04-1985", dt.date(1985, 4, 30)),
        ("1985-04-30", dt.date(1985, 4, 30)),
        ("30 April 1985", dt.date(1985, 4, 30)),
        ("30 Apr 1985", dt.date(1985, 4, 30)),
        ("17 Agustus 1945", dt.date(1945, 8, 17)),
        ("17 Agu 1985", dt.date(1985, 8, 17)),
        ("17 Aug 1985", dt.date(1985, 8, 17)),
        ("2 Mei 1990", dt.date(1990, 5, 2)),
        ("1 Okt 1990", dt.date(1990, 10, 1)),
        ("25 Des 1990", dt.date(1990, 12, 25)),
        ("25 December 1990", dt.date(1990, 12, 25)),
        ("5 Nopember 1990", dt.date(1990, 11, 5)),
        ("31167", dt.date(1985, 4, 30)),  # Excel serial
        ("31167.0", dt.date(1985, 4, 30)),
        ("1985-04-30 00:00:00", dt.date(1985, 4, 30)),
        ("30/04/1985 00:00:00", dt.date(1985, 4, 30)),  # Excel's text export of a date cell
        ("30-04-1985 00:00", dt.date(1985, 4, 30)),
    ],
)
def test_date_formats(text, expected):
    assert parsing.parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/1985", "04/30/1985", "1985", "30 Foo 1985", "kemarin", "30/04/85", "", "30/04/1985 13:45:00"],
)
def test_unreadable_dates(text):
    assert parsing.parse_date(text) is None


DATES = st.dates(dt.date(1927, 6, 1), dt.date(2099, 12, 31))
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
LONG_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember"]  # fmt: skip
FORMATS = [
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.strftime("%d-%m-%Y"),
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {LONG_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d} {SHORT_MONTHS[d.month - 1]} {d.year}",
    lambda d: d.strftime("%d %B %Y"),  # English month names
    lambda d: str((d - dt.date(1899, 12, 30)).days),  # Excel serial
]


@given(DATES, st.sampled_from(FORMATS))
def test_date_parser_reads_back_every_written_format(day, fmt):
    assert parsing.parse_date(fmt(day)) == day


NUMERIC = FORMATS[:4]  # day/month/year and ISO forms, the ones a text export writes with a time
MIDNIGHTS = [" 00:00:00", " 00:00", "T00:00:00", " 00:00:00.000", " 0:00:00"]


@given(DATES, st.sampled_from(NUMERIC), st.sampled_from(MIDNIGHTS))
def test_numeric_dates_with_the_midnight_a_text_export_adds(day, fmt, midnight):
    assert parsing.parse_date(fmt(day) + midnight) == day


@given(DATES, st.sampled_from(NUMERIC), st.times().map(lambda t: t.replace(microsecond=0)))
def test_a_date_with_another_time_is_not_a_date(day, fmt, time):
    """Only midnight is a date cell's own time; any other means the value is something else."""
    expected = day if time == dt.time() else None
    assert parsing.parse_date(f"{fmt(day)} {time:%H:%M:%S}") == expected


def test_real_date_cells_and_serial_numbers_in_xlsx(tmp_path):
    rows = [HEADER[:3], [NIK_F, "Maria", dt.datetime(1985, 4, 30)], [NIK_M, "Yohanes", 31167]]
    checked = check(write_xlsx(tmp_path / "r.xlsx", rows), default_unit="U1")
    assert checked.issues.is_empty()
    assert checked.rows.get_column("birth_date").to_list() == [dt.date(1985, 4, 30)] * 2


# ---------------------------------------------------------------------------------------- wages, sex
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Rp 2.500.000", 2_500_000), ("2,500,000", 2_500_000), ("2500000", 2_500_000), ("0", 0),
     ("Rp. 2.500.000,-", 2_500_000), ("2.500.000,00", 2_500_000), ("2500000.0", 2_500_000),
     ("IDR 750,000.00", 750_000)],
)  # fmt: skip
def test_wage_formats(text, expected):
    assert parsing.parse_wage(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("abc", "wage_invalid"), ("dua juta", "wage_invalid"), ("2,5", "wage_fraction"), ("-5", "wage_negative"),
     ("1000000000000", "wage_range"), ("2.500.000,50", "wage_fraction"), ("1e6", "wage_invalid")],
)  # fmt: skip
def test_bad_wages(text, code):
    with pytest.raises(parsing.WageError) as caught:
        parsing.parse_wage(text)
    assert caught.value.code == code


@given(st.integers(0, parsing.MAX_WAGE - 1), st.sampled_from(["plain", "dots", "commas", "rp", "float"]))
def test_wage_parser_reads_back_every_written_format(amount, style):
    text = {
        "plain": str(amount),
        "dots": f"{amount:,}".replace(",", "."),
        "commas": f"{amount:,}",
        "rp": "Rp " + f"{amount:,}".replace(",", ".") + ",-",
        "float": f"{amount}.0",
    }[style]
    assert parsing.parse_wage(text) == amount


@pytest.mark.parametrize(
    ("text", "sex"),
    [("L", "L"), ("P", "P"), ("Laki-laki", "L"), ("Perempuan", "P"), ("LK", "L"), ("PR", "P"), ("M", "L"),
     ("F", "P"), ("laki laki", "L"), ("WANITA", "P"), ("x", None)],
)  # fmt: skip
def test_sex_spellings(text, sex):
    assert parsing.parse_sex(text) == sex


# ------------------------------------------------------------------------------------- row validation
def test_each_bad_row_gets_line_column_and_reason(tmp_path):
    rows = [
        HEADER,
        ["5.37101E+15", "A", "30/04/1985", "P", "1", "X"],  # 2 scientific notation
        ["537101700485001", "B", "30/04/1985", "P", "1", "X"],  # 3 fifteen digits
        [NIK_F, "", "30/04/1985", "P", "1", "X"],  # 4 name missing
        [NIK_M, "D", "31/02/1985", "L", "1", "X"],  # 5 unreadable date
        ["5371017004850003", "E", "30/04/1985", "L", "1", "X"],  # 6 NIK says woman
        ["5371017004850004", "F", "29/04/1985", "P", "1", "X"],  # 7 NIK says 30 April
        ["5371017004850005", "G", "30/04/1985", "P", "dua juta", "X"],  # 8 wage text
        ["5371017004850006", "H", "30/04/1985", "Q", "1", "X"],  # 9 unknown sex
        ["9999017004850007", "I", "30/04/1985", "P", "1", "X"],  # 10 unknown region
        ["5371017004850000", "J", "30/04/1985", "P", "1", "X"],  # 11 sequence 0000
        ["5371017004850008", "K", "30/04/1985", "P", "1", ""],  # 12 no unit
    ]
    checked = check(write_csv(tmp_path / "r.csv", rows))
    expected = {2: "scientific", 3: "length", 4: "required", 5: "date_invalid", 6: "sex_mismatch",
                7: "birth_date_mismatch", 8: "wage_invalid", 9: "sex_invalid", 10: "region", 11: "sequence",
                12: "unit_required"}  # fmt: skip
    assert {line: codes(checked, line)[0] for line in expected} == expected
    assert checked.rejected == len(expected) and checked.rows.is_empty()
    first = checked.issues.row(0, named=True)
    assert first["column"] == "NIK" and "notasi ilmiah" in first["message"]
    assert "5.37101E+15" in first["message"]
    assert "31/02/1985" in checked.issues.filter(pl.col("code") == "date_invalid").item(0, "message")


# A man born 8 June 1921: the code 080621 names no century.
NIK_1921 = "5371010806210001"


def test_a_recorded_date_a_century_before_the_codes_reading_agrees_and_is_only_flagged(tmp_path):
    rows = [
        HEADER,
        [NIK_1921, "Petrus", "08/06/1921", "L", "1", "X"],  # 2 agrees; 104 years old
        ["5371010806210002", "Paulus", "09/06/1921", "L", "1", "X"],  # 3 the day differs
        ["5371010806210003", "Andreas", "08/06/1922", "L", "1", "X"],  # 4 the year's digits differ
        ["5371011506150004", "Yosef", "15/06/2015", "L", "1", "X"],  # 5 agrees; 10 years old
    ]
    checked = check(write_csv(tmp_path / "r.csv", rows))
    assert checked.rows.get_column("birth_date").to_list() == [dt.date(1921, 6, 8), dt.date(2015, 6, 15)]
    assert {line: codes(checked, line) for line in (2, 3, 4, 5)} == {
        2: ["age_unusual"], 3: ["birth_date_mismatch", "age_unusual"],
        4: ["birth_date_mismatch", "age_unusual"], 5: ["age_unusual"],
    }  # fmt: skip
    assert checked.rejected == 2
    warning = checked.issues.filter(pl.col(roster.LINE) == 2).row(0, named=True)
    assert (warning["severity"], warning["column"]) == ("warning", "Tanggal Lahir")
    assert warning["message"] == (
        "Umur 104 tahun pada 15-01-2026 (lahir 08-06-1921) di luar umur kerja 15 sampai 100 tahun; "
        "periksa tahun lahirnya."
    )
    assert "(08-06-2021) berbeda" in checked.issues.filter(pl.col(roster.LINE) == 3).item(0, "message")


def test_messages_in_english(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, ["123", "", "30/04/1985", "P", "1", "X"]])
    messages = (
        roster.validate(reading.read(path), lang="en", today=TODAY).issues.get_column("message").to_list()
    )
    assert messages == ["NIK must have 16 digits, not 3.", "Nama is required."]


def test_duplicate_nik_in_the_file_rejects_the_later_row(tmp_path):
    rows = [HEADER, GOOD[0], GOOD[1], [NIK_F, "Maria G.", "30/04/1985", "P", "2500000", "DLHK"]]
    checked = check(write_csv(tmp_path / "r.csv", rows))
    assert codes(checked, 4) == ["duplicate_in_file"]
    assert "baris 2" in checked.issues.item(0, "message")
    assert checked.rows.height == 2


def test_nik_typed_as_a_number_in_excel(tmp_path):
    checked = check(
        write_xlsx(tmp_path / "r.xlsx", [HEADER, [5371017004850001, "Maria", "30/04/1985", "P", 1, "X"]])
    )
    assert codes(checked, 2) == ["scientific"]


def test_unknown_unit_and_village_codes(tmp_path):
    rows = [
        ["NIK", "Nama", "Tgl Lahir", "Kode Unit", "Kode Desa"],
        [NIK_F, "Maria", "30/04/1985", "NOPE", "5371011001"],
        [NIK_M, "Yohanes", "30/04/1985", "U1", "123"],
    ]
    checked = check(write_csv(tmp_path / "r.csv", rows), unit_codes={"U1"}, village_codes={"5371011001"})
    assert codes(checked, 2) == ["unit_unknown"] and codes(checked, 3) == ["village_invalid"]


NIK_TEXT = st.one_of(
    st.builds(
        lambda prefix, day, month, yy, seq: f"{prefix}{day:02d}{month:02d}{yy:02d}{seq:04d}",
        st.sampled_from(["537101", "530301", "999999", "537199"]),
        st.integers(0, 75),
        st.integers(0, 14),
        st.integers(0, 99),
        st.integers(0, 3),
    ),
    st.text("0123456789 .-'eE+x", max_size=20),
    st.sampled_from(["5.37101E+15", "5371017004850001.0", "'5371017004850001", "5371 0170 0485 0001"]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(NIK_TEXT, st.dates(dt.date(1930, 1, 1), TODAY), st.sampled_from("LP")),
        min_size=1,
        max_size=30,
    )
)
def test_vectorised_nik_rules_equal_nik_parse(rows):
    """The bulk path (polars over a column) and the single path (nik.parse) give the same reasons and
    warnings."""
    frame = pl.DataFrame(
        {
            "c0": [r[0] for r in rows],
            "c1": ["A"] * len(rows),
            "c2": [r[1].isoformat() for r in rows],
            "c3": [r[2] for r in rows],
            "c4": ["U"] * len(rows),
        }  # fmt: skip
    )
    sheet = roster.Sheet(["NIK", "Nama", "Tgl Lahir", "JK", "OPD"], frame, 1,
                         {"nik": 0, "name": 1, "birth_date": 2, "sex": 3, "unit_name": 4})  # fmt: skip
    issues = roster.validate(sheet, today=TODAY).issues.filter(pl.col("code") != "duplicate_in_file")
    for line, (text, born, sex) in enumerate(rows, start=2):  # header on line 1
        info = niks.parse(text, born, sex, today=TODAY)
        expected = [r.code for r in info.reasons + info.warnings]
        assert issues.filter(pl.col(roster.LINE) == line).get_column("code").to_list() == expected, text


# ------------------------------------------------------------------------------------------ encodings
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [HEADER, [NIK_F, "Maria Nénô", "30/04/1985", "P", "2500000", "Dinas Kesehatan"]]
    checked = check(write_csv(tmp_path / "r.csv", rows, delimiter=delimiter, encoding=encoding))
    assert checked.issues.is_empty()
    assert checked.rows.get_column("name").to_list() == ["Maria Nénô"]


LETTERS = st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x17F)
NAMES = st.text(LETTERS, min_size=1, max_size=30)


@settings(max_examples=30, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=5), st.sampled_from(["\r", "\n", "\r\n"]), st.booleans())
def test_csv_reads_the_same_whatever_its_line_endings(names, ending, final):
    """Old Mac Excel ends lines with CR alone; the rows must not read as one header line (issue 14, 8)."""
    lines = [";".join(HEADER[:3]), *(f"{NIK_F};{name};30/04/1985" for name in names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes((ending.join(lines) + (ending if final else "")).encode("utf-8"))
        assert reading.read(path).frame.get_column("c1").to_list() == names


# --------------------------------------------------------------------------------------- file problems
def test_wrong_encoding(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0]], encoding="utf-16")
    assert problem(path).code == "encoding"
    assert "UTF-8" in problem(path).text()


def test_empty_files(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"")
    (tmp_path / "b.csv").write_text("\n\n;;\n")
    write_xlsx(tmp_path / "c.xlsx", [])
    for name in ("a.csv", "b.csv", "c.xlsx"):
        assert problem(tmp_path / name).code == "empty_file", name
    assert problem(tmp_path / "a.csv").text() == "Berkas kosong."


@pytest.mark.parametrize("rows", [[HEADER], [HEADER, ["", "", "", "", "", ""]]])
def test_header_without_rows(tmp_path, rows):
    with pytest.raises(roster.FileProblem) as caught:
        check(write_xlsx(tmp_path / "r.xlsx", rows))
    assert caught.value.code == "no_rows"


def test_no_nik_column(tmp_path):
    found = problem(write_csv(tmp_path / "r.csv", [["Nama", "Tgl Lahir"], ["Maria", "30/04/1985"]]))
    assert found.code == "no_nik_column"
    assert "No. KTP" in found.text() and "Nomor Induk Kependudukan" in found.text()


def test_missing_birth_date_column(tmp_path):
    found = problem(write_csv(tmp_path / "r.csv", [["NIK", "Nama"], [NIK_F, "Maria"]]))
    assert found.code == "missing_column" and "Tanggal Lahir" in found.text()


@pytest.mark.parametrize(
    "rows",
    [
        [
            ["NIK", "Nama", "Kelahiran", ""],
            ["", "", "Tempat", "Tanggal"],
            [NIK_F, "Maria", "Kupang", "30/04/1985"],
        ],
        [["NIK", "Nama", "Lahir"], ["", "", "Tempat", "Tanggal"], [NIK_F, "Maria", "Kupang", "30/04/1985"]],
    ],
)
def test_two_row_header(tmp_path, rows):
    assert problem(write_csv(tmp_path / "r.csv", rows)).code == "two_row_header"
    assert problem(write_xlsx(tmp_path / "r.xlsx", rows)).code == "two_row_header"


@pytest.mark.parametrize(
    ("rows", "cells", "header"),
    [
        ([["NIK", "Nama", "Tanggal Lahir", ""], [NIK_F, "Maria", "30/04/1985", ""]], "C1:D1",
         "Tanggal Lahir"),
        ([["NIK", "Nama", "Tanggal Lahir"], ["", "", ""], [NIK_F, "Maria", "30/04/1985"]], "A1:A2", "NIK"),
    ],
)  # fmt: skip
def test_merged_header_cells_are_named(tmp_path, rows, cells, header):
    """Said as merged, with where: not as a two-row header or a missing column (issue 14, item 8)."""
    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.merge_cells(cells)
    book.save(path)
    found = problem(path)
    assert found.code == "merged_header"
    assert f"'{header}' ada di sel gabungan {cells}" in found.text()
    assert f"'{header}' is in merged cells {cells}" in found.text("en")


def test_a_merged_title_above_the_header_is_no_header(tmp_path):
    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    for row in [["Instansi"], ["NIK", "Nama", "Tanggal Lahir"], [NIK_F, "Maria", "30/04/1985"]]:
        book.active.append(row)
    book.active.merge_cells("A1:C1")  # a title that happens to read as a header spelling
    book.save(path)
    sheet = reading.read(path)
    assert sheet.header_line == 2 and sheet.frame.rows() == [(NIK_F, "Maria", "30/04/1985")]


def test_formulas_without_stored_values(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx", [HEADER, [NIK_F, "Maria", "30/04/1985", "P", "=2000000+500000", "X"]]
    )
    found = problem(path)
    assert found.code == "formula" and "E2" in found.text()


def test_formulas_with_stored_values_are_read(tmp_path):
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, GOOD[0][:4])
    sheet.write_formula(1, 4, "=2000000+500000", None, 2500000)
    sheet.write_string(1, 5, "X")
    book.close()
    assert check(path).rows.get_column("monthly_wage").to_list() == [2_500_000]


def test_corrupt_xlsx(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"this is not a workbook")
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<broken")
    good = write_xlsx(tmp_path / "c.xlsx", [HEADER, GOOD[0]])
    (tmp_path / "d.xlsx").write_bytes(good.read_bytes()[:300])  # truncated download
    for name in ("a.xlsx", "b.xlsx", "d.xlsx"):
        assert problem(tmp_path / name).code == "corrupt", name


def test_password_protected_xlsx(tmp_path):
    # Excel saves an encrypted workbook as an OLE container holding an "EncryptionInfo" stream.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    )
    found = problem(path)
    assert found.code == "password" and "kata sandi" in found.text()


def test_over_the_size_limit(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, *GOOD])
    found = problem(path, max_bytes=100)
    assert found.code == "too_large" and "MB" in found.text("en")


# ------------------------------------------------------------------------------------- xlsx, two ways
# XLSX is read through fastexcel (text columns) unless the sheet has a number cell a NIK might be; then
# through python-calamine, cell by cell. Both must give the same sheet.
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.integers(-(10**14), 10**14),
    st.decimals(-(10**9), 10**9, places=2).map(float),
    st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2099, 12, 31)).map(lambda t: t.replace(microsecond=0)),
)


def texts(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(c or None for c in row) for row in frame.rows()]  # a blank is '' one way, null the other


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=6, max_size=6), min_size=1, max_size=5), st.integers(0, 2))
def test_fast_and_typed_xlsx_reads_agree(tmp_path_factory, body, titles):
    path = tmp_path_factory.mktemp("x") / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet, dates = book.add_worksheet(), book.add_format({"num_format": "dd/mm/yyyy"})
    for r in range(titles):
        sheet.write_string(r, 0, f"JUDUL {r}")
    sheet.write_row(titles, 0, HEADER)
    for r, row in enumerate(body, start=titles + 1):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, dates)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    book.close()
    fast, typed = workbooks.read_xlsx(path), workbooks.read_excel(path)
    assert (fast.headers, fast.header_line, fast.columns) == (typed.headers, typed.header_line, typed.columns)
    assert texts(fast.frame) == texts(typed.frame)


def test_numeric_nik_cells_in_xlsx_are_rejected_as_scientific(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Catatan"
    data = book.create_sheet("Daftar", 0)  # first in the workbook, but stored as sheet2.xml
    for row in [HEADER, GOOD[0], [int(NIK_M), *GOOD[1][1:]]]:
        data.append(row)
    book.save(tmp_path / "r.xlsx")
    checked = check(tmp_path / "r.xlsx")
    assert codes(checked, 2) == [] and codes(checked, 3) == ["scientific"]
    assert checked.sheet.frame.get_column("c0").to_list() == [NIK_F, "5.37101E+15"]


def test_leading_blank_rows_and_column_keep_excel_lines(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "r.xlsx")
    sheet = book.add_worksheet()
    sheet.write_row(2, 1, HEADER)
    sheet.write_row(3, 1, GOOD[0])
    sheet.write_row(4, 1, [NIK_M, "", "30/04/1985", "L", "1", "X"])
    book.close()
    assert not workbooks._scan_xlsx(tmp_path / "r.xlsx").typed  # fastexcel's way
    checked = check(tmp_path / "r.xlsx")
    assert checked.sheet.header_line == 3 and codes(checked, 4) == [] and codes(checked, 5) == ["required"]


# ------------------------------------------------------------------------------------------ error file
def test_error_file_keeps_original_columns_and_reads_back(tmp_path):
    rows = [["No", *HEADER], ["1", *GOOD[0]], ["2", "5.37101E+15", "Yohanes", "30/04/1985", "L", "abc", "X"]]
    checked = check(write_csv(tmp_path / "r.csv", rows))
    assert roster.write_error_file(checked, tmp_path / "err.xlsx") == 1
    sheet = openpyxl.load_workbook(tmp_path / "err.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["No", *HEADER, roster.REASON_HEADER]
    assert values[1][:7] == ["2", "5.37101E+15", "Yohanes", "30/04/1985", "L", "abc", "X"]
    assert "notasi ilmiah" in values[1][7] and "Gaji: Upah 'abc'" in values[1][7]
    sheet["B2"], sheet["F2"] = NIK_M, "2500000"  # the operator fixes the two cells
    sheet.parent.save(tmp_path / "fixed.xlsx")
    again = check(tmp_path / "fixed.xlsx")
    assert again.issues.is_empty() and again.rows.get_column("nik").to_list() == [NIK_M]
    roster.write_error_file(check(tmp_path / "err.xlsx"), tmp_path / "err2.xlsx")
    headers = [c.value for c in next(openpyxl.load_workbook(tmp_path / "err2.xlsx").active.iter_rows())]
    assert headers.count(roster.REASON_HEADER) == 1  # a re-imported error file does not grow a second one
