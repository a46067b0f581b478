"""A BPJS list uploaded on the web goes through payung.uploads like every other file (issue 14)."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from django.urls import reverse

from payung.reconcile.models import BpjsSnapshot
from tests.reconcile.test_services import bpjs_file, kupang  # noqa: F401 (a fixture)


def test_a_long_bpjs_file_name_is_stored_within_255_bytes(kupang, tmp_path):  # noqa: F811
    region, user = kupang
    path = tmp_path / "bpjs.xlsx"
    bpjs_file(region, path)
    browser = Client()
    browser.force_login(user)
    upload = BytesIO(path.read_bytes())
    upload.name = "daftar\u202e" + "é" * 200 + ".xlsx"
    response = browser.post(reverse("reconcile"), {"file": upload, "period": "2026-01", "kind": ""})
    assert response.status_code == 302, response.content[:500]
    assert BpjsSnapshot.objects.get().filename == "daftar" + "é" * 122 + ".xlsx"
