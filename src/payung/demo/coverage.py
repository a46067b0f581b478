"""Demo agreements, enrolment, bills and payments on top of the demo registry, so the money pages have
something true to show: Kab. TTU's BPU package for its pekerja rentan from APBD (seed 004) and a Kota
Kupang agreement for its non-ASN continuing the one of seed 001 (made up: the seed names only 2021-2024).

Bills run for the last ``MONTHS`` months up to ``today``; every month is paid in full except the last
``UNPAID`` ones (and one partial payment before them), so arrears, fines and lapsed BPU memberships show.
Running it again adds only what is missing.
"""

from __future__ import annotations

import datetime as dt

from payung.contributions import arrears, billing, payments
from payung.contributions.models import Bill
from payung.coverage import enrolment, services
from payung.coverage.models import Agreement
from payung.regions.models import Region

MONTHS = 6
UNPAID = 2

AGREEMENTS = {
    "5303": services.AgreementData(
        number="PKS.560/BPJS-TTU/VII/2025",
        title="Perlindungan pekerja rentan dan miskin ekstrem 2025-2026",
        pemda_party="Pemerintah Kabupaten Timor Tengah Utara",
        bpjs_branch="BPJS Ketenagakerjaan Cabang Atambua",
        signed_on=dt.date(2025, 7, 7),
        valid_from=dt.date(2025, 7, 1),
        valid_to=dt.date(2026, 12, 31),
        category="bpu",
        groups=["rentan"],
        programs=["JKK", "JKM"],
        declared_income=1_000_000,
        funding_source="apbd",
        budget_account="5.1.02.99.99.0001",
        notes="Diluncurkan 7 Juli 2025 untuk 14.880 pekerja rentan (APBD).",
    ),
    "5371": services.AgreementData(
        number="PKS.560/BPJS-KPG/IV/2024",
        title="Jaminan JKK dan JKM tenaga non-ASN 2024-2027 (lanjutan)",
        pemda_party="Pemerintah Kota Kupang",
        bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang",
        signed_on=dt.date(2024, 4, 2),
        valid_from=dt.date(2024, 4, 10),
        valid_to=dt.date(2027, 4, 9),
        category="pu",
        groups=["non_asn"],
        programs=["JKK", "JKM"],
        jkk_class=1,
        funding_source="apbd",
        budget_account="5.1.01.03.07.0001",
        late_fine=False,
        notes="Contoh: kelanjutan PKS 10 April 2021 - 9 April 2024.",
    ),
}


def load(today: dt.date, regions: list[str]) -> dict[str, dict[str, int]]:
    """Agreement, enrolment, bills and payments per region; counts of what was added."""
    return {
        code: _load_region(Region.objects.get(code=code), today) for code in regions if code in AGREEMENTS
    }


def _load_region(region: Region, today: dt.date) -> dict[str, int]:
    data = AGREEMENTS[region.code]
    agreement = Agreement.objects.filter(region=region, number=data.number).first()
    if agreement is None:
        agreement = services.create_agreement(None, region, data, channel="demo")
    members = enrolment.sync(agreement, channel="demo")
    months = _months(agreement, today)
    bills = 0
    for month in months:
        if not Bill.objects.filter(agreement=agreement, period=month).exists():
            billing.generate(None, region, month, agreement=agreement, channel="demo")
            bills += 1
    bills_in_order = list(Bill.objects.filter(agreement=agreement, period__in=months).order_by("period"))
    settled = bills_in_order[: max(len(bills_in_order) - UNPAID, 0)]
    paid = sum(_pay(bill, today, partial=bill is settled[-1]) for bill in settled)
    return {"people": members["people"], "bills": bills, "payments": paid}


def _months(agreement: Agreement, today: dt.date) -> list[dt.date]:
    last = today.replace(day=1)
    months = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = divmod(last.year * 12 + last.month - 1 - back, 12)
        first = dt.date(year, month + 1, 1)
        if agreement.valid_from <= billing.month_end(first) and first <= agreement.valid_to:
            months.append(first)
    return months


def _pay(bill: Bill, today: dt.date, partial: bool) -> int:
    due = arrears.outstanding(bill)
    if due <= 0 or bill.payments.exists():  # paid before: a re-run adds nothing
        return 0
    amount = due // 2 if partial else due
    paid_on = min(bill.due_date - dt.timedelta(days=3), today)
    reference = f"SP2D/{bill.period:%Y%m}/{bill.agreement_id:03d}"
    payments.record_payment(None, bill, payments.PaymentData(paid_on, amount, reference), channel="demo")
    return 1
