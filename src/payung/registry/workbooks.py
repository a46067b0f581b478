"""Excel workbooks (XLSX, XLS) into a ``Sheet``: bounded first (payung.files.bounds), then read by fastexcel
or python-calamine. ``excel_rows`` is the one bounded way to a first sheet's cells, for every reader."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl
import python_calamine

from payung.files import bounds
from payung.registry.headers import MAX_TITLE_ROWS, Sheet, header
from payung.registry.problems import FileProblem

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def bounded(path: Path) -> None:
    """Refuse an XLSX over payung.files.bounds' limits before any reader allocates for it. A legacy .xls is
    left to its format's own caps (65,536 rows x 256 columns) and the upload size limit."""
    with path.open("rb") as handle:
        if handle.read(4) != ZIP:
            return
    try:
        bounds.check_xlsx(path)
    except bounds.Refused as refused:
        raise FileProblem(refused.code, **refused.params) from refused


def first_sheet(path: Path, *, skip_empty_area: bool = False) -> tuple[list[list], list]:
    """The first sheet's cells and merged ranges through python-calamine, bounded first: the one way every
    reader (rosters, BPJS lists, BPJS replies) opens a workbook cell by cell."""
    bounded(path)
    return _calamine(path, skip_empty_area)


def _calamine(path: Path, skip_empty_area: bool = False) -> tuple[list[list], list]:
    try:
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=skip_empty_area), sheet.merged_cell_ranges or []
    except python_calamine.PasswordError as exc:
        raise FileProblem("password") from exc
    except BaseException as exc:  # calamine raises its own errors and, on some damage, a Rust panic
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise FileProblem("corrupt") from exc


def refuse_encrypted(path: Path) -> None:
    """Encrypted workbooks (.xlsx too) are OLE containers holding an EncryptionInfo stream."""
    if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
        raise FileProblem("password")


@dataclass
class _XlsxScan:
    """What the first sheet's XML tells that fastexcel's text columns do not."""

    merged: list[tuple[tuple[int, int], tuple[int, int]]]  # as python-calamine's merged_cell_ranges
    typed: bool  # a number fastexcel's text would misrepresent, or no first sheet found: read it typed


def _scan_xlsx(path: Path) -> _XlsxScan:
    """Refuse formulas saved without results (they read as blanks) in any sheet; scan the first one."""
    scan = _XlsxScan([], typed=True)
    try:
        with zipfile.ZipFile(path) as archive:
            first = _first_sheet(archive)
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    _refuse_uncached_formulas(xml)
                    if name == first:
                        typed = _TYPED_NUMBER.search(xml) is not None or _TYPED_CELL.search(xml)
                        scan = _XlsxScan(_merged_ranges(xml), bool(typed))
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileProblem("corrupt") from exc
    return scan


_SHEET_ID = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id=\"([^\"]+)\"")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet (the one calamine's index 0 is), if it can be told."""
    try:
        found = _SHEET_ID.search(archive.read("xl/workbook.xml"))
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    if not found:
        return None
    for relation in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        if re.search(rb'\sId="' + re.escape(found[1]) + rb'"', relation):
            target = re.search(rb'\sTarget="([^"]+)"', relation)
            path = target[1].decode() if target else ""
            return path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    return None


# A number cell fastexcel's text gets wrong: 16 digits or more (a NIK typed as a number, whose text must
# be Excel's scientific notation) or a fraction or exponent (it writes 9132335.19 as 9132335.189999999).
# Whole numbers, dates without a time and shared-string indexes never match: the common roster is fast.
_TYPED_NUMBER = re.compile(rb"<v>-?(?:\d{16}|\d*[.eE])")
_TYPED_CELL = re.compile(rb'\st="[be]"')  # TRUE/FALSE (fastexcel: 'true') and error cells
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')


def _merged_ranges(xml: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    rows_end = max(xml.rfind(b"sheetData>"), 0)  # merged cells are listed after the rows
    ranges = []
    for left, top, right, bottom in _MERGED.findall(xml, rows_end):
        start = (int(top) - 1, _column_number(left))
        ranges.append((start, (int(bottom) - 1, _column_number(right)) if right else start))
    return ranges


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


_UNCACHED_FORMULA = re.compile(rb"(?:</f>|<f[^>]*/>)(?!<v>[^<])")


def _refuse_uncached_formulas(xml: bytes) -> None:
    if b"<f" not in xml:
        return
    found = _UNCACHED_FORMULA.search(xml)
    if found:
        start = xml.rfind(b"<c ", 0, found.start())
        cell = re.search(rb'r="([A-Z]+[0-9]+)"', xml[start : found.start()])
        raise FileProblem("formula", cell=cell.group(1).decode() if cell else "?")


def read_xlsx(path: Path) -> Sheet:
    """The first sheet through fastexcel, which turns calamine's cells into Arrow text columns without a
    Python object per cell, while a second thread reads the sheet XML (fastexcel releases the GIL).

    fastexcel's text of a number cell is its digits, so a NIK typed as a number would pass for text, and
    fractions lose their shortest form: a sheet with such a number (see _TYPED_NUMBER) goes the
    python-calamine way, which sees each cell's type."""
    bounded(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(_scan_xlsx, path)
        try:
            frame: pl.DataFrame | BaseException = _fastexcel_text(path)
        except BaseException as exc:  # calamine's own errors and, on some damage, a Rust panic
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            frame = exc
        scan = scanning.result()  # its FileProblem (formula, corrupt) first
    if isinstance(frame, BaseException):
        raise FileProblem("corrupt") from frame
    if scan.typed:
        return _calamine_sheet(*_calamine(path))  # bounded above
    head = [["" if c is None else c for c in row] for row in frame.head(MAX_TITLE_ROWS).rows()]
    if frame.width == 0 or True not in frame.select((pl.all().str.len_bytes() > 0).any()).row(0):
        raise FileProblem("empty_file")
    index, columns = header(head, scan.merged)
    frame = frame.slice(index + 1)
    return Sheet(head[index], _dates_as_dates(frame), index + 1, columns)


def _fastexcel_text(path: Path) -> pl.DataFrame:
    """Columns c0..cN of text, rows from the sheet's first (skip_rows=0 keeps leading blank rows, so
    line numbers are Excel's), blank cells null."""
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
    frame = sheet.to_polars()
    return frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})


_MIDNIGHT = " 00:00:00"


def _dates_as_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """fastexcel writes a date cell as '1985-04-30 00:00:00'; the operator sees (and calamine gives) a
    date. Only columns holding such text are rewritten; typed as text it reads the same either way."""
    suffixed = frame.select(pl.all().str.ends_with(_MIDNIGHT).any()).row(0, named=True)
    date = r"^\d{4}-\d{2}-\d{2} 00:00:00$"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(date)).then(pl.col(c).str.head(10)).otherwise(pl.col(c)).alias(c)
        for c, found in suffixed.items()
        if found
    )


def read_excel(path: Path) -> Sheet:
    """Through python-calamine, cell by cell: .xls files (and sheets read_xlsx cannot read as text)."""
    return _calamine_sheet(*first_sheet(path))


def _calamine_sheet(rows: list[list], merged: list) -> Sheet:
    if not any(any(_present(c) for c in row) for row in rows):
        raise FileProblem("empty_file")
    head = [[_cell_text(c) for c in row] for row in rows[:MAX_TITLE_ROWS]]
    index, columns = header(head, merged)
    body = rows[index + 1 :]
    width = len(head[index])
    cells = list(zip(*body, strict=False)) if body else [() for _ in range(width)]
    frame = pl.DataFrame(
        {f"c{i}": _column_text(cells[i], numeric_nik=i == columns["nik"]) for i in range(width)},
        schema={f"c{i}": pl.Utf8 for i in range(width)},
    )
    return Sheet(head[index], frame, index + 1, columns)


def _present(cell: object) -> bool:
    return cell is not None and cell != ""


def _cell_text(cell: object, numeric_nik: bool = False) -> str:
    """A cell as the operator sees it; dates become ISO text, whole numbers lose their '.0'."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        if numeric_nik and abs(cell) >= 1e15:
            return f"{cell:.5E}"  # what Excel shows for a NIK typed as a number; its last digit is gone
        return str(int(cell)) if float(cell).is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else str(cell)


def _column_text(values: tuple, numeric_nik: bool) -> list[str]:
    if set(map(type, values)) <= {str}:
        return list(values)  # the common case: a text column needs no per-cell work
    return [_cell_text(v, numeric_nik) for v in values]
