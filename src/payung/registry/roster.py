"""Roster files (XLSX, XLS, CSV) into one canonical, validated polars frame. Pure: no Django, no database.

The flow is ``read`` (bytes -> a ``Sheet`` of text cells under the operator's own headers) then
``validate`` (headers -> canonical columns, every row checked column-wise with polars). Values that repeat a
lot (dates, wages, sex, NIK region prefixes and birth digits) are parsed once per distinct value in Python
and mapped back, so a million rows cost a few thousand Python calls, not a million.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl
import python_calamine

from payung.regions.catalog import nik_region
from payung.registry import nik as niks

# --------------------------------------------------------------------------------------------- headers
# Canonical column -> header spellings operators use. The one place to add a spelling.
ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No. KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan", "NIK KTP", "No NIK"),
    "name": ("Nama", "Nama Lengkap", "Nama Pegawai", "Nama Peserta", "Nama Tenaga Kerja", "Name"),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tgl Lhr", "Tanggal Lhr", "Date of Birth"),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tmpt Lahir", "Tempat Lhr", "Place of Birth"),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Gender", "Sex"),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Domisili", "Alamat Rumah", "Address"),
    "village_code": ("Kode Desa", "Kode Kelurahan", "Kode Desa/Kelurahan", "Kode Desa Kelurahan"),
    "phone": ("No HP", "No. HP", "Nomor HP", "No Telepon", "Telepon", "No Telp", "No. Telp", "HP", "Phone"),
    "mother_maiden_name": ("Nama Ibu Kandung", "Ibu Kandung", "Nama Ibu"),
    "kpj": ("No KPJ", "KPJ", "No. KPJ", "Nomor KPJ", "No Kartu BPJS"),
    "unit_code": ("Kode Unit", "Kode OPD", "Kode Unit Kerja", "Kode Sekolah"),
    "unit_name": ("Unit Kerja", "OPD", "Nama OPD", "Perangkat Daerah", "Instansi", "Nama Unit", "Sekolah"),
    "group": ("Kelompok", "Jenis Peserta", "Kelompok Peserta"),
    "position": ("Jabatan", "Posisi", "Position"),
    "monthly_wage": ("Upah", "Gaji", "Upah Bulanan", "Gaji Pokok", "Honor", "Honorarium", "Wage"),
    "decree_number": ("No SK", "No. SK", "Nomor SK"),
    "decree_date": ("Tgl SK", "Tgl. SK", "Tanggal SK"),
    "start_date": ("TMT", "Mulai Kontrak", "Tanggal Mulai", "TMT Kontrak", "Awal Kontrak", "Tgl Mulai"),
    "end_date": ("Akhir Kontrak", "Tanggal Berakhir", "Selesai Kontrak", "Tgl Akhir Kontrak", "Tgl Akhir"),
    "occupation": ("Pekerjaan", "Jenis Pekerjaan", "Profesi", "Occupation"),
    "poverty_status": ("Status Kemiskinan", "Desil", "Desil Kemiskinan", "Kategori Kemiskinan"),
}
REQUIRED = ("nik", "name", "birth_date")
TEXT_LIMITS = {  # database column widths (registry.models)
    "name": 150, "birth_place": 80, "address": 250, "phone": 20, "mother_maiden_name": 150, "kpj": 11,
    "unit_code": 40, "unit_name": 200, "position": 120, "decree_number": 80, "occupation": 80,
    "poverty_status": 40,
}  # fmt: skip
DATE_COLUMNS = ("birth_date", "decree_date", "start_date", "end_date")
GROUPS = ("non_asn", "rentan", "perangkat", "rt_rw", "teacher")
GROUP_LABELS = {
    "non asn": "non_asn", "ptt": "non_asn", "honorer": "non_asn", "tenaga honorer": "non_asn",
    "pekerja rentan": "rentan", "rentan": "rentan", "perangkat desa": "perangkat", "perangkat": "perangkat",
    "rt rw": "rt_rw", "ketua rt": "rt_rw", "ketua rw": "rt_rw", "rt": "rt_rw", "rw": "rt_rw",
    "guru": "teacher", "guru kontrak": "teacher", "guru komite": "teacher", "teacher": "teacher",
} | {g.replace("_", " "): g for g in GROUPS}  # fmt: skip
CANONICAL: dict[str, pl.DataType] = {
    "nik": pl.Utf8(), "name": pl.Utf8(), "sex": pl.Utf8(), "birth_place": pl.Utf8(), "birth_date": pl.Date(),
    "address": pl.Utf8(), "village_code": pl.Utf8(), "phone": pl.Utf8(), "mother_maiden_name": pl.Utf8(),
    "kpj": pl.Utf8(), "unit_code": pl.Utf8(), "unit_name": pl.Utf8(), "group": pl.Utf8(),
    "position": pl.Utf8(), "monthly_wage": pl.Int64(), "decree_number": pl.Utf8(), "decree_date": pl.Date(),
    "start_date": pl.Date(), "end_date": pl.Date(), "occupation": pl.Utf8(), "poverty_status": pl.Utf8(),
}  # fmt: skip
REASON_HEADER = "Alasan penolakan"
LINE = "_line"  # the row's line number as Excel shows it
MAX_TITLE_ROWS = 30  # how far down the header row is looked for


def normalise_header(text: object) -> str:
    """'Tgl. Lahir (dd/mm/yyyy)' -> 'tgl lahir': case, punctuation, spacing and notes in brackets ignored."""
    text = re.sub(r"\(.*?\)", " ", str(text or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


_BY_HEADER = {normalise_header(alias): column for column, aliases in ALIASES.items() for alias in aliases}


def canonical_column(header: object) -> str | None:
    return _BY_HEADER.get(normalise_header(header))


# -------------------------------------------------------------------------------------------- messages
# code -> (Indonesian, English). Row messages name the value; the column is stored beside them.
MESSAGES: dict[str, tuple[str, str]] = {
    "too_large": (
        "Berkas terlalu besar ({size} MB); batasnya {limit} MB. Bagi berkas menjadi beberapa bagian.",
        "The file is too large ({size} MB); the limit is {limit} MB. Split it into parts.",
    ),
    "empty_file": ("Berkas kosong.", "The file is empty."),
    "no_rows": (
        "Berkas hanya berisi judul kolom, tanpa baris data.",
        "The file has column headers but no data rows.",
    ),
    "corrupt": (
        "Berkas Excel rusak atau bukan berkas Excel. Buka di Excel lalu simpan ulang sebagai .xlsx.",
        "The Excel file is damaged or not an Excel file. Open it in Excel and save it again as .xlsx.",
    ),
    "password": (
        "Berkas Excel dilindungi kata sandi. Buka di Excel, hapus kata sandinya, lalu simpan ulang.",
        "The Excel file is password-protected. Open it in Excel, remove the password and save it again.",
    ),
    "encoding": (
        "Pengodean teks berkas tidak dikenali. Simpan ulang sebagai 'CSV UTF-8' dari Excel.",
        "The file's text encoding is not recognised. Save it again as 'CSV UTF-8' from Excel.",
    ),
    "csv_invalid": (
        "Berkas CSV tidak dapat dibaca (tanda kutip tidak tertutup atau baris rusak). Simpan ulang dari "
        "Excel.",
        "The CSV file cannot be read (an unclosed quote or a damaged line). Save it again from Excel.",
    ),
    "no_nik_column": (
        "Kolom NIK tidak ditemukan. Judul kolom yang dikenali: {aliases}.",
        "No NIK column found. Recognised headers: {aliases}.",
    ),
    "missing_column": (
        "Kolom wajib '{column}' tidak ditemukan. Judul kolom yang dikenali: {aliases}.",
        "Required column '{column}' not found. Recognised headers: {aliases}.",
    ),
    "two_row_header": (
        "Judul kolom memakai dua baris atau sel gabungan (baris {line}). Jadikan satu baris judul, satu "
        "judul per kolom, tanpa sel gabungan.",
        "The column headers span two rows or merged cells (line {line}). Use one header row with one "
        "header per column and no merged cells.",
    ),
    "formula": (
        "Sel {cell} berisi rumus tanpa nilai tersimpan. Buka berkas di Excel lalu simpan ulang, atau salin "
        "lalu 'Tempel Nilai'.",
        "Cell {cell} holds a formula without a stored value. Open the file in Excel and save it again, or "
        "copy and 'Paste Values'.",
    ),
    "required": ("{column} wajib diisi.", "{column} is required."),
    "too_long": ("Isian terlalu panjang (maks. {limit} karakter).", "Too long (at most {limit} characters)."),
    "date_invalid": (
        "Tanggal '{value}' tidak terbaca. Gunakan mis. 30/04/1985, 1985-04-30 atau 30 April 1985.",
        "Date '{value}' cannot be read. Use e.g. 30/04/1985, 1985-04-30 or 30 April 1985.",
    ),
    "date_future": ("Tanggal lahir {value} ada di masa depan.", "Birth date {value} is in the future."),
    "end_before_start": (
        "Akhir kontrak ({value}) sebelum mulai kontrak.",
        "Contract end ({value}) is before its start.",
    ),
    "sex_invalid": (
        "Jenis kelamin '{value}' tidak dikenal; isi L atau P.",
        "Sex '{value}' is not recognised; use L or P.",
    ),
    "wage_invalid": (
        "Upah '{value}' bukan angka rupiah (contoh: 2500000 atau Rp 2.500.000).",
        "Wage '{value}' is not a rupiah amount (e.g. 2500000 or Rp 2.500.000).",
    ),
    "wage_fraction": (
        "Upah '{value}' harus rupiah bulat, tanpa sen.",
        "Wage '{value}' must be whole rupiah.",
    ),
    "wage_negative": ("Upah '{value}' tidak boleh negatif.", "Wage '{value}' cannot be negative."),
    "wage_range": ("Upah '{value}' terlalu besar.", "Wage '{value}' is too large."),
    "kpj_invalid": ("No KPJ '{value}' harus berupa angka.", "KPJ number '{value}' must be digits."),
    "village_invalid": (
        "Kode desa '{value}' bukan kode desa/kelurahan di wilayah ini (10 digit, mis. 5303012005).",
        "Village code '{value}' is not a village of this region (10 digits, e.g. 5303012005).",
    ),
    "group_invalid": (
        "Kelompok '{value}' tidak dikenal (Non-ASN, Pekerja rentan, Perangkat desa, RT/RW, Guru).",
        "Group '{value}' is not recognised (Non-ASN, Pekerja rentan, Perangkat desa, RT/RW, Guru).",
    ),
    "unit_required": (
        "Unit kerja kosong; isi kolom Unit Kerja atau pilih unit saat impor.",
        "Unit is empty; fill the Unit column or choose a unit when importing.",
    ),
    "unit_unknown": (
        "Kode unit '{value}' tidak dikenal di wilayah ini.",
        "Unit code '{value}' is unknown here.",
    ),
    "duplicate_in_file": (
        "NIK ini sudah ada di baris {value} berkas ini.",
        "This NIK already appears on line {value} of this file.",
    ),
    # Warnings (the row is imported): the same NIK is already in the registry elsewhere.
    "registered_other_unit": (
        "NIK ini sudah terdaftar di unit lain di wilayah ini: {value}.",
        "This NIK is already registered in another unit of this region: {value}.",
    ),
    "registered_other_region": (
        "NIK ini sudah terdaftar di wilayah lain.",
        "This NIK is already registered in another region.",
    ),
    # Batch outcomes.
    "already_imported": (
        "Berkas yang sama sudah diimpor (impor #{batch}, {date}); tidak ada yang diubah.",
        "The same file was already imported (import #{batch}, {date}); nothing was changed.",
    ),
    "committed": (
        "Baru: {imported}, diperbarui: {updated}, tidak berubah: {unchanged}, ditolak: {rejected}.",
        "New: {imported}, updated: {updated}, unchanged: {unchanged}, rejected: {rejected}.",
    ),
    "units_created": ("Unit baru dibuat: {value}.", "New units created: {value}."),
    "issues_truncated": (
        "{value} catatan lain tidak ditampilkan; semua baris yang ditolak ada di berkas kesalahan.",
        "{value} more notes are not shown; every rejected row is in the error file.",
    ),
    "upload_missing": (
        "Berkas unggahan tidak ditemukan lagi; unggah ulang berkasnya.",
        "The uploaded file is gone; upload it again.",
    ),
    "system_error": (
        "Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. Coba lagi atau hubungi admin.",
        "The import failed because of a system error; nothing was saved. Try again or contact an admin.",
    ),
}
MESSAGES.update(niks.MESSAGES)


def message(code: str, lang: str = "id", **params: object) -> str:
    return MESSAGES[code][1 if lang.startswith("en") else 0].format(**params)


class FileProblem(Exception):
    """The whole file cannot be imported; nothing from it may be written."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        return message(self.code, lang, **self.params)


# --------------------------------------------------------------------------------------------- reading
@dataclass
class Sheet:
    """Text cells under the operator's headers. ``frame`` columns are c0..cN (headers may repeat)."""

    headers: list[str]
    frame: pl.DataFrame
    header_line: int  # 1-based, as Excel numbers rows
    columns: dict[str, int] = field(default_factory=dict)  # canonical -> position of its first column

    def header_of(self, column: str) -> str:
        return self.headers[self.columns[column]] if column in self.columns else column


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def read(path: str | Path, *, filename: str = "", max_bytes: int | None = None) -> Sheet:
    """Read the first sheet of an Excel file or a CSV into a ``Sheet``; raise ``FileProblem`` if unusable."""
    path = Path(path)
    size = path.stat().st_size
    refuse_too_large(size, max_bytes)
    if size == 0:
        raise FileProblem("empty_file")
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = Path(filename or path.name).suffix.lower()
    if head.startswith(_ZIP):
        sheet = _read_xlsx(path)
    elif head.startswith(_OLE):
        _refuse_encrypted(path)
        sheet = _read_excel(path)
    elif suffix in _EXCEL_SUFFIXES:
        raise FileProblem("corrupt")
    else:
        sheet = _read_csv(path.read_bytes())
    return sheet


def refuse_too_large(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FileProblem("too_large", size=_mb(size), limit=_mb(max_bytes))


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}"


def _refuse_encrypted(path: Path) -> None:
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


def _read_xlsx(path: Path) -> Sheet:
    """The first sheet through fastexcel, which turns calamine's cells into Arrow text columns without a
    Python object per cell, while a second thread reads the sheet XML (fastexcel releases the GIL).

    fastexcel's text of a number cell is its digits, so a NIK typed as a number would pass for text, and
    fractions lose their shortest form: a sheet with such a number (see _TYPED_NUMBER) goes the
    python-calamine way, which sees each cell's type."""
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
        return _read_excel(path)
    head = [["" if c is None else c for c in row] for row in frame.head(MAX_TITLE_ROWS).rows()]
    if frame.width == 0 or True not in frame.select((pl.all().str.len_bytes() > 0).any()).row(0):
        raise FileProblem("empty_file")
    index, columns = _header(head, scan.merged)
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


def _read_excel(path: Path) -> Sheet:
    """Through python-calamine, cell by cell: .xls files, and sheets _read_xlsx cannot read as text."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except python_calamine.PasswordError as exc:
        raise FileProblem("password") from exc
    except BaseException as exc:  # calamine raises its own errors and, on some damage, a Rust panic
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise FileProblem("corrupt") from exc
    if not any(any(_present(c) for c in row) for row in rows):
        raise FileProblem("empty_file")
    head = [[_cell_text(c) for c in row] for row in rows[:MAX_TITLE_ROWS]]
    index, columns = _header(head, merged)
    body = rows[index + 1 :]
    width = len(head[index])
    cells = list(zip(*body, strict=False)) if body else [() for _ in range(width)]
    frame = pl.DataFrame(
        {f"c{i}": _column_text(cells[i], numeric_nik=i == columns["nik"]) for i in range(width)},
        schema={f"c{i}": pl.Utf8 for i in range(width)},
    )
    return Sheet(head[index], frame, index + 1, columns)


def _header(head: list[list[str]], merged: list) -> tuple[int, dict[str, int]]:
    """The header row and its canonical columns; a header in merged cells or on two rows is refused."""
    index, columns = _find_header(head)
    if any(top[0] <= index <= bottom[0] and top != bottom for top, bottom in merged):
        raise FileProblem("two_row_header", line=index + 1)
    _refuse_two_row_header(head, index, columns)
    return index, columns


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


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The first row naming the NIK column and at least one other known column."""
    for index, row in enumerate(rows):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            columns.setdefault(canonical_column(cell) or "", position)
        columns.pop("", None)
        if "nik" in columns and len(columns) >= 2:
            missing = [c for c in REQUIRED if c not in columns]
            if missing and not _looks_like_sub_header(rows, index, columns):
                raise FileProblem(
                    "missing_column", column=ALIASES[missing[0]][0], aliases=_aliases(missing[0])
                )
            return index, columns
    raise FileProblem("no_nik_column", aliases=_aliases("nik"))


def _aliases(column: str) -> str:
    return ", ".join(ALIASES[column])


def _looks_like_sub_header(rows: list[list[str]], index: int, columns: dict[str, int]) -> bool:
    """A second header row: no NIK or name under the headers, but text where a header cell is blank."""
    if index + 1 >= len(rows):
        return False
    below, header = rows[index + 1], rows[index]

    def cell(row: list[str], position: int) -> str:  # CSV rows can be shorter than the header
        return row[position].strip() if position < len(row) else ""

    if any(cell(below, columns[c]) for c in ("nik", "name") if c in columns):
        return False
    return any(cell(below, i) and not cell(header, i) for i in range(len(below)))


def _refuse_two_row_header(rows: list[list[str]], index: int, columns: dict[str, int]) -> None:
    if _looks_like_sub_header(rows, index, columns):
        raise FileProblem("two_row_header", line=index + 1)


_DELIMITERS = (";", ",", "\t", "|")


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    start = data[: 64 * 1024].decode("utf-8-sig", errors="ignore") if text is None else text[: 64 * 1024]
    head = start.splitlines()[:MAX_TITLE_ROWS]
    separator, rows = _sniff(head)
    index, columns = _find_header(rows)
    _refuse_two_row_header(rows, index, columns)
    headers = rows[index]
    source = data if text is None else text.encode("utf-8")
    try:
        frame = pl.read_csv(
            source, separator=separator, skip_lines=index, has_header=True, infer_schema=False,
            truncate_ragged_lines=True, raise_if_empty=False, encoding="utf8",
        )  # fmt: skip
    except pl.exceptions.PolarsError as exc:
        raise FileProblem("csv_invalid") from exc
    frame = frame.select(pl.nth(range(min(len(headers), frame.width))))
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    return Sheet(headers[: frame.width], frame, index + 1, columns)


def _decode(data: bytes) -> str | None:
    """None when the bytes are UTF-8 (polars reads them as they are); else Windows-1252 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:65536]:
        raise FileProblem("encoding")
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileProblem("encoding") from exc


def _sniff(lines: list[str]) -> tuple[str, list[list[str]]]:
    """The delimiter under which some early line reads as the most known headers."""
    best: tuple[int, str, list[list[str]]] = (-1, ",", [])
    for separator in _DELIMITERS:
        rows = list(csv.reader(lines if lines else [""], delimiter=separator))
        score = max((sum(canonical_column(c) is not None for c in row) for row in rows), default=0)
        if score > best[0]:
            best = (score, separator, rows)
    rows = best[2]
    if not any(any(c.strip() for c in row) for row in rows):
        raise FileProblem("empty_file")
    return best[1], rows


# ---------------------------------------------------------------------------------------- value parsers
MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8,
    "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "october": 10, "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
    "dec": 12, "december": 12,
}  # fmt: skip
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_D_MONTH_Y = re.compile(r"(\d{1,2})[\s.-]*([a-z]+)\.?[\s.,-]*(\d{4})")
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system, past its 1900-02-29 bug
SERIAL_RANGE = (10_000, 73_050)  # 1927-05-18 .. 2099-12-31; shorter numbers are more likely years


def parse_date(text: str) -> dt.date | None:
    """An operator's date: 30/04/1985, 30-04-1985, 1985-04-30, 30 April 1985, 30 Agu 1985, Excel serial."""
    value = text.strip().lower()
    parts: tuple[int, int, int] | None = None
    if m := _DMY.fullmatch(value):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD.fullmatch(value):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _D_MONTH_Y.fullmatch(value)) and m[2] in MONTHS:
        parts = (int(m[3]), MONTHS[m[2]], int(m[1]))
    elif (m := _SERIAL.fullmatch(value)) and SERIAL_RANGE[0] <= int(m[1]) <= SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    if parts is None or not 1900 <= parts[0] <= 2100:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


_CURRENCY = re.compile(r"^(rp\.?|idr)|(,-|\.-|,00-)$")
_WAGE_FORMS = (  # (pattern, thousands separator, decimal separator)
    (re.compile(r"\d+"), "", ""),
    (re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"), ".", ","),
    (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"), ",", "."),
    (re.compile(r"\d+[.,]\d{1,2}"), "", ".,"),
)
MAX_WAGE = 10**12


class WageError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_wage(text: str) -> int:
    """Integer rupiah from 'Rp 2.500.000', '2,500,000', '2500000', '2.500.000,00'; raises WageError."""
    value = re.sub(r"\s+", "", text.strip().lower())
    value = _CURRENCY.sub("", _CURRENCY.sub("", value))
    negative = value.startswith("-")
    value = value.lstrip("-")
    for pattern, thousands, decimal in _WAGE_FORMS:
        if pattern.fullmatch(value):
            whole, cents = _split_decimal(value, decimal)
            if cents.strip("0"):
                raise WageError("wage_fraction")
            amount = int(whole.replace(thousands, "") if thousands else whole)
            if negative and amount:
                raise WageError("wage_negative")
            if amount >= MAX_WAGE:
                raise WageError("wage_range")
            return amount
    raise WageError("wage_invalid")


def _split_decimal(value: str, marks: str) -> tuple[str, str]:
    for mark in marks:
        if mark in value:
            whole, _, cents = value.rpartition(mark)
            return whole, cents
    return value, ""


SEX_WORDS = {
    "L": ("l", "lk", "laki", "laki laki", "laki2", "pria", "m", "male", "man"),
    "P": ("p", "pr", "perempuan", "wanita", "w", "f", "female", "woman"),
}
_SEX = {word: code for code, words in SEX_WORDS.items() for word in words}


def parse_sex(text: str) -> str | None:
    return _SEX.get(normalise_header(text))


def parse_group(text: str) -> str | None:
    return GROUP_LABELS.get(normalise_header(text))


# ------------------------------------------------------------------------------------------- validation
@dataclass
class Checked:
    """What ``validate`` found. ``rows`` are typed canonical columns of the rows without errors."""

    rows: pl.DataFrame  # LINE + CANONICAL
    # LINE, column (operator's header), severity, code, message (uploader's language), message_id, message_en
    issues: pl.DataFrame
    total: int  # data rows, blank rows not counted
    sheet: Sheet

    @property
    def rejected(self) -> int:
        return self.issues.filter(pl.col("severity") == "error").get_column(LINE).n_unique()


@dataclass(frozen=True)
class _Check:
    column: str
    code: str
    failed: pl.Expr
    params: dict[str, pl.Expr | str] = field(default_factory=dict)


def validate(
    sheet: Sheet,
    *,
    default_group: str = "non_asn",
    default_unit: str | None = None,
    unit_codes: set[str] | None = None,
    village_codes: set[str] | None = None,
    lang: str = "id",
    today: dt.date | None = None,
) -> Checked:
    """Check every row; ``unit_codes``/``village_codes`` (when given) are the region's known codes.

    Raises FileProblem when the sheet has headers but no data rows."""
    today = today or dt.date.today()
    texts = _texts(sheet)
    if texts.is_empty():
        raise FileProblem("no_rows")
    work = _parsed(texts, default_group, default_unit, today)
    checks = _checks(work, unit_codes, village_codes, today)
    issues = _issues(work, checks, sheet, lang)
    issues = pl.concat([issues, _duplicates(work, issues, sheet, lang)]).sort(LINE, "_order")
    rows = work.select(LINE, *(pl.col(c).cast(t) for c, t in CANONICAL.items()))
    rows = rows.filter(~pl.col(LINE).is_in(issues.get_column(LINE).implode()))
    return Checked(rows, issues.drop("_order"), work.height, sheet)


def _numbered(sheet: Sheet) -> pl.DataFrame:
    return sheet.frame.with_row_index(LINE, offset=sheet.header_line + 1).with_columns(
        pl.col(LINE).cast(pl.Int64)
    )


def _texts(sheet: Sheet) -> pl.DataFrame:
    """LINE plus one stripped text column t_<canonical> per canonical column (null when blank or absent).

    Rows blank in every known column are dropped: pre-numbered empty rows are not data."""
    present = {c: f"c{sheet.columns[c]}" for c in CANONICAL if c in sheet.columns}
    flags = sheet.frame.select(
        *(pl.col(name).str.contains(r"^\s|\s$").any().alias(f"s{name}") for name in present.values()),
        *(pl.col(name).str.contains(r"^\s*$").any().alias(f"b{name}") for name in present.values()),
    ).row(0, named=True)
    texts = {c: _stripped(name, flags[f"s{name}"], flags[f"b{name}"]) for c, name in present.items()}
    columns = (texts.get(c, pl.lit(None, pl.Utf8)).alias(f"t_{c}") for c in CANONICAL)
    frame = _numbered(sheet).select(LINE, *columns)
    return frame.filter(~pl.all_horizontal(pl.exclude(LINE).is_null()))


def _stripped(column: str, padded: bool, blank: bool) -> pl.Expr:
    """Only columns that need it are rewritten: copying a million strings costs more than looking."""
    text = pl.col(column).str.strip_chars() if padded else pl.col(column)
    return pl.when(text != "").then(text) if blank else text


def _mapped(work: pl.DataFrame, column: str, parse, dtype: pl.DataType) -> pl.Expr:
    """Parse each distinct value once and map the results back onto the column."""
    values = work.get_column(column).drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(values, [parse(v) for v in values], default=None, return_dtype=dtype)


def _wage_code(text: str) -> str | None:
    try:
        parse_wage(text)
    except WageError as exc:
        return exc.code
    return None


def _wage_amount(text: str) -> int | None:
    return None if _wage_code(text) else parse_wage(text)


def _encoded_birth(today: dt.date):
    def decode(ddmmyy: str) -> dt.date | None:
        return niks.encoded_birth(f"000000{ddmmyy}0000", today)[0]

    return decode


def _parsed(work: pl.DataFrame, default_group: str, default_unit: str | None, today: dt.date) -> pl.DataFrame:
    """Typed canonical columns beside the texts; helper columns start with '_'."""
    raw = pl.col("t_nik")
    # Same cleaning as nik.clean: quotes, a float's '.0', and spaces, dots and dashes typed for readability.
    unquoted = raw.str.strip_chars("'")
    unfloated = pl.when(unquoted.str.contains(r"^[0-9]+\.0$")).then(unquoted.str.strip_suffix(".0"))
    cleaned = pl.coalesce(unfloated, unquoted).str.replace_all(r"[ .\-]", "")
    work = work.with_columns(
        cleaned.alias("nik"),
        raw.str.to_lowercase().str.contains("e+", literal=True).fill_null(False).alias("_sci"),
    )
    work = work.with_columns(
        (~pl.col("_sci") & pl.col("nik").str.contains(r"^[0-9]{16}$")).fill_null(False).alias("_nik_ok"),
        pl.col("nik").str.slice(0, 6).alias("_prefix"),
        pl.col("nik").str.slice(6, 6).alias("_ddmmyy"),
    )
    well_formed = work.filter("_nik_ok")
    prefixes = [p for p in well_formed.get_column("_prefix").unique().to_list() if nik_region(p)]
    text = {c: pl.col(f"t_{c}") for c in CANONICAL}
    unit_missing = text["unit_code"].is_null() & text["unit_name"].is_null()
    return work.with_columns(
        pl.col("_prefix").is_in(prefixes).alias("_region_ok"),
        _mapped(well_formed, "_ddmmyy", _encoded_birth(today), pl.Date()).alias("_nik_birth"),
        pl.when(pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False) > 40)
        .then(pl.lit(niks.FEMALE))
        .otherwise(pl.lit(niks.MALE))
        .alias("_nik_sex"),
        _mapped(work, "t_sex", parse_sex, pl.Utf8()).alias("_sex"),
        _mapped(work, "t_group", parse_group, pl.Utf8()).alias("_group"),
        _mapped(work, "t_monthly_wage", _wage_code, pl.Utf8()).alias("_wage_code"),
        _mapped(work, "t_monthly_wage", _wage_amount, pl.Int64()).alias("monthly_wage"),
        *(_mapped(work, f"t_{c}", parse_date, pl.Date()).alias(c) for c in DATE_COLUMNS),
        _single_spaced(text["name"]).alias("name"),
        text["village_code"].str.replace_all(r"[.\s]", "").alias("village_code"),
        text["kpj"].str.replace_all(r"[\s.\-]", "").alias("kpj"),
        pl.when(unit_missing)
        .then(pl.lit(default_unit, pl.Utf8))
        .otherwise(text["unit_code"])
        .alias("unit_code"),
        *(text[c].alias(c) for c in CANONICAL if c not in _DERIVED),
    ).with_columns(
        pl.coalesce("_sex", pl.when("_nik_ok").then("_nik_sex")).alias("sex"),
        pl.coalesce("_group", pl.lit(default_group)).alias("group"),
    )


def _single_spaced(text: pl.Expr) -> pl.Expr:
    """Runs of whitespace as one space (tested first: rewriting every row with a regex is slow)."""
    return pl.when(text.str.contains(r"\s\s|[^\S ]")).then(text.str.replace_all(r"\s+", " ")).otherwise(text)


_DERIVED = {"nik", "name", "sex", "group", "monthly_wage", "village_code", "kpj", "unit_code", *DATE_COLUMNS}


def _checks(
    work: pl.DataFrame, unit_codes: set[str] | None, village_codes: set[str] | None, today: dt.date
) -> list[_Check]:
    """Every row rule, in the order its reasons are listed. NIK rules mirror nik.parse (property-tested)."""
    c, t = pl.col, (lambda name: pl.col(f"t_{name}"))
    nik_ok, digits = c("_nik_ok"), c("nik").str.contains(r"^[0-9]+$")
    checks = [
        _Check("nik", "empty", t("nik").is_null()),
        _Check("nik", "scientific", c("_sci")),
        _Check("nik", "not_digits", t("nik").is_not_null() & ~c("_sci") & ~digits),
        _Check("nik", "length", ~c("_sci") & digits & (c("nik").str.len_chars() != 16),
               {"length": c("nik").str.len_chars()}),
        _Check("nik", "region", nik_ok & ~c("_region_ok"), {"code": c("_prefix")}),
        _Check("nik", "date", nik_ok & c("_nik_birth").is_null(), {"ddmmyy": c("_ddmmyy")}),
        _Check("nik", "sequence", nik_ok & (c("nik").str.slice(12) == "0000")),
        _Check("nik", "birth_date_mismatch", nik_ok & (c("_nik_birth") != c("birth_date")),
               {"encoded": c("_nik_birth"), "recorded": c("birth_date")}),
        _Check("nik", "sex_mismatch", nik_ok & (c("_sex") != c("_nik_sex")),
               {"encoded": c("_nik_sex"), "recorded": c("_sex")}),
        _Check("name", "required", c("name").is_null()),
        _Check("birth_date", "required", t("birth_date").is_null()),
        *(_Check(d, "date_invalid", t(d).is_not_null() & c(d).is_null(), {"value": t(d)})
          for d in DATE_COLUMNS),
        _Check("birth_date", "date_future", c("birth_date") > today, {"value": t("birth_date")}),
        _Check("end_date", "end_before_start", c("end_date") < c("start_date"), {"value": t("end_date")}),
        _Check("sex", "sex_invalid", t("sex").is_not_null() & c("_sex").is_null(), {"value": t("sex")}),
        *(_Check("monthly_wage", code, c("_wage_code") == code, {"value": t("monthly_wage")})
          for code in ("wage_invalid", "wage_fraction", "wage_negative", "wage_range")),
        _Check("kpj", "kpj_invalid", ~c("kpj").str.contains(r"^[0-9]+$"), {"value": t("kpj")}),
        _Check("village_code", "village_invalid", _bad_village(village_codes), {"value": t("village_code")}),
        _Check("group", "group_invalid", t("group").is_not_null() & c("_group").is_null(),
               {"value": t("group")}),
        _Check("unit_name", "unit_required", c("unit_code").is_null() & c("unit_name").is_null()),
        *(_Check(name, "too_long", c(name).str.len_chars() > limit, {"limit": str(limit)})
          for name, limit in TEXT_LIMITS.items()),
    ]  # fmt: skip
    if unit_codes is not None:
        unknown = t("unit_code").is_not_null() & t("unit_name").is_null() & ~t("unit_code").is_in(unit_codes)
        checks.append(_Check("unit_code", "unit_unknown", unknown, {"value": t("unit_code")}))
    return checks


def _bad_village(village_codes: set[str] | None) -> pl.Expr:
    code = pl.col("village_code")
    bad = ~code.str.contains(r"^[0-9]{10}$")
    return bad | ~code.is_in(village_codes) if village_codes is not None else bad


def _fmt(code: str, lang: str, params: dict[str, pl.Expr | str]) -> pl.Expr:
    """The message template of ``code`` filled column-wise: '{value}' placeholders become expressions."""
    pieces = re.split(r"\{(\w+)\}", MESSAGES[code][1 if lang.startswith("en") else 0])
    parts = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            parts.append(pl.lit(piece))
            continue
        value = params[piece]
        parts.append(value.cast(pl.Utf8).fill_null("") if isinstance(value, pl.Expr) else pl.lit(str(value)))
    return pl.concat_str(parts)


_ISSUE_SCHEMA = {LINE: pl.Int64, "column": pl.Utf8, "severity": pl.Utf8, "code": pl.Utf8, "message": pl.Utf8,
                 "message_id": pl.Utf8, "message_en": pl.Utf8, "_order": pl.Int32}  # fmt: skip


def _issues(work: pl.DataFrame, checks: list[_Check], sheet: Sheet, lang: str) -> pl.DataFrame:
    """One row per failed check, its reason in both languages; ``message`` is the one in ``lang``."""
    parts = [
        work.lazy()
        .filter(check.failed.fill_null(False))
        .select(
            pl.col(LINE),
            pl.lit(_column_label(sheet, check.column)).alias("column"),
            pl.lit("error").alias("severity"),
            pl.lit(check.code).alias("code"),
            *_reasons(check, sheet),
            pl.lit(order, pl.Int32).alias("_order"),
        )
        for order, check in enumerate(checks)
    ]
    issues = pl.concat(parts).collect()
    uploader = pl.col("message_en" if lang.startswith("en") else "message_id").alias("message")
    return issues.with_columns(uploader).cast(_ISSUE_SCHEMA).select(list(_ISSUE_SCHEMA))  # type: ignore[arg-type]


def _reasons(check: _Check, sheet: Sheet) -> list[pl.Expr]:
    """message_id and message_en: a batch is read later in either language, whoever uploaded it."""
    params = {"column": _column_label(sheet, check.column), **check.params}
    return [_fmt(check.code, lang, params).alias(f"message_{lang}") for lang in ("id", "en")]


def _column_label(sheet: Sheet, column: str) -> str:
    """The operator's own header, or the first alias when the file has no such column."""
    return sheet.header_of(column) if column in sheet.columns else ALIASES[column][0]


def _duplicates(work: pl.DataFrame, issues: pl.DataFrame, sheet: Sheet, lang: str) -> pl.DataFrame:
    """A NIK seen again among the otherwise valid rows: the first keeps it, the later ones are rejected."""
    fine = work.select(LINE, "nik").filter(~pl.col(LINE).is_in(issues.get_column(LINE).implode()))
    again = fine.filter(~pl.col("nik").is_first_distinct())
    first = (
        fine.filter(pl.col("nik").is_in(again.get_column("nik").implode()))
        .group_by("nik")
        .agg(pl.col(LINE).min().alias("_first"))
    )
    again = again.join(first, on="nik")
    check = _Check("nik", "duplicate_in_file", pl.lit(True), {"value": pl.col("_first")})
    return _issues(again, [check], sheet, lang).with_columns(
        pl.lit(len(_ISSUE_SCHEMA), pl.Int32).alias("_order")
    )


# ---------------------------------------------------------------------------------------- error file
def rejected_rows(checked: Checked) -> pl.DataFrame:
    """The operator's original cells of every rejected row, with the reasons joined into one text."""
    reasons = (
        checked.issues.filter(pl.col("severity") == "error")
        .group_by(LINE, maintain_order=True)
        .agg(
            pl.concat_str(pl.col("column"), pl.lit(": "), pl.col("message"))
            .str.join(" | ")
            .alias(REASON_HEADER)
        )
    )
    sheet = checked.sheet
    frame = _numbered(sheet)
    return frame.join(reasons, on=LINE, how="inner").sort(LINE)


def write_error_file(checked: Checked, path: str | Path) -> int:
    """Rejected rows as an XLSX that can be fixed and imported again as it is; returns the row count."""
    import xlsxwriter  # only needed when there is something to write

    rows = rejected_rows(checked)
    reason = normalise_header(REASON_HEADER)  # a re-imported error file already has this column
    keep = [i for i, h in enumerate(checked.sheet.headers) if normalise_header(h) != reason]
    headers = [checked.sheet.headers[i] for i in keep] + [REASON_HEADER]
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    sheet = book.add_worksheet("Ditolak")
    text, bold = book.add_format({"num_format": "@"}), book.add_format({"bold": True, "num_format": "@"})
    sheet.set_column(0, len(headers) - 2, 18, text)  # text cells: a retyped NIK stays 16 digits
    sheet.set_column(len(headers) - 1, len(headers) - 1, 60)
    sheet.write_row(0, 0, headers, bold)
    columns = [f"c{i}" for i in keep] + [REASON_HEADER]
    for r, values in enumerate(rows.select(columns).iter_rows(), start=1):
        for col, value in enumerate(values):
            if value is not None:
                sheet.write_string(r, col, value)
    book.close()
    return rows.height
