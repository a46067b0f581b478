"""Reading a roster and a BPJS participant list or bill (XLSX, XLS, CSV) into typed frames. Pure: no Django.

Files are read by registry.reading (title rows, header spellings, delimiters, encodings, damaged
and password-protected workbooks, formulas without values), so both sides get the import's tolerance.
Headers are then mapped with the roster's aliases plus the spellings BPJS exports use (``BPJS_ALIASES``).
That reader insists on a NIK column; a BPJS list may identify people by KPJ alone, so a file it
refuses for want of NIK (or birth date) is read again by a small reader here that looks for KPJ and name.

Values are parsed the roster's way, once per distinct value: a list of 100,000 people has a few thousand
distinct dates and wages. A value that cannot be read is left empty (this is a comparison, not an import:
an unreadable wage must not hide a person); the findings then show the original cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from payung.contributions.calculator import PROGRAMS
from payung.reconcile.errors import ReconcileProblem
from payung.registry import headers, names, parsing, reading, workbooks
from payung.registry.headers import normalise_header
from payung.registry.nik import two_digit_year
from payung.registry.problems import FileProblem

# Canonical column -> header spellings, beyond registry.headers.ALIASES. The one place to add a spelling.
BPJS_ALIASES: dict[str, tuple[str, ...]] = {
    "kpj": ("Nomor Peserta", "No Peserta", "No. Peserta", "Nomor KPJ Peserta", "No Kartu", "Nomor Kartu",
            "KPJ Peserta", "No Kartu Peserta"),
    "nik": ("NIK Peserta", "No Identitas", "Nomor Identitas", "No. Identitas"),
    "name": ("Nama TK", "Nama Lengkap Peserta"),
    "birth_date": ("Tanggal Lahir Peserta", "Tgl Lahir Peserta", "Tgl. Lahir Peserta", "Tgl Lahir TK"),
    "monthly_wage": ("Upah Dilaporkan", "Upah Yang Dilaporkan", "Upah Terlapor", "Upah Sebulan",
                     "Upah TK", "Penghasilan"),
    "contribution": ("Iuran", "Total Iuran", "Jumlah Iuran", "Iuran Bulanan", "Nominal Iuran",
                     "Tagihan", "Jumlah Tagihan", "Total Tagihan", "Iuran Per Bulan"),
    "programs": ("Program", "Program Kepesertaan", "Jenis Program", "Program BPJS", "Program Diikuti"),
    "village": ("Desa", "Kelurahan", "Desa/Kelurahan", "Kelurahan/Desa", "Desa Kelurahan", "Nama Desa",
                "Kel/Desa", "Desa/Kel", "Village"),
}  # fmt: skip
KEPT = ("nik", "kpj", "name", "birth_date", "sex", "monthly_wage", "contribution", "programs", "unit_name",
        "address", "village")  # fmt: skip
IDENTIFIERS = ("nik", "kpj")
LINE = "line"  # 1-based data row under the header, blank rows counted (PAIRS.csv)
SHEET_LINE = "sheet_line"  # the row as Excel numbers it (what the operator finds in the file)

ALIASES: dict[str, tuple[str, ...]] = {
    column: headers.ALIASES.get(column, ()) + BPJS_ALIASES.get(column, ()) for column in KEPT
}
_BY_HEADER = {normalise_header(alias): column for column, aliases in ALIASES.items() for alias in aliases}


def canonical_column(header: object) -> str | None:
    return _BY_HEADER.get(normalise_header(header))


def aliases(column: str) -> str:
    return ", ".join(ALIASES[column])


@dataclass
class Listing:
    """One side, typed: LINE, SHEET_LINE, the KEPT columns present (others null), name_key and sounds."""

    side: str  # "roster" or "bpjs"
    name: str  # the file's name, for messages
    frame: pl.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # canonical -> the file's own header

    @property
    def present(self) -> set[str]:
        return set(self.headers)


def read(path: str | Path, side: str, *, filename: str = "", today: dt.date | None = None) -> Listing:
    """Read one side; raise ReconcileProblem with the reason when the file cannot be used."""
    path = Path(path)
    label = filename or path.name
    try:
        sheet = _sheet(path, filename)
    except FileProblem as problem:
        raise ReconcileProblem("file", side=side, name=label, detail=problem) from problem
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for position, header in enumerate(sheet.headers):
        column = canonical_column(header)
        if column and column not in positions:
            positions[column], headers[column] = position, str(header)
    if not any(c in positions for c in IDENTIFIERS):
        raise ReconcileProblem("no_id_column", side=side, name=label, aliases=aliases("nik") + "; " +
                               aliases("kpj"))  # fmt: skip
    if "name" not in positions:
        raise ReconcileProblem("no_name_column", side=side, name=label, aliases=aliases("name"))
    frame = typed(sheet.frame, positions, sheet.header_line, today or dt.date.today())
    if frame.is_empty():
        raise ReconcileProblem("file", side=side, name=label, detail=FileProblem("no_rows"))
    listing = Listing(side, label, frame, headers)
    if side == "bpjs":
        refuse_repeated_kpj(listing)
    return listing


def _sheet(path: Path, filename: str) -> headers.Sheet:
    try:
        return reading.read(path, filename=filename)
    except FileProblem as problem:
        if problem.code not in ("no_nik_column", "missing_column"):
            raise
    return _read_any_header(path)


# ------------------------------------------------------------------------- the reader for lists without NIK
def _read_any_header(path: Path) -> headers.Sheet:
    """Cells as text under the first row naming an identifier (NIK or KPJ) and another known column."""
    head = path.read_bytes()[:8]
    if head.startswith((workbooks.ZIP, workbooks.OLE)):
        rows = _excel_rows(path)
    else:
        rows = reading.text_rows(path.read_bytes(), canonical_column)
    for index, row in enumerate(rows[: headers.MAX_TITLE_ROWS]):
        found = {canonical_column(cell) for cell in row} - {None}
        if found & set(IDENTIFIERS) and len(found) >= 2:  # read() then says which column is missing
            width = len(row)
            body = [r + [""] * (width - len(r)) for r in rows[index + 1 :]]
            data = {f"c{i}": [r[i] or None for r in body] for i in range(width)}
            frame = pl.DataFrame(data, schema={f"c{i}": pl.Utf8 for i in range(width)})
            return headers.Sheet(row, frame, index + 1)
    raise FileProblem("no_nik_column", aliases=aliases("nik") + "; " + aliases("kpj"))


def _excel_rows(path: Path) -> list[list[str]]:
    rows, _merged = workbooks.first_sheet(path, skip_empty_area=True)
    return [[_cell_text(c) for c in row] for row in rows]


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else str(cell).strip()


# ------------------------------------------------------------------------------------------------ values
def typed(frame: pl.DataFrame, positions: dict[str, int], header_line: int, today: dt.date) -> pl.DataFrame:
    """LINE, SHEET_LINE and typed KEPT columns; rows blank in every kept column are dropped."""
    text = {c: pl.col(f"c{positions[c]}").str.strip_chars() for c in KEPT if c in positions}
    work = frame.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(SHEET_LINE),
        *(expr.replace("", None).alias(f"t_{c}") for c, expr in text.items()),
        *(pl.lit(None, pl.Utf8).alias(f"t_{c}") for c in KEPT if c not in positions),
    )
    work = work.filter(~pl.all_horizontal(pl.exclude(SHEET_LINE).is_null()))
    work = work.with_columns(
        pl.col(SHEET_LINE).alias(LINE), (pl.col(SHEET_LINE) + header_line).alias(SHEET_LINE)
    )
    nik = (
        pl.col("t_nik")
        .str.strip_chars("'")
        .str.replace(r"^([0-9]+)\.0$", "$1")
        .str.replace_all(r"[ .\-]", "")
    )
    work = work.with_columns(
        pl.when(nik.str.contains(r"^[0-9]{16}$")).then(nik).alias("nik"),
        pl.col("t_kpj").str.strip_chars("'").str.replace_all(r"[\s.\-]", "").alias("_kpj"),
        pl.col("t_name").str.replace_all(r"\s+", " ").alias("name"),
        _mapped(work, "t_birth_date", lambda v: parse_birth_date(v, today), pl.Date()).alias("birth_date"),
        _mapped(work, "t_sex", parsing.parse_sex, pl.Utf8()).alias("_sex"),
        _mapped(work, "t_monthly_wage", _rupiah, pl.Int64()).alias("monthly_wage"),
        _mapped(work, "t_contribution", _rupiah, pl.Int64()).alias("contribution"),
        _mapped(work, "t_programs", parse_programs, pl.Utf8()).alias("programs"),
        pl.col("t_unit_name").alias("unit_name"),
        pl.col("t_address").alias("address"),
        pl.col("t_village").alias("village"),
    )
    nik_sex = pl.when(pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False) > 40).then(pl.lit("P"))
    work = work.with_columns(
        pl.when(pl.col("_kpj").str.contains(r"^[0-9]+$")).then(pl.col("_kpj")).alias("kpj"),
        pl.coalesce("_sex", pl.when(pl.col("nik").is_not_null()).then(nik_sex.otherwise(pl.lit("L")))).alias(
            "sex"
        ),
    )
    work = names.with_index_columns(work)
    raw = [pl.col(f"t_{c}").alias(f"raw_{c}") for c in ("nik", "kpj", "birth_date", "monthly_wage")]
    return work.select(LINE, SHEET_LINE, *KEPT, "name_key", "sound_first", "sound_last", *raw)


def _mapped(work: pl.DataFrame, column: str, parse: Callable, dtype: pl.DataType) -> pl.Expr:
    """Parse each distinct value once and map the results back onto the column."""
    values = work.get_column(column).drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(values, [parse(v) for v in values], default=None, return_dtype=dtype)


def _rupiah(text: str) -> int | None:
    try:
        return parsing.parse_wage(text)
    except parsing.WageError:
        return None


_SHORT = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
MIN_AGE = 15  # a worker younger than this is a misread century


def parse_birth_date(text: str, today: dt.date) -> dt.date | None:
    """The roster's date forms, plus two-digit years (30/04/85), yyyymmdd (19850430) and a day and month
    swapped where the straight reading is impossible (04/30/1985, as US-set spreadsheets write it)."""
    value = text.strip()
    if found := parsing.parse_date(value):
        return found
    if m := _COMPACT.fullmatch(value):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _SHORT.fullmatch(value):  # the NIK's century reading, shifted to working ages
        day, month, yy = int(m[1]), int(m[2]), int(m[3])
        straight = two_digit_year(day, month, yy, today, MIN_AGE)
        return straight or two_digit_year(month, day, yy, today, MIN_AGE)
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
        return _date(int(m[3]), int(m[1]), int(m[2]))  # month/day/year
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if 1900 <= year <= 2100 else None
    except ValueError:
        return None


_PROGRAM_ORDER = PROGRAMS["pu"]


def parse_programs(text: str) -> str | None:
    """'JKK, JKM' / 'jkk+jkm' / '2 Program (JKK-JKM)' -> 'JKK,JKM' in the rules' order; None if none known."""
    found = {word for word in re.split(r"[^A-Z]+", text.upper()) if word in _PROGRAM_ORDER}
    return ",".join(p for p in _PROGRAM_ORDER if p in found) or None


# ------------------------------------------------------------------------------------------- refusals
def refuse_repeated_kpj(listing: Listing) -> None:
    """A BPJS list names each participant once by KPJ: the same KPJ twice is a broken export, not data."""
    repeated = (
        listing.frame.filter(pl.col("kpj").is_not_null())
        .group_by("kpj")
        .agg(pl.col(SHEET_LINE).sort())
        .filter(pl.col(SHEET_LINE).list.len() > 1)
        .sort(pl.col(SHEET_LINE).list.first())
    )
    if repeated.is_empty():
        return
    kpj, lines = repeated.row(0)
    more = repeated.height - 1
    raise ReconcileProblem(
        "duplicate_kpj",
        kpj=kpj,
        lines=", ".join(map(str, lines)),
        more=more,
    )


def refuse_no_common_identifier(roster_list: Listing, bpjs_list: Listing) -> None:
    common = roster_list.present & bpjs_list.present & set(IDENTIFIERS)
    if not common:

        def listed(listing: Listing) -> str:
            return ", ".join(listing.headers[c] for c in IDENTIFIERS if c in listing.present)

        raise ReconcileProblem("no_common_id", roster=listed(roster_list), bpjs=listed(bpjs_list))
