"""Roster files with faults: what the file holds on every line matches the truth returned with it."""

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from payung.demo import faults, people, sheets
from payung.demo.roster import RosterRequest, build_roster
from payung.regions.catalog import nik_region
from payung.registry import nik

EPOCH = dt.date(1899, 12, 30)
PLAN = faults.Plan(bad=len(faults.BAD_KINDS), probable=3, registry_duplicates=2)


@pytest.fixture(scope="module")
def registry() -> pl.DataFrame:
    return people.generate(people.KUPANG).people


@pytest.fixture(scope="module")
def clean(registry) -> pl.DataFrame:
    fresh = people.generate(people.KUPANG, seed=99, scale=0.03).people
    return fresh.filter(~pl.col("nik").is_in(registry["nik"].implode()))


def read_rows(
    truth: faults.Truth, encoding: str = "utf-8", delimiter: str = ","
) -> tuple[list, dict[int, dict]]:
    """Header cells and {line: {canonical column: cell}} as a reader of the file sees them."""
    if truth.path.suffix == ".xlsx":
        rows = (
            CalamineWorkbook.from_path(str(truth.path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        )
    else:
        rows = list(csv.reader(io.StringIO(truth.path.read_bytes().decode(encoding)), delimiter=delimiter))
    header = rows[truth.header_line - 1]
    assert header[0] == "No" and header[1:] == list(truth.headers.values())
    columns = list(truth.headers)
    data = {
        truth.header_line + 1 + i: dict(zip(columns, row[1:], strict=False))
        for i, row in enumerate(rows[truth.header_line :])
    }
    return header, data


def as_date(cell) -> dt.date:
    """A real date cell, or an Excel serial number (as a number cell or as CSV text)."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    return EPOCH + dt.timedelta(days=int(float(cell)))


def renders(cell, value: dt.date) -> bool:
    """True if ``cell`` is one of the ways the generator writes ``value``."""
    if isinstance(cell, dt.date | float | int) or str(cell).isdigit():
        return as_date(cell) == value
    return cell in {sheets.date_text(value, fmt) for fmt, _ in sheets.DATE_FORMATS}


def clean_text(cell) -> str:
    return "" if cell is None else str(cell)


@pytest.mark.parametrize(
    ("suffix", "encoding", "delimiter", "title"),
    [
        (".xlsx", "utf-8", ",", "DAFTAR TENAGA KONTRAK 2026"),
        (".csv", "utf-8", ",", None),
        (".csv", "cp1252", ";", None),
    ],
)
def test_file_contents_match_the_truth(tmp_path, clean, registry, suffix, encoding, delimiter, title):
    truth = faults.write_roster(
        clean,
        tmp_path / f"roster{suffix}",
        plan=PLAN,
        seed=4,
        registry=registry,
        title=title,
        encoding=encoding,
        delimiter=delimiter,
    )
    _, data = read_rows(truth, encoding, delimiter)
    expected = {
        line: row for line, row in zip(truth.rows["line"], truth.rows.iter_rows(named=True), strict=True)
    }
    assert set(data) == set(expected) and len(data) == clean.height + 1 + 3 + 2  # + nik_repeated copy + dups
    assert {f.kind for f in truth.faults if f.code} == set(faults.BAD_KINDS)
    for fault in truth.faults:
        if fault.code:
            _assert_fault_visible(fault, data[fault.line], expected[fault.line], data)
    bad = set(truth.rejected)
    for line, row in data.items():
        if line in bad:
            continue
        true = expected[line]
        assert clean_text(row["nik"]) == true["nik"]
        assert renders(row["birth_date"], true["birth_date"]), (row["birth_date"], true["birth_date"])
        assert row["name"] == true["name"]
        assert nik.parse(true["nik"], true["birth_date"], true["sex"], today=people.REFERENCE_DATE).valid


def _assert_fault_visible(fault: faults.Fault, row: dict, true: dict, data: dict) -> None:
    cell = row[fault.column]
    text = clean_text(cell)
    checks = {
        "nik_scientific": lambda: isinstance(cell, float) or "E+15" in text,
        "nik_length": lambda: len(text) in (15, 17) and text.isdigit(),
        "nik_sequence": lambda: text.endswith("0000") and text[:12] == true["nik"][:12],
        "nik_region": lambda: nik_region(text[:6]) is None,
        "nik_date": lambda: text[8:10] == "13",
        "nik_repeated": lambda: text == clean_text(data[fault.of_line]["nik"]) and fault.of_line < fault.line,
        "birth_date_swapped": lambda: (
            text == f"{true['birth_date'].month:02d}/{true['birth_date'].day:02d}/{true['birth_date'].year}"
        ),
        "birth_date_unreadable": lambda: text.startswith("31/02/"),
        "sex_mismatch": lambda: text[:1] != true["sex"],
        "name_missing": lambda: text == "",
        "wage_text": lambda: not any(ch.isdigit() for ch in text.replace("2.5jt", "")) or text == "2.5jt",
        "wage_negative": lambda: text.startswith("-") and int(text[1:]) == true["monthly_wage"],
    }
    assert checks[fault.kind](), (fault, cell, true)
    assert nik.parse(true["nik"], true["birth_date"], true["sex"], today=people.REFERENCE_DATE).valid


def test_probable_duplicates_point_at_the_same_person(tmp_path, clean, registry):
    truth = faults.write_roster(clean, tmp_path / "r.csv", plan=PLAN, seed=5, registry=registry)
    rows = {r["line"]: r for r in truth.rows.iter_rows(named=True)}
    registered = {r["nik"]: r for r in registry.iter_rows(named=True)}
    duplicates = truth.duplicates
    assert len(duplicates) == 5 and sum(1 for d in duplicates if d.of_nik) == 2
    for fault in duplicates:
        mine = rows[fault.line]
        other = registered[fault.of_nik] if fault.of_nik else rows[fault.of_line]
        assert mine["nik"] != other["nik"] and mine["nik"][:6] == other["nik"][:6]
        assert nik.parse(mine["nik"], mine["birth_date"], mine["sex"], today=people.REFERENCE_DATE).valid
        assert mine["name"] != other["name"] or mine["birth_date"] != other["birth_date"]
        assert (mine["birth_place"], mine["address"]) == (other["birth_place"], other["address"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_same_seed_same_file(tmp_path, clean, registry, suffix):
    one = faults.write_roster(clean, tmp_path / f"a{suffix}", plan=PLAN, seed=8, registry=registry)
    two = faults.write_roster(clean, tmp_path / f"b{suffix}", plan=PLAN, seed=8, registry=registry)
    other = faults.write_roster(clean, tmp_path / f"c{suffix}", plan=PLAN, seed=9, registry=registry)
    assert one.path.read_bytes() == two.path.read_bytes() and one.faults == two.faults
    assert other.faults != one.faults


def test_a_clean_file_has_no_faults(tmp_path, clean):
    truth = faults.write_roster(clean, tmp_path / "clean.xlsx")
    _, data = read_rows(truth)
    assert truth.faults == [] and len(data) == clean.height


def test_roster_request_writes_file_and_truth_json(tmp_path):
    request = RosterRequest(
        rows=40, seed=3, unit="DLHK", faults=True, bad=7, duplicates=0, registry_duplicates=2
    )
    truth = build_roster(tmp_path / "dlhk.xlsx", request)
    truth.write_json(tmp_path / "dlhk.json")
    saved = json.loads((tmp_path / "dlhk.json").read_text(encoding="utf-8"))
    assert saved["data_rows"] == 40 + 1 + 2 and saved["rejected"] == 7 and saved["probable_duplicates"] == 2
    assert set(truth.rows["unit_name"]) == {"Dinas Lingkungan Hidup dan Kebersihan"}
    registered = set(people.generate(people.KUPANG).people["nik"])
    assert {d.of_nik for d in truth.duplicates} <= registered
    assert not set(truth.rows["nik"]) & registered
