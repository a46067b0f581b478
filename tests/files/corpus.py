"""The outside probe's hostile files, generated at test time (small on disk): spreadsheets that used to kill
the process, take gigabytes or seconds, or read wrongly. ``build(name, folder)`` writes one and returns its
path; ``CORPUS`` maps each name to the roster reader's expected FileProblem code (None: it reads).

Run as ``python -m tests.files.corpus NAME...`` it reads each file with the pure readers and prints their
outcomes as JSON, so the allocation bombs can be tried in a child process under a memory limit."""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
    "{rows}</sheetData></worksheet>"
)
HEADER = ("NIK", "Nama", "Tgl Lahir")
PERSON = ("5371014101900001", "Maria Bere", "01/01/1990")


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: tuple[str, ...]) -> str:
    cells = "".join(_text(f"{'ABC'[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


ROSTER_ROWS = _row(1, HEADER) + _row(2, PERSON)


def xlsx(rows: str = ROSTER_ROWS, *, dimension: str = "", strings: str | None = None) -> bytes:
    """A minimal workbook whose first sheet's <sheetData> is ``rows``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _BOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET.format(dimension=dimension, rows=rows))
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="x">{strings}</sst>')
    return out.getvalue()


def _lying_sizes() -> bytes:
    """The sheet's sizes in the local header and the central directory say 100 bytes; it holds more."""
    data = bytearray(xlsx(ROSTER_ROWS + "".join(_row(n, PERSON) for n in range(3, 2000))))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    start = data.index(b"xl/worksheets/sheet1.xml") - 30  # its local header
    data[start + 22 : start + 26] = (100).to_bytes(4, "little")
    central = data.rindex(b"xl/worksheets/sheet1.xml") - 46
    assert data[central + 24 : central + 28] == real
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    return bytes(data)


def _merged_header() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["NIK", "Nama"])
    sheet.merge_range("C1:D1", "Tanggal Lahir")
    sheet.write_row(1, 0, PERSON)
    book.close()
    return out.getvalue()


def _bomb() -> bytes:
    """~40 MB of sheet XML in a few hundred KB: rows of one long junk text (the probe's was 100 MB)."""
    junk = _text("A{n}", "x" * 20_000)
    return xlsx(ROSTER_ROWS + "".join(f'<row r="{n}">{junk.format(n=n)}</row>' for n in range(3, 2_000)))


_VALID = xlsx()
CR_ROSTER = "\r".join([";".join(HEADER), ";".join(PERSON), ""]).encode()


def _below(rows: str) -> Callable[[], bytes]:
    """A roster with ``rows`` after its one person."""
    return lambda: xlsx(ROSTER_ROWS + rows)


BUILDERS: dict[str, Callable[[], bytes]] = {
    "cell_at_XFD1048576.xlsx": _below('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "cell_at_A1048576.xlsx": _below(f'<row r="1048576">{_text("A1048576", "x")}</row>'),
    "cell_at_GR900000.xlsx": _below(f'<row r="900000">{_text("GR900000", "x")}</row>'),
    "dimension_A1_XFD1048576.xlsx": lambda: xlsx(dimension='<dimension ref="A1:XFD1048576"/>'),
    "cell_ref_in_single_quotes.xlsx": _below("<row><c r = 'XFD7'><v>1</v></c></row>"),
    "prefixed_cell_far_right.xlsx": _below('<row r="3"><x:c r="ZZZ3"><x:v>1</x:v></x:c></row>'),
    "wide_row_without_references.xlsx": _below("<row>" + "<c><v>1</v></c>" * 300 + "</row>"),
    "sheet_xml_bomb.xlsx": _bomb,
    "empty_row_at_1048576.xlsx": _below('<row r="1048576" ht="20" customHeight="1"/>'),
    "shared_strings_bomb.xlsx": lambda: xlsx(strings="<si><t>a</t></si>" * 300_000),
    "declared_sizes_lie.xlsx": _lying_sizes,
    "not_a_zip.xlsx": lambda: b"NIK;Nama;Tgl Lahir\n",
    "truncated_zip.xlsx": lambda: _VALID[: len(_VALID) // 2],
    "empty.xlsx": lambda: b"",
    "empty.csv": lambda: b"",
    "cr_only.csv": lambda: CR_ROSTER,
    "header_of_two_million_columns.csv": lambda: b"NIK;Nama;Tgl Lahir" + b";" * 2_000_000 + b"\n",
    "utf16.csv": lambda: CR_ROSTER.decode().replace("\r", "\r\n").encode("utf-16"),
    "merged_header.xlsx": _merged_header,
    "formula_without_value.xlsx": lambda: xlsx(_row(1, HEADER) + '<row r="2"><c r="A2"><f>1+1</f></c></row>'),
}
CORPUS: dict[str, str | None] = {
    "cell_at_XFD1048576.xlsx": "sheet_too_large",
    "cell_at_A1048576.xlsx": "sheet_too_large",
    "cell_at_GR900000.xlsx": "sheet_too_large",
    "dimension_A1_XFD1048576.xlsx": "sheet_too_large",
    "cell_ref_in_single_quotes.xlsx": "sheet_too_large",
    "prefixed_cell_far_right.xlsx": "sheet_too_large",
    "wide_row_without_references.xlsx": "sheet_too_large",
    "sheet_xml_bomb.xlsx": "unpacked_too_large",
    "shared_strings_bomb.xlsx": "corrupt",
    "declared_sizes_lie.xlsx": "corrupt",
    "not_a_zip.xlsx": "corrupt",
    "truncated_zip.xlsx": "corrupt",
    "empty.xlsx": "empty_file",
    "empty.csv": "empty_file",
    "cr_only.csv": None,
    "empty_row_at_1048576.xlsx": None,
    "header_of_two_million_columns.csv": "sheet_too_large",
    "utf16.csv": "encoding",
    "merged_header.xlsx": "merged_header",
    "formula_without_value.xlsx": "formula",
}
BOMBS = (
    "cell_at_XFD1048576.xlsx", "cell_at_A1048576.xlsx", "cell_at_GR900000.xlsx", "sheet_xml_bomb.xlsx",
    "header_of_two_million_columns.csv",
)  # fmt: skip


def build(name: str, folder: Path) -> Path:
    path = folder / name
    path.write_bytes(BUILDERS[name]())
    return path


def outcomes(path: Path) -> dict[str, str | None]:
    """What the roster reader and the BPJS list reader say of ``path``: a problem code, or None."""
    from payung.reconcile import lists
    from payung.reconcile.errors import ReconcileProblem
    from payung.registry import reading
    from payung.registry.problems import FileProblem

    found: dict[str, str | None] = {}
    try:
        reading.read(path)
        found["roster"] = None
    except FileProblem as problem:
        found["roster"] = problem.code
    try:
        lists.read(path, "bpjs")
        found["bpjs"] = None
    except ReconcileProblem as problem:
        detail = problem.params.get("detail")
        found["bpjs"] = getattr(detail, "code", problem.code)
    return found


def _peak_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def main(names: list[str]) -> dict:
    """Each file's outcomes and seconds, and how far the process's peak memory grew reading them all."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: build(name, Path(folder)) for name in names}
        outcomes(build("empty.csv", Path(folder)))  # the readers' imports, before the baseline
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak restarts from what is in use now
        baseline, report = _peak_mib(), {}
        for name, path in paths.items():
            started = time.perf_counter()
            report[name] = {**outcomes(path), "seconds": time.perf_counter() - started}
    return {**report, "peak_growth_mib": _peak_mib() - baseline}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
