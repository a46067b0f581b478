"""Issue 12's acceptance test, in Chromium: the province monitor (demo user ntt.provinsi) opens the rollup,
sees the 22 kabupaten/kota of NTT with their coverage and ranking, opens Kota Kupang, follows "uncovered"
of the contract teachers to the named list by school and downloads it; Kota Kupang's head-of-region page
shows DLHK's street sweepers as a priority group with their coverage (and stays under 150 KB); the
coordination meeting is recorded and its report PDF downloaded, its pages rendered for looking at
(test-artifacts/screens/monitoring-*.png, test-artifacts/monitoring-meeting.pdf).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from payung.demo import province
from payung.demo.users import DEMO_USERS
from tests.browser.conftest import PHONE, SCREENS, layout_faults, log_in, screenshot, switch_language

MONITOR = next(u for u in DEMO_USERS if u.username == "ntt.provinsi")
MAYOR = next(u for u in DEMO_USERS if u.username == "kupang.pemantau")
ARTIFACTS = Path("test-artifacts")


@pytest.fixture
def ntt(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5371"], scale=0.1, verbosity=0)
    call_command("demo-coverage", region=["5371"], verbosity=0)
    call_command("demo-users", verbosity=0)
    province._priorities()
    province._regulation("5371", *province.REGULATIONS["5371"])


def test_province_to_the_named_list_the_dashboard_and_the_meeting_report(ntt, live_server, page, tmp_path):
    base = live_server.url
    log_in(page, live_server, MONITOR.username, MONITOR.password)
    page.click("nav.main-nav >> text=Pemantauan")
    page.wait_for_url(f"{base}/pemantauan/provinsi/")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 22
    kupang = rows.filter(has_text="Kota Kupang")
    assert kupang.locator("td").first.inner_text().strip() == "1"  # the only one with data ranks first
    assert "%" in kupang.locator("td[data-label='Terlindungi']").inner_text()
    screenshot(page, "monitoring-province")

    kupang.locator("a", has_text="Kota Kupang").click()
    page.wait_for_url(f"{base}/pemantauan/5371/*")
    teachers = page.locator("section", has_text="Menurut kelompok").locator("tr", has_text="Guru kontrak")
    teachers.locator("a.bad").click()
    page.wait_for_url("**/daftar/**")
    assert "group=teacher" in page.url and "status=uncovered" in page.url
    listed = page.locator("table.list tbody tr")
    assert listed.count() > 0
    first = listed.first.inner_text()
    assert ("SD " in first or "SMP " in first) and "Tidak ada PKS" in first and "********" in first
    screenshot(page, "monitoring-teachers")
    with page.expect_download() as download:
        page.click("text=Unduh XLSX")
    saved = tmp_path / "guru.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    schools = {sheet.cell(row, 4).value for row in range(4, sheet.max_row + 1)}
    assert schools and all(s.startswith(("SD", "SMP")) for s in schools)

    response = page.goto(f"{base}/pemantauan/5371/dasbor/")
    assert len(response.body()) <= 150_000
    priority = page.locator("section", has_text="Kelompok prioritas")
    assert "Penyapu jalan DLHK" in priority.inner_text() and "terlindungi" in priority.inner_text()
    assert page.locator("svg.chart").count() >= 1
    screenshot(page, "monitoring-dashboard")

    page.goto(f"{base}/pemantauan/provinsi/")
    page.click("summary:has-text('Catat rapat koordinasi')")
    page.fill("#id_held_on", timezone.localdate().strftime("%d-%m-%Y"))
    page.click("button:has-text('Simpan rapat')")
    page.wait_for_selector("text=Laporan rapat")
    with page.expect_download() as download:
        page.locator("section", has_text="Laporan rapat").locator("a", has_text="PDF").first.click()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "monitoring-meeting.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().count(b"/Type /Page\n") >= 23
    if shutil.which("pdftoppm"):  # the pages as pictures, to be looked at
        import subprocess

        SCREENS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(pdf), str(SCREENS / "monitoring-meeting")], check=True
        )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_pages_on_a_phone(ntt, live_server, open_context, lang):
    page = open_context(PHONE).new_page()
    log_in(page, live_server, MAYOR.username, MAYOR.password)
    if lang == "en":
        switch_language(page, "en")
    for name, path in (
        ("dashboard", "/pemantauan/5371/dasbor/"),
        ("region", "/pemantauan/5371/"),
        ("list", "/pemantauan/5371/daftar/?status=uncovered"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert layout_faults(page) == [], (path, lang)
        screenshot(page, f"monitoring-{name}-phone-{lang}")
    assert ("Back to coverage" if lang == "en" else "Kembali ke cakupan") in page.content()
    province = open_context(PHONE).new_page()
    log_in(province, live_server, MONITOR.username, MONITOR.password)
    if lang == "en":
        switch_language(province, "en")
    province.goto(f"{live_server.url}/pemantauan/provinsi/")
    assert layout_faults(province) == []
    screenshot(province, f"monitoring-province-phone-{lang}")
