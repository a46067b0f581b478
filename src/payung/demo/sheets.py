"""How roster cells are written: date and wage forms operators use, and the CSV and XLSX writers. Pure.

``render`` turns true values into text cells (with marks saying which become numbers or real dates in an
XLSX); ``write_csv`` and ``write_xlsx`` put them in a file the way Excel users produce them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from payung.demo.draw import Draw
from payung.files import xlsx

OTHER_DATES = ("decree_date", "start_date", "end_date")
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_ID_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# How a birth date is written, with how often; "excel_date" is a real date cell (dd/mm/yyyy text in CSV).
DATE_FORMATS = (
    ("excel_date", 30),
    ("dmy_slash", 30),
    ("dmy_dash", 8),
    ("iso", 10),
    ("d_month_y", 10),
    ("d_mon_y", 7),
    ("serial", 5),
)
WAGE_FORMATS = (("number", 70), ("rp_dots", 15), ("dots", 10), ("commas", 5))
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_CREATED = dt.datetime(2026, 1, 2, 8, 0)


def date_text(value: dt.date, fmt: str) -> str:
    """A date as operators write it (``fmt`` from DATE_FORMATS; "excel_date" gives dd/mm/yyyy text)."""
    if fmt == "serial":
        return str((value - _EXCEL_EPOCH).days)
    if fmt == "dmy_dash":
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if fmt == "iso":
        return value.isoformat()
    if fmt == "d_month_y":
        return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
    if fmt == "d_mon_y":
        return f"{value.day} {MONTHS_ID_SHORT[value.month - 1]} {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def render(rows: pl.DataFrame, columns: list[str], draw: Draw, excel: bool) -> pl.DataFrame:
    """Text cells per column, plus the marks the XLSX writer needs to write numbers and real dates."""
    n = rows.height
    date_formats, date_weights = zip(*DATE_FORMATS, strict=True)
    wage_formats, wage_weights = zip(*WAGE_FORMATS, strict=True)
    marked = rows.with_columns(
        _birth_fmt=draw.choice(n, date_formats, date_weights),
        _wage_fmt=draw.choice(n, wage_formats, wage_weights),
        _long_sex=draw.bernoulli(n, 0.15),
    )
    exprs = []
    for column in columns:
        if column == "birth_date":
            expr = _birth_expr(excel)
        elif column == "monthly_wage":
            expr = _wage_expr()
        elif column == "sex":
            expr = (
                pl.when("_long_sex")
                .then(
                    pl.col("sex").replace_strict({"L": "Laki-laki", "P": "Perempuan"}, default=pl.col("sex"))
                )
                .otherwise("sex")
            )
        elif rows.schema[column] == pl.Date:
            expr = pl.col(column).dt.strftime("%Y-%m-%d" if excel else "%d/%m/%Y")
        else:
            expr = pl.col(column).cast(pl.Utf8)
        exprs.append(expr.alias(column))
    return marked.select(*exprs, "_fault", "_param", "_birth_fmt", "_wage_fmt")


def _birth_expr(excel: bool) -> pl.Expr:
    born, fmt = pl.col("birth_date"), pl.col("_birth_fmt")
    long_months = born.dt.month().replace_strict(dict(enumerate(MONTHS_ID, 1)), return_dtype=pl.Utf8)
    short_months = born.dt.month().replace_strict(dict(enumerate(MONTHS_ID_SHORT, 1)), return_dtype=pl.Utf8)
    return (
        pl.when(fmt == "dmy_dash")
        .then(born.dt.strftime("%d-%m-%Y"))
        .when(fmt == "iso")
        .then(born.dt.strftime("%Y-%m-%d"))
        .when(fmt == "d_month_y")
        .then(pl.format("{} {} {}", born.dt.day(), long_months, born.dt.year()))
        .when(fmt == "d_mon_y")
        .then(pl.format("{} {} {}", born.dt.day(), short_months, born.dt.year()))
        .when(fmt == "serial")
        .then((born - pl.lit(_EXCEL_EPOCH)).dt.total_days().cast(pl.Utf8))
        .when(fmt == "excel_date")
        .then(born.dt.strftime("%Y-%m-%d" if excel else "%d/%m/%Y"))
        .otherwise(born.dt.strftime("%d/%m/%Y"))
    )


def _grouped(wage: pl.Expr, separator: str) -> pl.Expr:
    """2500000 -> '2.500.000' (separator '.') for wages under a billion."""

    def part(e: pl.Expr) -> pl.Expr:
        return (e % 1000).cast(pl.Utf8).str.zfill(3)

    return (
        pl.when(wage >= 1_000_000_000)
        .then(wage.cast(pl.Utf8))
        .when(wage >= 1_000_000)
        .then(
            pl.format(
                "{}{}{}{}{}",
                wage // 1_000_000,
                pl.lit(separator),
                part(wage // 1000),
                pl.lit(separator),
                part(wage),
            )
        )
        .when(wage >= 1000)
        .then(pl.format("{}{}{}", wage // 1000, pl.lit(separator), part(wage)))
        .otherwise(wage.cast(pl.Utf8))
    )


def _wage_expr() -> pl.Expr:
    wage, fmt = pl.col("monthly_wage"), pl.col("_wage_fmt")
    return (
        pl.when(fmt == "rp_dots")
        .then(pl.concat_str(pl.lit("Rp "), _grouped(wage, ".")))
        .when(fmt == "dots")
        .then(_grouped(wage, "."))
        .when(fmt == "commas")
        .then(_grouped(wage, ","))
        .otherwise(wage.cast(pl.Utf8))
    )


def scientific_text(nik: str) -> str:
    """How Excel shows a NIK stored as a number, as a CSV saved from it carries it: '5.37101E+15'."""
    return f"{int(nik[:15] + '0'):.5E}"


def write_csv(
    path: Path, cells: pl.DataFrame, headers: dict[str, str], encoding: str, delimiter: str
) -> None:
    columns = list(headers)
    frame = cells.with_columns(
        nik=pl.when(pl.col("_fault") == "nik_scientific")
        .then(pl.col("nik").map_elements(scientific_text, return_dtype=pl.Utf8))
        .otherwise("nik")
    ).select(pl.int_range(1, pl.len() + 1).alias("No"), *[pl.col(c).alias(headers[c]) for c in columns])
    if encoding.replace("-", "").lower() == "utf8":
        frame.write_csv(path, separator=delimiter, line_terminator="\r\n")
        return
    text = frame.write_csv(separator=delimiter, line_terminator="\r\n")
    path.write_bytes(text.encode(encoding))


def write_xlsx(path: Path, cells: pl.DataFrame, headers: dict[str, str], title: str | None) -> None:
    columns = list(headers)
    book = xlsx.workbook(path, constant_memory=True)
    book.set_properties({"created": _CREATED, "author": "Payung demo"})  # a fixed date: same seed, same bytes
    sheet = book.add_worksheet("Data")
    formats = {
        "text": book.add_format({"num_format": "@"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "sci": book.add_format({"num_format": "0.00E+00"}),
    }
    top = 0
    if title:
        sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 13}))
        top = 2
    sheet.write_row(
        top, 0, ["No", *(headers[c] for c in columns)], book.add_format({"bold": True, "border": 1})
    )
    widths = {"name": 32, "address": 46, "unit_name": 38, "position": 30, "nik": 19, "mother_maiden_name": 26}
    for j, column in enumerate(columns, start=1):
        sheet.set_column(j, j, widths.get(column, 14))
    marks = ("_fault", "_birth_fmt", "_wage_fmt")
    for i, row in enumerate(cells.select(*columns, *marks).iter_rows(named=True)):
        r = top + 1 + i
        sheet.write_number(r, 0, i + 1)
        for j, column in enumerate(columns, start=1):
            if row[column] is not None:
                _write_cell(sheet, r, j, column, row, formats)
    book.close()


def _write_cell(sheet, r: int, c: int, column: str, row: dict, formats: dict) -> None:
    value = row[column]
    if column == "nik" and row["_fault"] == "nik_scientific":
        sheet.write_number(r, c, float(value), formats["sci"])
    elif column == "birth_date" and row["_birth_fmt"] == "excel_date" or column in OTHER_DATES:
        sheet.write_datetime(r, c, dt.datetime.fromisoformat(value), formats["date"])
    elif column == "birth_date" and row["_birth_fmt"] == "serial":
        sheet.write_number(r, c, int(value))
    elif column == "monthly_wage" and row["_wage_fmt"] == "number":
        sheet.write_number(r, c, int(value), formats["money"])
    else:
        sheet.write_string(r, c, value, formats["text"] if column in ("nik", "kpj", "phone") else None)
