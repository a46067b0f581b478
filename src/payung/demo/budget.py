"""Demo budgets on top of the demo coverage: next year's scenarios and this year's adopted lines with their
realisation. Kota Kupang: its non-ASN with 2 programs (JKK, JKM) from the APBD, and the variant that adds
the contract teachers of 26 schools. Kab. TTU: its pekerja rentan from the APBD and its perangkat desa and
RT/RW heads from each village's Dana Desa; this year's APBD line was amended (APBD-P) and still runs out
before December at the billed roster. Running it again adds only what is missing.
"""

from __future__ import annotations

import datetime as dt

from payung.budget import lines as budget_lines
from payung.budget import services
from payung.budget.models import BudgetLine, Scenario
from payung.coverage.models import Agreement
from payung.regions.models import Region

PROGRAMS = ("JKK", "JKM")
ACCOUNTS = {  # Permendagri 90/2019 style codes (decision 0021: kept as data, not checked)
    "5371": ("5.1.01.03.07.0001", "Belanja iuran JKK dan JKM tenaga non-ASN"),
    "5303": ("5.1.02.99.99.0001", "Belanja iuran jaminan sosial pekerja rentan"),
}
TTU_ADOPTED, TTU_AMENDED = 1_250_000_000, 1_400_000_000  # less than six months of 14,880 x Rp 16,800


def load(today: dt.date, regions: list[str]) -> dict[str, dict[str, int]]:
    done = {}
    for code in regions:
        if code not in ACCOUNTS:
            continue
        region = Region.objects.get(code=code)
        done[code] = _kupang(region, today) if code == "5371" else _ttu(region, today)
    return done


def _scenario(region, year: int, name: str, groups: list[str] | None = None) -> tuple[Scenario, int]:
    found = Scenario.objects.filter(region=region, year=year, name=name).first()
    if found:
        return found, 0
    parts = services.from_registry(region, year, PROGRAMS, groups)
    data = services.ScenarioData(year, name, jkk_class=1, parts=parts)
    return services.create(None, region, data, channel="demo"), 1


def _kupang(region, today: dt.date) -> dict[str, int]:
    year = today.year + 1
    base, made = _scenario(region, year, f"Non-ASN {year}: JKK dan JKM dari APBD", ["non_asn"])
    if not Scenario.objects.filter(based_on=base).exists():
        teachers = services.PartData("Guru kontrak 26 sekolah", "teacher", None, "pu", PROGRAMS, "apbd")
        services.with_planned(None, base, teachers, channel="demo")
        made += 1
    current, more = _scenario(region, today.year, f"Non-ASN {today.year}: JKK dan JKM dari APBD", ["non_asn"])
    return {"scenarios": made + more, "lines": _line(region, current, today, amend=None)}


def _ttu(region, today: dt.date) -> dict[str, int]:
    _, made = _scenario(
        region, today.year + 1, f"Perlindungan {today.year + 1}: rentan (APBD), desa (Dana Desa)"
    )
    current, more = _scenario(region, today.year, f"Pekerja rentan {today.year} (APBD)", ["rentan"])
    return {"scenarios": made + more, "lines": _line(region, current, today, amend=TTU_AMENDED)}


def _line(region, scenario: Scenario, today: dt.date, amend: int | None) -> int:
    code, name = ACCOUNTS[region.code]
    if BudgetLine.objects.filter(region=region, year=today.year, account_code=code).exists():
        return 0
    adopted = dt.date(today.year - 1, 12, 20)
    linked = tuple(
        Agreement.objects.filter(region=region, funding_source="apbd").values_list("pk", flat=True)
    )
    amount = TTU_ADOPTED if amend else services.queries.price(scenario).by("source").get("apbd", 0)
    data = budget_lines.LineData(code, name, "apbd", amount, adopted, today.year, "APBD murni", linked)
    line = budget_lines.add_line(None, region, data, scenario=scenario, channel="demo")
    if amend:
        budget_lines.amend(
            None, line, amend, min(dt.date(today.year, 9, 30), today), "APBD-P", channel="demo"
        )
    return 1
