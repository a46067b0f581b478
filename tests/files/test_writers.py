"""Every XLSX Payung writes keeps data as text: a value typed as '=1+1' or '=HYPERLINK(...)' must not become
a live formula (or link) in the spreadsheet of whoever opens the export (issue 14, item 2)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from payung.contributions import billing, exports
from payung.files import xlsx
from payung.regions.models import Region
from payung.registry import reading, roster
from tests.contributions import world

HOSTILE = ["=1+1", '=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-1", "http://example.com/x"]
SRC = Path(__file__).resolve().parents[2] / "src" / "payung"


def _cells(path: Path) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_texts(path: Path, expected: list[str]) -> None:
    cells = _cells(path)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert not any(c.hyperlink for c in cells)
    texts = {c.value for c in cells if c.data_type in ("s", "inlineStr")}
    assert set(expected) <= texts


def test_the_helper_keeps_every_write_a_string(tmp_path):
    path = tmp_path / "w.xlsx"
    book = xlsx.workbook(path, strings_to_formulas=True, strings_to_urls=True)  # a caller cannot undo it
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HOSTILE)
    for row, value in enumerate(HOSTILE, start=1):
        sheet.write(row, 0, value)
    book.close()
    _assert_texts(path, HOSTILE)


@pytest.mark.django_db
def test_bill_workbook_writes_party_account_and_unit_names_as_text(tmp_path):
    pks = world.agreement(pemda_party="=1+1", budget_account="@SUM(A1)", bpjs_branch="+1")
    place = world.unit(code="X", name='=HYPERLINK("http://x","y")')
    world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="-1", place=place)
    (bill,) = billing.generate(None, Region.objects.get(code="5371"), dt.date(2023, 5, 1))
    path = exports.bill_xlsx(bill, tmp_path / "tagihan.xlsx")
    _assert_texts(path, ["=1+1", "@SUM(A1)", "+1", '=HYPERLINK("http://x","y")', "-1"])


def test_error_file_writes_the_operators_cells_as_text(tmp_path):
    source = tmp_path / "r.csv"
    lines = ["NIK;Nama;Tgl Lahir;Unit Kerja"] + [f"123;{value};01/01/1990;{value}" for value in HOSTILE]
    source.write_text("\n".join(lines), encoding="utf-8")
    checked = roster.validate(reading.read(source), today=dt.date(2024, 1, 1))
    assert roster.write_error_file(checked, tmp_path / "err.xlsx") == len(HOSTILE)
    _assert_texts(tmp_path / "err.xlsx", HOSTILE)


def test_demo_sheet_writes_text_as_text(tmp_path):
    from payung.demo import sheets

    cells = pl.DataFrame(
        {"name": HOSTILE, "_fault": [None] * len(HOSTILE), "_birth_fmt": ["text"] * len(HOSTILE),
         "_wage_fmt": ["text"] * len(HOSTILE)},
        schema={"name": pl.Utf8, "_fault": pl.Utf8, "_birth_fmt": pl.Utf8, "_wage_fmt": pl.Utf8},
    )  # fmt: skip
    sheets.write_xlsx(tmp_path / "d.xlsx", cells, {"name": "=Nama"}, "=judul")
    _assert_texts(tmp_path / "d.xlsx", [*HOSTILE, "=Nama", "=judul"])


def _workbooks_built(path: Path) -> list[int]:
    """Lines of ``path`` that construct an xlsxwriter Workbook or load an openpyxl one themselves."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("Workbook", "load_workbook"):
                found.append(node.lineno)
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(m.split(".")[0] in ("xlsxwriter", "openpyxl") for m in modules):
                found.append(node.lineno)
    return found


def test_every_writer_goes_through_the_one_helper():
    built = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if path.parent.name != "files" and (lines := _workbooks_built(path))
    }
    assert built == {}
