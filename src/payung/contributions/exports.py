"""A bill as files: the XLSX workbook BPJS and the finance office check line by line, and the one-page
cover letter (PDF) from the Pemda to the BPJS branch. Callers audit each export with ``audited`` (the
workbook carries full NIKs and names: UU 27/2022 wants that on the trail).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from django.db import connection
from django.utils import timezone

from payung.audit.services import record
from payung.contributions.calculator import PROGRAMS
from payung.contributions.models import Bill, BillLine, LineKind
from payung.files import letters, xlsx
from payung.files.letters import count, latin, long_date, rupiah, terbilang
from payung.formats import format_month

EXCEL_ROWS = 1_000_000  # per "Per orang" sheet: Excel stops at 1,048,576 rows
RUPIAH = "#,##0"
LINE_SCHEMA = {"nik": pl.Utf8, "name": pl.Utf8, "unit_name": pl.Utf8, "program": pl.Utf8, "basis": pl.Int64,
               "employer": pl.Int64, "worker": pl.Int64, "total": pl.Int64, "kind": pl.Utf8,
               "period": pl.Utf8, "person_id": pl.Int64}  # fmt: skip
PROGRAM_ORDER = list(dict.fromkeys(PROGRAMS["pu"] + PROGRAMS["bpu"]))


def audited(user, bill: Bill, kind: str, *, channel: str, rows: int | None = None) -> None:
    """One audit event per export: which bill, which kind (xlsx, pdf, api), how many personal rows."""
    rows = (bill.line_count if kind == "xlsx" else 0) if rows is None else rows
    record(user, "export", bill, after={"format": kind, "rows": rows}, channel=channel)


def bill_lines(bill: Bill) -> pl.DataFrame:
    """The bill's lines in its own order (one query; ids break ties)."""
    query = (
        f"SELECT nik, name, unit_name, program, basis, employer, worker, total, kind, CAST(period AS TEXT), "
        f"person_id FROM {BillLine._meta.db_table} WHERE bill_id = %s ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [bill.pk])
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=LINE_SCHEMA, orient="row")
    # The bill's own order (unit, name, program, month; byte-wise, as arrears.line_order): payments
    # cover lines in this order (decision 0010), so the workbook reads in it too.
    frame = frame.sort("unit_name", "name", "program", "period", maintain_order=True)
    return frame.with_columns(pl.col("period").str.to_date("%Y-%m-%d"))


def _programs(lines: pl.DataFrame) -> list[str]:
    found = set(lines.get_column("program").unique())
    return sorted(found, key=lambda p: (PROGRAM_ORDER.index(p) if p in PROGRAM_ORDER else 99, p))


def by_unit(lines: pl.DataFrame) -> pl.DataFrame:
    """Per unit: people billed this month, and employer, worker and total per program and altogether."""
    regular = pl.col("kind") == LineKind.REGULAR.value
    sums = [pl.col("total").filter(pl.col("program") == p).sum().alias(p) for p in _programs(lines)]
    return (
        lines.group_by("unit_name")
        .agg(
            pl.col("person_id").filter(regular).n_unique().alias("people"),
            *sums,
            pl.col("employer").sum(),
            pl.col("worker").sum(),
            pl.col("total").filter(~regular).sum().alias("adjustments"),
            pl.col("total").sum(),
        )
        .sort("unit_name")
    )


def by_program(lines: pl.DataFrame) -> list[dict]:
    """Per program: employer, worker, of which adjustments, total (in program order)."""
    adjustment = pl.col("kind") == LineKind.ADJUSTMENT.value
    rows = lines.group_by("program").agg(
        pl.col("employer").sum(),
        pl.col("worker").sum(),
        pl.col("total").filter(adjustment).sum().alias("adjustments"),
        pl.col("total").sum(),
    )
    found = {row["program"]: row for row in rows.iter_rows(named=True)}
    return [found[p] for p in _programs(lines)]


# ------------------------------------------------------------------------------------------ XLSX
def bill_xlsx(bill: Bill, path: Path | str) -> Path:
    """Ringkasan (agreement, period, totals by unit and program), Per unit, Per orang; integer rupiah."""
    path = Path(path)
    lines = bill_lines(bill)
    book = xlsx.workbook(path, constant_memory=True)
    styles = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "head": book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True}),
        "money": book.add_format({"num_format": RUPIAH}),
        "money_bold": book.add_format({"num_format": RUPIAH, "bold": True, "top": 1}),
        "total_label": book.add_format({"bold": True, "top": 1}),
        "month": book.add_format({"num_format": "yyyy-mm"}),
        "text": book.add_format({"num_format": "@"}),
    }
    _summary(book, styles, bill, lines)
    _per_unit(book, styles, lines)
    _per_person(book, styles, lines)
    book.close()
    return path


def _table(sheet, styles, row: int, headers: list[str], widths: list[int]) -> None:
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write(row, col, header, styles["head"])
        sheet.set_column(col, col, width)


def _summary(book, styles, bill: Bill, lines: pl.DataFrame) -> None:
    sheet = book.add_worksheet("Ringkasan")
    agreement = bill.agreement
    facts = [
        ("PKS", agreement.number),
        ("Pemda", agreement.pemda_party),
        ("BPJS", agreement.bpjs_branch),
        ("Masa berlaku PKS", f"{long_date(agreement.valid_from)} s.d. {long_date(agreement.valid_to)}"),
        ("Bulan tagihan", format_month(bill.period)),
        ("Jatuh tempo", long_date(bill.due_date)),
        ("Sumber dana", agreement.get_funding_source_display()),
        ("Kode rekening", agreement.budget_account or "-"),
        ("Jumlah orang", bill.people),
        ("Jumlah baris", bill.line_count),
        ("Nomor tagihan", bill.pk),
    ]
    sheet.write(0, 0, f"Tagihan iuran {format_month(bill.period)} - {agreement.pemda_party}", styles["title"])
    sheet.set_column(0, 0, 44)
    for row, (label, value) in enumerate(facts, start=2):
        sheet.write(row, 0, label, styles["bold"])
        sheet.write(row, 1, value)
    row = len(facts) + 3
    programs = _programs(lines)
    headers = ["Unit", "Orang", *programs, "Koreksi bulan lalu", "Jumlah"]
    _table(sheet, styles, row, headers, [44, 10, *[16] * len(programs), 18, 18])
    units = by_unit(lines)
    for data in units.iter_rows(named=True):
        row += 1
        sheet.write(row, 0, data["unit_name"])
        sheet.write_number(row, 1, data["people"])
        for col, value in enumerate([*(data[p] for p in programs), data["adjustments"], data["total"]], 2):
            sheet.write_number(row, col, value, styles["money"])
    row += 1
    sheet.write(row, 0, "Jumlah", styles["total_label"])
    sheet.write_number(row, 1, bill.people, styles["money_bold"])
    totals = [*(units.get_column(p).sum() for p in programs), bill.adjustments, bill.total]
    for col, value in enumerate(totals, 2):
        sheet.write_number(row, col, value, styles["money_bold"])


def _per_unit(book, styles, lines: pl.DataFrame) -> None:
    sheet = book.add_worksheet("Per unit")
    headers = ["Unit", "Program", "Orang", "Pemberi kerja", "Pekerja", "Koreksi bulan lalu", "Jumlah"]
    _table(sheet, styles, 0, headers, [44, 10, 10, 18, 18, 18, 18])
    regular = pl.col("kind") == LineKind.REGULAR.value
    rank = {p: i for i, p in enumerate(PROGRAM_ORDER)}
    rows = (
        lines.group_by("unit_name", "program")
        .agg(
            pl.col("person_id").filter(regular).n_unique().alias("people"),
            pl.col("employer").sum(),
            pl.col("worker").sum(),
            pl.col("total").filter(~regular).sum().alias("adjustments"),
            pl.col("total").sum(),
        )
        .with_columns(rank=pl.col("program").replace_strict(rank, default=99, return_dtype=pl.Int32))
        .sort("unit_name", "rank", "program")
    )
    for row, data in enumerate(rows.iter_rows(named=True), start=1):
        sheet.write(row, 0, data["unit_name"])
        sheet.write(row, 1, data["program"])
        sheet.write_number(row, 2, data["people"])
        for col, key in enumerate(("employer", "worker", "adjustments", "total"), start=3):
            sheet.write_number(row, col, data[key], styles["money"])
    sheet.freeze_panes(1, 0)


def _per_person(book, styles, lines: pl.DataFrame) -> None:
    headers = ["NIK", "Nama", "Unit", "Program", "Dasar (upah/penghasilan)", "Pemberi kerja", "Pekerja",
               "Jumlah", "Jenis", "Bulan"]  # fmt: skip
    kinds = {k.value: str(k.label) for k in LineKind}
    for part in range(max(1, -(-lines.height // EXCEL_ROWS))):
        name = "Per orang" if part == 0 else f"Per orang ({part + 1})"
        sheet = book.add_worksheet(name)
        _table(sheet, styles, 0, headers, [19, 30, 36, 9, 18, 15, 15, 15, 18, 9])
        sheet.freeze_panes(1, 0)
        chunk = lines.slice(part * EXCEL_ROWS, EXCEL_ROWS)
        for row, data in enumerate(chunk.iter_rows(), start=1):
            nik, name_, unit, program, basis, employer, worker, total, kind, period, _ = data
            sheet.write_string(row, 0, nik, styles["text"])  # text: Excel would round a 16-digit number
            sheet.write_string(row, 1, name_)
            sheet.write_string(row, 2, unit)
            sheet.write_string(row, 3, program)
            sheet.write_number(row, 4, basis, styles["money"])
            sheet.write_number(row, 5, employer, styles["money"])
            sheet.write_number(row, 6, worker, styles["money"])
            sheet.write_number(row, 7, total, styles["money"])
            sheet.write_string(row, 8, kinds.get(kind, kind))
            sheet.write_datetime(row, 9, dt.datetime(period.year, period.month, 1), styles["month"])


# ------------------------------------------------------------------------------------------ PDF
def cover_letter_pdf(bill: Bill, path: Path | str) -> Path:
    """A one-page Indonesian letter from the Pemda to the BPJS branch: agreement, period, people, totals
    per program, budget account and funding source."""
    from fpdf import FPDF  # only this export pays for fpdf2's import

    path = Path(path)
    agreement, region = bill.agreement, bill.region
    programs = by_program(bill_lines(bill))
    pdf = FPDF(format="A4")
    letters.letterhead(pdf, agreement.pemda_party, region, timezone.localdate(bill.generated_at))
    month = format_month(bill.period)
    for label, value in (
        ("Nomor", f"......../TAG-{bill.pk}/{bill.period:%Y}"),
        ("Lampiran", "1 (satu) berkas rincian per orang (XLSX)"),
        ("Perihal", f"Tagihan iuran jaminan sosial bulan {month}"),
    ):
        pdf.cell(24, 5.5, label)
        pdf.cell(0, 5.5, latin(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 5.5, latin(f"Kepada Yth.\nKepala {agreement.bpjs_branch}\ndi tempat"))
    pdf.ln(3)
    names = ", ".join(row["program"] for row in programs)
    intro = (
        f"Dengan hormat,\n\nBerdasarkan Perjanjian Kerja Sama Nomor {agreement.number} tanggal "
        f"{long_date(agreement.signed_on)} (berlaku {long_date(agreement.valid_from)} s.d. "
        f"{long_date(agreement.valid_to)}), bersama ini kami sampaikan tagihan iuran program {names} "
        f"bulan {month} untuk {count(bill.people)} orang peserta, dengan rincian sebagai berikut:"
    )
    pdf.multi_cell(0, 5.5, latin(intro))
    pdf.ln(3)
    _program_table(pdf, programs, bill)
    pdf.ln(3)
    closing = (
        f"Terbilang: {terbilang(bill.total)} rupiah.\n\n"
        f"Iuran dibayar dari {agreement.get_funding_source_display()}"
        + (f", kode rekening {agreement.budget_account}" if agreement.budget_account else "")
        + f", paling lambat tanggal {long_date(bill.due_date)}. Rincian per unit dan per orang "
        "terlampir. Perubahan data sesudah tagihan ini dibuat akan diperhitungkan sebagai koreksi pada "
        "tagihan bulan berikutnya.\n\nDemikian kami sampaikan; atas kerja samanya kami ucapkan terima kasih."
    )
    pdf.multi_cell(0, 5.5, latin(closing))
    letters.signature(pdf, f"a.n. {agreement.pemda_party}\nKepala Perangkat Daerah\nPengelola Keuangan")
    pdf.set_y(-16)
    pdf.set_font("Helvetica", "I", 7.5)
    footer = f"Dibuat dengan Payung - tagihan #{bill.pk}, {count(bill.line_count)} baris"
    pdf.cell(0, 4, latin(footer), align="C")
    pdf.output(str(path))
    return path


def _program_table(pdf, programs: list[dict], bill: Bill) -> None:
    widths = (34, 34, 30, 34, 34)
    headers = ("Program", "Pemberi kerja", "Pekerja", "Termasuk koreksi", "Jumlah")
    letters.table_head(pdf, widths, headers, 9.5)
    rows = [(r["program"], r["employer"], r["worker"], r["adjustments"], r["total"]) for r in programs]
    for index, row in enumerate(
        [*rows, ("Jumlah", bill.employer, bill.worker, bill.adjustments, bill.total)]
    ):
        if index == len(rows):
            pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(widths[0], 6.5, row[0], border=1)
        for width, value in zip(widths[1:], row[1:], strict=True):
            pdf.cell(width, 6.5, rupiah(value), border=1, align="R")
        pdf.ln()
    pdf.set_font("Helvetica", "", 10.5)
