"""Roster import over the API: counts, issues with line and column, the error file as an audited export."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from payung.audit.models import AuditEvent
from payung.registry import importer
from payung.registry.models import ImportBatch, Person
from payung.registry.nik import compose

GOOD = compose("537104", dt.date(1988, 7, 9), "L", 41)
ROSTER = (
    "NIK,Nama,Jenis Kelamin,Tanggal Lahir\n"
    f"{GOOD},Agustinus Lake,L,09/07/1988\n"
    "12345,Tanpa NIK,P,01/01/1990\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(api, who: str, region: str = "5371", **fields):
    roster = BytesIO(ROSTER.encode())
    roster.name = "daftar-dlhk.csv"
    body = {"region": region, "group": "non_asn", "unit": "U5371", **fields}
    return api(who, "post", "/imports", body, files={"file": roster})


def test_import_returns_counts_issues_and_the_batch(api, world):
    response = _upload(api, "kupang")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["imported"], data["rejected"], data["state"]) == (1, 1, "committed")
    issue = next(i for i in data["issues"] if i["severity"] == "error")
    assert (issue["line"], issue["column"]) == (3, "NIK") and "16" in issue["message"]
    assert Person.objects.get(nik=GOOD).engagements.get().unit == world.kupang.unit
    again = api("kupang", "get", f"/imports/{data['id']}").json()
    assert (again["id"], again["imported"], again["errors_url"]) == (data["id"], 1, data["errors_url"])


def test_an_indonesian_upload_reads_in_english(api, world):
    data = _upload(api, "kupang").json()
    assert "16 digit," in data["issues"][0]["message"] and data["message"].startswith("Baru")
    english = api("kupang", "get", f"/imports/{data['id']}", lang="en").json()
    assert english["issues"][0]["message"] == "NIK must have 16 digits, not 5."
    assert english["message"].startswith("New: 1")


def test_the_same_file_twice_changes_nothing(api, world):
    _upload(api, "kupang")
    second = _upload(api, "kupang").json()
    assert second["imported"] == 0
    assert Person.objects.filter(nik=GOOD).count() == 1


def test_error_file_download_is_an_audited_export(client, api, world):
    batch = _upload(api, "kupang").json()
    response = client.get(batch["errors_url"], headers=world.auth("kupang_viewer"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert any("12345" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.channel, event.region_code) == (world.users["kupang_viewer"], "api", "5371")


def test_readers_cannot_import(api, world):
    assert _upload(api, "kupang_viewer").status_code == 403
    assert _upload(api, "province", region="5371").status_code == 403
    assert not ImportBatch.objects.filter(filename="daftar-dlhk.csv").exists()


def test_unknown_unit_group_or_a_broken_file(api, world):
    assert _upload(api, "kupang", unit="TIDAK-ADA").status_code == 404
    bad_group = _upload(api, "kupang", group="pns")
    assert bad_group.status_code == 422 and "group" in bad_group.json()["errors"]
    broken = BytesIO(b"PK\x03\x04 bukan xlsx")
    broken.name = "rusak.xlsx"
    response = api("kupang", "post", "/imports", {"region": "5371"}, files={"file": broken})
    assert response.status_code == 422 and response.json()["state"] == "failed"
    data = response.json()
    assert data["detail"] == data["message"] == data["errors"]["file"][0]
    assert "Traceback" not in data["detail"]


def test_a_file_whose_every_row_is_rejected_is_a_422_with_its_error_file(api, world):
    roster = BytesIO(b"NIK,Nama,Jenis Kelamin,Tanggal Lahir\n12345,Tanpa NIK,P,01/01/1990\n")
    roster.name = "semua-salah.csv"
    response = api("kupang", "post", "/imports", {"region": "5371"}, files={"file": roster})
    assert response.status_code == 422, response.content
    data = response.json()
    assert (data["imported"], data["rejected"], data["errors_url"] is not None) == (0, 1, True)
    assert data["errors"]["file"] == [data["detail"]] and "ditolak: 1" in data["detail"]


def test_missing_file_is_a_422(api, world):
    response = api("kupang", "post", "/imports", {"region": "5371"}, files={})
    assert response.status_code == 422 and response.json()["errors"]["file"] == ["Wajib diisi."]


def test_a_stuck_preview_reads_as_expired(api, world):
    batch = world.kupang.batch  # the world's batch, turned back into a preview nobody committed
    old = timezone.now() - importer.PREVIEW_LIFETIME - dt.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.PREVIEW, created_at=old)
    data = api("kupang", "get", f"/imports/{batch.pk}").json()
    assert (data["state"], data["issues"], data["errors_url"]) == ("expired", [], None)
    assert "kedaluwarsa" in data["message"]
