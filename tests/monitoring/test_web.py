"""The monitoring pages: every number opens its named list (audited, NIKs masked, XLSX), the priority group
first, the province page only for the province; the budget from payung.budget only when it exists."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.monitoring import queries
from payung.regions.models import Region
from tests.monitoring.test_compute import MONTH, kupang, sweepers_first  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _browser(username: str, role: str, region: str) -> tuple[Client, User]:
    user = User.objects.create_user(username, role=role, region_id=region)
    browser = Client()
    browser.force_login(user)
    return browser, user


def test_the_region_page_names_the_reasons_and_the_list_is_audited(kupang):  # noqa: F811
    region, people, dlhk, school = kupang
    sweepers_first(region, dlhk)
    browser, user = _browser("kupang", Role.VIEWER, "5371")
    page = browser.get("/pemantauan/5371/?bulan=03-2024").content.decode()
    assert page.index("Penyapu jalan DLHK") < page.index("Menurut kelompok")  # the priority first
    assert "Tidak ada PKS yang berlaku" in page and "Belum pernah didaftarkan" in page
    listed = browser.get(
        "/pemantauan/5371/daftar/?bulan=2024-03&status=uncovered&group=teacher"
    ).content.decode()
    assert "Eka Teacher" in listed and "Dedi Never" not in listed and people["Eka Teacher"].nik not in listed
    assert AuditEvent.objects.filter(actor=user, action="view", object_type="monitoring.list").count() == 1
    download = browser.get("/pemantauan/5371/daftar.xlsx?bulan=2024-03&status=uncovered")
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    names = {sheet.cell(row, 3).value for row in range(4, sheet.max_row + 1)}
    assert names == {"Cici Ended", "Dedi Never", "Eka Teacher"}
    assert all("*" in sheet.cell(row, 2).value for row in range(4, sheet.max_row + 1))
    assert AuditEvent.objects.filter(actor=user, action="export", object_type="monitoring.list.xlsx").exists()
    by_program = browser.get(
        "/pemantauan/5371/daftar/?bulan=2024-03&status=covered&program=tk2"
    ).content.decode()
    assert "Ana Paid" in by_program and "Beni Unpaid" in by_program


def test_a_kabupaten_user_has_no_province_page_and_no_other_region(kupang):  # noqa: F811
    browser, _ = _browser("kupang", Role.ADMIN, "5371")
    assert browser.get("/pemantauan/provinsi/").status_code == 404
    assert browser.get("/pemantauan/5303/").status_code == 404
    province, _ = _browser("ntt", Role.PROVINCE, "53")
    assert province.get("/pemantauan/provinsi/?bulan=2024-03").status_code == 200
    assert province.post("/pemantauan/5371/regulasi/", {}).status_code == 404  # reads only


def test_the_allocation_is_the_years_adopted_budget_lines(db):
    """Nothing adopted: None ("belum dicatat"); adopted: the budget line's amount (budget.queries)."""
    from payung.budget import lines as budget_lines
    from payung.budget import services as budget

    assert queries.budget_allocated("5371", 2031, None) is None
    planned = budget.PartData("Guru", programs=("JKK", "JKM"), planned_people=10, planned_wage=2_000_000)
    data = budget.ScenarioData(2031, "Uji anggaran", parts=(planned,))
    scenario = budget.create(None, Region.objects.get(code="5371"), data)
    line = budget_lines.adopt(None, scenario, "5.1.02", "Iuran", "apbd", dt.date(2030, 12, 1))
    assert queries.budget_allocated("5371", 2031, None) == line.amount > 0
    assert queries.budget_allocated("5303", 2031, None) is None
