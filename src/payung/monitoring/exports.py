"""Monitoring as files: the named list behind a number (XLSX, NIKs masked) and the coordination meeting's
report, one page per kab/kota plus a summary table (PDF, and the same figures as XLSX). Reports are
Indonesian: they are read in the governor's meeting. Every file goes through payung.files (xlsx: no cell
read as a formula; letters: the letterhead, the Latin-1 core font). Callers audit each export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from payung import formats
from payung.files import letters, xlsx
from payung.files.letters import fit, latin, long_date, rupiah
from payung.monitoring import indicators
from payung.monitoring.models import Reason
from payung.registry.models import Group
from payung.registry.nik import mask

REASONS = dict(Reason.choices)
GROUPS = dict(Group.choices)


def named_xlsx(entries: list, path: Path | str, *, title: str, actions: dict) -> Path:
    """One row per person x unit: masked NIK, name, unit, group, desa, protected, paid, why not, and what
    to do."""
    path = Path(path)
    book = xlsx.workbook(path)
    sheet = book.add_worksheet("Daftar")
    bold = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    sheet.write_string(0, 0, title, bold)
    columns = (
        "No",
        "NIK (disamarkan)",
        "Nama",
        "Unit kerja",
        "Kelompok",
        "Kode desa",
        "Terlindungi",
        "Dibayar",
        "Program",
        "Mengapa belum",
        "Yang harus dilakukan",
    )
    for col, name in enumerate(columns):
        sheet.write_string(2, col, name, head)
    for row, entry in enumerate(entries, 3):
        cells = (
            mask(entry.person.nik),
            entry.name,
            entry.unit.name if entry.unit else "",
            str(GROUPS.get(entry.group, entry.group)),
            entry.village,
            "ya" if entry.covered else "tidak",
            "ya" if entry.paid else "tidak",
            entry.programs,
            str(REASONS.get(entry.reason, "")),
            str(actions.get(entry.reason, "")),
        )
        sheet.write_number(row, 0, row - 2)
        for col, value in enumerate(cells, 1):
            sheet.write_string(row, col, value)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 19)
    sheet.set_column(2, 3, 32)
    sheet.set_column(4, 8, 14)
    sheet.set_column(9, 10, 44)
    sheet.autofilter(2, 0, 2 + len(entries), len(columns) - 1)
    sheet.freeze_panes(3, 0)
    book.close()
    return path


# ------------------------------------------------------------------------------------------ meeting
def _share(part: int, whole: int) -> str:
    return f"{formats.format_number(part, 'id')} / {formats.format_number(whole, 'id')}" + (
        f" ({round(100 * part / whole)}%)" if whole else ""
    )


def _score(value) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def _change(value, suffix: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:+}{suffix}".replace(".", ",") if value else "tetap"


def district_facts(d) -> list[tuple[str, str]]:
    """A kab/kota's figures as the report and its XLSX write them (label, value)."""
    if d.summary is None:
        return [("Data", "belum ada data untuk bulan ini")]
    source = (
        "data Payung di server provinsi"
        if not d.is_file
        else (f"berkas ringkasan kab/kota, ditandatangani {d.summary.signed_at:%d-%m-%Y %H:%M}")
    )
    regulation = (
        (
            f"{d.regulation.get_kind_display()} Nomor {d.regulation.number}, "
            f"{long_date(d.regulation.issued_on)}"
        )
        if d.regulation
        else "belum ada"
    )
    until = d.agreement_until
    money = d.money
    return [
        ("Sumber data", source),
        ("Regulasi", regulation),
        ("Anggaran tahun ini", rupiah(d.budget) if d.budget is not None else "belum dicatat"),
        ("PKS berlaku sampai", long_date(until) if until else "tidak ada PKS berlaku"),
        ("Program", ", ".join(d.programs) or "-"),
        ("Orang di registri", formats.format_number(d.figures.get("people", 0), "id")),
        ("Terlindungi", _share(d.figures.get("covered", 0), d.figures.get("people", 0))),
        ("Dibayar iurannya", _share(d.figures.get("paid", 0), d.figures.get("people", 0))),
        ("Non-ASN terlindungi", _share(*d.non_asn)),
        ("Pekerja rentan terlindungi", _share(*d.rentan)),
        ("Perangkat desa dan RT/RW terlindungi", _share(*d.village)),
        ("Tunggakan", rupiah(money.get("outstanding", 0))),
        ("Klaim dibayar tahun ini", rupiah(money.get("claims_paid_year", 0))),
        ("Skor / peringkat", f"{_score(d.score)} / {d.rank or '-'}"),
        (
            "Perubahan sejak rapat lalu",
            f"skor {_change(d.score_change)}, peringkat {_change(d.rank_change)}, "
            f"terlindungi {_change(d.covered_change)}",
        ),
    ]


def meeting_pdf(
    found: list, path: Path | str, *, province, title: str, period: dt.date, today: dt.date
) -> Path:
    """The summary table (every kab/kota, ranked) then one page per kab/kota with its figures and
    indicator values, then the indicator set with its weights and sources."""
    from fpdf import FPDF

    path = Path(path)
    pdf = FPDF(format="A4", orientation="L")
    party = f"Pemerintah Provinsi {province.name}"
    letters.letterhead(pdf, party, province, today, width=253)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(
        0,
        7,
        latin(
            f"{title.upper()}\nCakupan jaminan sosial ketenagakerjaan, {formats.format_month(period, 'id')}"
        ),
        align="C",
    )
    pdf.ln(2)
    widths = (10, 50, 25, 33, 33, 33, 36, 18, 15)
    headers = (
        "No",
        "Kabupaten/Kota",
        "Registri",
        "Terlindungi",
        "Non-ASN",
        "Pekerja rentan",
        "Tunggakan",
        "Skor",
        "Ubah",
    )
    letters.table_head(pdf, widths, headers, 8.5)
    for d in found:
        cells = (
            str(d.rank or "-"),
            d.region.name,
            formats.format_number(d.figures.get("people", 0), "id"),
            _pct(d.figures.get("covered", 0), d.figures.get("people", 0)),
            _pct(*d.non_asn),
            _pct(*d.rentan),
            rupiah(d.money.get("outstanding", 0)) if d.summary else "-",
            _score(d.score),
            _change(d.rank_change),
        )
        if d.summary is None:
            cells = (cells[0], cells[1], "belum ada data", "", "", "", "", "", "")
        for i, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 5.6, latin(fit(pdf, text, width)), border=1, align="L" if i == 1 else "R")
        pdf.ln()
    for d in found:
        _district_page(pdf, d, party, province, today)
    _indicator_page(pdf, party, province, today)
    pdf.output(str(path))
    return path


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _district_page(pdf, d, party: str, province, today: dt.date) -> None:
    letters.letterhead(pdf, party, province, today, width=253)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin(f"{d.region.name} ({d.region.dotted_code})"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for label, value in district_facts(d):
        pdf.cell(80, 6, latin(label))
        pdf.multi_cell(0, 6, latin(value), new_x="LMARGIN", new_y="NEXT")
    if d.values:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Nilai indikator (0-100)", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for indicator in indicators.indicator_set():
            value = d.values.get(indicator.key)
            shown = "tidak dinilai" if value is None else f"{round(100 * value)}"
            pdf.cell(150, 6, latin(f"{indicator.label} (bobot {indicator.weight:g})"))
            pdf.cell(0, 6, shown, new_x="LMARGIN", new_y="NEXT")


def _indicator_page(pdf, party: str, province, today: dt.date) -> None:
    letters.letterhead(pdf, party, province, today, width=253)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Indikator dan bobot", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(
        0,
        5,
        latin(
            "Disusun mengikuti aspek penilaian Paritrana Award (Kemenko PMK dan BPJS Ketenagakerjaan): "
            "regulasi, implementasi dan cakupan kepesertaan. Bobot tidak dipublikasikan; bobot di bawah ini "
            "ASUMSI Payung dan dapat diubah provinsi (monitoring/data/indicators.toml)."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for indicator in indicators.indicator_set():
        pdf.cell(40, 6, latin(indicator.aspect))
        pdf.cell(150, 6, latin(indicator.label))
        pdf.cell(0, 6, f"bobot {indicator.weight:g}", new_x="LMARGIN", new_y="NEXT")


def meeting_xlsx(found: list, path: Path | str, *, title: str, period: dt.date) -> Path:
    """The summary table (one row per kab/kota, indicator values as columns) and one sheet of figures per
    kab/kota with data."""
    path = Path(path)
    book = xlsx.workbook(path)
    bold = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    chosen = indicators.indicator_set()
    sheet = book.add_worksheet("Ringkasan")
    sheet.write_string(0, 0, f"{title}, {formats.format_month(period, 'id')}", bold)
    columns = [
        "Peringkat",
        "Kode",
        "Kabupaten/Kota",
        "Sumber",
        "Registri",
        "Terlindungi",
        "Dibayar",
        "Tunggakan (Rp)",
        "Klaim dibayar tahun ini (Rp)",
        "Skor",
        *[f"{i.label} (bobot {i.weight:g})" for i in chosen],
    ]
    for col, name in enumerate(columns):
        sheet.write_string(2, col, name, head)
    for row, d in enumerate(found, 3):
        sheet.write_string(row, 1, d.region.code)
        sheet.write_string(row, 2, d.region.name)
        if d.summary is None:
            sheet.write_string(row, 3, "belum ada data")
            continue
        sheet.write_number(row, 0, d.rank or 0)
        sheet.write_string(row, 3, "berkas" if d.is_file else "lokal")
        for col, value in enumerate(
            (
                d.figures.get("people", 0),
                d.figures.get("covered", 0),
                d.figures.get("paid", 0),
                d.money.get("outstanding", 0),
                d.money.get("claims_paid_year", 0),
            ),
            4,
        ):
            sheet.write_number(row, col, value)
        if d.score is not None:
            sheet.write_number(row, 9, d.score)
        for col, indicator in enumerate(chosen, 10):
            value = d.values.get(indicator.key)
            if value is not None:
                sheet.write_number(row, col, round(100 * value, 1))
    sheet.set_column(0, 1, 9)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, len(columns), 14)
    for d in found:
        if d.summary is None:
            continue
        page = book.add_worksheet(d.region.code)
        page.write_string(0, 0, d.region.name, bold)
        for row, (label, value) in enumerate(district_facts(d), 2):
            page.write_string(row, 0, label)
            page.write_string(row, 1, value)
        page.set_column(0, 0, 36)
        page.set_column(1, 1, 70)
    book.close()
    return path
