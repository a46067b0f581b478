"""A claim as files: the Pemda's cover letter to BPJS listing the documents (PDF), the handover list for a
ceremony where the head of region hands the benefit to the heirs (PDF), and every claim of a period
(XLSX, through payung.files.xlsx). Letters are Indonesian: they go to BPJS and are read aloud.
Callers audit each export (``audited``): the files carry full NIKs, names and family data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from payung.audit.services import record
from payung.claims import documents, eligibility
from payung.claims.models import Claim, ClaimState, EventKind, Relation
from payung.files import letters, xlsx
from payung.files.letters import latin, long_date, rupiah, terbilang

PROGRAM_NAMES = {"JKM": "Jaminan Kematian (JKM)", "JKK": "Jaminan Kecelakaan Kerja (JKK)"}
RELATIONS = dict(Relation.choices)
LINE = 4.6  # mm per line of the claim letter: it fits one page with three heirs and every document


def audited(
    user, what: str, region_code: str, rows: int, *, claim: Claim | None = None, channel: str
) -> None:
    """One audit event per export: which file, whose region, how many people's rows."""
    record(
        user,
        "export",
        claim,
        object_type="" if claim else what,
        object_id="" if claim else str(rows),
        region_code=region_code,
        after={"format": what, "rows": rows},
        channel=channel,
    )


def _agreement(claim: Claim):
    found = eligibility.periods(claim.person, claim.program)
    period = eligibility.in_force(found, claim.event.occurred_on) or (found[-1] if found else None)
    return period.agreement if period else None


def _event_text(claim: Claim) -> str:
    event = claim.event
    what = "meninggal dunia" if event.kind == EventKind.DEATH else "mengalami kecelakaan kerja"
    if event.kind == EventKind.DEATH and event.work_related:
        what += " akibat kecelakaan kerja"
    where = f" di {event.place}" if event.place else ""
    return f"{what} pada {long_date(event.occurred_on)}{where}"


# ------------------------------------------------------------------------------------------ the letter
def letter_pdf(claim: Claim, path: Path | str, *, today: dt.date) -> Path:
    """The Pemda's letter to the BPJS branch: the participant, the event, the heirs, the benefit Payung
    computed, and each document of the checklist marked enclosed or to follow."""
    from fpdf import FPDF  # only this export pays for fpdf2's import

    path, person, agreement = Path(path), claim.person, _agreement(claim)
    party = agreement.pemda_party if agreement else f"Pemerintah {claim.region.name}"
    branch = agreement.bpjs_branch if agreement else "BPJS Ketenagakerjaan"
    needed = _needed(claim)
    held = {d.code: d for d in claim.documents.all()}
    pdf = FPDF(format="A4")
    letters.letterhead(pdf, party, claim.region, today)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_font("Helvetica", "", 10)
    _facts(
        pdf,
        [
            ("Nomor", f"......../KLM-{claim.pk}/{today:%Y}"),
            ("Lampiran", f"{len([c for c in needed if c in held])} berkas"),
            ("Perihal", f"Pengajuan klaim {PROGRAM_NAMES[claim.program]} a.n. {person.name}"),
        ],
        indent=0,
        width=24,
    )
    _para(pdf, f"Kepada Yth.\nKepala {branch}\ndi tempat", before=3)
    number = f" (PKS {agreement.number})" if agreement else ""
    funding = agreement.get_funding_source_display() if agreement else "anggaran Pemda"
    _para(
        pdf,
        f"Dengan hormat,\nBersama ini kami ajukan klaim {PROGRAM_NAMES[claim.program]} atas nama "
        f"peserta yang iurannya dibayar dari {funding}{number}, yang {_event_text(claim)}:",
        before=3,
    )
    facts = [
        ("Nama", person.name),
        ("NIK", person.nik),
        ("Nomor KPJ", person.kpj or "-"),
        ("Peserta sejak", long_date(claim.member_since)),
    ]
    if claim.basis:
        facts.append(("Upah/penghasilan dilaporkan", rupiah(claim.basis)))
    _facts(pdf, facts)
    heirs = list(claim.heirs.all())
    if heirs:
        _para(pdf, "Ahli waris:", before=2)
        _facts(
            pdf,
            [
                (f"{i}. {h.name}", f"{RELATIONS.get(h.relation, h.relation)}, NIK {h.nik}")
                for i, h in enumerate(heirs, 1)
            ],
        )
    _para(pdf, "Manfaat menurut perhitungan kami (peraturan yang berlaku pada hari peristiwa):", before=2)
    amounts = [
        (p["label"], rupiah(p["amount"])) for p in claim.quote.get("parts", []) if p["amount"] is not None
    ]
    total = f"{rupiah(claim.computed_total)} ({terbilang(claim.computed_total)} rupiah)"
    _facts(pdf, [*amounts, ("Jumlah", total)])
    children = claim.quote.get("scholarship_children", 0)
    if children:
        _para(pdf, f"serta beasiswa pendidikan untuk {children} anak, diajukan per tahun ajaran.")
    _para(pdf, "Dokumen:", before=2)
    for code in needed:
        mark = "[v] terlampir" if code in held else "[  ] menyusul"
        note = f" ({held[code].note})" if code in held and held[code].note else ""
        _para(pdf, f"{documents.label(code)}{note} - {mark}", indent=8)
    _para(pdf, "Demikian kami sampaikan; atas kerja samanya kami ucapkan terima kasih.", before=3)
    if pdf.get_y() > pdf.h - 70:  # the signature block stays whole on one page
        pdf.add_page()
    letters.signature(pdf, f"a.n. {party}\nKepala Dinas Tenaga Kerja")
    pdf.set_auto_page_break(False)
    pdf.set_y(-16)
    pdf.set_font("Helvetica", "I", 7.5)
    pdf.cell(0, 4, latin(f"Dibuat dengan Payung - klaim #{claim.pk}"), align="C")
    pdf.output(str(path))
    return path


def _needed(claim: Claim) -> list[str]:
    from payung.claims import checklist

    return checklist.needed_documents(claim)


def _para(pdf, text: str, *, indent: float = 0, before: float = 0) -> None:
    """A paragraph from the left margin (plus ``indent``); the next line starts at the margin again."""
    if before:
        pdf.ln(before)
    pdf.set_x(letters.MARGIN + indent)
    pdf.multi_cell(0, LINE, latin(text), new_x="LMARGIN", new_y="NEXT")


def _facts(pdf, rows: list[tuple[str, str]], *, indent: float = 8, width: float = 66) -> None:
    """Label and value in two columns."""
    for label, value in rows:
        pdf.set_x(letters.MARGIN + indent)
        pdf.cell(width, LINE, latin(label))
        pdf.multi_cell(0, LINE, latin(f": {value}"), new_x="LMARGIN", new_y="NEXT")


# ------------------------------------------------------------------------------------------ handover
def handover_pdf(claims: list[Claim], path: Path | str, *, party: str, region, today: dt.date) -> Path:
    """One line per claim: the participant, the event, the heirs who receive, the amount (what BPJS paid,
    else what Payung computed), and room for the recipient's signature."""
    from fpdf import FPDF

    path = Path(path)
    pdf = FPDF(format="A4", orientation="L")
    letters.letterhead(pdf, party, region, today, width=253)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(
        0,
        8,
        "DAFTAR PENYERAHAN SANTUNAN JAMINAN SOSIAL KETENAGAKERJAAN",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    widths = (9, 48, 34, 16, 82, 32, 32)  # 253 mm: A4 landscape inside the margins
    headers = ("No", "Peserta", "Peristiwa", "Program", "Ahli waris / penerima", "Jumlah", "Tanda tangan")
    letters.table_head(pdf, widths, headers, 9)
    total = 0
    for number, claim in enumerate(claims, 1):
        amount = claim.paid_amount if claim.paid_amount is not None else claim.computed_total
        total += amount
        receivers = ", ".join(
            f"{h.name} ({RELATIONS.get(h.relation, h.relation).lower()})" for h in claim.heirs.all()
        )
        what = "Meninggal" if claim.event.kind == EventKind.DEATH else "Kecelakaan"
        event = f"{what} {claim.event.occurred_on:%d-%m-%Y}"
        cells = (
            str(number),
            claim.person.name,
            event,
            claim.program,
            receivers or claim.person.name,
            rupiah(amount),
            "",
        )
        pdf.cell(widths[0], 12, cells[0], border=1, align="C")
        for width, text in zip(widths[1:-2], cells[1:-2], strict=True):
            pdf.cell(width, 12, latin(_fit(pdf, text, width)), border=1)
        pdf.cell(widths[-2], 12, cells[-2], border=1, align="R")
        pdf.cell(widths[-1], 12, "", border=1)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(sum(widths[:-2]), 7, "Jumlah", border=1, align="R")
    pdf.cell(widths[-2], 7, rupiah(total), border=1, align="R")
    pdf.cell(widths[-1], 7, "", border=1)
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 10)
    letters.signature(pdf, f"{region.name}, {long_date(today)}\nKepala Daerah", x=190)
    pdf.output(str(path))
    return path


_fit = letters.fit


# ------------------------------------------------------------------------------------------ XLSX
COLUMNS = (
    "Klaim",
    "Wilayah",
    "NIK",
    "Nama",
    "Program",
    "Peristiwa",
    "Tanggal",
    "Akibat kerja",
    "Status",
    "Terlindungi",
    "Kesalahan Pemda",
    "Hitungan Payung",
    "Dibayar BPJS",
    "Selisih",
    "Diajukan",
    "Diputus",
    "Ahli waris",
    "Anak penerima beasiswa",
)
VERDICTS = {"protected": "Ya", "at_risk": "Berisiko", "not_protected": "Tidak"}


def claims_xlsx(claims: list[Claim], path: Path | str, *, title: str) -> Path:
    """Every claim of ``claims`` on one sheet, integer rupiah, NIK as text."""
    path = Path(path)
    book = xlsx.workbook(path)
    bold, head = (
        book.add_format({"bold": True, "font_size": 13}),
        book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True}),
    )
    money, text, day = (
        book.add_format({"num_format": "#,##0"}),
        book.add_format({"num_format": "@"}),
        book.add_format({"num_format": "dd-mm-yyyy"}),
    )
    sheet = book.add_worksheet("Klaim")
    sheet.write(0, 0, title, bold)
    for col, (name, width) in enumerate(
        zip(COLUMNS, (8, 20, 19, 28, 8, 14, 11, 8, 16, 11, 9, 15, 15, 13, 11, 11, 40, 9), strict=True)
    ):
        sheet.write(2, col, name, head)
        sheet.set_column(col, col, width)
    states = dict(ClaimState.choices)
    for row, claim in enumerate(claims, start=3):
        event = claim.event
        heirs = "; ".join(f"{h.name} ({RELATIONS.get(h.relation, h.relation)})" for h in claim.heirs.all())
        values = [
            claim.pk,
            claim.region.name,
            claim.person.nik,
            claim.person.name,
            claim.program,
            "Meninggal" if event.kind == EventKind.DEATH else "Kecelakaan",
            event.occurred_on,
            "Ya" if claim.program == "JKK" else "Tidak",
            str(states.get(claim.state, claim.state)),
            VERDICTS.get(claim.verdict, ""),
            "Ya" if claim.eligibility.get("pemda_fault") else "Tidak",
            claim.computed_total,
            claim.paid_amount,
            claim.difference,
            claim.submitted_on,
            claim.decided_on,
            heirs,
            claim.quote.get("scholarship_children", 0),
        ]
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), day)
            elif col == 2:
                sheet.write_string(row, col, value, text)  # a 16-digit number would lose its last digits
            elif isinstance(value, int):
                sheet.write_number(row, col, value, money if col in (11, 12, 13) else None)
            else:
                sheet.write_string(row, col, value)
    sheet.freeze_panes(3, 0)
    book.close()
    return path
