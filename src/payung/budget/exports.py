"""A scenario and a line's realisation as the finance office submits them (XLSX through payung.files.xlsx,
values only, never formulas), and a one-page summary for the head of region (PDF, payung.files.letters).

The scenario workbook: a summary sheet (months, programs, funding sources), a sheet per funding source paid
from the region's own budget (per unit and program), and a sheet per village where villages pay (their
perangkat and RT/RW per program and month: the figure each village's APBDes needs). Every export is audited.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from payung.audit.services import record
from payung.budget import pricing
from payung.budget.models import BudgetLine, Scenario
from payung.coverage.models import FundingSource
from payung.files import letters, xlsx
from payung.files.letters import latin, long_date, rupiah, terbilang

MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
SHEET_LIMIT = 31
RULES_NOTE = "dihitung per bulan dengan aturan yang berlaku pada bulan itu."


def audited(user, what: str, region_code: str, rows: int, obj=None, *, channel: str) -> None:
    record(
        user, "export", obj, region_code=region_code, after={"format": what, "rows": rows}, channel=channel
    )


class _Sheets:
    """Unique sheet names of at most 31 characters, without the characters Excel refuses."""

    def __init__(self, book):
        self.book, self.used = book, set()

    def add(self, name: str):
        clean = "".join("-" if c in "[]:*?/\\" else c for c in name)[:SHEET_LIMIT] or "Sheet"
        candidate, n = clean, 2
        while candidate.lower() in self.used:
            suffix = f" ({n})"
            candidate, n = clean[: SHEET_LIMIT - len(suffix)] + suffix, n + 1
        self.used.add(candidate.lower())
        return self.book.add_worksheet(candidate)


def scenario_xlsx(scenario: Scenario, priced: pricing.Priced, path: Path | str) -> Path:
    path = Path(path)
    book = xlsx.workbook(path)
    bold = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0"})
    sheets = _Sheets(book)
    sources = dict(FundingSource.choices)
    lines = priced.lines

    summary = sheets.add("Ringkasan")
    summary.set_column(0, 0, 34)
    summary.set_column(1, 13, 15)
    summary.write(0, 0, f"{scenario.name} - {scenario.region.name} - tahun anggaran {scenario.year}", bold)
    summary.write_row(2, 0, ["", *MONTHS_ID, "Setahun"], head)
    summary.write(3, 0, "Jumlah")
    summary.write_row(3, 1, [*priced.months(), priced.total], money)
    row = 5
    for title, key in (("Program", "program"), ("Sumber dana", "source"), ("Kelompok", "part")):
        summary.write_row(row, 0, [title, *MONTHS_ID, "Setahun"], head)
        for value in sorted(lines[key].unique().to_list()):
            part = lines.filter(lines[key] == value)
            per_month = [int(part.filter(part["month"] == m)["amount"].sum()) for m in pricing.MONTHS]
            row += 1
            summary.write(row, 0, str(sources.get(value, value)) if key == "source" else str(value))
            summary.write_row(row, 1, [*per_month, sum(per_month)], money)
        row += 2

    programs = sorted(lines["program"].unique().to_list(), key=pricing.BUDGET_PROGRAMS.index)
    for source in sorted(lines["source"].unique().to_list()):
        of_source = lines.filter(lines["source"] == source)
        villages = of_source.filter(of_source["village"].is_not_null())
        if villages.height:
            for village in sorted(villages["village"].unique().to_list()):
                _village_sheet(sheets.add(f"{village}"), villages.filter(villages["village"] == village),
                               village, sources.get(source, source), head, money, bold)  # fmt: skip
            of_source = of_source.filter(of_source["village"].is_null())
            if not of_source.height:
                continue
        sheet = sheets.add(str(sources.get(source, source)))
        sheet.write(0, 0, f"{sources.get(source, source)} - {scenario.region.name} {scenario.year}", bold)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(programs) + 2, 16)
        sheet.write_row(2, 0, ["Unit", "Orang (Jan)", *programs, "Setahun"], head)
        units = of_source.group_by("unit").agg().sort("unit", nulls_last=True)["unit"].to_list()
        for r, unit in enumerate(units, start=3):
            rows = of_source.filter(of_source["unit"] == unit) if unit is not None else of_source.filter(
                of_source["unit"].is_null())  # fmt: skip
            people = int(rows.filter((rows["month"] == 1) & (rows["program"] == programs[0]))["people"].sum())
            amounts = [int(rows.filter(rows["program"] == p)["amount"].sum()) for p in programs]
            sheet.write(r, 0, unit or "Rencana (belum terdaftar)")
            sheet.write_row(r, 1, [people, *amounts, sum(amounts)], money)
    book.close()
    return path


def _village_sheet(sheet, rows, village: str, source: str, head, money, bold) -> None:
    sheet.write(0, 0, f"{village} - {source}", bold)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 14, 13)
    sheet.write_row(2, 0, ["Kelompok", "Program", *MONTHS_ID, "Setahun"], head)
    r = 3
    for part in sorted(rows["part"].unique().to_list()):
        for program in sorted(rows.filter(rows["part"] == part)["program"].unique().to_list()):
            chosen = rows.filter((rows["part"] == part) & (rows["program"] == program))
            per_month = [int(chosen.filter(chosen["month"] == m)["amount"].sum()) for m in pricing.MONTHS]
            sheet.write(r, 0, part)
            sheet.write(r, 1, program)
            sheet.write_row(r, 2, [*per_month, sum(per_month)], money)
            r += 1
    per_month = [int(rows.filter(rows["month"] == m)["amount"].sum()) for m in pricing.MONTHS]
    sheet.write(r, 0, "Jumlah", head)
    sheet.write_row(r, 2, [*per_month, sum(per_month)], money)


def realisation_xlsx(line: BudgetLine, real: dict, path: Path | str) -> Path:
    path = Path(path)
    book = xlsx.workbook(path)
    bold = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": "#,##0"})
    sheet = book.add_worksheet("Realisasi")
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 4, 18)
    sheet.write(0, 0, f"{line.account_code} {line.account_name} - {line.region.name} {line.year}", bold)
    facts = [(f"Pagu (versi {line.version})", real["amount"]), ("Ditagih", real["billed"]),
             ("Dibayar", real["paid"]), ("Belum dibayar", real["outstanding"]),
             ("Perkiraan sisa tahun", real["projected"]),
             ("Sisa pagu akhir tahun", real["left"])]  # fmt: skip
    for r, (label, amount) in enumerate(facts, start=2):
        sheet.write(r, 0, label)
        sheet.write(r, 1, amount, money)
    sheet.write(9, 0, "Habis pada")
    sheet.write(9, 1, f"{MONTHS_ID[real['runs_out'].month - 1]} {line.year}" if real["runs_out"] else "-")
    sheet.write_row(11, 0, ["Bulan", "Ditagih", "Perkiraan", "Kumulatif"], head)
    for r, month in enumerate(real["months"], start=12):
        sheet.write(r, 0, f"{MONTHS_ID[month['month'] - 1]} {line.year}")
        sheet.write_row(r, 1, [month["billed"], month["projected"], month["cumulative"]], money)
    book.close()
    return path


def summary_pdf(scenario: Scenario, priced: pricing.Priced, path: Path | str, *, today: dt.date) -> Path:
    """One page for the head of region: the year's cost, per funding source, program and group, by month."""
    from fpdf import FPDF  # only this export pays for fpdf2's import

    path = Path(path)
    sources = dict(FundingSource.choices)
    pdf = FPDF(format="A4")
    letters.letterhead(pdf, f"Pemerintah {scenario.region.name}", scenario.region, today)
    pdf.set_font("Helvetica", "B", 12)
    pdf.ln(2)
    pdf.multi_cell(
        0,
        6,
        latin(f"Ringkasan anggaran iuran jaminan sosial tahun {scenario.year}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5.5, latin(f"Skenario: {scenario.name}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    cost = f"Biaya setahun: {rupiah(priced.total)} ({terbilang(priced.total)} rupiah), "
    pdf.multi_cell(0, 5.5, latin(cost + RULES_NOTE), new_x="LMARGIN", new_y="NEXT")
    for title, key in (("Sumber dana", "source"), ("Program", "program"), ("Kelompok", "part")):
        pdf.ln(2)
        letters.table_head(pdf, (110, 56), (title, "Setahun"), 9.5)
        for value, amount in priced.by(key).items():
            label = str(sources.get(value, value)) if key == "source" else str(value)
            pdf.cell(110, 6, latin(label), border=1)
            pdf.cell(56, 6, rupiah(amount), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    letters.table_head(pdf, (40, 43, 40, 43), ("Bulan", "Biaya", "Bulan", "Biaya"), 9)
    months = priced.months()
    for i in range(6):
        for m in (i, i + 6):
            pdf.cell(40, 5.5, f"{MONTHS_ID[m]} {scenario.year}", border=1)
            pdf.cell(43, 5.5, rupiah(months[m]), border=1, align="R")
        pdf.ln()
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    letters.signature(pdf, f"{scenario.region.name}, {long_date(today)}\nKepala Badan Keuangan Daerah")
    pdf.output(str(path))
    return path
