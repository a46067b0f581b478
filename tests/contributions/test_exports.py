"""A bill as XLSX (summary, per unit, per person) and as a one-page cover letter (PDF)."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import openpyxl
import pytest

from payung.contributions import billing, exports
from payung.contributions.models import BillLine
from payung.coverage.models import Membership
from payung.regions.models import Region
from tests.contributions import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill():
    """A Kupang June 2023 bill with two units and one adjustment (a late wage rise for May)."""
    kupang = Region.objects.get(code="5371")
    pks = world.agreement(budget_account="5.1.02.01.01.0026")
    dinkes = world.unit(code="DINKES", name="Dinas Kesehatan")
    riser = world.member(pks, 2_000_000, dt.date(2021, 4, 10), name="Maria Bere")
    world.member(pks, 2_500_000, dt.date(2021, 4, 10), name="Yohanes Bria", place=dinkes)
    billing.generate(None, kupang, dt.date(2023, 5, 1))
    Membership.objects.filter(pk=riser.pk).update(basis=2_400_000)
    (june,) = billing.generate(None, kupang, dt.date(2023, 6, 1))
    return june


def test_workbook_sheets_rows_and_totals(bill, tmp_path):
    path = exports.bill_xlsx(bill, tmp_path / "tagihan.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Ringkasan", "Per unit", "Per orang"]
    people = list(book["Per orang"].iter_rows(min_row=2, values_only=True))
    assert len(people) == bill.line_count == BillLine.objects.filter(bill=bill).count()
    assert sum(row[7] for row in people) == bill.total
    first = people[0]
    assert isinstance(first[0], str) and len(first[0]) == 16  # a NIK stays text, all 16 digits
    kinds = {row[8] for row in people}
    assert kinds == {"Bulan berjalan", "Koreksi bulan lalu"}
    adjustment = [row for row in people if row[8] == "Koreksi bulan lalu"]
    assert {(row[1], row[3], row[9].date()) for row in adjustment} == {
        ("Maria Bere", "JKK", dt.date(2023, 5, 1)),
        ("Maria Bere", "JKM", dt.date(2023, 5, 1)),
    }
    assert book["Per orang"]["F2"].number_format == exports.RUPIAH
    units = list(book["Per unit"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in units} == {"Dinas Kesehatan", "Dinas Lingkungan Hidup dan Kebersihan"}
    assert sum(row[6] for row in units) == bill.total
    summary = [row for row in book["Ringkasan"].iter_rows(values_only=True) if any(row)]
    assert ("PKS", bill.agreement.number) in [row[:2] for row in summary]
    assert ("Bulan tagihan", "Juni 2023") in [row[:2] for row in summary]
    assert summary[-1][0] == "Jumlah" and summary[-1][-1] == bill.total


def _pdf_text(data: bytes) -> str:
    """The text drawn on the pages (fpdf2 deflates its content streams)."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return " ".join(re.findall(r"\((.*?)\) ?Tj", "\n".join(text)))


def test_cover_letter_is_one_indonesian_page_with_the_totals(bill, tmp_path):
    path = exports.cover_letter_pdf(bill, tmp_path / "surat.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", data)) == 1
    text = _pdf_text(data)
    for expected in (
        bill.agreement.number,
        "Juni 2023",
        "BPJS Ketenagakerjaan Cabang Kupang",
        exports.rupiah(bill.total),
        "5.1.02.01.01.0026",
        "APBD",
        "15 Juli 2023",
        "JKK",
        "JKM",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol"),
        (11, "sebelas"),
        (16_800, "enam belas ribu delapan ratus"),
        (1_000, "seribu"),
        (110_500, "seratus sepuluh ribu lima ratus"),
        (2_001_000_000, "dua miliar satu juta"),
        (-4_800, "minus empat ribu delapan ratus"),
    ],
)
def test_terbilang(amount, words):
    assert exports.terbilang(amount) == words


def test_rupiah_uses_indonesian_thousands():
    assert exports.rupiah(249_984_000) == "Rp 249.984.000"
    assert exports.rupiah(-6_000) == "-Rp 6.000"
