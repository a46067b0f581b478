"""Odd upload names, malformed multipart bodies and stuck previews on the web pages (issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from payung.registry import importer
from payung.registry.models import ImportBatch, ImportIssue, Person
from tests.api.world import PASSWORD
from tests.web.test_imports import roster

UNREADABLE = "Permintaan tidak dapat dibaca"


def _upload(client, world, name: str):
    file = roster()
    file.name = name
    data = {"file": file, "unit": world.kupang.unit.pk, "group": "non_asn"}
    return client.post(reverse("import_upload"), data)


NAMES = [("%%", "%%"), ("é" * 200 + ".csv", "é" * 125 + ".csv"), ("../x/daftar.csv", "daftar.csv")]


@pytest.mark.parametrize(("sent", "stored"), NAMES)
def test_an_odd_name_previews_under_its_cleaned_name(client, login, world, settings, sent, stored):
    login("kupang")
    response = _upload(client, world, sent)
    assert response.status_code == 302, response.content[:300]
    batch = ImportBatch.objects.latest("created_at")
    assert batch.filename == stored and batch.state == ImportBatch.State.PREVIEW
    assert stored in client.get(response.url).content.decode().replace("&#x27;", "'")
    name = client.get(reverse("import_errors", args=[batch.pk]))["Content-Disposition"]
    assert "baris-bermasalah.xlsx" in name


def _client(enforce_csrf: bool) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf, raise_request_exception=False)
    assert client.login(username="kupang", password=PASSWORD)
    client.get(reverse("import_upload"))  # the CSRF cookie: without it the middleware refuses unread
    return client


@pytest.mark.parametrize("enforce_csrf", [False, True])  # with CSRF checks the middleware parses first
@pytest.mark.parametrize("content_type", ["multipart/form-data", 'multipart/form-data; boundary=""'])
def test_a_body_that_cannot_be_parsed_is_an_indonesian_400_page(world, enforce_csrf, content_type):
    body = b'--x\r\nContent-Disposition: form-data; name="group"\r\n\r\nnon_asn\r\n--x--\r\n'
    client = _client(enforce_csrf)
    response = client.generic("POST", reverse("import_upload"), body, content_type=content_type)
    assert response.status_code == 400
    page = response.content.decode()
    assert UNREADABLE in page and "Bad Request" not in page and 'lang="id"' in page


def test_a_preview_nobody_commits_expires_and_its_files_go(client, login, world, settings):
    login("kupang")
    response = _upload(client, world, "daftar-dlhk.csv")
    batch = ImportBatch.objects.latest("created_at")
    folder = Path(settings.MEDIA_ROOT) / "imports" / str(batch.pk)
    assert folder.is_dir() and batch.issues.exists()
    old = timezone.now() - importer.PREVIEW_LIFETIME - dt.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=old)
    history = client.get(reverse("import_history")).content.decode()
    assert "Kedaluwarsa" in history
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.EXPIRED and not batch.error_file
    assert not folder.exists() and not ImportIssue.objects.filter(batch=batch).exists()
    page = client.get(response.url).content.decode()
    assert "kedaluwarsa" in page and "Simpan 1 baris" not in page and "Semua baris valid" not in page
    client.post(reverse("import_commit", args=[batch.pk]))
    assert not Person.objects.filter(name="Imanuel Tlonaen").exists()


def test_a_preview_that_expires_while_open_cannot_be_committed(client, login, world):
    login("kupang")
    _upload(client, world, "daftar-dlhk.csv")
    batch = ImportBatch.objects.latest("created_at")
    old = timezone.now() - importer.PREVIEW_LIFETIME - dt.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=old)  # the operator left the page open
    response = client.post(reverse("import_commit", args=[batch.pk]), follow=True)
    assert "kedaluwarsa" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.EXPIRED
    assert not Person.objects.filter(name="Imanuel Tlonaen").exists()


def test_a_fresh_preview_is_kept(client, login, world):
    login("kupang")
    _upload(client, world, "daftar-dlhk.csv")
    client.get(reverse("import_history"))
    assert ImportBatch.objects.latest("created_at").state == ImportBatch.State.PREVIEW


def test_a_file_over_the_limit_is_a_form_error(client, login, world, settings):
    login("kupang")
    settings.PAYUNG_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("%%", b"x" * 2048)
    response = client.post(reverse("import_upload"), {"file": big, "group": "non_asn"})
    assert response.status_code == 400 and "Berkas terlalu besar" in response.content.decode()
    assert not ImportBatch.objects.filter(filename="%%").exists()
