"""Issue 11's acceptance test in Chromium: Kab. TTU's finance office plans next year's protection.

The TTU finance user (demo user ttu.keuangan) opens next year's demo scenario and sees 14,880 pekerja rentan
priced at the BPU package (JKK + JKM, Rp 16,800) for 12 months; switches the perangkat desa to 4 programs
with one click and sees each village's share change on the comparison; adopts that variant as a budget line;
and, after the demo's bills, opens this year's APBD line and sees its realisation and the month it runs out;
then prices one desa alone (its APBDes figure) and finds the same amount as that desa's row of the region.
Every step leaves test-artifacts/screens/budget-*.png.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from payung.budget import queries, realisation, services
from payung.budget.models import BudgetLine, Scenario
from payung.demo.users import DEMO_USERS
from payung.formats import format_month, format_rupiah
from payung.regions.models import Region
from payung.registry.models import Unit
from tests.browser.conftest import layout_faults, log_in, screenshot, switch_language

FINANCE = next(u for u in DEMO_USERS if u.username == "ttu.keuangan")


@pytest.fixture
def ttu(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5303"], verbosity=0)
    call_command("demo-coverage", region=["5303"], verbosity=0)
    call_command("demo-users", verbosity=0)


def rupiah(amount: int) -> str:
    return format_rupiah(amount, "id")


def test_ttu_finance_plans_switches_adopts_and_sees_the_line_run_out(ttu, page, live_server):
    year = timezone.localdate().year + 1
    base = live_server.url
    log_in(page, live_server, FINANCE.username, FINANCE.password)

    # 1. Next year's scenario: 14,880 pekerja rentan x Rp 16,800 x 12.
    page.goto(f"{base}/anggaran/?tahun={year}")
    page.get_by_role("link", name=re.compile(f"Perlindungan {year}")).click()
    page.wait_for_url(re.compile(r".*/anggaran/skenario/\d+/$"))
    rentan = page.locator("tr", has_text="Pekerja rentan").first
    assert "14.880" in rentan.inner_text()
    assert rupiah(14_880 * 16_800 * 12) in rentan.inner_text()  # Rp 2.999.808.000
    assert page.locator("svg.chart polyline").count() == 1
    assert layout_faults(page) == []
    screenshot(page, "budget-1-scenario")
    scenario = Scenario.objects.get(
        region_id="5303", year=year, based_on=None, name__startswith="Perlindungan"
    )

    # 2. One click: the perangkat desa with 4 programs; each village's share changes.
    page.locator("tr", has_text="Perangkat desa").first.get_by_role("button", name="4 program").click()
    page.wait_for_url(re.compile(r".*/anggaran/bandingkan/\?s=\d+&s=\d+$"))
    variant = Scenario.objects.get(based_on=scenario)
    before, after = queries.price(scenario), queries.price(variant)
    villages = queries.compare([before, after], "village", drop_null=True)
    changed = [
        row for row in villages if row["amounts"][1] > row["amounts"][0]
    ]  # kelurahan have no perangkat
    assert changed and all(row["amounts"][1] >= row["amounts"][0] for row in villages)
    # TTU's 192 villages are folded under the 10 costliest (the page was 18,600 px tall); every village's
    # figures are one click away.
    assert page.evaluate("document.documentElement.scrollHeight") < 6_000
    section = page.locator("#per-village")
    costliest = min(villages, key=lambda row: (-max(row["amounts"]), row["key"]))
    assert costliest["key"] in section.locator("tbody tr").first.inner_text()
    assert section.locator("table").first.locator("tbody tr").count() == 10
    village = changed[0]
    section.locator("details summary").click()
    row = section.locator("details tr", has_text=village["key"]).first
    assert row.is_visible()
    assert (
        rupiah(village["amounts"][0]) in row.inner_text()
        and rupiah(village["amounts"][1]) in row.inner_text()
    )
    assert page.locator("svg.chart polyline").count() == 2
    screenshot(page, "budget-2-compare")

    # 3. The variant adopted as a budget line (its APBD share: the pekerja rentan).
    page.goto(f"{base}/anggaran/skenario/{variant.pk}/")
    page.locator("#tetapkan summary").click()
    page.select_option("[name=funding_source]", "apbd")
    page.fill("[name=account_code]", "5.1.02.99.99.0001")
    page.fill("[name=account_name]", "Belanja iuran jaminan sosial pekerja rentan")
    page.fill("[name=adopted_on]", f"20-12-{year - 1}")
    screenshot(page, "budget-3-adopt")
    page.locator("#tetapkan button.primary").click()
    page.wait_for_url(re.compile(r".*/anggaran/pagu/\d+/$"))
    adopted = BudgetLine.objects.get(region_id="5303", year=year)
    assert adopted.amount == after.by("source")["apbd"] == 14_880 * 16_800 * 12
    assert rupiah(adopted.amount) in page.locator(".stats").inner_text()
    screenshot(page, "budget-4-line")

    # 4. This year's line after the demo's bills: realisation and the month it runs out.
    this_year = timezone.localdate().year
    line = BudgetLine.objects.filter(region_id="5303", year=this_year).order_by("-version").first()
    real = realisation.of_line(line)
    assert real["billed"] > 0 and real["runs_out"] is not None
    page.goto(f"{base}/anggaran/?tahun={this_year}")
    page.get_by_role("link", name=re.compile("5.1.02.99.99.0001")).first.click()
    page.wait_for_url(re.compile(r".*/anggaran/pagu/\d+/$"))
    text = page.locator("main").inner_text()
    assert (
        rupiah(real["billed"]) in text
        and rupiah(real["paid"]) in text
        and rupiah(real["outstanding"]) in text
    )
    assert f"Pagu akan habis pada {format_month(real['runs_out'], 'id')}" in text
    assert layout_faults(page) == []
    screenshot(page, "budget-5-realisation")

    # 5. One desa's scenario (its APBDes figure): the same amount as the desa's row of the whole region.
    place = (
        Region.objects.filter(code__in=Unit.objects.filter(region_id="5303").values("village"), level=4)
        .order_by("code")
        .first()
    )
    assert Region.objects.filter(code__startswith="5303", name=place.name).count() == 1
    page.goto(f"{base}/anggaran/?tahun={year}")
    page.locator("#skenario-baru summary").click()
    page.fill("[name=name]", f"APBDes {place.name}")
    page.select_option("[name=village]", place.code)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert layout_faults(page) == []
        screenshot(page, f"budget-6-village-form-{width}")
    page.locator("#skenario-baru button.primary").click()
    page.wait_for_url(re.compile(r".*/anggaran/skenario/\d+/$"))
    desa = Scenario.objects.get(name=f"APBDes {place.name}")
    assert {p.village_id for p in desa.parts.all()} == {place.code}
    shown = queries.price(desa)
    region = Region.objects.get(code="5303")
    parts = services.from_registry(region, year, ("JKK", "JKM"))
    whole = queries.price(services.create(None, region, services.ScenarioData(year, "Semua", parts=parts)))
    assert shown.by("village")[place.name] == whole.by("village")[place.name] > 0
    assert rupiah(shown.total) in page.locator("main").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert layout_faults(page) == []
        screenshot(page, f"budget-7-village-scenario-{width}")
    switch_language(page, "en")
    assert "Only one desa/kecamatan" not in page.locator("main").inner_text()  # the scenario page
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert layout_faults(page) == []
        screenshot(page, f"budget-7-village-scenario-{width}-en")
    page.goto(f"{base}/anggaran/?tahun={year}")
    page.locator("#skenario-baru summary").click()
    page.select_option("[name=village]", place.code)
    assert "Only one desa/kecamatan" in page.locator("#skenario-baru").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert layout_faults(page) == []
        screenshot(page, f"budget-6-village-form-{width}-en")
