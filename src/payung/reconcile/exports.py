"""What a reconciliation sends out: the file for BPJS and the named summary for the head of region.

- ``bpjs_xlsx``: one sheet each for corrections (pairs with differences that the reviewer did not reject
  and did not mark as the registry's own mistake: BPJS's data is to be corrected to the registry's),
  deactivations, new registrations and disputed bill lines (the reviewer's actions). Full NIKs: BPJS needs
  them to find its rows. Returns the number of people listed.
- ``summary_xlsx``: per finding the count and rupiah per month, with a total row, then every person
  (masked NIK) with the same amounts, so the names add up to the totals.
Callers audit both (registry.services.record_export) and serve them; the functions only write.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from payung.files import xlsx
from payung.formats import format_date, format_month
from payung.reconcile import findings as pure
from payung.reconcile.models import Finding, Reconciliation
from payung.reconcile.services import KINDS, LABELS, impact_parts
from payung.registry.nik import mask


def label(kind: str) -> str:
    return LABELS[kind][1 if (get_language() or "id").startswith("en") else 0]


def part_label(part: str | None) -> str:
    """An impact part's name (findings.IMPACT_PARTS) in the active language; '' for none."""
    return pure.IMPACT_PARTS[part][1 if (get_language() or "id").startswith("en") else 0] if part else ""


def difference_labels(codes: str) -> str:
    english = (get_language() or "id").startswith("en")
    return ", ".join(pure.DIFFERENCES[c][1 if english else 0] for c in codes.split(",") if c)


def _book(path: Path) -> tuple[xlsx.Workbook, dict]:
    book = xlsx.workbook(path)
    formats = {
        "head": book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0"}),
        "money_bold": book.add_format({"num_format": "#,##0", "bold": True}),
        "text": book.add_format({"num_format": "@"}),
    }
    return book, formats


def _sheet(book, formats, title: str, headers: list[str], rows: list[list]) -> int:
    sheet = book.add_worksheet(title[:31])
    sheet.write_row(0, 0, headers, formats["head"])
    sheet.set_column(0, len(headers) - 1, 18)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, c, value, formats["money"])
            elif value not in (None, ""):
                sheet.write_string(r, c, str(value), formats["text"])
    return len(rows)


def _day(value) -> str | None:
    """A stored ISO date of the evidence as the reader's date (payung.formats); None stays empty."""
    return format_date(value, get_language()) if value else None


def bpjs_xlsx(reconciliation: Reconciliation, path: str | Path) -> int:
    findings = list(reconciliation.findings.exclude(kind="matched").order_by("kind", "id"))
    corrections, deactivations, registrations, disputes = [], [], [], []
    for f in findings:
        b, r = f.evidence.get("bpjs") or {}, f.evidence.get("roster") or {}
        if f.kind == "differences" and f.state != Finding.State.REJECTED and f.action != "correct":
            corrections.append([
                b.get("kpj"), b.get("nik"), b.get("name"), difference_labels(f.differences), r.get("nik"),
                r.get("name"), _day(r.get("birth_date")), r.get("monthly_wage"), _day(b.get("birth_date")),
                b.get("monthly_wage"),
            ])  # fmt: skip
        elif f.action == "deactivate":
            end = f.evidence.get("end") or {}
            deactivations.append(
                [b.get("kpj"), b.get("nik"), b.get("name"), _day(end.get("on")), f.billed, f.reason]
            )
        elif f.action == "register":
            registrations.append([
                r.get("nik"), r.get("name"), _day(r.get("birth_date")), r.get("sex"), r.get("unit_name"),
                r.get("monthly_wage"), f.reason,
            ])  # fmt: skip
        if f.action == "dispute":
            disputes.append([b.get("kpj"), b.get("nik"), b.get("name"), f.billed, f.computed, f.reason])
    book, formats = _book(Path(path))
    count = _sheet(book, formats, _("Koreksi data"), [
        _("No KPJ"), _("NIK di BPJS"), _("Nama di BPJS"), _("Perbedaan"), _("NIK yang benar"),
        _("Nama yang benar"), _("Tanggal lahir yang benar"), _("Upah yang benar"), _("Tanggal lahir di BPJS"),
        _("Upah di BPJS"),
    ], corrections)  # fmt: skip
    count += _sheet(book, formats, _("Nonaktifkan"), [
        _("No KPJ"), _("NIK"), _("Nama"), _("Berhenti/meninggal sejak"), _("Iuran per bulan"), _("Alasan"),
    ], deactivations)  # fmt: skip
    count += _sheet(book, formats, _("Pendaftaran baru"), [
        _("NIK"), _("Nama"), _("Tanggal lahir"), _("Jenis kelamin"), _("Unit kerja"), _("Upah"), _("Alasan"),
    ], registrations)  # fmt: skip
    count += _sheet(book, formats, _("Sanggahan tagihan"), [
        _("No KPJ"), _("NIK"), _("Nama"), _("Ditagih"), _("Seharusnya"), _("Alasan"),
    ], disputes)  # fmt: skip
    book.close()
    return count


def summary_xlsx(reconciliation: Reconciliation, path: str | Path) -> int:
    """The named summary; returns the number of people named."""
    book, formats = _book(Path(path))
    sheet = book.add_worksheet(_("Ringkasan"))
    sheet.set_column(0, 0, 46)
    snapshot = reconciliation.snapshot
    title = _("Rekonsiliasi %(region)s, %(period)s") % {
        "region": reconciliation.region.name,
        "period": format_month(snapshot.period, get_language()),
    }
    sheet.write_string(0, 0, title, formats["bold"])
    sheet.write_string(1, 0, _("Berkas BPJS: %(name)s") % {"name": snapshot.filename})
    # The impact in its named parts, never one sum of them (findings.IMPACT_PARTS, decision 0018).
    headers = [_("Temuan"), _("Jumlah orang"), _("Ditagih per bulan"), _("Dihitung per bulan"),
               *(f"{part_label(p)} {_('per bulan')}" for p in pure.IMPACT_PARTS)]  # fmt: skip
    sheet.set_column(1, len(headers) - 1, 20)
    sheet.write_row(3, 0, headers, formats["head"])
    totals, parts = reconciliation.totals, impact_parts(reconciliation)
    counted = ("count", "billed", "computed")
    lines = [(label(kind), totals.get(kind, {}), parts[kind], formats["money"]) for kind in KINDS]
    sums = {key: sum(t.get(key, 0) for t in totals.values()) for key in counted}
    lines.append((_("Jumlah"), sums, parts["total"], formats["money_bold"]))
    for row, (name, counts, split, style) in enumerate(lines, start=4):
        sheet.write_string(row, 0, name, formats["bold"] if style is formats["money_bold"] else None)
        values = [counts.get(key, 0) for key in counted] + [split[part] for part in pure.IMPACT_PARTS]
        for c, value in enumerate(values, start=1):
            sheet.write_number(row, c, value, style)
    names = []
    for f in reconciliation.findings.select_related("person").order_by("id"):
        side = f.evidence.get("roster") or f.evidence.get("bpjs") or {}
        nik = side.get("nik") or ""
        names.append([label(f.kind), side.get("name"), mask(nik) if nik else "", side.get("unit_name"),
                      f.get_state_display(), f.billed or 0, f.computed or 0, abs(f.impact),
                      part_label(pure.impact_part(f.kind, f.impact)), f.reason])  # fmt: skip
    _sheet(book, formats, _("Daftar nama"), [
        _("Temuan"), _("Nama"), _("NIK"), _("Unit kerja"), _("Status tinjauan"), _("Ditagih per bulan"),
        _("Dihitung per bulan"), _("Rupiah per bulan"), _("Jenis"), _("Alasan"),
    ], names)  # fmt: skip
    book.close()
    return len(names)
