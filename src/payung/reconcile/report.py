"""The outputs of a reconciliation: REPORT.xlsx, PAIRS.csv and the JSON summary. Pure: no Django.

REPORT.xlsx has a summary sheet (count and rupiah per month per finding, and what the figures assume)
and one sheet per finding with the roster's row and the BPJS row side by side. The files hold full NIKs:
they are made from the operator's own two files, for correcting them at BPJS, and nothing is stored.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from payung.files import xlsx
from payung.formats import STRFTIME, language
from payung.reconcile.findings import DIFFERENCES, FINDINGS, IMPACT_PARTS, LABELS, Findings, Options
from payung.reconcile.linkage import B, R

MONEY = ("monthly_wage", "contribution")
MAX_ROWS = 1_000_000  # per sheet; Excel's limit is 1,048,576 rows
SHEET_NAMES = {
    "matched": ("Cocok", "Matched"),
    "differences": ("Ada perbedaan", "Differences"),
    "roster_only": ("Hanya di daftar", "Roster only"),
    "bpjs_only": ("Hanya di BPJS", "BPJS only"),
    "duplicate_roster": ("Ganda di daftar", "Roster duplicates"),
    "duplicate_bpjs": ("Ganda di BPJS", "BPJS duplicates"),
}
TEXT: dict[str, tuple[str, str]] = {
    "summary": ("Ringkasan", "Summary"),
    "title": ("Rekonsiliasi daftar dengan BPJS", "Reconciliation of the roster with BPJS"),
    "finding": ("Temuan", "Finding"),
    "count": ("Jumlah baris", "Rows"),
    "billed": ("Ditagih BPJS (Rp/bulan)", "Billed by BPJS (Rp/month)"),
    "computed": ("Dihitung Payung (Rp/bulan)", "Computed by Payung (Rp/month)"),
    "impact": ("Dampak (Rp/bulan)", "Impact (Rp/month)"),
    "total": ("Jumlah", "Total"),
    "month": ("bulan", "month"),
    "roster_file": ("Berkas daftar", "Roster file"),
    "bpjs_file": ("Berkas BPJS", "BPJS file"),
    "period": ("Periode", "Period"),
    "programs": ("Program", "Programs"),
    "jkk_class": ("Kelompok risiko JKK", "JKK risk class"),
    "category": ("Kategori", "Category"),
    "threshold": ("Ambang skor kecocokan", "Match score threshold"),
    "estimated": (
        "Berkas BPJS tanpa kolom IURAN: 'ditagih' dihitung dari upah dan program di berkas BPJS.",
        "The BPJS file has no IURAN column: 'billed' is computed from the BPJS file's wages and programs.",
    ),
    "impact_note": (
        "Dampak per temuan: selisih ditagih - dihitung (ada perbedaan); iuran yang perlu dibayar (hanya di "
        "daftar); iuran yang dibayar (hanya di BPJS, ganda di BPJS). Dampak tidak dijumlahkan: di bawah, "
        "tiga jumlah menurut sifatnya.",
        "Impact per finding: billed - computed (differences); what protecting them costs (roster only); what "
        "is paid (BPJS only, BPJS duplicates). Impacts are not added up: below, three amounts by their kind.",
    ),
    "roster": ("Daftar", "Roster"),
    "bpjs": ("BPJS", "BPJS"),
    "line": ("baris", "line"),
    "score": ("Skor", "Score"),
    "stage": ("Cara", "Method"),
    "differences": ("Perbedaan", "Differences"),
    "evidence": ("Bukti", "Evidence"),
    "of_line": ("Sama dengan baris data", "Same as data row"),
}
SIDE_COLUMNS = {  # column -> header (id, en)
    "line": ("baris data", "data row"),
    "sheet_line": ("baris Excel", "Excel row"),
    "nik": ("NIK", "NIK"),
    "kpj": ("No KPJ", "KPJ"),
    "name": ("Nama", "Name"),
    "birth_date": ("Tgl lahir", "Birth date"),
    "sex": ("JK", "Sex"),
    "monthly_wage": ("Upah", "Wage"),
    "unit_name": ("Unit kerja", "Unit"),
    "contribution": ("Iuran", "Contribution"),
    "programs": ("Program", "Programs"),
}


def _t(key: str, lang: str, table: dict[str, tuple[str, str]] = TEXT) -> str:
    return table[key][1 if lang.startswith("en") else 0]


@dataclass(frozen=True)
class Context:
    roster_name: str
    bpjs_name: str
    options: Options
    threshold: float
    lang: str = "id"


# ------------------------------------------------------------------------------------------- PAIRS.csv
def pairs_frame(found: Findings) -> pl.DataFrame:
    """roster_line, bpjs_line, status, score: every row of both files once (1-based data rows)."""
    score = (
        pl.when(pl.col("finding").is_in(["roster_only", "bpjs_only"])).then(None).otherwise(pl.col("score"))
    )
    return found.rows.select(
        pl.col(R).alias("roster_line"),
        pl.col(B).alias("bpjs_line"),
        pl.col("finding").alias("status"),
        score.round(6).alias("score"),
    )


def write_pairs(found: Findings, path: str | Path) -> int:
    frame = pairs_frame(found)
    frame.write_csv(path, null_value="")
    return frame.height


def summary_json(found: Findings, context: Context, roster_rows: int, bpjs_rows: int) -> str:
    summary = found.summary()
    return json.dumps(
        {
            "counts": dict(summary.select("finding", "count").iter_rows()),
            "rupiah_per_month": {
                row["finding"]: {k: row[k] for k in ("billed", "computed", "impact")}
                for row in summary.iter_rows(named=True)
            },
            "impact_parts": found.impact_parts(),
            "roster_rows": roster_rows,
            "bpjs_rows": bpjs_rows,
            "period": context.options.period.strftime("%Y-%m"),
            "programs": list(context.options.programs),
            "jkk_class": context.options.jkk_class,
            "threshold": context.threshold,
            "billed_estimated": found.billed_estimated,
        },
        ensure_ascii=False,
        indent=2,
    )


# ----------------------------------------------------------------------------------------- REPORT.xlsx
def write_report(found: Findings, path: str | Path, context: Context) -> None:
    lang = context.lang
    book = xlsx.workbook(path, constant_memory=True)
    formats = {
        "bold": book.add_format({"bold": True}),
        "head": book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "top"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "money_bold": book.add_format({"num_format": "#,##0", "bold": True}),
        "text": book.add_format({"num_format": "@"}),
    }
    _summary_sheet(book, found, context, formats)
    for finding in FINDINGS:
        _finding_sheets(book, finding, found.rows.filter(pl.col("finding") == finding), lang, formats)
    book.close()


def _summary_sheet(book, found: Findings, context: Context, formats: dict) -> None:
    lang, options = context.lang, context.options
    sheet = book.add_worksheet(_t("summary", lang))
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 4, 22)
    sheet.write_string(0, 0, _t("title", lang), formats["bold"])
    facts = [
        ("roster_file", context.roster_name),
        ("bpjs_file", context.bpjs_name),
        ("period", options.period.strftime("%Y-%m")),
        ("category", options.category.upper()),
        ("programs", ", ".join(options.programs)),
        ("jkk_class", str(options.jkk_class or "-")),
        ("threshold", f"{context.threshold:g}"),
    ]
    for i, (key, value) in enumerate(facts, start=1):
        sheet.write_string(i, 0, _t(key, lang))
        sheet.write_string(i, 1, value)
    top = len(facts) + 2
    heads = [_t(k, lang) for k in ("finding", "count", "billed", "computed", "impact")]
    sheet.write_row(top, 0, heads, formats["head"])
    summary = found.summary()
    for i, row in enumerate(summary.iter_rows(named=True), start=top + 1):
        sheet.write_string(i, 0, _t(row["finding"], lang, LABELS))
        sheet.write_number(i, 1, row["count"])
        for j, key in enumerate(("billed", "computed", "impact"), start=2):
            sheet.write_number(i, j, row[key], formats["money"])
    last = top + 1 + summary.height
    sheet.write_string(last, 0, _t("total", lang), formats["bold"])
    for j, key in enumerate(("count", "billed", "computed"), start=1):  # impacts of different kinds: no sum
        sheet.write_number(last, j, int(summary[key].sum()), formats["money_bold"])
    parts = found.impact_parts()
    for k, part in enumerate(IMPACT_PARTS, start=last + 2):
        sheet.write_string(k, 0, f"{_t(part, lang, IMPACT_PARTS)} (Rp/{_t('month', lang)})", formats["bold"])
        sheet.write_number(k, 4, parts[part], formats["money_bold"])
    notes = ["impact_note", *(["estimated"] if found.billed_estimated else [])]
    for k, note in enumerate(notes, start=last + 2 + len(IMPACT_PARTS) + 1):
        sheet.write_string(k, 0, _t(note, lang))


def _finding_sheets(book, finding: str, rows: pl.DataFrame, lang: str, formats: dict) -> None:
    """The finding's rows, side by side; more than MAX_ROWS continue on a second sheet."""
    roster_cols = [c for c in SIDE_COLUMNS if c not in ("contribution", "programs")]
    bpjs_cols = list(SIDE_COLUMNS)
    shown_r = finding not in ("bpjs_only", "duplicate_bpjs")
    shown_b = finding not in ("roster_only", "duplicate_roster")
    columns: list[tuple[str, pl.Expr, bool]] = []  # header, value, money
    for shown, side, prefix, side_cols in (
        (shown_r, "roster", "r", roster_cols),
        (shown_b, "bpjs", "b", bpjs_cols),
    ):
        if shown:
            columns += [
                (f"{_t(side, lang)}: {_t(c, lang, SIDE_COLUMNS)}", _text(f"{prefix}_{c}", lang), c in MONEY)
                for c in side_cols
            ]
    if finding.startswith("duplicate"):
        columns.append((_t("of_line", lang), _sheet_line_of(rows, finding), False))
    if finding in ("matched", "differences", "duplicate_roster", "duplicate_bpjs"):
        columns.append((_t("score", lang), pl.col("score").round(4), False))
    if finding in ("matched", "differences"):
        columns += [
            (_t("stage", lang), pl.col("stage"), False),
            (_t("evidence", lang), pl.col("evidence"), False),
        ]
    if finding == "differences":
        columns.append((_t("differences", lang), _difference_labels(lang), False))
    columns += [(_t(k, lang), pl.col(k), True) for k in ("billed", "computed", "impact")]
    values = rows.select(*(expr.alias(f"_{i}") for i, (_, expr, _) in enumerate(columns)))
    base = _t(finding, lang, SHEET_NAMES)
    for part, start in enumerate(range(0, max(values.height, 1), MAX_ROWS)):
        sheet = book.add_worksheet(base if part == 0 else f"{base} ({part + 1})")
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, [h for h, _, _ in columns], formats["head"])
        for j, (header, _, money) in enumerate(columns):
            sheet.set_column(
                j, j, 30 if "Nama" in header or "Name" in header else 14, formats["money"] if money else None
            )
        for i, row in enumerate(values.slice(start, MAX_ROWS).iter_rows(), start=1):
            sheet.write_row(i, 0, row)


def _text(column: str, lang: str) -> pl.Expr:
    """Values as the sheet shows them: dates in the one date style, identifiers as text, rupiah as numbers."""
    if column in ("r_line", "b_line"):
        return pl.col(R if column == "r_line" else B)
    if column.endswith("birth_date"):
        return pl.col(column).dt.strftime(STRFTIME[language(lang)])
    return pl.col(column)


def _sheet_line_of(rows: pl.DataFrame, finding: str) -> pl.Expr:
    return pl.col("_of") if "_of" in rows.columns else pl.lit(None, pl.Int64)


def _difference_labels(lang: str) -> pl.Expr:
    mapping = {code: _t(code, lang, DIFFERENCES) for code in DIFFERENCES}
    return pl.col("differences").str.split(",").list.eval(pl.element().replace(mapping)).list.join(", ")


def read_pairs(path: str | Path) -> list[dict[str, str]]:
    """PAIRS.csv back as dictionaries (for tests and scripts)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
