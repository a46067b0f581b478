"""Demo data for the whole province of NTT (issue 12, point 6), so the rollup tells a story on `make demo`.

Beside Kota Kupang and TTU (demo-data, demo-coverage), the other 20 kabupaten get small populations drawn
like TTU's (pekerja rentan, perangkat desa, RT/RW) or Kupang's (non-ASN), and varied states: some cover 2
programs, some 4, one's agreement expired last year, some have no agreement, one has no regulation, and
Kab. Manggarai reports by a signed file from its own server (its figures made up, signed with its key).
The regulations' numbers and dates, the budgets and every count here are INVENTED for the demo.

Also: DLHK's street sweepers as Kota Kupang's priority group (seed 003), TTU's pekerja rentan as TTU's,
the monthly summaries of the last 12 months, and a coordination meeting two months ago (so the rollup shows
the change since). Running it again adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import json

from payung.contributions import billing, payments
from payung.contributions.arrears import outstanding
from payung.coverage import enrolment, services
from payung.coverage.models import Agreement
from payung.demo import load
from payung.demo.tables import SWEEPER
from payung.monitoring import compute, rollup, signing, transfer
from payung.monitoring import services as monitoring
from payung.monitoring.models import Meeting, Priority, Regulation, Summary
from payung.regions.models import Region
from payung.registry.models import Person, Unit

PROVINCE = "53"
BY_FILE = "5310"  # Kab. Manggarai: its own installation, reporting by file
# code: (profile, scale, programs or None for no agreement, agreement state, regulation number or None)
DISTRICTS = {
    "5301": ("5303", 0.012, ["JKK", "JKM"], "valid", "14 Tahun 2023"),
    "5302": ("5303", 0.015, ["JKK", "JKM"], "valid", "8 Tahun 2024"),
    "5304": ("5303", 0.008, ["JKK", "JKM", "JHT"], "valid", "22 Tahun 2022"),
    "5305": ("5303", 0.006, None, "", "5 Tahun 2025"),
    "5306": ("5371", 0.05, ["JKK", "JKM", "JHT", "JP"], "valid", "31 Tahun 2023"),
    "5307": ("5371", 0.06, ["JKK", "JKM"], "expired", "17 Tahun 2021"),
    "5308": ("5303", 0.01, ["JKK", "JKM"], "valid", "3 Tahun 2024"),
    "5309": ("5303", 0.006, ["JKK", "JKM"], "valid", None),
    "5311": ("5371", 0.04, ["JKK", "JKM", "JHT", "JP"], "valid", "11 Tahun 2024"),
    "5312": ("5303", 0.005, None, "", "9 Tahun 2025"),
    "5313": ("5303", 0.006, ["JKK", "JKM"], "valid", "20 Tahun 2023"),
    "5314": ("5303", 0.006, ["JKK", "JKM"], "valid", "6 Tahun 2024"),
    "5315": ("5371", 0.05, ["JKK", "JKM"], "valid", "28 Tahun 2023"),
    "5316": ("5303", 0.005, ["JKK", "JKM"], "valid", "12 Tahun 2025"),
    "5317": ("5303", 0.004, None, "", "2 Tahun 2025"),
    "5318": ("5303", 0.006, ["JKK", "JKM"], "valid", "19 Tahun 2024"),
    "5319": ("5303", 0.006, ["JKK", "JKM"], "valid", "7 Tahun 2024"),
    "5320": ("5303", 0.004, ["JKK", "JKM"], "valid", "4 Tahun 2025"),
    "5321": ("5303", 0.006, ["JKK", "JKM"], "valid", "15 Tahun 2024"),
}
REGULATIONS = {
    "5371": (
        "perwali",
        "49 Tahun 2021",
        "Penyelenggaraan jaminan sosial ketenagakerjaan bagi pekerja non-ASN",
    ),
    "5303": ("perbup", "35 Tahun 2025", "Perlindungan jaminan sosial pekerja rentan dan miskin ekstrem"),
}
MONTHS = 12


def load_province(today: dt.date) -> dict[str, int]:
    done = {"people": 0, "agreements": 0, "summaries": 0}
    for code, (profile, scale, programs, state, number) in DISTRICTS.items():
        if not Person.objects.filter(region_id=code).exists():
            demo = load.people.generate(
                code, scale=scale, seed=2026, villages=load.region_villages(code), profile=profile
            )
            done["people"] += load.load(demo).get("people_created", 0)
        if programs:
            done["agreements"] += _agreement(code, profile, programs, state, today)
        if number:
            _regulation(code, "perbup", number, "Perlindungan jaminan sosial ketenagakerjaan pekerja daerah")
    for code, (kind, number, title) in REGULATIONS.items():
        _regulation(code, kind, number, title)
    _priorities()
    done["summaries"] = _summaries(today)
    _by_file(today)
    _meeting(today)
    return done


def _regulation(code: str, kind: str, number: str, title: str) -> None:
    year = int(number.rsplit(" ", 1)[-1])
    if not Regulation.objects.filter(region_id=code, number=number).exists():
        monitoring.add_regulation(
            None,
            Region.objects.get(code=code),
            kind=kind,
            number=number,
            issued_on=dt.date(year, 3 + int(code[-1]), 10),
            title=title,
            channel="demo",
        )


def _agreement(code: str, profile: str, programs: list[str], state: str, today: dt.date) -> int:
    region = Region.objects.get(code=code)
    number = f"PKS.560/BPJS-{code}/{today.year - 1}"
    if Agreement.objects.filter(region=region, number=number).exists():
        return 0
    pu = profile == "5371"
    start = dt.date(today.year - 1, 1, 1)
    end = dt.date(today.year - 1, 12, 31) if state == "expired" else dt.date(today.year + 1, 6, 30)
    data = services.AgreementData(
        number=number,
        title="Jaminan sosial ketenagakerjaan pekerja daerah",
        pemda_party=f"Pemerintah {region.name}",
        bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang",
        signed_on=start,
        valid_from=start,
        valid_to=end,
        category="pu" if pu else "bpu",
        groups=["non_asn"] if pu else ["rentan"],
        programs=[p for p in programs if pu or p != "JP"],
        jkk_class=1 if pu else None,
        declared_income=None if pu else 1_000_000,
        funding_source="apbd",
    )
    agreement = services.create_agreement(None, region, data, channel="demo")
    enrolment.sync(agreement, channel="demo")
    for back in range(3, 0, -1) if state == "valid" else ():
        month = compute.add_months(today.replace(day=1), -back)
        (bill,) = billing.generate(None, region, month, agreement=agreement, channel="demo")
        if back > 1 or int(code[-1]) % 2:  # the last month unpaid in every other district
            due = outstanding(bill)
            if due > 0:
                payments.record_payment(
                    None,
                    bill,
                    payments.PaymentData(min(bill.due_date, today), due, f"SP2D/{code}/{month:%Y%m}"),
                    channel="demo",
                )
    return 1


def _priorities() -> None:
    dlhk = Unit.objects.filter(region_id="5371", code="DLHK").first()
    if dlhk and not Priority.objects.filter(region_id="5371", unit=dlhk).exists():
        monitoring.add_priority(
            None,
            dlhk.region,
            unit=dlhk,
            group="non_asn",
            position=SWEEPER,
            label="Penyapu jalan DLHK",
            reason="Bekerja di jalan raya setiap hari; prioritas pertama Wali Kota.",
            since=dt.date(2024, 1, 1),
            channel="demo",
        )
    if not Priority.objects.filter(region_id="5303").exists() and Region.objects.filter(code="5303").exists():
        monitoring.add_priority(
            None,
            Region.objects.get(code="5303"),
            group="rentan",
            label="Pekerja rentan miskin ekstrem",
            reason="Dijamin dari APBD sejak Juli 2025.",
            since=dt.date(2025, 7, 1),
            channel="demo",
        )


def _summaries(today: dt.date) -> int:
    first = today.replace(day=1)
    made = 0
    for code in sorted({*DISTRICTS, "5303", "5371"}):
        if not Person.objects.filter(region_id=code).exists():
            continue
        for back in range(MONTHS):
            month = compute.add_months(first, -back)
            if not Summary.objects.filter(region_id=code, period=month, source="local").exists():
                monitoring.refresh(code, month, today=today)
                made += 1
    return made


def _by_file(today: dt.date) -> None:
    """Kab. Manggarai's own server exported its month; the province imported the signed file."""
    month = today.replace(day=1)
    if Summary.objects.filter(region_id=BY_FILE, period=month).exists():
        return
    groups = {
        "rentan": {"people": 4200, "covered": 3150, "paid": 2980},
        "perangkat": {"people": 1380, "covered": 1380, "paid": 1380},
        "rt_rw": {"people": 960, "covered": 0, "paid": 0},
    }
    people = sum(g["people"] for g in groups.values())
    covered = sum(g["covered"] for g in groups.values())
    paid = sum(g["paid"] for g in groups.values())
    figures = {
        "people": people,
        "covered": covered,
        "uncovered": people - covered,
        "paid": paid,
        "unpaid": covered - paid,
        "reasons": {"no_agreement": 960, "never": 1050, "unpaid": covered - paid},
        "programs": {"JKK": covered, "JKM": covered, "tk2": covered},
        "groups": groups,
        "money": {
            "billed": covered * 16_800,
            "paid": paid * 16_800,
            "outstanding": 3 * (covered - paid) * 16_800,
            "year_billed": 12 * covered * 16_800,
            "year_paid": 12 * paid * 16_800,
            "committed": 12 * covered * 16_800,
            "claims_paid": 0,
            "claims_paid_year": 84_000_000,
            "claims_paid_count_year": 2,
        },
        "agreements": [
            {
                "number": "PKS.560/BPJS-MGR/2025",
                "valid_from": f"{today.year - 1}-01-01",
                "valid_to": f"{today.year}-12-31",
                "programs": ["JKK", "JKM"],
                "groups": ["rentan", "perangkat"],
                "category": "bpu",
            }
        ],
    }
    extra = {
        "regulation": {
            "kind": "perbup",
            "number": "26 Tahun 2024",
            "issued_on": "2024-08-12",
            "title": "Jaminan sosial ketenagakerjaan bagi pekerja rentan dan aparat desa",
        },
        "budget_allocated": 12 * covered * 16_800,
    }
    signed_at = dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC)
    document = signing.sign(
        signing.build(BY_FILE, month, figures, [], extra=extra, signed_at=signed_at),
        signing.district_key(BY_FILE),
    )
    transfer.import_file(
        None,
        json.dumps(document).encode(),
        filename=f"ringkasan-{BY_FILE}-{month:%Y-%m}.json",
        allowed_prefix=PROVINCE,
        channel="demo",
    )


def _meeting(today: dt.date) -> None:
    """A coordination meeting two months ago, as the rollup stood then."""
    province = Region.objects.get(code=PROVINCE)
    if Meeting.objects.filter(province=province).exists():
        return
    period = compute.add_months(today.replace(day=1), -2)
    found = rollup.districts(province, period)
    monitoring.record_meeting(
        None,
        province,
        held_on=period.replace(day=20),
        period=period,
        title="Rapat koordinasi Gubernur dengan bupati dan wali kota se-NTT",
        results=[d.as_result() for d in found],
        channel="demo",
    )
