"""A failed reconciliation stores nothing, on the web, the API and the command line.

Two ways to fail: a list the run refuses after reading it (a tenant whose registry has nobody current in the
month: no_roster), and a file that is not a BPJS list at all (junk, empty, no identifier, too large). Either
way no snapshot, no audit row and no rows file may be left behind, and the answer is the same Indonesian
message on every channel, never a traceback.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.audit.models import AuditEvent
from payung.reconcile.models import BpjsSnapshot, Reconciliation

pytestmark = pytest.mark.django_db

PERIOD = "2026-01"
# A valid BPJS list for Kab. Timor Tengah Utara, whose registry is empty here: the run refuses it (no_roster).
LIST = "NO KPJ,NIK,NAMA PESERTA\n" + "".join(
    f"2301111111{i},530301410185000{i},Peserta {i}\n" for i in range(5)
)
JUNK = {
    "passwd": Path("/etc/passwd").read_bytes(),
    "binary": bytes(range(256)) * 12,
    "empty": b"",
    "no_identifier_column": b"NAMA,TGL LAHIR\nAna,01/01/1990\n",
    "no_valid_identifier": b"NIK,NAMA\nroot,x\nbin,daemon\n",
}


@pytest.fixture
def ttu(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    user = User.objects.create_user("verif_ttu", role=Role.VERIFIER, region_id="5303")
    return user, ApiToken.issue(user, "ujian")[1]


def _nothing_stored(media: Path) -> bool:
    files = list(media.rglob("*")) if media.exists() else []
    return not (
        BpjsSnapshot.objects.exists()
        or Reconciliation.objects.exists()
        or AuditEvent.objects.filter(action__startswith="reconcile").exists()
        or [f for f in files if f.is_file()]
    )


def _web(user, content: bytes, name: str = "bpjs.csv"):
    browser = Client()
    browser.force_login(user)
    upload = StringIO(content.decode("latin-1"))
    upload.name = name
    return browser.post(reverse("reconcile"), {"file": upload, "period": PERIOD})


def _api(client, token: str, content: bytes, name: str = "bpjs.csv"):
    upload = StringIO(content.decode("latin-1"))
    upload.name = name
    body = {"file": upload, "region": "5303", "period": PERIOD}
    return client.post("/api/v1/reconciliations", body, headers={"Authorization": f"Bearer {token}"})


def _told(response) -> str:
    """What the API says about the file: a 422 names it under errors.file."""
    return response.json()["errors"]["file"][0]


def _cli(tmp_path, content: bytes, name: str = "bpjs.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("reconcile", "--region", "5303", str(path), "--period", PERIOD, "--user", "verif_ttu",
                     stdout=StringIO())  # fmt: skip
    return str(refused.value)


def test_a_run_refused_after_reading_the_list_stores_nothing(ttu, client, tmp_path, settings):
    user, token = ttu
    web = _web(user, LIST.encode())
    assert web.status_code == 400 and "tidak punya orang dengan penugasan aktif" in web.content.decode()
    api = _api(client, token, LIST.encode())
    assert api.status_code == 422 and "tidak punya orang dengan penugasan aktif" in _told(api)
    assert "tidak punya orang dengan penugasan aktif" in _cli(tmp_path, LIST.encode())
    assert _nothing_stored(settings.MEDIA_ROOT)


@pytest.mark.parametrize("junk", sorted(JUNK))
def test_a_file_that_is_not_a_bpjs_list_is_refused_alike_everywhere(ttu, client, tmp_path, settings, junk):
    user, token = ttu
    cli = _cli(tmp_path, JUNK[junk])
    assert cli.startswith("Masalah pada berkas BPJS (bpjs.csv)") or "bukan daftar peserta" in cli
    web = _web(user, JUNK[junk])
    assert web.status_code == 400 and "Traceback" not in web.content.decode()
    assert cli in web.content.decode().replace("&#x27;", "'") or junk == "empty"  # the form refuses that one
    api = _api(client, token, JUNK[junk])
    assert api.status_code == 422
    assert _told(api) == cli or junk == "empty"
    assert _nothing_stored(settings.MEDIA_ROOT)


def test_a_list_with_no_valid_nik_or_kpj_is_not_a_bpjs_list(ttu, tmp_path):
    message = _cli(tmp_path, JUNK["no_valid_identifier"])
    assert message == (
        "Tidak satu baris pun di berkas BPJS (bpjs.csv) punya NIK 16 digit atau No KPJ: ini bukan daftar "
        "peserta atau tagihan BPJS."
    )


def test_the_command_line_has_the_upload_limit_of_the_web_and_the_api(ttu, client, tmp_path, settings):
    user, token = ttu
    settings.PAYUNG_MAX_UPLOAD_BYTES = 2**20
    big = LIST.encode() + b"".join(b"%011d,,Isian\n" % i for i in range(2**20 // 16))
    assert len(big) > 2**20
    expected = "Berkas terlalu besar: paling besar 1 MB."
    assert _cli(tmp_path, big) == expected
    assert expected in _web(user, big).content.decode()
    assert _told(_api(client, token, big)) == expected
    assert _nothing_stored(settings.MEDIA_ROOT)


def test_a_missing_or_special_path_is_refused_without_a_traceback(ttu):
    for path in ("/tidak/ada.csv", "/dev/zero", os.path.dirname(__file__)):
        with pytest.raises(CommandError, match="tidak ada"):
            call_command("reconcile", "--region", "5303", path, "--user", "verif_ttu", stdout=StringIO())
