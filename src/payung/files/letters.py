"""What Payung's letters share (a bill's cover letter, a claim's letter to BPJS, a handover list): amounts
and dates written the Indonesian way, amounts in words, the Pemda's letterhead and the signature block.
fpdf2's core fonts are Latin-1: ``latin`` turns anything else into '?' rather than failing an export."""

from __future__ import annotations

import datetime as dt

from payung import formats

MARGIN = 22


def letterhead(pdf, party: str, region, day: dt.date, *, width: float = 166) -> None:
    """A new page with the Pemda's name, its region and code, a rule, then '<place>, <day>' on the right."""
    pdf.set_margins(MARGIN, 18, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, latin(party.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(
        0, 5, latin(f"Wilayah {region.name} ({region.dotted_code})"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.line(MARGIN, pdf.get_y() + 1, MARGIN + width, pdf.get_y() + 1)
    pdf.ln(5)
    pdf.set_font("Helvetica", "", 10.5)
    place = region.name.removeprefix("Kota ").removeprefix("Kabupaten ").removeprefix("Kab. ")
    pdf.cell(0, 5.5, latin(f"{place}, {long_date(day)}"), align="R", new_x="LMARGIN", new_y="NEXT")


def table_head(pdf, widths: tuple[float, ...], headers: tuple[str, ...], size: float) -> None:
    """A table's header row (bold on pale blue), then the font for its rows."""
    pdf.set_font("Helvetica", "B", size)
    pdf.set_fill_color(232, 238, 244)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 7, header, border=1, align="C", fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", size)


def signature(pdf, signer: str, *, x: float = 118) -> None:
    """The signer's title on the right, room to sign, and the line for the name and NIP."""
    pdf.ln(10)
    pdf.set_x(x)
    pdf.multi_cell(70, 5.5, latin(signer), align="C")
    pdf.ln(18)
    pdf.set_x(x)
    pdf.multi_cell(70, 5.5, "(.................................................)\nNIP.", align="C")


def fit(pdf, text: str, width: float) -> str:
    """``text`` cut with '...' to fit one table cell ``width`` mm wide."""
    if pdf.get_string_width(latin(text)) <= width - 2:
        return text
    while text and pdf.get_string_width(latin(text + "...")) > width - 2:
        text = text[:-1]
    return text + "..."


def rupiah(amount: int) -> str:
    """'Rp 1.234.567', negative as '-Rp 1.000' (letters are Indonesian; a plain space for the core font)."""
    return formats.format_rupiah(amount, "id", " ")


def count(number: int) -> str:
    return formats.format_number(number, "id")


def long_date(day: dt.date) -> str:
    """'6 Februari 2026': letters are Indonesian whatever the screen's language."""
    return formats.format_letter_date(day)


def latin(text: str) -> str:
    """The PDF's core font is Latin-1: anything else becomes '?' instead of failing the export."""
    return text.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


_ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
         "sebelas"]  # fmt: skip
_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")]


def terbilang(amount: int) -> str:
    """An amount in Indonesian words, as letters and receipts spell it: 16800 -> 'enam belas ribu
    delapan ratus'."""
    if amount < 0:
        return "minus " + terbilang(-amount)
    if amount == 0:
        return "nol"
    return " ".join(_words(amount).split())


def _words(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        return f"{_ONES[n // 10]} puluh {_words(n % 10)}"
    if n < 1000:
        head = "seratus" if n // 100 == 1 else f"{_ONES[n // 100]} ratus"
        return f"{head} {_words(n % 100)}"
    for size, name in _SCALES:
        if n >= size:
            head = "seribu" if size == 1000 and n // size == 1 else f"{_words(n // size)} {name}"
            return f"{head} {_words(n % size)}"
    raise AssertionError(n)
