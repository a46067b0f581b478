"""Coverage over the API: a province monitor reads its province's rows, a kab/kota user does not."""

from __future__ import annotations

import pytest
from django.test import Client

from payung.accounts.models import Role, User
from tests.monitoring.test_compute import kupang  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _browser(username: str, role: str, region: str) -> Client:
    browser = Client()
    browser.force_login(User.objects.create_user(username, role=role, region_id=region))
    return browser


def test_the_province_reads_every_kabupaten_and_kota_a_district_user_does_not(kupang):  # noqa: F811
    province = _browser("ntt", Role.PROVINCE, "53").get("/api/v1/monitoring/provinces/53?period=2024-03")
    assert province.status_code == 200
    rows = province.json()
    assert len(rows) == 22 and {r["region"] for r in rows if not r.get("no_data")} == {"5371"}
    district = _browser("kupang", Role.VIEWER, "5371")
    assert district.get("/api/v1/monitoring/provinces/53").status_code == 404
    own = district.get("/api/v1/monitoring/regions/5371?period=2024-03").json()
    assert own[-1]["total"] and (own[-1]["people"], own[-1]["covered"]) == (5, 2)
    assert {r.get("group") for r in own if "group" in r} == {"Non-ASN / PTT", "Guru kontrak/komite"}
