"""Malformed and odd rosters as operators really send them (issue 9, point 6): wrong files, wrong encodings,
Excel's habits, hostile cell contents. Each entry builds the file's bytes and says what the import must do
with it: refuse the whole file with a problem code, or import the good rows and reject the listed lines.

Generated at test time with the project's usual tools (xlsxwriter writes workbooks the way Excel saves
them), so nothing binary sits in the repository. The allocation bombs live in tests/files/corpus.py.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import xlsxwriter

from payung.registry.nik import MALE, compose

HEADER = ("NIK", "Nama Lengkap", "Tgl Lahir", "Jenis Kelamin", "Jabatan", "Gaji")


def nik(sequence: int, born: dt.date = dt.date(1988, 3, 12), sex: str = MALE) -> str:
    return compose("537102", born, sex, sequence)


def person(sequence: int, name: str | None = None, **cells: str) -> tuple[str, ...]:
    row = {"NIK": nik(sequence), "Nama Lengkap": name or f"Orang Uji {sequence}", "Tgl Lahir": "12/03/1988",
           "Jenis Kelamin": "L", "Jabatan": "Petugas kebersihan", "Gaji": "2250000", **cells}  # fmt: skip
    return tuple(row[column] for column in HEADER)


GOOD = [person(n) for n in (1, 2, 3)]


def csv(
    rows: list[tuple[str, ...]], *, sep: str = ",", encoding: str = "utf-8", header=HEADER, end="\n"
) -> bytes:
    def line(cells) -> str:
        quoted = ('"' + c.replace('"', '""') + '"' for c in cells)
        return sep.join(
            q if sep in c or '"' in c or "\n" in c else c for c, q in zip(cells, quoted, strict=True)
        )

    return end.join(line(r) for r in [header, *rows]).encode(encoding) + end.encode(encoding)


def xlsx(
    rows: list[tuple], *, header=HEADER, before: list[tuple] = (), merge: str = "", second_sheet=False
) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    if second_sheet:
        book.add_worksheet("Catatan").write(0, 0, "Lihat lembar berikut")
    sheet = book.add_worksheet("Daftar")
    for r, cells in enumerate([*before, header, *rows]):
        for c, value in enumerate(cells):
            sheet.write(r, c, value)
    if merge:
        sheet.merge_range(merge, header[0])
    book.close()
    return out.getvalue()


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("daftar.csv", csv(GOOD).decode())
    return out.getvalue()


def _nik_as_number() -> bytes:
    """A NIK column Excel turned into numbers: 5.37102E+15 shown, the digits after 15 lost."""
    rows = [(float(nik(1)), "Orang Uji 1", "12/03/1988", "L", "Sopir", 2250000), person(2)]
    return xlsx(rows)


def _serial_dates() -> bytes:
    rows = [(nik(1), "Orang Uji 1", 32214, "L", "Sopir", 2250000), person(2)]  # 12-03-1988 as a serial
    return xlsx(rows)


@dataclass(frozen=True)
class Case:
    """What the import must do: ``refused`` names the file's problem code; else ``rejected`` lists the
    spreadsheet lines turned away (with a fragment of their Indonesian reason) and ``imported`` counts the
    people written."""

    build: Callable[[], bytes]
    refused: str | None = None
    rejected: dict[int, str] = field(default_factory=dict)
    imported: int = 0


HTML = "<script>alert('x')</script> Bere"
HYPERLINK = '=HYPERLINK("http://contoh.test","klik")'
CASES: dict[str, Case] = {
    # the whole file is wrong: nothing is written, one message says why
    "kosong.csv": Case(lambda: b"", refused="empty_file"),
    "kosong.xlsx": Case(lambda: b"", refused="empty_file"),
    "hanya-judul.csv": Case(lambda: csv([]), refused="no_rows"),
    "hanya-judul.xlsx": Case(lambda: xlsx([]), refused="no_rows"),
    "pdf-berganti-nama.xlsx": Case(
        lambda: b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", refused="corrupt"
    ),
    "zip-berganti-nama.xlsx": Case(_zip_without_workbook, refused="corrupt"),
    "utf16.csv": Case(lambda: csv(GOOD, encoding="utf-16"), refused="encoding"),
    "tanpa-kolom-nik.csv": Case(
        lambda: csv([r[1:] for r in GOOD], header=HEADER[1:]), refused="no_nik_column"
    ),
    "tanpa-kolom-nama.csv": Case(
        lambda: csv([r[:1] + r[2:] for r in GOOD], header=HEADER[:1] + HEADER[2:]), refused="missing_column"
    ),
    "judul-dua-baris.xlsx": Case(
        lambda: xlsx([("",) * 5 + ("Pokok", "Tunjangan"), *GOOD], header=(*HEADER, "")),
        refused="two_row_header",
    ),
    "lembar-kedua.xlsx": Case(lambda: xlsx(GOOD, second_sheet=True), refused="no_nik_column"),  # sheet 1 only
    "judul-bergabung.xlsx": Case(lambda: xlsx(GOOD, merge="A1:B1"), refused="merged_header"),
    "rumus-tanpa-nilai.xlsx": Case(lambda: _formula_workbook(cached=None), refused="formula"),
    # odd but readable: every row imports
    "titik-koma.csv": Case(lambda: csv(GOOD, sep=";"), imported=3),
    "tab.csv": Case(lambda: csv(GOOD, sep="\t"), imported=3),
    "latin1.csv": Case(
        lambda: csv([person(1, "Agustina Fernández"), *GOOD[1:]], encoding="cp1252"), imported=3
    ),
    "bom.csv": Case(lambda: b"\xef\xbb\xbf" + csv(GOOD), imported=3),
    "crlf.csv": Case(lambda: csv(GOOD, end="\r\n"), imported=3),
    "sel-berbaris-baru.csv": Case(lambda: csv([person(1, "Maria\nBere"), *GOOD[1:]]), imported=3),
    "judul-di-atas.xlsx": Case(lambda: xlsx(GOOD, before=[("Daftar PTT DLHK 2024",), ()]), imported=3),
    "rumus-dengan-nilai.xlsx": Case(lambda: _formula_workbook(cached=2250000), imported=1),  # Excel's value
    "tanggal-serial.xlsx": Case(_serial_dates, imported=2),
    "xlsx-berganti-nama.csv": Case(lambda: xlsx(GOOD), imported=3),  # read by what it is, not its name
    "gaji-rupiah.csv": Case(lambda: csv([person(1, Gaji="Rp 2.250.000"), *GOOD[1:]]), imported=3),
    # good rows import, bad rows are listed with their line and reason
    "nik-angka-excel.xlsx": Case(_nik_as_number, rejected={2: "NIK"}, imported=1),
    "nik-kembar.csv": Case(
        lambda: csv([*GOOD, person(1, "Orang Lain")]), rejected={5: "baris 2"}, imported=3
    ),
    "nik-huruf.csv": Case(
        lambda: csv([*GOOD, person(4, NIK="53710A1203880004")]), rejected={5: "NIK"}, imported=3
    ),
    "nik-pendek.csv": Case(
        lambda: csv([*GOOD, person(4, NIK="53710112")]), rejected={5: "16 digit"}, imported=3
    ),
    "tanggal-mustahil.csv": Case(
        lambda: csv([*GOOD, person(4, **{"Tgl Lahir": "31/02/1988"})]), rejected={5: "Tanggal"}, imported=3
    ),
    "tanggal-masa-depan.csv": Case(
        lambda: csv([*GOOD, person(4, **{"Tgl Lahir": "12/03/2088"})]), rejected={5: "masa depan"}, imported=3
    ),
    "gaji-negatif.csv": Case(
        lambda: csv([*GOOD, person(4, Gaji="-100000")]), rejected={5: "negatif"}, imported=3
    ),
    "jenis-kelamin-salah.csv": Case(
        lambda: csv([*GOOD, person(4, **{"Jenis Kelamin": "X"})]), rejected={5: "Jenis kelamin"}, imported=3
    ),
    "nama-kosong.csv": Case(lambda: csv([*GOOD, person(4, " ")]), rejected={5: "wajib"}, imported=3),
    "nama-terlalu-panjang.csv": Case(
        lambda: csv([*GOOD, person(4, "Bere " * 40)]), rejected={5: "panjang"}, imported=3
    ),
    # hostile contents: stored as text, shown escaped, written back as text
    "nama-html.csv": Case(lambda: csv([*GOOD, person(4, HTML)]), imported=4),
    "nama-hyperlink.csv": Case(
        lambda: csv([*GOOD, person(4, HYPERLINK, Gaji="-1")]), rejected={5: "negatif"}, imported=3
    ),
}


def _formula_workbook(cached: int | None) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, GOOD[0])
    sheet.write_formula(1, 5, "=2000000+250000", None, cached if cached is not None else "")
    book.close()
    return out.getvalue()
